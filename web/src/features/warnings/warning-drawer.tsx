import { Alert, Descriptions, Drawer, Empty, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { COLOUR_INFO } from '../../../../contracts/monitoring.ts';
import { CHANNEL_INFO, type Delivery, hazardName, type Warning } from '../../../../contracts/warnings.ts';
import { errorMessage } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { levelDots } from './board.ts';
import { ColourTag, colourLabel, nameIn, useDistrictLabel, useLang, WarningStatusTag } from './labels.tsx';
import { WarningSubject } from './warning-card.tsx';
import { useDeliveries, useWarning } from './warnings-api.ts';

const DELIVERY_COLOR: Record<Delivery['status'], string> = {
  sent: 'green',
  failed: 'red',
  pending: 'gold',
  suppressed: 'purple',
};

/** A warning in full: its facts, its colours over time, what happened to it, and every notification sent. */
export function WarningDrawer({
  id,
  onClose,
  actions,
}: {
  id: string | null;
  onClose: () => void;
  actions: (w: Warning) => React.ReactNode;
}) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const district = useDistrictLabel();
  const warning = useWarning(id);
  const deliveries = useDeliveries(id);
  const w = warning.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={760}
      title={
        w ? (
          <span className="drawer-title">
            <ColourTag colour={w.colour} long /> {hazardName(w.hazardCode, lang)}{' '}
            <span className="mono muted small">{w.number}</span>
          </span>
        ) : (
          t('detail.title')
        )
      }
      destroyOnHidden
      data-testid="warning-drawer"
    >
      {warning.isPending ? (
        <div className="full-center-inner">
          <Spin />
        </div>
      ) : warning.isError || !w ? (
        <Alert type="error" showIcon title={errorMessage(warning.error)} />
      ) : (
        <>
          <div className="drawer-actions">{actions(w)}</div>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {w.exercise && (
              <Tag color="magenta" title={w.exercise.title}>
                {t('exerciseTag')}
              </Tag>
            )}
            {lang === 'en' ? w.titleEn || w.title : w.title}
          </Typography.Title>
          {w.description && <Typography.Paragraph className="pre-wrap">{w.description}</Typography.Paragraph>}
          <Descriptions size="small" column={2} bordered styles={{ label: { width: 120 } }} data-testid="warning-facts">
            <Descriptions.Item label={t('field.status')}>
              <WarningStatusTag status={w.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('field.source')}>{t(`source.${w.source}`)}</Descriptions.Item>
            <Descriptions.Item label={t('field.subject')}>
              <WarningSubject warning={w} />
            </Descriptions.Item>
            <Descriptions.Item label={t('field.district')}>{district(w.district)}</Descriptions.Item>
            <Descriptions.Item label={t('field.raisedAt')}>{formatTime(w.raisedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('field.lastHeldAt')}>{formatTime(w.lastHeldAt)}</Descriptions.Item>
            {w.acknowledgedAt && (
              <Descriptions.Item label={t('field.acknowledged')} span={2}>
                {formatTime(w.acknowledgedAt)} · {w.acknowledgedBy ?? '—'}
              </Descriptions.Item>
            )}
            {w.liftedAt && (
              <Descriptions.Item label={t('field.lifted')} span={2}>
                {formatTime(w.liftedAt)} · {w.liftedBy ?? t('detail.automatic')}
                {w.liftedReason ? ` · ${w.liftedReason}` : ''}
              </Descriptions.Item>
            )}
            {w.publishedAt && (
              <Descriptions.Item label={t('field.published')} span={2}>
                {formatTime(w.publishedAt)} · {w.publishedBy ?? '—'}
                {w.capIdentifier && <div className="mono small">{w.capIdentifier}</div>}
              </Descriptions.Item>
            )}
            {w.capSender && (
              <Descriptions.Item label={t('field.capSender')} span={2}>
                {w.senderName ?? w.capSender} <span className="mono small muted">{w.capSender}</span>
              </Descriptions.Item>
            )}
            {w.expiresAt && (
              <Descriptions.Item label={t('field.expiresAt')}>{formatTime(w.expiresAt)}</Descriptions.Item>
            )}
            {w.incidentId && (
              <Descriptions.Item label={t('field.incident')}>
                <Link to={`/incidents/${w.incidentId}`}>{t('card.incident')}</Link>
              </Descriptions.Item>
            )}
          </Descriptions>
          <div className="section-title">{t('detail.history')}</div>
          <Timeline
            items={levelDots(w).map((d) => ({
              color: COLOUR_INFO[d.colour].color,
              content: (
                <span>
                  {colourLabel(d.colour, lang, true)} <span className="mono muted small">{formatTime(d.at)}</span>
                </span>
              ),
            }))}
          />
          <div className="section-title">{t('detail.deliveries')}</div>
          <Table<Delivery>
            className="dense-table"
            size="small"
            rowKey="id"
            loading={deliveries.isPending}
            dataSource={deliveries.data ?? []}
            pagination={(deliveries.data?.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={deliveries.isError ? errorMessage(deliveries.error) : t('detail.noDeliveries')}
                />
              ),
            }}
            columns={[
              {
                title: t('delivery.at'),
                dataIndex: 'at',
                width: 130,
                render: (v: string) => <span className="mono">{formatTime(v)}</span>,
              },
              { title: t('delivery.step'), dataIndex: 'step', width: 56, render: (v: number) => v + 1 },
              {
                title: t('delivery.channel'),
                dataIndex: 'channel',
                width: 100,
                render: (c: Delivery['channel']) => (c in CHANNEL_INFO ? nameIn(CHANNEL_INFO[c], lang) : c),
              },
              { title: t('delivery.recipient'), dataIndex: 'recipient', ellipsis: true },
              {
                title: t('delivery.reason'),
                dataIndex: 'reason',
                width: 90,
                render: (r: string) => t(`delivery.reasons.${r}`, { defaultValue: r }),
              },
              {
                title: t('delivery.status'),
                dataIndex: 'status',
                width: 90,
                render: (s: Delivery['status'], r) => (
                  <Tag color={DELIVERY_COLOR[s]} title={r.detail} style={{ marginInlineEnd: 0 }}>
                    {t(`delivery.statuses.${s}`)}
                  </Tag>
                ),
              },
            ]}
            expandable={{
              rowExpandable: (r) => !!r.detail,
              expandedRowRender: (r) => <span className="mono small pre-wrap">{r.detail}</span>,
            }}
            data-testid="deliveries"
          />
        </>
      )}
    </Drawer>
  );
}
