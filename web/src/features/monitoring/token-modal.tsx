import { CopyOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { readingsTopic } from './monitoring-api.ts';

/**
 * A device's token, shown once (on creation or rotation) with what it goes with: the MQTT username (the device's id),
 * the topic it publishes to, and the HTTP route that takes the same token as a bearer.
 */
export function TokenModal({
  shown,
  onClose,
}: {
  shown: { deviceId: string; name: string; token: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('monitoring');
  const copy = (text: string) => ({ text, icon: <CopyOutlined />, tooltips: [t('token.copy'), t('token.copied')] });
  return (
    <Modal
      open={!!shown}
      title={t('token.title', { name: shown?.name ?? '' })}
      onCancel={onClose}
      mask={{ closable: false }}
      width={680}
      footer={
        <Button type="primary" onClick={onClose} data-testid="token-close">
          {t('token.done')}
        </Button>
      }
      destroyOnHidden
    >
      {shown && (
        <>
          <Alert type="warning" showIcon title={t('token.once')} style={{ marginBottom: 16 }} />
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 150 } }}>
            <Descriptions.Item label={t('token.token')}>
              <Typography.Text className="mono token-plain" copyable={copy(shown.token)} data-testid="device-token">
                {shown.token}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('token.username')}>
              <Typography.Text className="mono" copyable={copy(shown.deviceId)}>
                {shown.deviceId}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('token.topic')}>
              <Typography.Text className="mono" copyable={copy(readingsTopic(shown.deviceId))}>
                {readingsTopic(shown.deviceId)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('token.http')}>
              <Typography.Text className="mono small">
                POST /api/v1/devices/{shown.deviceId}/readings · Authorization: Bearer …
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('token.payload')}{' '}
            <span className="mono">{'{"ts": "2026-07-01T08:00:00+08:00", "values": {"rain_mm": 1.2}}'}</span>
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
