import { PhoneOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Col, Empty, List, Row, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { COLOUR_INFO, COLOURS, type Colour } from '../../../../contracts/monitoring.ts';
import type { ListReply } from '../../api/contracts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { dutyKeys, optional, useGaps, useOnShift } from './duty-api.ts';

interface DueReport {
  incidentId: string;
  incidentNumber: string;
  incidentTitle: string;
  kind: string;
  dueAt: string;
  status: 'due' | 'draft' | 'overdue';
}
interface TaskRow {
  id: string;
  incidentId: string;
  incidentNumber: string;
  title: string;
  unitName: string;
  dueAt: string;
}
interface IncidentRow {
  id: string;
  number: string;
  title: string;
  status: string;
  level: string | null;
  occurredAt: string;
}
interface WarningRow {
  id: string;
  colour: Colour;
  title: string;
}

const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, -3);

/** A card of a read that may not exist on this installation (404): said quietly, not as an error. */
function Optional<T>({
  title,
  q,
  children,
}: {
  title: string;
  q: { data: T | null | undefined; isLoading: boolean; error: unknown };
  children: (data: T) => React.ReactNode;
}) {
  const { t } = useTranslation('duty');
  return (
    <Card size="small" title={title} className="duty-card">
      {q.isLoading ? (
        <Spin />
      ) : q.error ? (
        <Alert type="error" title={errorMessage(q.error)} showIcon />
      ) : q.data === null || q.data === undefined ? (
        <Typography.Text type="secondary" data-testid="not-available">
          {t('board.notAvailable')}
        </Typography.Text>
      ) : (
        children(q.data)
      )}
    </Card>
  );
}

/** The duty officer's home: who is on shift, active incidents, reports due, open warnings, overdue tasks. */
export function BoardPage() {
  const { t } = useTranslation('duty');
  const onShift = useOnShift('yjj');
  const gaps = useGaps('yjj');
  const incidents = useQuery({
    queryKey: dutyKeys.board('incidents'),
    queryFn: () =>
      optional<ListReply<IncidentRow>>('/incidents', { status: 'reported,verified,responding', limit: 20 }),
  });
  const reports = useQuery({
    queryKey: dutyKeys.board('reports'),
    queryFn: () => optional<ListReply<DueReport>>('/reports/due', { withinHours: 24 }),
  });
  const warnings = useQuery({
    queryKey: dutyKeys.board('warnings'),
    queryFn: () => optional<ListReply<WarningRow>>('/warnings', { status: 'active', limit: 500 }),
  });
  const tasks = useQuery({
    queryKey: dutyKeys.board('tasks'),
    queryFn: () => optional<ListReply<TaskRow>>('/tasks', { overdue: 'true', limit: 50 }),
  });
  const soonGap = gaps.data?.officer[0];

  return (
    <div className="page duty-board" data-testid="duty-board">
      <Typography.Title level={3}>{t('board.title')}</Typography.Title>
      {soonGap && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('board.gapAhead', { from: time(soonGap.from), to: time(soonGap.to) })}
          action={<Link to="/duty/roster">{t('board.toRoster')}</Link>}
        />
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('board.onShift')} className="duty-card" data-testid="on-shift">
            {onShift.isLoading ? (
              <Spin />
            ) : onShift.error ? (
              <Alert type="error" title={errorMessage(onShift.error)} showIcon />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }}>
                {(['leaders', 'officers'] as const).map((k) => (
                  <div key={k}>
                    <Typography.Text type="secondary">{t(`board.${k}`)}</Typography.Text>
                    {(onShift.data?.[k].length ?? 0) === 0 ? (
                      <div>
                        <Tag color="red">{t('board.nobody')}</Tag>
                      </div>
                    ) : (
                      onShift.data?.[k].map((p) => (
                        <div key={p.id}>
                          <Typography.Text strong>{p.displayName}</Typography.Text>{' '}
                          {p.phone && (
                            <Typography.Text copyable={{ text: p.phone }}>
                              <PhoneOutlined /> {p.phone}
                            </Typography.Text>
                          )}{' '}
                          <Typography.Text type="secondary">{t('board.until', { at: time(p.until) })}</Typography.Text>
                        </div>
                      ))
                    )}
                  </div>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Optional title={t('board.incidents')} q={incidents}>
            {(d) =>
              d.items.length === 0 ? (
                <Empty description={t('board.noIncidents')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  size="small"
                  dataSource={d.items}
                  renderItem={(i) => (
                    <List.Item>
                      <Link to={`/incidents/${i.id}`}>
                        {i.number} {i.title}
                      </Link>
                      <Space>
                        {i.level && <Tag>{i.level}</Tag>}
                        <Typography.Text type="secondary">{time(i.occurredAt)}</Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              )
            }
          </Optional>
        </Col>
        <Col xs={24} lg={8}>
          <Optional title={t('board.warnings')} q={warnings}>
            {(d) => (
              <Space wrap data-testid="warnings-by-colour">
                {[...COLOURS].reverse().map((c) => {
                  const n = d.items.filter((w) => w.colour === c).length;
                  return (
                    <Link key={c} to={`/warnings?colour=${c}`}>
                      <Badge count={n} showZero color={COLOUR_INFO[c].color}>
                        <Tag color={COLOUR_INFO[c].color} style={{ padding: '4px 12px' }}>
                          {t(`colour.${c}`)}
                        </Tag>
                      </Badge>
                    </Link>
                  );
                })}
              </Space>
            )}
          </Optional>
        </Col>
        <Col xs={24} lg={8}>
          <Optional title={t('board.reports')} q={reports}>
            {(d) =>
              d.items.length === 0 ? (
                <Empty description={t('board.noReports')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  size="small"
                  dataSource={d.items}
                  renderItem={(r) => (
                    <List.Item>
                      <Link to={`/incidents/${r.incidentId}?panel=reports`}>
                        {r.incidentNumber} · {t(`reportKind.${r.kind}`, { defaultValue: r.kind })}
                      </Link>
                      <Tag color={r.status === 'overdue' ? 'red' : r.status === 'draft' ? 'blue' : 'gold'}>
                        {t(`reportStatus.${r.status}`)} {time(r.dueAt)}
                      </Tag>
                    </List.Item>
                  )}
                />
              )
            }
          </Optional>
        </Col>
        <Col xs={24} lg={8}>
          <Optional title={t('board.tasks')} q={tasks}>
            {(d) =>
              d.items.length === 0 ? (
                <Empty description={t('board.noTasks')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  size="small"
                  dataSource={d.items}
                  renderItem={(task) => (
                    <List.Item>
                      <Link to={`/incidents/${task.incidentId}?panel=tasks`}>
                        {task.incidentNumber} · {task.title}
                      </Link>
                      <Tag color="red">
                        {task.unitName} {time(task.dueAt)}
                      </Tag>
                    </List.Item>
                  )}
                />
              )
            }
          </Optional>
        </Col>
      </Row>
    </div>
  );
}
