/** "My department's tasks": the open and recent tasks of the user's unit across incidents, live from the stream. */
import { Alert, Card, Segmented, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useTasks } from './command-api.ts';
import { TaskBoard } from './task-board.tsx';

export function MyTasksPage() {
  const { t } = useTranslation('command');
  const user = useCurrentUser();
  const [which, setWhich] = useState<'mine' | 'overdue' | 'all'>('mine');
  const tasks = useTasks(which === 'all' ? {} : which === 'overdue' ? { mine: true, overdue: true } : { mine: true });
  return (
    <Space direction="vertical" className="page" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('nav.myTasks')}</Typography.Title>
      <Space>
        <Typography.Text type="secondary">{user.unitName}</Typography.Text>
        <Segmented
          value={which}
          onChange={(v) => setWhich(v as typeof which)}
          options={[
            { value: 'mine', label: t('mine.mine') },
            { value: 'overdue', label: t('mine.overdue') },
            { value: 'all', label: t('mine.all') },
          ]}
        />
      </Space>
      <Card size="small">
        {tasks.isLoading ? (
          <Spin />
        ) : tasks.error ? (
          <Alert type="error" showIcon title={errorMessage(tasks.error)} />
        ) : (
          <TaskBoard tasks={tasks.data?.items ?? []} showIncident />
        )}
      </Card>
    </Space>
  );
}
