import { ImportOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Progress,
  Radio,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkSummary } from '../../../../contracts/geo.ts';
import { api } from '../../api/client.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';

interface ImportJob {
  id: string;
  name: string;
  state: 'running' | 'done' | 'failed';
  phase: string;
  done: number;
  total: number;
  error: { code: string; message: string } | null;
}

const STATUS_COLOR: Record<string, string> = { ready: 'green', building: 'blue', retired: 'default', failed: 'red' };

/** Road networks: which one routing uses, earlier imports, and importing a new OSM extract with its progress. */
export function RoadNetworksPage() {
  const { t } = useTranslation('geo');
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const networks = useQuery({
    queryKey: ['geo', 'networks'],
    queryFn: () => api.get<{ items: NetworkSummary[] }>('/geo/networks'),
  });
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [form] = Form.useForm<{ file: string; name?: string; datum: 'wgs84' | 'gcj02' }>();

  useEffect(() => {
    if (job?.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const j = await api.get<ImportJob>(`/geo/imports/${job.id}`);
        setJob(j);
        if (j.state !== 'running') {
          await qc.invalidateQueries({ queryKey: ['geo'] });
          if (j.state === 'done') void message.success(t('networks.imported', { name: j.name }));
        }
      } catch (err) {
        report(err);
        setJob(null);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [job, qc, message, report, t]);

  const start = async () => {
    const v = await form.validateFields();
    try {
      const j = await api.post<ImportJob>('/geo/networks/import', {
        file: v.file.trim(),
        name: v.name?.trim() || undefined,
        datum: v.datum,
      });
      setJob(j);
      setOpen(false);
    } catch (err) {
      if (!applyServerError(form, err, ['file', 'name', 'datum'])) report(err);
    }
  };

  const columns: TableColumnsType<NetworkSummary> = [
    {
      title: t('networks.name'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <Space size={4} wrap>
          <span>{v}</span>
          {r.current && <Tag color="green">{t('networks.current')}</Tag>}
          {r.synthetic && <Tag color="orange">{t('networks.synthetic')}</Tag>}
        </Space>
      ),
    },
    { title: t('networks.source'), dataIndex: 'source', ellipsis: true },
    {
      title: t('networks.status'),
      dataIndex: 'status',
      width: 110,
      render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(`networks.statuses.${v}`)}</Tag>,
    },
    {
      title: t('networks.segments'),
      dataIndex: 'segmentCount',
      width: 110,
      align: 'right',
      render: (v: number) => v.toLocaleString(),
    },
    { title: t('networks.createdAt'), dataIndex: 'createdAt', width: 160, render: (v) => formatTime(v) },
    {
      title: t('networks.message'),
      dataIndex: 'message',
      ellipsis: true,
      render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : null),
    },
  ];

  const pct = job && job.total > 0 ? Math.floor((100 * job.done) / job.total) : 0;
  return (
    <div className="page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('networks.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<ImportOutlined />}
          disabled={job?.state === 'running'}
          onClick={() => {
            form.setFieldsValue({ datum: 'wgs84' });
            setOpen(true);
          }}
        >
          {t('networks.import')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('networks.explain')}</Typography.Paragraph>
      {job && (
        <Alert
          style={{ marginBottom: 12 }}
          type={job.state === 'failed' ? 'error' : job.state === 'done' ? 'success' : 'info'}
          title={
            job.state === 'running'
              ? t('networks.running', {
                  name: job.name,
                  phase: t(`networks.phases.${job.phase}`, job.phase),
                })
              : job.state === 'done'
                ? t('networks.imported', { name: job.name })
                : t('networks.failed', { message: job.error?.message ?? '' })
          }
          description={job.state === 'running' ? <Progress percent={pct} size="small" /> : undefined}
          closable={job.state !== 'running'}
          onClose={() => setJob(null)}
        />
      )}
      <Table<NetworkSummary>
        rowKey="id"
        size="small"
        loading={networks.isLoading}
        dataSource={networks.data?.items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('networks.empty') }}
      />
      <Modal
        open={open}
        title={t('networks.import')}
        okText={t('networks.start')}
        cancelText={t('common:cancel')}
        onOk={start}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={start}>
          <Form.Item
            name="file"
            label={t('networks.file')}
            extra={t('networks.fileHelp')}
            rules={[{ required: true, whitespace: true, message: t('networks.fileRequired') }]}
          >
            <Input autoFocus placeholder="/srv/osm/weihai.osm.pbf" />
          </Form.Item>
          <Form.Item name="name" label={t('networks.name')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="datum" label={t('networks.datum')} extra={t('networks.datumHelp')}>
            <Radio.Group
              options={[
                { value: 'wgs84', label: 'WGS-84 (OpenStreetMap)' },
                { value: 'gcj02', label: 'GCJ-02' },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
