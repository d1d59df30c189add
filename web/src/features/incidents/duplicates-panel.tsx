import { MergeCellsOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import type { Incident } from '../../api/contracts.ts';
import { incidentKeys } from '../../api/incidents.ts';
import { useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { CasualtySummary, LevelTag, StatusTag } from './tags.tsx';

/** The two reports side by side, one row per thing a duty officer compares before merging. */
function Compare({ a, b }: { a: Incident; b: Incident }) {
  const { t } = useTranslation('incidents');
  const rows: { key: string; label: string; a: React.ReactNode; b: React.ReactNode }[] = [
    { key: 'number', label: t('field.number'), a: a.number, b: b.number },
    { key: 'title', label: t('field.title'), a: a.title, b: b.title },
    { key: 'type', label: t('field.type'), a: a.typeName, b: b.typeName },
    { key: 'occurredAt', label: t('field.occurredAt'), a: formatTime(a.occurredAt), b: formatTime(b.occurredAt) },
    { key: 'address', label: t('duplicates.place'), a: a.address || '—', b: b.address || '—' },
    { key: 'level', label: t('field.level'), a: <LevelTag level={a.level} />, b: <LevelTag level={b.level} /> },
    { key: 'status', label: t('field.status'), a: <StatusTag status={a.status} />, b: <StatusTag status={b.status} /> },
    {
      key: 'casualties',
      label: t('field.casualties'),
      a: <CasualtySummary incident={a} />,
      b: <CasualtySummary incident={b} />,
    },
    { key: 'reporter', label: t('duplicates.reporter'), a: a.reporter.name || '—', b: b.reporter.name || '—' },
  ];
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      columns={[
        { dataIndex: 'label', width: 110 },
        { title: t('duplicates.thisOne'), dataIndex: 'a' },
        { title: t('duplicates.theOther'), dataIndex: 'b' },
      ]}
    />
  );
}

/**
 * The incident page's duplicates tab: the open incidents this report may repeat, compared side by side with a
 * one-click merge (this one into the other; nothing is summed), or, once merged, where it went and the undo.
 */
export function DuplicatesPanel({ incident }: { incident: Incident }) {
  const { t } = useTranslation('incidents');
  const user = useCurrentUser();
  const mayMerge = can(user, 'incidents.merge');
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const [comparing, setComparing] = useState<Incident | null>(null);
  const [busy, setBusy] = useState(false);
  const others = useQueries({
    queries: incident.possibleDuplicateOf.map((id) => ({
      queryKey: incidentKeys.detail(id),
      queryFn: () => api.get<Incident>(`/incidents/${id}`),
      retry: false,
    })),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: incidentKeys.all });
    void qc.invalidateQueries({ queryKey: ['incident'] });
  };
  const merge = async (into: Incident) => {
    setBusy(true);
    try {
      await api.post(`/incidents/${incident.id}/merge`, { intoId: into.id, version: incident.version });
      message.success(t('duplicates.merged', { number: into.number }));
      setComparing(null);
      refresh();
    } catch (err) {
      report(err, refresh);
    } finally {
      setBusy(false);
    }
  };
  const unmerge = async () => {
    setBusy(true);
    try {
      await api.post(`/incidents/${incident.id}/unmerge`, { version: incident.version });
      message.success(t('duplicates.unmerged'));
      refresh();
    } catch (err) {
      report(err, refresh);
    } finally {
      setBusy(false);
    }
  };

  if (incident.mergedInto) {
    return (
      <Alert
        type="info"
        showIcon
        title={
          <span>
            {t('duplicates.mergedInto')}{' '}
            <Link to={`/incidents/${incident.mergedInto.id}`}>{incident.mergedInto.number}</Link>
            {' · '}
            {incident.mergedInto.by} {formatTime(incident.mergedInto.at)}
          </span>
        }
        action={
          mayMerge && (
            <Button icon={<UndoOutlined />} loading={busy} onClick={unmerge} data-testid="unmerge">
              {t('duplicates.undo')}
            </Button>
          )
        }
      />
    );
  }
  if (!incident.possibleDuplicateOf.length) return <Empty description={t('duplicates.none')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('duplicates.why')}</Typography.Text>
      {others.map((q, i) => {
        const o = q.data;
        const id = incident.possibleDuplicateOf[i];
        if (q.isLoading) return <Typography.Text key={id}>…</Typography.Text>;
        if (!o)
          return (
            <Typography.Text key={id} type="secondary">
              {t('duplicates.notVisible')}
            </Typography.Text>
          );
        return (
          <Space key={id} wrap>
            <Link to={`/incidents/${o.id}`}>{o.number}</Link>
            <span>{o.title}</span>
            <span className="mono">{formatTime(o.occurredAt)}</span>
            <Button size="small" onClick={() => setComparing(o)} icon={<MergeCellsOutlined />} data-testid="compare">
              {mayMerge ? t('duplicates.compareMerge') : t('duplicates.compare')}
            </Button>
          </Space>
        );
      })}
      <Modal
        open={!!comparing}
        width={760}
        title={t('duplicates.dialogTitle')}
        onCancel={() => setComparing(null)}
        footer={[
          <Button key="cancel" onClick={() => setComparing(null)}>
            {t('duplicates.cancel')}
          </Button>,
          mayMerge && comparing && (
            <Button key="merge" type="primary" loading={busy} onClick={() => merge(comparing)} data-testid="merge">
              {t('duplicates.mergeInto', { number: comparing.number })}
            </Button>
          ),
        ]}
      >
        {comparing && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Compare a={incident} b={comparing} />
            <Alert type="warning" showIcon title={t('duplicates.notSummed')} />
          </Space>
        )}
      </Modal>
    </Space>
  );
}
