/**
 * Tasks by status in columns (open, in progress, done, cancelled): overdue ones red with the time past due, the
 * others with their countdown; a task opens in a drawer for status, assignee, checklist ticks and comments.
 */

import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Empty,
  Input,
  List,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TASK_STATUS_INFO, TASK_STATUSES, type Task, type TaskStatus } from '../../../../contracts/command.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { Attachments } from '../../components/attachments.tsx';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { commentTask, patchTask, refreshTasks, useAssignees, useComments } from './command-api.ts';

/** "in 25 min" / "overdue 1 h 5 min", refreshed every half minute */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(h);
  }, []);
  return now;
}

function duration(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(min / 60);
  return h > 0 ? t('time.hm', { h, m: min % 60 }) : t('time.m', { m: min });
}

export function DueText({ task, now }: { task: Task; now: number }) {
  const { t } = useTranslation('command');
  const due = Date.parse(task.dueAt);
  const open = task.status === 'open' || task.status === 'in_progress';
  if (!open) return <Typography.Text type="secondary">{new Date(due).toLocaleString()}</Typography.Text>;
  if (due < now)
    return (
      <Typography.Text type="danger" strong>
        {t('task.overdueBy', { d: duration(now - due, t) })}
      </Typography.Text>
    );
  return <Typography.Text>{t('task.dueIn', { d: duration(due - now, t) })}</Typography.Text>;
}

