import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  DANGER_CATEGORIES,
  DANGER_GRADES,
  INSPECTION_KIND_INFO,
  INSPECTION_KINDS,
  type Inspection,
  type InspectionInput,
} from '../../../../contracts/dangers.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { dangerKeys, useInspections } from './dangers-api.ts';
import { GradeTag, useDangerNames } from './labels.tsx';
import { EnterpriseSelect } from './report-drawer.tsx';

type Values = Omit<InspectionInput, 'date' | 'inspectorNames'> & { date: dayjs.Dayjs; inspectorNames?: string };

/** Record an inspection: its enterprise, day, inspectors and kind, and one row per finding (each becomes a danger). */
function InspectionDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const user = useCurrentUser();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const submit = async () => {
    const v = await form.validateFields();
    const body: InspectionInput = {
      ...v,
      date: v.date.format('YYYY-MM-DD'),
      inspectorIds: user.id ? [user.id] : [],
      inspectorNames: (v.inspectorNames ?? '')
        .split(/[,，、;\n]+/)
        .map((x) => x.trim())
        .filter(Boolean),
      findings: v.findings ?? [],
    };
    setBusy(true);
    try {
      await api.post<Inspection>('/inspections', body);
      void qc.invalidateQueries({ queryKey: ['inspections'] });
      void qc.invalidateQueries({ queryKey: dangerKeys.all });
      form.resetFields();
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) report(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('insp.newTitle')}
      size={880}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('insp.note')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="inspection-save"
        />
      }
    >
      <Form form={form} layout="vertical" initialValues={{ date: dayjs(), kind: 'routine', findings: [] }}>
        <Form.Item
          name="enterpriseId"
          label={t('field.enterprise')}
          rules={[{ required: true, message: t('step.required') }]}
        >
          <EnterpriseSelect />
        </Form.Item>
        <Space wrap>
          <Form.Item name="date" label={t('insp.date')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="kind" label={t('insp.kind')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={INSPECTION_KINDS.map((k) => ({ value: k, label: INSPECTION_KIND_INFO[k][names.lang] }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="inspectorNames"
          label={t('insp.inspectors')}
          extra={t('insp.inspectorsExtra', { name: user.displayName })}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="basis" label={t('insp.basis')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Typography.Title level={5}>{t('insp.findings')}</Typography.Title>
        <Form.List name="findings">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap className="finding-row" data-testid="finding-row">
                  <Form.Item name={[f.name, 'description']} rules={[{ required: true, message: t('step.required') }]}>
                    <Input placeholder={t('insp.finding')} style={{ width: 230 }} maxLength={2000} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'category']} initialValue="management">
                    <Select
                      style={{ width: 130 }}
                      options={DANGER_CATEGORIES.map((c) => ({ value: c, label: names.category(c) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'grade']} initialValue="general">
                    <Select
                      style={{ width: 110 }}
                      options={DANGER_GRADES.map((g) => ({ value: g, label: names.grade(g) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'location']}>
                    <Input placeholder={t('insp.where')} style={{ width: 110 }} maxLength={500} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'legalBasis']}>
                    <Input placeholder={t('insp.legalBasis')} style={{ width: 130 }} maxLength={1000} />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('insp.removeFinding')}
                  />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block data-testid="add-finding">
                {t('insp.addFinding')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="conclusion" label={t('insp.conclusion')} style={{ marginTop: 16 }}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** Inspections (执法检查): the list with their findings and the dangers they became, the export, a new one. */
export function InspectionsPage() {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const user = useCurrentUser();
  const { filters, size, offset, update, pagination } = useRegisterParams(['q', 'kind', 'enterpriseId'] as const);
  const list = useInspections(filters, size, offset);
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<Inspection> = [
    {
      title: t('field.number'),
      dataIndex: 'number',
      width: 150,
      render: (v: string) => <span className="mono">{v}</span>,
    },
    { title: t('insp.date'), dataIndex: 'date', width: 110 },
    {
      title: t('field.enterprise'),
      key: 'enterprise',
      render: (_: unknown, r) => (
        <span className="cell-title">
          {r.enterprise.name}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('insp.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: Inspection['kind']) => INSPECTION_KIND_INFO[k][names.lang],
    },
    {
      title: t('insp.inspectors'),
      key: 'inspectors',
      width: 200,
      render: (_: unknown, r) => r.inspectors.map((x) => x.name).join('、'),
    },
    {
      title: t('insp.findings'),
      key: 'findings',
      render: (_: unknown, r) =>
        r.findings.length ? (
          <Space wrap size={4}>
            {r.findings.map((f) => (
              <Link key={f.dangerId} to={`/dangers/${f.dangerId}`}>
                <Tag>{f.dangerNumber}</Tag>
              </Link>
            ))}
            {r.findings.some((f) => f.grade === 'major') && <GradeTag grade="major" />}
          </Space>
        ) : (
          <span className="muted">{t('insp.noFindings')}</span>
        ),
    },
    { title: t('insp.conclusion'), dataIndex: 'conclusion', ellipsis: true },
  ];
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.inspections')}
        </Typography.Title>
        <Space wrap>
          <ExportButton
            path="/inspections/export.xlsx"
            query={{ ...filters }}
            fileName="inspections.xlsx"
            disabled={!list.data?.total}
            testId="export-inspections"
          >
            {t('list.export')}
          </ExportButton>
          {can(user, 'inspections.manage') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="new-inspection"
            >
              {t('insp.new')}
            </Button>
          )}
        </Space>
      </div>
      <div className="filter-bar">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('insp.search')}
          width={230}
          testId="inspection-search"
        />
        <Select
          allowClear
          placeholder={t('insp.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v })}
          options={INSPECTION_KINDS.map((k) => ({ value: k, label: INSPECTION_KIND_INFO[k][names.lang] }))}
          style={{ width: 130 }}
        />
      </div>
      <Table<Inspection>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : t('insp.empty')}
            />
          ),
        }}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1000 }}
      />
      <InspectionDrawer open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
