import { ImportOutlined, UploadOutlined } from '@ant-design/icons';
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
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkSummary } from '../../../../contracts/geo.ts';
import { ApiError, api } from '../../api/client.ts';
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

interface ImportFiles {
  items: { name: string; bytes: number; modifiedAt: string }[];
  folder: string;
}

interface ImportForm {
  from: 'upload' | 'folder';
  upload?: UploadFile[];
  file?: string;
  name?: string;
  datum: 'wgs84' | 'gcj02';
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Road networks: which one routing uses, earlier imports, and importing a new OSM extract with its progress. */
export function RoadNetworksPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const networks = useQuery({
    queryKey: ['geo', 'networks'],
    queryFn: () => api.get<{ items: NetworkSummary[] }>('/geo/networks'),
  });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [form] = Form.useForm<ImportForm>();
  const from = Form.useWatch('from', form);
  // the server's import folder (ANLAN_IMPORT_DIR): the only files an import may name
  const folder = useQuery({
    queryKey: ['geo', 'import-files'],
    queryFn: () => api.get<ImportFiles>('/geo/networks/import-files'),
    enabled: open && from === 'folder',
  });

  useEffect(() => {
    if (job?.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const j = await api.get<ImportJob>(`/geo/imports/${job.id}`);
        setJob(j);
        if (j.state !== 'running') {
          await qc.invalidateQueries({ queryKey: ['geo'] });
          if (j.state === 'done') void message.success(t('admin.networks.imported', { name: j.name }));
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
    const name = v.name?.trim() || undefined;
    setBusy(true);
    try {
      let j: ImportJob;
      const picked = v.upload?.[0]?.originFileObj;
      if (v.from === 'upload' && picked) {
        // the browser sends the file itself; the server opens no path it is given
        const body = new FormData();
        if (name) body.append('name', name);
        body.append('datum', v.datum);
        body.append('file', picked, picked.name);
        j = await api.upload<ImportJob>('/geo/networks/import', body);
      } else {
        j = await api.post<ImportJob>('/geo/networks/import', { file: v.file, name, datum: v.datum });
      }
      setJob(j);
      setOpen(false);
    } catch (err) {
      // an upload's refusal (too large, not a file) names `file`: it belongs on the file picker
      if (v.from === 'upload' && err instanceof ApiError && err.field === 'file') {
        form.setFields([{ name: 'upload', errors: [err.message] }]);
      } else if (!applyServerError(form, err, ['file', 'name', 'datum'])) report(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<NetworkSummary> = [
    {
      title: t('admin.networks.name'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <Space size={4} wrap>
          <span>{v}</span>
          {r.current && <Tag color="green">{t('admin.networks.current')}</Tag>}
          {r.synthetic && <Tag color="orange">{t('admin.networks.synthetic')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.networks.source'), dataIndex: 'source', ellipsis: true },
    {
      title: t('admin.networks.status'),
      dataIndex: 'status',
      width: 110,
      render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(`admin.networks.statuses.${v}`)}</Tag>,
    },
    {
      title: t('admin.networks.segments'),
      dataIndex: 'segmentCount',
      width: 110,
      align: 'right',
      render: (v: number) => v.toLocaleString(),
    },
    { title: t('admin.networks.createdAt'), dataIndex: 'createdAt', width: 160, render: (v) => formatTime(v) },
    {
      title: t('admin.networks.message'),
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
          {t('admin.networks.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<ImportOutlined />}
          disabled={job?.state === 'running'}
          onClick={() => {
            form.setFieldsValue({ from: 'upload', datum: 'wgs84' });
            setOpen(true);
          }}
        >
          {t('admin.networks.import')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('admin.networks.explain')}</Typography.Paragraph>
      {job && (
        <Alert
          style={{ marginBottom: 12 }}
          type={job.state === 'failed' ? 'error' : job.state === 'done' ? 'success' : 'info'}
          title={
            job.state === 'running'
              ? t('admin.networks.running', {
                  name: job.name,
                  phase: t(`admin.networks.phases.${job.phase}`, job.phase),
                })
              : job.state === 'done'
                ? t('admin.networks.imported', { name: job.name })
                : t('admin.networks.failed', { message: job.error?.message ?? '' })
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
        locale={{ emptyText: t('admin.networks.empty') }}
      />
      <Modal
        open={open}
        title={t('admin.networks.import')}
        okText={busy ? t('admin.networks.uploading') : t('admin.networks.start')}
        okButtonProps={{ loading: busy }}
        cancelText={t('common.cancel')}
        onOk={start}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={start} preserve={false}>
          <Form.Item name="from" label={t('admin.networks.from')}>
            <Radio.Group
              options={[
                { value: 'upload', label: t('admin.networks.fromUpload') },
                { value: 'folder', label: t('admin.networks.fromFolder') },
              ]}
            />
          </Form.Item>
          {from === 'folder' ? (
            <Form.Item
              name="file"
              label={t('admin.networks.folderFile')}
              extra={folder.data ? t('admin.networks.folderHelp', { folder: folder.data.folder }) : undefined}
              rules={[{ required: true, message: t('admin.networks.fileRequired') }]}
            >
              <Select
                loading={folder.isLoading}
                notFoundContent={t('admin.networks.folderEmpty')}
                options={(folder.data?.items ?? []).map((f) => ({
                  value: f.name,
                  label: `${f.name} · ${megabytes(f.bytes)} · ${formatTime(f.modifiedAt)}`,
                }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="upload"
              label={t('admin.networks.file')}
              extra={t('admin.networks.fileHelp')}
              valuePropName="fileList"
              getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
              rules={[{ required: true, message: t('admin.networks.fileRequired') }]}
            >
              <Upload accept=".pbf,.osm,.xml" maxCount={1} beforeUpload={() => false}>
                <Button icon={<UploadOutlined />}>{t('admin.networks.choose')}</Button>
              </Upload>
            </Form.Item>
          )}
          <Form.Item name="name" label={t('admin.networks.name')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="datum" label={t('admin.networks.datum')} extra={t('admin.networks.datumHelp')}>
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
