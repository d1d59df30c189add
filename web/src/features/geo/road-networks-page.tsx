import { ImportOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
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
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Datum, ImportJob, NetworkSummary } from '../../api/contracts.ts';
import {
  geoKeys,
  getImportJob,
  importNetworkFromFolder,
  importNetworkUpload,
  useImportFiles,
  useNetworks,
} from '../../api/geo.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { ImportReport } from './import-report.tsx';

const STATUS_COLOR: Record<string, string> = { ready: 'green', building: 'blue', retired: 'default', failed: 'red' };

/** 1.2 MB, 830 KB */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Road networks: which one routing uses, earlier imports, and importing a new OSM extract with its progress. */
export function RoadNetworksPage() {
  const { t } = useTranslation('geo');
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const networks = useNetworks();
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);

  useEffect(() => {
    if (job?.state !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const j = await getImportJob(job.id);
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
          onClick={() => setOpen(true)}
          data-testid="network-import"
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
          description={
            job.state === 'running' ? (
              <Progress percent={pct} size="small" />
            ) : job.state === 'done' ? (
              <ImportReport stats={job.stats} />
            ) : undefined
          }
          closable={job.state !== 'running'}
          onClose={() => setJob(null)}
          data-testid="network-import-job"
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
      <ImportModal
        open={open}
        onClose={() => setOpen(false)}
        onStarted={(j) => {
          setJob(j);
          setOpen(false);
          void qc.invalidateQueries({ queryKey: geoKeys.networks });
        }}
      />
    </div>
  );
}

interface Values {
  from: 'upload' | 'folder';
  folderFile?: string;
  name?: string;
  datum: Datum;
}

/**
 * Import an OSM extract: a file uploaded from this computer (with the upload's progress), or one an operator put
 * into the server's import folder. The server's refusals are shown as it words them.
 */
function ImportModal({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (job: ImportJob) => void;
}) {
  const { t } = useTranslation('geo');
  const [form] = Form.useForm<Values>();
  const from = Form.useWatch('from', form) ?? 'upload';
  const [file, setFile] = useState<File | null>(null);
  const [fileMissing, setFileMissing] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const uploading = useRef<AbortController | null>(null);
  const files = useImportFiles(open && from === 'folder');

  const start = async () => {
    if (from === 'upload' && !file) setFileMissing(true);
    // (the form marks what is missing)
    const v = await form.validateFields().catch(() => null);
    if (!v || (v.from === 'upload' && !file)) return;
    setError(null);
    setBusy(true);
    const name = v.name?.trim() || undefined;
    try {
      let job: ImportJob;
      if (v.from === 'upload' && file) {
        uploading.current = new AbortController();
        setSent(0);
        job = await importNetworkUpload(file, { name, datum: v.datum }, setSent, uploading.current.signal);
      } else job = await importNetworkFromFolder({ file: v.folderFile ?? '', name, datum: v.datum });
      onStarted(job);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      if (!applyServerError(form, err, ['name', 'datum'])) setError(errorMessage(err));
    } finally {
      uploading.current = null;
      setSent(null);
      setBusy(false);
    }
  };

  const cancel = () => {
    uploading.current?.abort();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('networks.import')}
      okText={t('networks.start')}
      cancelText={t('common:cancel')}
      onOk={start}
      okButtonProps={{ loading: busy }}
      onCancel={cancel}
      afterClose={() => {
        form.resetFields();
        setFile(null);
        setFileMissing(false);
        setError(null);
      }}
      width={560}
      data-testid="network-import-modal"
    >
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="network-import-error" />
      )}
      <Form form={form} layout="vertical" initialValues={{ from: 'upload', datum: 'wgs84' }}>
        <Form.Item name="from" label={t('networks.from')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            disabled={busy}
            options={[
              { value: 'upload', label: t('networks.fromUpload') },
              { value: 'folder', label: t('networks.fromFolder') },
            ]}
            onChange={() => setError(null)}
          />
        </Form.Item>
        {from === 'upload' ? (
          <Form.Item
            label={t('networks.file')}
            required
            validateStatus={fileMissing ? 'error' : undefined}
            help={fileMissing ? t('networks.fileRequired') : undefined}
          >
            <Upload.Dragger
              accept=".pbf,.osm"
              multiple={false}
              disabled={busy}
              beforeUpload={(f) => {
                setFile(f);
                setFileMissing(false);
                setError(null);
                // kept here and sent on "start import", with the name and datum
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={
                file
                  ? [
                      {
                        uid: 'chosen',
                        name: `${file.name} (${formatBytes(file.size)})`,
                        status: sent === null ? 'done' : 'uploading',
                        percent: sent === null ? undefined : Math.floor(sent * 100),
                      },
                    ]
                  : []
              }
              data-testid="network-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('networks.drop')}</p>
              <p className="ant-upload-hint">{t('networks.dropHint')}</p>
            </Upload.Dragger>
            {sent !== null && (
              <div className="muted small" data-testid="network-upload-progress">
                {sent < 1 ? t('networks.uploading', { percent: Math.floor(sent * 100) }) : t('networks.uploaded')}
              </div>
            )}
          </Form.Item>
        ) : (
          <>
            {files.isError && (
              <Alert
                type="error"
                showIcon
                title={t('networks.folderFailed', { message: errorMessage(files.error) })}
                style={{ marginBottom: 12 }}
              />
            )}
            <Form.Item
              name="folderFile"
              label={t('networks.folderFile')}
              extra={files.data ? t('networks.folderHelp', { folder: files.data.folder }) : undefined}
              rules={[{ required: true, message: t('networks.folderFileRequired') }]}
            >
              <Select
                loading={files.isFetching}
                disabled={busy}
                notFoundContent={files.isFetching ? undefined : t('networks.folderEmpty')}
                options={(files.data?.items ?? []).map((f) => ({
                  value: f.name,
                  label: (
                    <span>
                      {f.name}{' '}
                      <span className="muted small">
                        {formatBytes(f.bytes)} · {formatTime(f.modifiedAt)}
                      </span>
                    </span>
                  ),
                }))}
                data-testid="network-folder-file"
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="name" label={t('networks.name')}>
          <Input maxLength={200} disabled={busy} />
        </Form.Item>
        <Form.Item name="datum" label={t('networks.datum')} extra={t('networks.datumHelp')}>
          <Radio.Group
            disabled={busy}
            options={[
              { value: 'wgs84', label: 'WGS-84 (OpenStreetMap)' },
              { value: 'gcj02', label: 'GCJ-02' },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
