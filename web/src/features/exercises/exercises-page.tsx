import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { EXERCISE_STATUSES, type ExerciseSummary } from '../../../../contracts/exercises.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { formatTime } from '../../i18n/index.ts';
import { DrillTag } from './exercise-banner.tsx';
import { ExerciseTargetsCard } from './exercise-targets.tsx';
import { useExercises } from './exercises-api.ts';
import { ExerciseStatusTag } from './labels.tsx';

const FILTER_KEYS = ['q', 'status'] as const;

/** The exercises: running first, then drafts, then the rest; filters in the address. */
export function ExercisesPage() {
  const { t } = useTranslation('exercises');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const list = useExercises(filters, size, offset);
  const columns: TableColumnsType<ExerciseSummary> = [
    {
      title: t('field.number'),
      dataIndex: 'number',
      width: 150,
      render: (n: string) => <span className="mono">{n}</span>,
    },
    {
      title: t('field.title'),
      dataIndex: 'title',
      render: (title: string, r) => (
        <Space size={4}>
          <DrillTag />
          <Link to={`/exercises/${r.id}`}>{title}</Link>
        </Space>
      ),
    },
    {
      title: `${t('field.content')} · ${t('field.form')}`,
      render: (_, r) => `${t(`content.${r.content}`)} · ${t(`form.${r.form}`)}`,
    },
    { title: t('field.organiserUnit'), render: (_, r) => r.organiserUnit.name },
    { title: t('field.status'), dataIndex: 'status', width: 100, render: (s) => <ExerciseStatusTag status={s} /> },
    {
      title: t('field.startedAt'),
      width: 170,
      render: (_, r) => formatTime(r.startedAt ?? r.plannedStart),
    },
    {
      title: t('inject.title'),
      width: 130,
      render: (_, r) => t('list.injects', { played: r.played, count: r.injects }),
    },
  ];
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
      }
      extra={
        can(user, 'exercises.run') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/exercises/new')}>
            {t('list.new')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('field.title')}
          width={240}
          testId="exercise-search"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(status) => update({ status })}
          options={EXERCISE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
      </Space>
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: <Empty description={t('list.empty')} /> }}
        pagination={pagination(list.data?.total ?? 0, t)}
      />
      <ExerciseTargetsCard />
    </Card>
  );
}
