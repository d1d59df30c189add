import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
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
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  CONSULTATION_KIND_INFO,
  CONSULTATION_KINDS,
  CONSULTATION_STATUS_INFO,
  CONSULTATION_STATUSES,
  type Consultation,
  type ConsultationInput,
  type DueAssessment,
} from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { consultationKeys, useConsultations, useDue } from './experts-api.ts';
import { ConsultationStatusTag, localTime, nameIn, useLang } from './labels.tsx';

const DUE_COLOR = { due: 'blue', overdue: 'red', planned: 'orange', done: 'green' } as const;

/** Consultations: what periodic assessments are due, the sessions (filtered in the address), a new one. */
export function ConsultationsPage() {
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    ['q', 'kind', 'status'].map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  ) as Record<string, string | undefined>;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const list = useConsultations(filters, 20, (page - 1) * 20);
  const due = useDue();
  const manage = can(user, 'consultations.manage');
  const [creating, setCreating] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();

  const start = async (d: DueAssessment) => {
    try {
      const c = await api.post<Consultation>('/consultations/from-template', {
        template: d.template,
        period: d.period,
      });
      void qc.invalidateQueries({ queryKey: consultationKeys.all });
      navigate(`/consultations/${c.id}`);
    } catch (err) {
      report(err, { refetch: consultationKeys.all });
    }
  };

  const columns: TableColumnsType<Consultation> = [
    { title: t('consult.startsAt'), dataIndex: 'startsAt', width: 150, render: (v: string) => localTime(v) },
    {
      title: t('consult.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('consult.kind'),
      dataIndex: 'kind',
      width: 140,
      render: (k: Consultation['kind']) => nameIn(CONSULTATION_KIND_INFO[k], lang),
    },
    {
      title: t('consult.linked'),
      key: 'linked',
      width: 200,
      ellipsis: true,
      render: (_: unknown, r) => r.incident?.number || r.warning?.number || '—',
    },
    {
      title: t('consult.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: Consultation['status']) => <ConsultationStatusTag status={s} />,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.consultations')}
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          {manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="new-consultation"
            >
              {t('consult.new')}
            </Button>
          )}
        </Space>
      </div>
      <Card size="small" title={t('due.title')} style={{ marginBottom: 16 }}>
        <Alert type="info" showIcon title={t('due.assumption')} style={{ marginBottom: 8 }} />
        {due.isError ? (
          <Alert type="error" title={errorMessage(due.error)} />
        ) : (
          <Table<DueAssessment>
            rowKey={(r) => `${r.template}:${r.period}`}
            size="small"
            loading={due.isLoading}
            dataSource={due.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('due.none')} /> }}
            columns={[
              {
                title: t('due.template'),
                key: 'n',
                render: (_: unknown, r) => (lang === 'en' ? r.templateNameEn : r.templateName),
              },
              { title: t('due.period'), dataIndex: 'period', width: 180 },
              { title: t('due.dueOn'), dataIndex: 'dueOn', width: 120 },
              {
                title: t('due.state'),
                dataIndex: 'state',
                width: 100,
                render: (s: DueAssessment['state']) => <Tag color={DUE_COLOR[s]}>{t(`due.states.${s}`)}</Tag>,
              },
              {
                title: '',
                key: 'a',
                width: 130,
                render: (_: unknown, r) =>
                  r.consultationId ? (
                    <Button size="small" type="link" onClick={() => navigate(`/consultations/${r.consultationId}`)}>
                      {t('due.open')}
                    </Button>
                  ) : manage ? (
                    <Button size="small" onClick={() => void start(r)} data-testid="from-template">
                      {t('due.start')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <div className="filter-bar">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q, page: undefined })}
          placeholder={t('consult.search')}
          width={220}
          testId="consultation-search"
        />
        <Select
          allowClear
          placeholder={t('consult.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v, page: undefined })}
          options={CONSULTATION_KINDS.map((k) => ({ value: k, label: nameIn(CONSULTATION_KIND_INFO[k], lang) }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t('consult.status')}
          value={filters.status}
          onChange={(v) => update({ status: v, page: undefined })}
          options={CONSULTATION_STATUSES.map((k) => ({ value: k, label: nameIn(CONSULTATION_STATUS_INFO[k], lang) }))}
          style={{ width: 120 }}
        />
      </div>
      <Table<Consultation>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/consultations/${r.id}`),
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'consultation-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : t('consult.empty')}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
        }}
      />
      <NewConsultationDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          void qc.invalidateQueries({ queryKey: consultationKeys.all });
          navigate(`/consultations/${c.id}`);
        }}
      />
    </div>
  );
}

interface NewValues {
  title: string;
  kind: ConsultationInput['kind'];
  startsAt: dayjs.Dayjs;
  place?: string;
  link?: string;
  incidentId?: string;
  warningId?: string;
  agenda?: string;
}

function NewConsultationDrawer({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (c: Consultation) => void;
}) {
  const { t } = useTranslation('experts');
  const lang = useLang();
  const [form] = Form.useForm<NewValues>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const kind = Form.useWatch('kind', form);
  const submit = async () => {
    const v = await form.validateFields();
    const body: ConsultationInput = {
      title: v.title,
      kind: v.kind,
      startsAt: v.startsAt.toISOString(),
      place: v.place ?? '',
      link: v.link ?? '',
      agenda: (v.agenda ?? '')
        .split('\n')
        .map((a) => a.trim())
        .filter(Boolean),
      ...(v.kind === 'incident' && v.incidentId?.trim() ? { incidentId: v.incidentId.trim() } : {}),
      ...(v.kind === 'warning' && v.warningId?.trim() ? { warningId: v.warningId.trim() } : {}),
    };
    setBusy(true);
    try {
      const c = await api.post<Consultation>('/consultations', body);
      onSaved(c);
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
      title={t('consult.new')}
      size={520}
      destroyOnHidden
      footer={
        <DrawerFooter
          note=""
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="consultation-save"
        />
      }
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'incident' }}>
        <Form.Item name="title" label={t('consult.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="consultation-title" />
        </Form.Item>
        <Form.Item name="kind" label={t('consult.kind')} rules={[{ required: true }]}>
          <Select
            options={CONSULTATION_KINDS.map((k) => ({ value: k, label: nameIn(CONSULTATION_KIND_INFO[k], lang) }))}
          />
        </Form.Item>
        {kind === 'incident' && (
          <Form.Item
            name="incidentId"
            label={t('consult.incidentId')}
            rules={[{ required: true }]}
            extra={t('consult.idHelp')}
          >
            <Input />
          </Form.Item>
        )}
        {kind === 'warning' && (
          <Form.Item
            name="warningId"
            label={t('consult.warningId')}
            rules={[{ required: true }]}
            extra={t('consult.idHelp')}
          >
            <Input />
          </Form.Item>
        )}
        <Form.Item name="startsAt" label={t('consult.startsAt')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="place" label={t('consult.place')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="link" label={t('consult.link')} rules={[{ max: 500 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="agenda" label={t('consult.agenda')} extra={t('consult.onePerLine')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
