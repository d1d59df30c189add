/**
 * The reports of an incident (its tab on the incident's page): the schedule with countdowns (overdue in red), a draft
 * made from the incident's data, the sections edited in a drawer, issuing, the .docx of the text or of each version.
 */
import { DownloadOutlined, EditOutlined, HistoryOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Empty, Form, Input, List, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportHeader, ReportSections, ReportSlot } from '../../../../contracts/reports.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError, downloadFile } from '../../api/client.ts';
import type { Incident } from '../../api/contracts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import {
  draftReport,
  issueReport,
  reportKeys,
  reportPath,
  saveReport,
  useReport,
  useSchedule,
  useVersions,
} from './reports-api.ts';

const SECTIONS: (keyof ReportSections)[] = ['basic', 'casualties', 'measures', 'nextSteps', 'requests'];
const HEADER: (keyof ReportHeader)[] = ['unit', 'signer', 'docNumber', 'reporter', 'phone'];
const STATUS_COLOR: Record<string, string> = { due: 'blue', draft: 'gold', issued: 'green', overdue: 'red' };

/** "in 2 h 05 min" / "3 h 10 min overdue" */
function useCountdown(): (dueAt: string) => string {
  const { t } = useTranslation('reports');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(h);
  }, []);
  return (dueAt) => {
    const ms = Date.parse(dueAt) - now;
    const m = Math.floor(Math.abs(ms) / 60_000);
    const span = t('countdown.span', { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60), m: m % 60 })
      .replace(/^0[^0-9]+/, '')
      .replace(/^0[^0-9]+/, '');
    return ms >= 0 ? t('countdown.left', { span }) : t('countdown.late', { span });
  };
}

