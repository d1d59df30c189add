/**
 * The import dialog every registry uses: choose a file (or drop it), check it (a dry run that writes nothing), read
 * the errors by row and column (and download them), import all rows in one go with a progress bar, done.
 */
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Radio, Result, Space, Steps, Table, Typography, Upload } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Datum,
  downloadImportTemplate,
  errorsCsv,
  type ImportMode,
  type ImportReport,
  type ImportRowError,
  type Job,
  uploadImport,
  uploadTo,
  waitForJob,
} from '../api/imports.ts';
import { errorMessage } from './errors.tsx';

export interface ImportDialogProps {
  open: boolean;
  onClose: () => void;
  /** the registry's path under /api/v1 (`incidents`) */
  registry: string;
  /** the register's name, in the UI language */
  title: string;
  /** after a commit, with the number of records written and the report */
  onImported?: (count: number, report: ImportReport) => void;
  /**
   * An upload that is not a register's (`/census/layers/import`): where it goes, what else it sends (`extra`, or
   * null while its fields are not filled in: nothing can be checked), the datums it offers, the files it takes and
   * their description, whether a template exists, fields above the file and a note below the report.
   */
  upload?: {
    path: string;
    extra: Record<string, string> | null;
    datums?: readonly string[];
    accept?: string;
    formats?: ReactNode;
    template?: boolean;
    fields?: ReactNode;
    note?: (report: ImportReport) => ReactNode;
  };
}

type Stage = 'choose' | 'checking' | 'checked' | 'committing' | 'done';

const ACCEPT = '.xlsx,.csv,.txt,.geojson,.json';

