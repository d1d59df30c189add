import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Progress, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { DrillPlan } from '../../../../contracts/drills.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useDrillPlans } from './drills-api.ts';
import { TypeTags } from './labels.tsx';
import { PlanFormDrawer } from './plan-form-drawer.tsx';

/** Annual drill plans (年度演练计划): per unit and year, the planned drills by month and their fulfilment. */
export function PlansPage() {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = params.get('year') ?? String(thisYear);
  const q = useDrillPlans(year);
  const manage = can(useCurrentUser(), 'drills.manage');
  /** the drawer: closed, a new plan, or the plan edited */
  const [editing, setEditing] = useState<DrillPlan | 'new' | null>(null);
  return (
    <div className="page" data-testid="plans-page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.plans')}
        </Typography.Title>
        <Select
          value={year}
          aria-label={t('plans.year')}
          onChange={(v) => setParams({ year: v })}
          options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: String(y), label: String(y) }))}
          style={{ width: 100 }}
        />
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="plan-new">
            {t('planForm.new')}
          </Button>
        )}
      </div>
      {q.isLoading && <Spin />}
      {q.data?.items.length === 0 && <Empty description={q.error ? errorMessage(q.error) : t('plans.empty')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {q.data?.items.map((p: DrillPlan) => (
          <Card
            key={p.id}
            size="small"
            title={
              <span>
                {p.unit.name} · {p.title}
                {p.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
              </span>
            }
            extra={
              <Space>
                <span>{t('plans.fulfilment', { done: p.fulfilment.done, planned: p.fulfilment.planned })}</span>
                <Progress
                  type="circle"
                  size={32}
                  percent={p.fulfilment.planned ? Math.round((100 * p.fulfilment.done) / p.fulfilment.planned) : 0}
                />
                {manage && (
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid="plan-edit">
                    {t('planForm.edit')}
                  </Button>
                )}
              </Space>
            }
          >
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={p.items}
              columns={[
                {
                  title: t('plans.month'),
                  dataIndex: 'month',
                  width: 70,
                  render: (m: number) => t('plans.monthN', { m }),
                },
                { title: t('field.title'), dataIndex: 'title' },
                { title: t('field.type'), key: 'type', width: 190, render: (_, i) => <TypeTags d={i} lang={lang} /> },
                { title: t('plans.topic'), dataIndex: 'topic' },
                {
                  title: t('plans.done'),
                  key: 'done',
                  width: 200,
                  render: (_, i) =>
                    i.drills.length ? (
                      i.drills.map((d) => (
                        <Link key={d.id} to={`/drills/records/${d.id}`}>
                          <Tag color="green">
                            {d.number} {d.date}
                          </Tag>
                        </Link>
                      ))
                    ) : (
                      <Tag>{t('plans.notYet')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        ))}
      </Space>
      {editing && (
        <PlanFormDrawer
          open
          plan={editing === 'new' ? undefined : editing}
          year={Number(year)}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