export function TaskBoard({ tasks, showIncident }: { tasks: Task[]; showIncident?: boolean }) {
  const { t } = useTranslation('command');
  const lang = useLang();
  const now = useNow();
  const [open, setOpen] = useState<Task | null>(null);
  if (tasks.length === 0) return <Empty description={t('task.none')} />;
  return (
    <>
      <Row gutter={12}>
        {TASK_STATUSES.map((s) => {
          const col = tasks.filter((x) => x.status === s);
          return (
            <Col key={s} xs={24} md={12} xl={6}>
              <Card
                size="small"
                title={
                  <Space>
                    {TASK_STATUS_INFO[s][lang]}
                    <Badge count={col.length} showZero color="#999" />
                  </Space>
                }
              >
                <Space direction="vertical" style={{ width: '100%' }}>
                  {col.map((x) => {
                    const overdue = (x.status === 'open' || x.status === 'in_progress') && Date.parse(x.dueAt) < now;
                    return (
                      <Card
                        key={x.id}
                        size="small"
                        hoverable
                        data-testid="task-card"
                        onClick={() => setOpen(x)}
                        style={overdue ? { borderColor: '#ff4d4f', background: 'rgba(255,77,79,0.06)' } : undefined}
                      >
                        <Typography.Text strong>{x.title}</Typography.Text>
                        <div>
                          <Tag>{x.unitName}</Tag>
                          {x.assignee && <Tag color="blue">{x.assignee.displayName}</Tag>}
                        </div>
                        {showIncident && x.incidentId && (
                          <div>
                            <Link to={`/incidents/${x.incidentId}?panel=response`} onClick={(e) => e.stopPropagation()}>
                              {x.incidentNumber} {x.incidentTitle}
                            </Link>
                          </div>
                        )}
                        {x.source?.kind === 'drill' && (
                          <div>
                            <Link to={`/drills/records/${x.source.id}`} onClick={(e) => e.stopPropagation()}>
                              {t('task.fromDrill', { plan: x.planName })}
                            </Link>
                          </div>
                        )}
                        <DueText task={x} now={now} />
                        {x.checklist.length > 0 && (
                          <Typography.Text type="secondary">
                            {' '}
                            · {x.checklist.filter((c) => c.done).length}/{x.checklist.length}
                          </Typography.Text>
                        )}
                      </Card>
                    );
                  })}
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
      {open && <TaskDrawer task={tasks.find((x) => x.id === open.id) ?? open} onClose={() => setOpen(null)} />}
    </>
  );
}

function TaskDrawer({ task, onClose }: { task: Task; onClose: () => void }) {
  const { t } = useTranslation('command');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const now = useNow();
  const mayUpdate = can(user, 'tasks.update') && task.status !== 'cancelled';
  const assignees = useAssignees(task.id, mayUpdate);
  const comments = useComments(task.id);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (body: Omit<Parameters<typeof patchTask>[1], 'version'>) => {
    setBusy(true);
    setError(null);
    try {
      await patchTask(task.id, { version: task.version, ...body });
      refreshTasks(qc, task);
    } catch (err) {
      setError(errorMessage(err));
      refreshTasks(qc, task);
    } finally {
      setBusy(false);
    }
  };
  const statuses: TaskStatus[] = can(user, 'plans.activate') ? [...TASK_STATUSES] : ['open', 'in_progress', 'done'];
  return (
    <Drawer open title={task.title} onClose={onClose} width={480} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        {error && <Alert type="error" showIcon title={error} />}
        <div>
          <Tag>{task.unitName}</Tag> <DueText task={task} now={now} />
        </div>
        <Typography.Text type="secondary">
          {task.incidentId
            ? `${task.planName} · ${task.incidentNumber} ${task.incidentTitle}`
            : t('task.fromDrill', { plan: task.planName })}
        </Typography.Text>
        {task.detail && <Typography.Paragraph>{task.detail}</Typography.Paragraph>}
        {task.closedNote && <Alert type="info" title={task.closedNote} />}
        <Space wrap>
          <span>{t('task.status')}</span>
          <Select
            style={{ width: 140 }}
            value={task.status}
            disabled={!mayUpdate || busy}
            options={statuses.map((s) => ({ value: s, label: TASK_STATUS_INFO[s][lang] }))}
            onChange={(status) => save({ status })}
          />
          <span>{t('task.assignee')}</span>
          <Select
            style={{ width: 160 }}
            allowClear
            placeholder={t('task.unassigned')}
            value={task.assignee?.id}
            disabled={!mayUpdate || busy}
            loading={assignees.isLoading}
            options={(assignees.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
            onChange={(assigneeId) => save({ assigneeId: assigneeId ?? null })}
          />
        </Space>
        {task.checklist.length > 0 && (
          <Card size="small" title={t('task.checklist')}>
            {task.checklist.map((c, i) => (
              <div key={c.text}>
                <Checkbox
                  checked={c.done}
                  disabled={!mayUpdate || busy}
                  onChange={(e) =>
                    save({ checklist: task.checklist.map((x, j) => (j === i ? e.target.checked : x.done)) })
                  }
                >
                  {c.text}
                </Checkbox>
              </div>
            ))}
          </Card>
        )}
        <Card size="small" title={t('task.attachments')}>
          <Attachments entity="task" entityId={task.id} canAttach={can(user, 'tasks.update')} />
        </Card>
        <Card size="small" title={t('task.comments')}>
          {comments.isLoading ? (
            <Spin />
          ) : (
            <List
              size="small"
              locale={{ emptyText: t('task.noComments') }}
              dataSource={comments.data?.items ?? []}
              renderItem={(c) => (
                <List.Item>
                  <List.Item.Meta title={`${c.by ?? ''} · ${new Date(c.at).toLocaleString()}`} description={c.text} />
                </List.Item>
              )}
            />
          )}
          {can(user, 'tasks.update') && (
            <Space.Compact style={{ width: '100%', marginTop: 8 }}>
              <Input
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder={t('task.commentPlaceholder')}
                maxLength={5000}
              />
              <Button
                type="primary"
                disabled={!text.trim()}
                onClick={async () => {
                  try {
                    await commentTask(task.id, text.trim());
                    setText('');
                    void qc.invalidateQueries({ queryKey: ['tasks', 'comments', task.id] });
                  } catch (err) {
                    setError(errorMessage(err));
                  }
                }}
              >
                {t('task.send')}
              </Button>
            </Space.Compact>
          )}
        </Card>
      </Space>
    </Drawer>
  );
}