export function ImportDialog({ open, onClose, registry, title, onImported, upload }: ImportDialogProps) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [datum, setDatum] = useState<string>('wgs84');
  const [stage, setStage] = useState<Stage>('choose');
  const [job, setJob] = useState<Job | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const checkButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) {
      abort.current?.abort();
      setFile(null);
      setStage('choose');
      setJob(null);
      setReport(null);
      setFailure(null);
    }
  }, [open]);
  useEffect(() => () => abort.current?.abort(), []);
  // a report is about the file as sent: other parameters (a census layer's kind) need a new check
  const extraKey = JSON.stringify(upload?.extra ?? null);
  useEffect(() => {
    void extraKey;
    setReport(null);
    setStage((s) => (s === 'checked' ? 'choose' : s));
  }, [extraKey]);

  const run = async (mode: ImportMode) => {
    if (!file) return;
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setFailure(null);
    setStage(mode === 'dry-run' ? 'checking' : 'committing');
    try {
      const started = upload
        ? await uploadTo(upload.path, file, { ...upload.extra, mode, datum })
        : await uploadImport(registry, file, mode, datum as Datum);
      const end = await waitForJob(started, setJob, ctrl.signal);
      if (end.state === 'failed') throw new Error(end.error?.message ?? 'failed');
      const r = end.result as ImportReport;
      setReport(r);
      if (mode === 'commit' && r.imported > 0) {
        setStage('done');
        onImported?.(r.imported, r);
      } else setStage('checked');
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setFailure(errorMessage(err));
      setStage(report && mode === 'commit' ? 'checked' : 'choose');
    }
  };

  const choose = (f: File) => {
    setFile(f);
    setReport(null);
    setFailure(null);
    setStage('choose');
    // the next step is one key away
    setTimeout(() => checkButton.current?.focus(), 0);
    return false;
  };

  const downloadErrors = () => {
    if (!report) return;
    const blob = errorsCsv(report.errors, [
      t('import.col.row'),
      t('import.col.column'),
      t('import.col.code'),
      t('import.col.message'),
    ]);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${file?.name.replace(/\.[^.]+$/, '') ?? registry}-${t('import.errorsFileSuffix')}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const busy = stage === 'checking' || stage === 'committing';
  const ready = !!file && (!upload || upload.extra !== null);
  const datums = upload?.datums ?? ['wgs84', 'gcj02'];
  const clean = report && report.errorCount === 0 && report.rows > 0;
  // a file with errors stays at the check; a clean one waits at the import
  const current = { choose: 0, checking: 1, checked: clean ? 2 : 1, committing: 2, done: 3 }[stage];
  const stepStatus = stage === 'checked' && !clean ? 'error' : undefined;
  const pct = job && job.total > 0 ? Math.floor((100 * job.done) / job.total) : 0;

  const footer =
    stage === 'done' ? (
      <Button type="primary" onClick={onClose} data-testid="import-close">
        {t('import.close')}
      </Button>
    ) : (
      <Space>
        <Button onClick={onClose}>{t('common:cancel')}</Button>
        <Button
          ref={checkButton}
          disabled={!ready || busy}
          loading={stage === 'checking'}
          type={clean ? 'default' : 'primary'}
          onClick={() => run('dry-run')}
          data-testid="import-check"
        >
          {report ? t('import.checkAgain') : t('import.check')}
        </Button>
        <Button
          type="primary"
          disabled={!clean || busy}
          loading={stage === 'committing'}
          onClick={() => run('commit')}
          data-testid="import-commit"
        >
          {clean ? t('import.commitCount', { count: report.rows }) : t('import.commit')}
        </Button>
      </Space>
    );

  return (
    <Modal
      open={open}
      title={t('import.title', { name: title })}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      mask={{ closable: false }}
      keyboard={!busy}
      width={820}
      footer={footer}
      styles={{ body: { maxHeight: 'calc(100vh - 240px)', overflowY: 'auto' } }}
      destroyOnHidden
    >
      <Steps
        size="small"
        current={current}
        status={stepStatus}
        style={{ margin: '8px 0 20px' }}
        items={[
          { title: t('import.step.choose') },
          { title: t('import.step.check') },
          { title: t('import.step.commit') },
          { title: t('import.step.done') },
        ]}
      />
      {stage === 'done' && report ? (
        <Result
          status="success"
          title={t('import.doneTitle', { count: report.imported })}
          subTitle={t('import.doneSub', { name: report.file.name })}
          data-testid="import-done"
        />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {upload?.fields}
          <Upload.Dragger
            accept={upload?.accept ?? ACCEPT}
            multiple={false}
            showUploadList={false}
            beforeUpload={choose}
            disabled={busy}
            data-testid="import-drop"
          >
            <p className="ant-upload-drag-icon">{file ? <FileExcelOutlined /> : <InboxOutlined />}</p>
            <p className="ant-upload-text">
              {file ? (
                <span data-testid="import-file">
                  {file.name} · {formatSize(file.size)}
                </span>
              ) : (
                t('import.drop')
              )}
            </p>
            <p className="ant-upload-hint">
              {file ? t('import.dropAnother') : (upload?.formats ?? t('import.formats'))}
            </p>
          </Upload.Dragger>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Space>
              <Typography.Text type="secondary">{t('import.datum')}</Typography.Text>
              <Radio.Group
                value={datum}
                onChange={(e) => {
                  setDatum(e.target.value);
                  setReport(null);
                }}
                disabled={busy}
                optionType="button"
                size="small"
                options={datums.map((d) => ({ value: d, label: t(`import.${d}`) }))}
                data-testid="import-datum"
              />
            </Space>
            <Space size={4} style={upload?.template === false ? { display: 'none' } : undefined}>
              <Typography.Text type="secondary">{t('import.template')}</Typography.Text>
              <Button
                size="small"
                type="link"
                icon={<DownloadOutlined />}
                onClick={() => downloadImportTemplate(registry, 'xlsx').catch((e) => setFailure(errorMessage(e)))}
                data-testid="import-template-xlsx"
              >
                Excel
              </Button>
              <Button
                size="small"
                type="link"
                icon={<DownloadOutlined />}
                onClick={() => downloadImportTemplate(registry, 'csv').catch((e) => setFailure(errorMessage(e)))}
              >
                CSV
              </Button>
            </Space>
          </Space>
          {failure && <Alert type="error" showIcon title={failure} data-testid="import-failure" />}
          {busy && (
            <div aria-live="polite">
              <Typography.Text>
                {stage === 'checking'
                  ? t('import.checking')
                  : t(`import.phase.${job?.phase === 'write' ? 'write' : 'check'}`)}
                {job && job.total > 0 ? ` ${job.done} / ${job.total}` : ''}
              </Typography.Text>
              <Progress percent={pct} status="active" data-testid="import-progress" />
            </div>
          )}
          {report && !busy && <ReportView report={report} onDownload={downloadErrors} />}
          {report && !busy && upload?.note?.(report)}
        </Space>
      )}
    </Modal>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ReportView({ report, onDownload }: { report: ImportReport; onDownload: () => void }) {
  const { t } = useTranslation();
  const bad = report.errorCount > 0;
  const summary = t('import.summary', { rows: report.rows, accepted: report.accepted, errors: report.errorCount });
  return (
    <div data-testid="import-report">
      {bad ? (
        <Alert
          type="error"
          showIcon
          title={summary}
          description={report.mode === 'commit' ? t('import.commitRefused') : t('import.fixAndRetry')}
          action={
            <Button size="small" icon={<DownloadOutlined />} onClick={onDownload} data-testid="import-download-errors">
              {t('import.downloadErrors')}
            </Button>
          }
        />
      ) : (
        <Alert type="success" showIcon title={summary} description={t('import.readyToCommit')} />
      )}
      {bad && (
        <>
          {report.errors.length < report.errorCount && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('import.moreErrors', { shown: report.errors.length, count: report.errorCount })}
            </Typography.Paragraph>
          )}
          <Table<ImportRowError & { key: number }>
            className="dense-table"
            size="small"
            style={{ marginTop: 12 }}
            data-testid="import-errors"
            dataSource={report.errors.map((e, i) => ({ ...e, key: i }))}
            pagination={report.errors.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
            columns={[
              {
                title: t('import.col.row'),
                dataIndex: 'row',
                width: 72,
                render: (v: number) => <span className="mono">{v}</span>,
              },
              {
                title: t('import.col.column'),
                dataIndex: 'column',
                width: 170,
                render: (v: string | null) => v ?? '—',
              },
              { title: t('import.col.message'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
    </div>
  );
}
