import { PlusOutlined, ThunderboltOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Calendar,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Shift } from '../../../../contracts/duty.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import {
  createPattern,
  createShift,
  deleteShift,
  dutyKeys,
  generateMonth,
  patchShift,
  useDepartments,
  useGaps,
  usePatterns,
  useShifts,
} from './duty-api.ts';
import { UserSelect } from './user-select.tsx';
import './duty.css';

const PRESETS = {
  full: [{ key: 'full', name: '24小时', start: '08:00', end: '08:00' }],
  dayNight: [
    { key: 'day', name: '白班', start: '08:00', end: '18:00' },
    { key: 'night', name: '夜班', start: '18:00', end: '08:00' },
  ],
};

/** The roster of a unit by month: shifts per day, the hours nobody covers in red, editing a shift, a month generated. */
export function RosterPage() {
  const { t } = useTranslation('duty');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const user = useCurrentUser();
  const manage = can(user, 'duty.manage');
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit') ?? 'yjj';
  const month = params.get('month') ?? dayjs().format('YYYY-MM');
  const from = `${month}-01`;
  const to = dayjs(from).endOf('month').format('YYYY-MM-DD');
  const units = useDepartments();
  const patterns = usePatterns(unit);
  const shifts = useShifts(unit, from, to);
  const gaps = useGaps(unit);
  const [editing, setEditing] = useState<Shift | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const [newPattern, setNewPattern] = useState(false);
  const [importing, setImporting] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: dutyKeys.all });

  const byDate = useMemo(() => {
    const m = new Map<string, Shift[]>();
    for (const s of shifts.data?.items ?? []) m.set(s.date, [...(m.get(s.date) ?? []), s]);
    return m;
  }, [shifts.data]);
  /** the dates (Beijing) touched by a gap of the next 30 days */
  const gapDates = useMemo(() => {
    const s = new Set<string>();
    for (const g of [...(gaps.data?.officer ?? []), ...(gaps.data?.leader ?? [])])
      for (let d = dayjs(g.from); d.isBefore(dayjs(g.to)); d = d.add(1, 'hour')) s.add(d.format('YYYY-MM-DD'));
    return s;
  }, [gaps.data]);
  const officerGaps = gaps.data?.officer ?? [];

  const setQuery = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };

  return (
    <div className="page" data-testid="roster-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('roster.title')}
        </Typography.Title>
        <Select
          style={{ minWidth: 200 }}
          value={unit}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v) => setQuery('unit', v)}
          options={(units.data?.items ?? []).map((u) => ({ value: u.code, label: u.name }))}
          data-testid="roster-unit"
        />
        <DatePicker
          picker="month"
          value={dayjs(from)}
          allowClear={false}
          onChange={(d) => d && setQuery('month', d.format('YYYY-MM'))}
        />
        {manage && (
          <>
            <Button icon={<PlusOutlined />} onClick={() => setNewPattern(true)}>
              {t('roster.newPattern')}
            </Button>
            <Button
              icon={<ThunderboltOutlined />}
              onClick={() => setGenerating(true)}
              disabled={!patterns.data?.items.length}
            >
              {t('roster.generate')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('roster.import')}
            </Button>
          </>
        )}
        <ExportButton path="/duty/shifts/export.xlsx" query={{ unit, month }} fileName={`duty-${unit}-${month}.xlsx`}>
          {t('roster.export')}
        </ExportButton>
      </Space>
      {officerGaps.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="roster-gaps"
          title={t('roster.gaps', { count: officerGaps.reduce((n, g) => n + g.hours, 0) })}
          description={officerGaps
            .slice(0, 5)
            .map((g) => `${dayjs(g.from).format('MM-DD HH:mm')}–${dayjs(g.to).format('MM-DD HH:mm')}`)
            .join('，')}
        />
      )}
      {patterns.data && patterns.data.items.length === 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('roster.noPattern')} />
      )}
      {shifts.error && <Alert type="error" showIcon title={errorMessage(shifts.error)} />}
      <Spin spinning={shifts.isLoading}>
        <Calendar
          value={dayjs(from)}
          headerRender={() => null}
          onSelect={(d, info) => {
            if (info.source === 'date' && manage && d.format('YYYY-MM') === month) setAdding(d.format('YYYY-MM-DD'));
          }}
          cellRender={(d: Dayjs, info) => {
            if (info.type !== 'date') return info.originNode;
            const date = d.format('YYYY-MM-DD');
            const list = byDate.get(date) ?? [];
            return (
              <div className={gapDates.has(date) ? 'duty-day duty-gap' : 'duty-day'} data-testid={`day-${date}`}>
                {list.map((s) => (
                  <Tag
                    key={s.id}
                    color={s.role === 'leader' ? 'purple' : 'blue'}
                    style={{ cursor: manage ? 'pointer' : 'default', marginBottom: 2 }}
                    onClick={(e) => {
                      e.stopPropagation();
                      if (manage) setEditing(s);
                    }}
                  >
                    {s.slotName} {s.user.displayName}
                  </Tag>
                ))}
              </div>
            );
          }}
        />
      </Spin>
      <ShiftModal
        shift={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          refresh();
        }}
      />
      <AddShiftModal
        date={adding}
        unit={unit}
        patterns={patterns.data?.items ?? []}
        onClose={() => setAdding(null)}
        onDone={() => {
          setAdding(null);
          refresh();
        }}
      />
      <Modal
        open={generating}
        title={t('roster.generate')}
        onCancel={() => setGenerating(false)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          initialValues={{ role: 'officer', patternId: patterns.data?.items[0]?.id, replace: false }}
          onFinish={async (v) => {
            try {
              const r = await generateMonth({ unit, month, ...v });
              message.success(t('roster.generated', { count: r.created }));
              setGenerating(false);
              refresh();
            } catch (err) {
              message.error(errorMessage(err));
            }
          }}
        >
          <Form.Item name="patternId" label={t('roster.pattern')} rules={[{ required: true }]}>
            <Select options={(patterns.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="role" label={t('roster.role')}>
            <Radio.Group
              options={[
                { value: 'officer', label: t('role.officer') },
                { value: 'leader', label: t('role.leader') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="rotation"
            label={t('roster.rotation')}
            rules={[{ required: true }]}
            extra={t('roster.rotationHelp')}
          >
            <UserSelect mode="multiple" />
          </Form.Item>
          <Form.Item name="replace" label={t('roster.replace')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('roster.generate')}
          </Button>
        </Form>
      </Modal>
      <Modal
        open={newPattern}
        title={t('roster.newPattern')}
        onCancel={() => setNewPattern(false)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          initialValues={{ preset: 'dayNight', name: t('roster.presetDayNight') }}
          onFinish={async (v: { name: string; preset: keyof typeof PRESETS }) => {
            try {
              await createPattern({ unit, name: v.name, slots: PRESETS[v.preset] });
              setNewPattern(false);
              refresh();
            } catch (err) {
              message.error(errorMessage(err));
            }
          }}
        >
          <Form.Item name="name" label={t('roster.patternName')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="preset" label={t('roster.slots')}>
            <Radio.Group
              options={[
                { value: 'full', label: t('roster.presetFull') },
                { value: 'dayNight', label: t('roster.presetDayNight') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common:save')}
          </Button>
        </Form>
      </Modal>
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="duty/shifts"
        title={t('roster.title')}
        onImported={refresh}
      />
    </div>
  );
}

function ShiftModal({ shift, onClose, onDone }: { shift: Shift | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation('duty');
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  return (
    <Modal
      open={!!shift}
      title={shift ? `${shift.date} ${shift.slotName} · ${t(`role.${shift.role}`)}` : ''}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      {shift && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ userId: shift.user.id, note: shift.note }}
          onFinish={async (v) => {
            try {
              await patchShift(shift.id, { ...v, version: shift.version });
              onDone();
            } catch (err) {
              if (!applyServerError(form, err)) message.error(errorMessage(err));
            }
          }}
        >
          <Typography.Paragraph type="secondary">
            {dayjs(shift.startsAt).format('MM-DD HH:mm')} – {dayjs(shift.endsAt).format('MM-DD HH:mm')} ·{' '}
            {shift.user.displayName}
          </Typography.Paragraph>
          <Form.Item name="userId" label={t('roster.person')}>
            <UserSelect />
          </Form.Item>
          <Form.Item name="note" label={t('roster.note')}>
            <Input maxLength={500} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common:save')}
            </Button>
            <Button
              danger
              onClick={() =>
                modal.confirm({
                  title: t('roster.deleteConfirm'),
                  onOk: async () => {
                    try {
                      await deleteShift(shift.id);
                      onDone();
                    } catch (err) {
                      message.error(errorMessage(err));
                    }
                  },
                })
              }
            >
              {t('roster.delete')}
            </Button>
          </Space>
        </Form>
      )}
    </Modal>
  );
}

function AddShiftModal({
  date,
  unit,
  patterns,
  onClose,
  onDone,
}: {
  date: string | null;
  unit: string;
  patterns: { id: string; name: string; slots: { key: string; name: string }[] }[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('duty');
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const patternId = Form.useWatch('patternId', form) ?? patterns[0]?.id;
  const slots = patterns.find((p) => p.id === patternId)?.slots ?? [];
  return (
    <Modal open={!!date} title={t('roster.add', { date })} onCancel={onClose} footer={null} destroyOnHidden>
      {patterns.length === 0 ? (
        <Alert type="info" showIcon title={t('roster.noPattern')} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ patternId: patterns[0]?.id, slot: patterns[0]?.slots[0]?.key, role: 'officer' }}
          onFinish={async (v) => {
            try {
              await createShift({ unit, date: date as string, ...v });
              onDone();
            } catch (err) {
              if (!applyServerError(form, err)) message.error(errorMessage(err));
            }
          }}
        >
          <Form.Item name="patternId" label={t('roster.pattern')}>
            <Select options={patterns.map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="slot" label={t('roster.slot')} rules={[{ required: true }]}>
            <Select options={slots.map((s) => ({ value: s.key, label: s.name }))} />
          </Form.Item>
          <Form.Item name="role" label={t('roster.role')}>
            <Radio.Group
              options={[
                { value: 'officer', label: t('role.officer') },
                { value: 'leader', label: t('role.leader') },
              ]}
            />
          </Form.Item>
          <Form.Item name="userId" label={t('roster.person')} rules={[{ required: true }]}>
            <UserSelect />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common:save')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}