export function ReportsPanel({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation('reports');
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const schedule = useSchedule(incident.id);
  const countdown = useCountdown();
  const [editing, setEditing] = useState<string | null>(null);
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const canWrite = can(user, 'reports.write');
  const canIssue = can(user, 'reports.issue');
  const refresh = () => qc.invalidateQueries({ queryKey: reportKeys.schedule(incident.id) });

  const act = async (key: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(key);
    try {
      await fn();
      if (done) message.success(done);
      await refresh();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const draft = (kind: string) =>
    act(`draft-${kind}`, async () => {
      const r = await draftReport(incident.id, kind);
      setEditing(r.id);
    });
  const download = (id: string, version?: number) =>
    act(`dl-${id}-${version ?? ''}`, () =>
      downloadFile(`${reportPath(incident.id, id)}.docx`, version ? { version } : undefined, 'report.docx'),
    );

  if (schedule.isLoading) return <Spin />;
  if (schedule.error) return <Alert type="error" showIcon title={errorMessage(schedule.error)} />;
  const items = schedule.data?.items ?? [];
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN');

  return (
    <div data-testid="reports-panel">
      <Table<ReportSlot>
        size="small"
        rowKey={(s) => `${s.kind}-${s.seq}`}
        pagination={false}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        columns={[
          {
            title: t('col.kind'),
            render: (_, s) => (
              <span>
                {t(`kind.${s.kind}`)}
                {s.kind === 'update' ? ` ${s.seq}` : ''}
                {s.missedBefore > 0 && (
                  <Typography.Text type="secondary"> {t('missed', { count: s.missedBefore })}</Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: t('col.due'),
            render: (_, s) => (
              <span>
                {when(s.dueAt)}
                {s.status !== 'issued' && (
                  <Typography.Text
                    type={s.status === 'overdue' ? 'danger' : 'secondary'}
                    strong={s.status === 'overdue'}
                  >
                    {' '}
                    ({countdown(s.dueAt)})
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: t('col.status'),
            render: (_, s) => (
              <Tag color={STATUS_COLOR[s.status]} data-testid={`report-status-${s.kind}-${s.seq}`}>
                {t(`status.${s.status}`)}
                {s.id && s.status === 'overdue' ? ` · ${t('status.draft')}` : ''}
              </Tag>
            ),
          },
          {
            title: t('col.issued'),
            render: (_, s) =>
              s.issuedAt
                ? `${when(s.issuedAt)}${s.issuedVersions > 1 ? ` · ${t('versionN', { n: s.issuedVersions })}` : ''}`
                : '—',
          },
          {
            title: '',
            render: (_, s) =>
              s.id ? (
                <Space size="small" wrap>
                  {canWrite && (
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s.id)}>
                      {t('edit')}
                    </Button>
                  )}
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    loading={busy === `dl-${s.id}-`}
                    onClick={() => download(s.id!)}
                  >
                    .docx
                  </Button>
                  {s.issuedVersions > 0 && (
                    <Button size="small" icon={<HistoryOutlined />} onClick={() => setVersionsOf(s.id)}>
                      {t('versions')}
                    </Button>
                  )}
                </Space>
              ) : canWrite && (s.status === 'due' || s.status === 'overdue') ? (
                <Button
                  size="small"
                  type="primary"
                  loading={busy === `draft-${s.kind}`}
                  onClick={() => draft(s.kind)}
                  data-testid={`report-draft-${s.kind}-${s.seq}`}
                >
                  {t('draft')}
                </Button>
              ) : null,
          },
        ]}
      />
      {editing && (
        <ReportDrawer
          incident={incident}
          reportId={editing}
          canIssue={canIssue}
          onClose={() => setEditing(null)}
          onChanged={refresh}
          onDownload={(id) => download(id)}
        />
      )}
      {versionsOf && (
        <VersionsModal
          incidentId={incident.id}
          reportId={versionsOf}
          onClose={() => setVersionsOf(null)}
          onDownload={(v) => download(versionsOf, v)}
        />
      )}
    </div>
  );
}

function ReportDrawer({
  incident,
  reportId,
  canIssue,
  onClose,
  onChanged,
  onDownload,
}: {
  incident: Incident;
  reportId: string;
  canIssue: boolean;
  onClose: () => void;
  onChanged: () => void;
  onDownload: (id: string) => void;
}) {
  const { t } = useTranslation('reports');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const report = useReport(incident.id, reportId);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState(false);
  const r = report.data;
  useEffect(() => {
    if (r) form.setFieldsValue({ title: r.title, sections: r.sections, header: r.header });
  }, [r, form]);

  const save = async (): Promise<number | undefined> => {
    if (!r) return undefined;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const saved = await saveReport(incident.id, r.id, { version: r.version, ...v });
      qc.setQueryData(reportKeys.report(incident.id, r.id), saved);
      setConflict(false);
      onChanged();
      return saved.version;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') setConflict(true);
      else message.error(errorMessage(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const issue = () =>
    Modal.confirm({
      title: t('issueConfirm'),
      content: t('issueNote'),
      onOk: async () => {
        const version = form.isFieldsTouched() ? await save() : r?.version;
        if (version === undefined || !r) return;
        try {
          const done = await issueReport(incident.id, r.id, version);
          qc.setQueryData(reportKeys.report(incident.id, r.id), done);
          message.success(t('issued', { n: done.issuedVersions }));
          onChanged();
          onClose();
        } catch (err) {
          message.error(errorMessage(err));
        }
      },
    });

  return (
    <Drawer
      open
      width={760}
      title={r ? `${t(`kind.${r.kind}`)}${r.kind === 'update' ? ` ${r.seq}` : ''} · ${incident.number}` : t('edit')}
      onClose={onClose}
      footer={
        <DrawerFooter
          note={
            r?.issuedVersions
              ? t('issuedNote', { n: r.issuedVersions, changed: r.changedSinceIssue ? t('changedSince') : '' })
              : t('notIssued')
          }
          busy={busy}
          submitLabel={t('save')}
          onCancel={onClose}
          onSubmit={() => void save().then((v) => v !== undefined && message.success(t('saved')))}
          testId="report-save"
        />
      }
      extra={
        <Space>
          {r && (
            <Button icon={<DownloadOutlined />} onClick={() => onDownload(r.id)}>
              .docx
            </Button>
          )}
          {canIssue && r && (
            <Button type="primary" icon={<SendOutlined />} onClick={issue} data-testid="report-issue">
              {t('issue')}
            </Button>
          )}
        </Space>
      }
    >
      {report.isLoading && <Spin />}
      {report.error && <Alert type="error" showIcon title={errorMessage(report.error)} />}
      {conflict && <ConflictAlert onReload={() => void report.refetch().then(() => setConflict(false))} />}
      {r && (
        <Form form={form} layout="vertical" data-testid="report-form">
          <Form.Item name="title" label={t('field.title')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap style={{ width: '100%' }}>
            {HEADER.map((k) => (
              <Form.Item key={k} name={['header', k]} label={t(`header.${k}`)}>
                <Input maxLength={k === 'phone' ? 40 : 200} style={{ width: 220 }} />
              </Form.Item>
            ))}
          </Space>
          {SECTIONS.map((k) => (
            <Form.Item key={k} name={['sections', k]} label={t(`section.${k}`)}>
              <Input.TextArea autoSize={{ minRows: k === 'requests' ? 2 : 4, maxRows: 16 }} maxLength={20000} />
            </Form.Item>
          ))}
        </Form>
      )}
    </Drawer>
  );
}

function VersionsModal({
  incidentId,
  reportId,
  onClose,
  onDownload,
}: {
  incidentId: string;
  reportId: string;
  onClose: () => void;
  onDownload: (version: number) => void;
}) {
  const { t, i18n } = useTranslation('reports');
  const versions = useVersions(incidentId, reportId);
  return (
    <Modal open title={t('versions')} onCancel={onClose} footer={null} width={640}>
      {versions.isLoading && <Spin />}
      {versions.error && <Alert type="error" showIcon title={errorMessage(versions.error)} />}
      <List
        dataSource={versions.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('noVersions')} /> }}
        renderItem={(v) => (
          <List.Item
            actions={[
              <Button key="dl" size="small" icon={<DownloadOutlined />} onClick={() => onDownload(v.version)}>
                .docx
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={`${t('versionN', { n: v.version })} · ${v.title}`}
              description={`${new Date(v.issuedAt).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN')} · ${v.issuedBy}`}
            />
          </List.Item>
        )}
      />
    </Modal>
  );
}
