import { ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Draw, DrawInput, DrawSummary } from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { expertKeys, useDraws } from './experts-api.ts';
import { FieldSelect, FieldTags, localTime } from './labels.tsx';

interface Values {
  fields: string[];
  count: number;
  excludeOrganisations?: string[];
  purpose: string;
  incidentId?: string;
}

/** The draw: choose fields, count and avoidance; the past draws below, each with its record. */
export function DrawsPage() {
  const { t } = useTranslation('experts');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const draws = useDraws();
  const mayDraw = can(user, 'experts.draw');

  const submit = async () => {
    const v = await form.validateFields();
    const body: DrawInput = {
      fields: v.fields,
      count: v.count,
      purpose: v.purpose,
      excludeOrganisations: (v.excludeOrganisations ?? []).map((o) => o.trim()).filter(Boolean),
      ...(v.incidentId?.trim() ? { incidentId: v.incidentId.trim() } : {}),
    };
    setBusy(true);
    try {
      const d = await api.post<Draw>('/experts/draws', body);
      void qc.invalidateQueries({ queryKey: expertKeys.draws });
      navigate(`/experts/draws/${d.id}`);
    } catch (err) {
      if (!applyServerError(form, err)) report(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<DrawSummary> = [
    { title: t('draw.at'), dataIndex: 'drawnAt', width: 150, render: (v: string) => localTime(v) },
    { title: t('draw.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('field.fields'), dataIndex: 'fields', render: (f: string[]) => <FieldTags fields={f} /> },
    { title: t('draw.count'), dataIndex: 'count', width: 70, align: 'right' },
    {
      title: t('draw.replies'),
      key: 'replies',
      width: 190,
      render: (_: unknown, r) =>
        t('draw.repliesSummary', { accepted: r.accepted, declined: r.declined, invited: r.invited }),
    },
    { title: t('draw.rounds'), dataIndex: 'rounds', width: 70, align: 'right' },
    { title: t('draw.by'), dataIndex: 'drawnBy', width: 110 },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.draws')}
        </Typography.Title>
      </div>
      {mayDraw && (
        <Card title={t('draw.newTitle')} style={{ marginBottom: 16 }}>
          <Alert type="info" showIcon title={t('draw.how')} style={{ marginBottom: 12 }} />
          <Form form={form} layout="vertical" initialValues={{ count: 3 }} style={{ maxWidth: 720 }}>
            <Form.Item
              name="fields"
              label={t('field.fields')}
              rules={[{ required: true }]}
              extra={t('draw.fieldsHelp')}
            >
              <FieldSelect testId="draw-fields" />
            </Form.Item>
            <Form.Item name="count" label={t('draw.count')} rules={[{ required: true }]}>
              <InputNumber min={1} max={50} data-testid="draw-count" />
            </Form.Item>
            <Form.Item name="excludeOrganisations" label={t('draw.avoid')} extra={t('draw.avoidHelp')}>
              <Select mode="tags" tokenSeparators={['、', ',', '，', ';']} open={false} data-testid="draw-avoid" />
            </Form.Item>
            <Form.Item name="purpose" label={t('draw.purpose')} rules={[{ required: true, max: 500 }]}>
              <Input data-testid="draw-purpose" />
            </Form.Item>
            <Form.Item name="incidentId" label={t('draw.incidentId')} extra={t('draw.incidentHelp')}>
              <Input placeholder="0190…" />
            </Form.Item>
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={busy}
              onClick={() => void submit()}
              data-testid="draw-submit"
            >
              {t('draw.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Table<DrawSummary>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={draws.data?.items ?? []}
        loading={draws.isLoading}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/experts/draws/${r.id}`),
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'draw-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={draws.isError ? errorMessage(draws.error) : t('draw.empty')}
            />
          ),
        }}
        pagination={false}
      />
    </div>
  );
}
