import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, List, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  DRILL_PURPOSE_INFO,
  type Drill,
  EVALUATION_RATING_INFO,
  PROBLEM_SEVERITY_INFO,
} from '../../../../contracts/drills.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { Attachments } from '../../components/attachments.tsx';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { DrillFormDrawer } from './drill-form-drawer.tsx';
import { drillKeys, useDrill } from './drills-api.ts';
import { nameIn, planTestedText, TypeTags } from './labels.tsx';

/** One drill record: type, subject, participants with totals, evaluation, problems → actions, the revision task. */
export function RecordPage() {
  const { id } = useParams();
  const { t } = useTranslation('drills');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const q = useDrill(id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const manage = can(user, 'drills.manage');
  if (q.isLoading) return <Spin />;
  if (!q.data) return <Empty description={q.error ? errorMessage(q.error) : t('list.empty')} />;
  const d = q.data;
  const run = async (fn: () => Promise<Drill>) => {
    setBusy(true);
    setError(null);
    try {
      qc.setQueryData(drillKeys.detail(d.id), await fn());
      void qc.invalidateQueries({ queryKey: drillKeys.all });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const canRevise = d.planTested?.kind === 'command' && d.problems.some((p) => p.needsPlanRevision);
  return (
    <div className="page" data-testid="drill-page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {d.title} <Typography.Text type="secondary">{d.number}</Typography.Text>
          {d.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </Typography.Title>
        <Space>
          {manage && (
            <Button onClick={() => setEditing(true)} data-testid="drill-edit">
              {t('form.edit')}
            </Button>
          )}
          <Link to="/drills/records">{t('nav.records')}</Link>
        </Space>
      </div>
      {editing && (
        <DrillFormDrawer
          open
          drill={d}
          onClose={() => setEditing(false)}
          onSaved={(saved) => qc.setQueryData(drillKeys.detail(d.id), saved)}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('field.date')}>
            {d.date} {d.startTime ?? ''}
            {d.endTime ? `–${d.endTime}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.type')}>
            <TypeTags d={d} lang={lang} />
            {d.purpose && <Tag>{nameIn(DRILL_PURPOSE_INFO[d.purpose], lang)}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.location')}>{d.location || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.subject')}>
            {d.subject.kind === 'enterprise' ? t('subject.enterprise') : t('subject.unit')} · {d.subject.name}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.planTested')}>{planTestedText(d, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('field.organiser')}>
            {d.organiserUnit
              ? lang === 'en'
                ? d.organiserUnit.nameEn || d.organiserUnit.name
                : d.organiserUnit.name
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.source')}>
            {d.source.kind === 'exercise' ? t('source.exercise') : t('source.manual')}
          </Descriptions.Item>
        </Descriptions>
        {d.scenario && <Typography.Paragraph>{d.scenario}</Typography.Paragraph>}
        {d.notes && <Typography.Paragraph type="secondary">{d.notes}</Typography.Paragraph>}
      </Card>
      <Card
        size="small"
        title={t('section.participants')}
        style={{ marginTop: 12 }}
        extra={
          <span data-testid="attendance">
            {t('participant.totals', {
              attended: d.attendance.attended,
              total: d.attendance.total,
              hours: d.attendance.hours,
            })}
          </span>
        }
      >
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={d.participants}
          columns={[
            { title: t('participant.name'), dataIndex: 'name' },
            { title: t('participant.unit'), dataIndex: 'unit' },
            { title: t('participant.role'), dataIndex: 'role' },
            {
              title: t('participant.attended'),
              dataIndex: 'attended',
              render: (v: boolean) => (v ? <Tag color="green">{t('yes')}</Tag> : <Tag>{t('no')}</Tag>),
            },
            { title: t('participant.hours'), dataIndex: 'hours' },
          ]}
          locale={{ emptyText: t('participant.none') }}
        />
      </Card>
      <Card size="small" title={t('section.evaluation')} style={{ marginTop: 12 }}>
        {d.evaluation ? (
          <Space direction="vertical">
            <Space>
              <Tag color={EVALUATION_RATING_INFO[d.evaluation.rating].color}>
                {nameIn(EVALUATION_RATING_INFO[d.evaluation.rating], lang)}
              </Tag>
              {d.evaluation.score != null && <span>{t('evaluation.scoreIs', { n: d.evaluation.score })}</span>}
              {d.evaluation.by && <Typography.Text type="secondary">{d.evaluation.by}</Typography.Text>}
              {d.evaluation.at && <Typography.Text type="secondary">{d.evaluation.at}</Typography.Text>}
            </Space>
            {d.evaluation.text && <Typography.Paragraph>{d.evaluation.text}</Typography.Paragraph>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('evaluation.none')}</Typography.Text>
        )}
      </Card>
      <Card
        size="small"
        title={t('section.problems')}
        style={{ marginTop: 12 }}
        extra={
          d.revisionTaskId ? (
            <Link to="/tasks" data-testid="revision-task">
              {t('revision.created')}
            </Link>
          ) : (
            canRevise &&
            manage && (
              <Button
                size="small"
                loading={busy}
                onClick={() => void run(() => api.post<Drill>(`/drills/${d.id}/revision-task`))}
              >
                {t('revision.create')}
              </Button>
            )
          )
        }
      >
        <List
          dataSource={d.problems}
          locale={{ emptyText: t('problem.none') }}
          renderItem={(p) => (
            <List.Item>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color={PROBLEM_SEVERITY_INFO[p.severity].color}>
                    {nameIn(PROBLEM_SEVERITY_INFO[p.severity], lang)}
                  </Tag>
                  <Typography.Text strong>{p.description}</Typography.Text>
                  {p.needsPlanRevision && <Tag color="volcano">{t('problem.needsPlanRevision')}</Tag>}
                </Space>
                {p.actions.map((a) => (
                  <Space key={a.id} wrap style={{ paddingLeft: 16 }} data-testid="drill-action">
                    {a.status === 'done' ? (
                      <Tag color="green">{t('action.done')}</Tag>
                    ) : a.overdue ? (
                      <Tag color="red">{t('action.overdue')}</Tag>
                    ) : (
                      <Tag color="blue">{t('action.open')}</Tag>
                    )}
                    <span>{a.description}</span>
                    <Typography.Text type="secondary">
                      {[a.ownerName, a.ownerUnit].filter(Boolean).join(' · ')} ·{' '}
                      {t('action.deadlineIs', { d: a.deadline })}
                    </Typography.Text>
                    {a.doneNote && <Typography.Text type="secondary">（{a.doneNote}）</Typography.Text>}
                    {manage && (
                      <Button
                        size="small"
                        type="link"
                        loading={busy}
                        onClick={() =>
                          void run(() =>
                            api.patch<Drill>(`/drills/${d.id}/actions/${a.id}`, {
                              status: a.status === 'done' ? 'open' : 'done',
                            }),
                          )
                        }
                      >
                        {a.status === 'done' ? t('action.reopen') : t('action.markDone')}
                      </Button>
                    )}
                  </Space>
                ))}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('section.attachments')} style={{ marginTop: 12 }}>
        <Attachments entity="drill" entityId={d.id} canAttach={manage} />
      </Card>
    </div>
  );
}
