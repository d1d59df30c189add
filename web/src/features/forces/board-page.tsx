import { ClockCircleOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Result, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ForcesSummary, TEAM_STATUS_INFO, TEAM_STATUSES, TEAM_TYPE_INFO } from '../../../../contracts/forces.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useTheme } from '../../components/theme.ts';
import { useSummary } from './forces-api.ts';
import { boardChartOption } from './forces-text.ts';
import { nameIn, useDistrictLabel, useLang } from './labels.tsx';

const BoardChart = lazy(() => import('./board-chart.tsx'));

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

type TypeRow = ForcesSummary['byType'][number];

/** One team type: its teams and headcount, and how many stand in each status (dispatchable ones first). */
function TypeCard({ row }: { row: TypeRow }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const info = TEAM_TYPE_INFO[row.type];
  const ready = (row.byStatus.available ?? 0) + (row.byStatus.on_duty ?? 0);
  return (
    <Card
      size="small"
      className="type-card"
      style={{ borderTopColor: info.color }}
      data-testid="type-card"
      data-type={row.type}
    >
      <Link to={`/forces/teams?type=${row.type}`} className="type-card-title">
        {nameIn(info, lang)}
      </Link>
      <Space size={24} className="type-card-stats">
        <Statistic title={t('board.teams')} value={row.teams} />
        <Statistic title={t('board.headcount')} value={row.headcount} />
        <Statistic title={t('board.ready')} value={ready} suffix={`/ ${row.teams}`} />
      </Space>
      <div className="status-strip" aria-hidden>
        {TEAM_STATUSES.map((s) =>
          row.byStatus[s] ? (
            <span
              key={s}
              style={{ flexGrow: row.byStatus[s], background: TEAM_STATUS_INFO[s].color }}
              title={`${nameIn(TEAM_STATUS_INFO[s], lang)} ${row.byStatus[s]}`}
            />
          ) : null,
        )}
      </div>
    </Card>
  );
}

/**
 * The commanders' board: strength by team type (cards, and the statuses stacked in one chart), by district, and the
 * teams flagged for attention; kept current by the live stream.
 */
export function BoardPage() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const theme = useTheme();
  const districtLabel = useDistrictLabel();
  const summary = useSummary();
  const option = useMemo(
    () => (summary.data && theme ? boardChartOption(summary.data, lang, cssVar('--text-3', '#595959')) : null),
    [summary.data, lang, theme],
  );

  if (summary.isPending) return <Spin className="full-center" />;
  if (summary.isError) return <Result status="error" title={errorMessage(summary.error)} />;
  const s = summary.data;
  const types = s.byType.filter((r) => r.teams > 0);
  const chartHeight = Math.max(160, 56 + types.length * 34);

  return (
    <div className="page" data-testid="forces-board">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.board')}
          </Typography.Title>
          <div className="page-sub muted">{t('board.sub')}</div>
        </div>
        <Button icon={<ReloadOutlined />} onClick={() => summary.refetch()} loading={summary.isFetching}>
          {t('common:refresh')}
        </Button>
      </div>
      <Row gutter={[12, 12]} className="flag-row">
        <Col xs={24} md={12}>
          <Link to="/forces/teams?flag=stale" data-testid="flag-stale">
            <Card size="small" hoverable className={`flag-card ${s.flagged.stale ? 'flag-card-on' : ''}`}>
              <Space>
                <ClockCircleOutlined className="flag-icon flag-stale" />
                <Statistic
                  title={t('board.stale', { days: s.staleAfterDays })}
                  value={s.flagged.stale}
                  suffix={t('board.teamsUnit')}
                />
              </Space>
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={12}>
          <Link to="/forces/teams?flag=expiring" data-testid="flag-expiring">
            <Card size="small" hoverable className={`flag-card ${s.flagged.expiring ? 'flag-card-on' : ''}`}>
              <Space>
                <SafetyCertificateOutlined className="flag-icon flag-expiring" />
                <Statistic title={t('board.expiring')} value={s.flagged.expiring} suffix={t('board.teamsUnit')} />
              </Space>
            </Card>
          </Link>
        </Col>
      </Row>
      {!types.length ? (
        <Empty description={t('board.empty')} />
      ) : (
        <>
          <div className="type-grid">
            {types.map((r) => (
              <TypeCard key={r.type} row={r} />
            ))}
          </div>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('board.byStatus')} className="section-card">
                <Suspense fallback={<Spin />}>{option && <BoardChart option={option} height={chartHeight} />}</Suspense>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('board.byDistrict')} className="section-card">
                <Table
                  size="small"
                  rowKey="code"
                  pagination={false}
                  dataSource={s.byDistrict}
                  data-testid="district-table"
                  columns={[
                    {
                      title: t('field.district'),
                      dataIndex: 'code',
                      render: (_: string, r) => (
                        <Link to={`/forces/teams?district=${encodeURIComponent(r.code)}`}>{districtLabel(r)}</Link>
                      ),
                    },
                    { title: t('board.teams'), dataIndex: 'teams', width: 90, align: 'right' },
                    {
                      title: t('board.dispatchable'),
                      dataIndex: 'dispatchable',
                      width: 110,
                      align: 'right',
                      render: (v: number, r) => (
                        <span className={v < r.teams ? 'warn-text' : undefined}>
                          {v} / {r.teams}
                        </span>
                      ),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
