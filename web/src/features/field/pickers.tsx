/** What the field app's report forms share: the place (GPS or a tap on the offline map) and the camera's photos. */
import { AimOutlined, CameraOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LngLatValue, LocationInput } from '../../map/location-input.tsx';
import { locate } from './gps.ts';
import { fieldOutbox, resizePhoto } from './outbox-browser.ts';

/** The place: a GPS fix (with its accuracy in metres) or a point tapped on the map (accuracy null). */
export function PlacePicker({
  point,
  accuracy,
  onChange,
  testId,
}: {
  point: LngLatValue;
  accuracy: number | null;
  onChange: (point: LngLatValue, accuracy: number | null) => void;
  testId: string;
}) {
  const { t } = useTranslation('field');
  const { message } = App.useApp();
  const [locating, setLocating] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const readGps = async () => {
    setLocating(true);
    try {
      const g = await locate();
      onChange(g.point, g.accuracy);
    } catch {
      message.warning(t('report.gpsFailed'));
      setShowMap(true);
    } finally {
      setLocating(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button block size="large" icon={<AimOutlined />} loading={locating} onClick={readGps}>
        {t('report.useGps')}
      </Button>
      {point ? (
        <Typography.Text data-testid={testId}>
          <EnvironmentOutlined /> {point[0].toFixed(5)}, {point[1].toFixed(5)}
          {accuracy !== null ? ` · ${t('report.accuracy', { m: accuracy })}` : ` · ${t('report.fromMap')}`}
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary">{t('report.noPlace')}</Typography.Text>
      )}
      <Button block type="dashed" onClick={() => setShowMap((s) => !s)}>
        {showMap ? t('report.hideMap') : t('report.pickOnMap')}
      </Button>
      {showMap && <LocationInput value={point} onChange={(p) => onChange(p, null)} />}
    </Space>
  );
}

/** Photos from the camera (or the gallery), at most ten. */
export function PhotoPicker({ photos, onChange }: { photos: File[]; onChange: (photos: File[]) => void }) {
  const { t } = useTranslation('field');
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        hidden
        onChange={(e) => {
          onChange([...photos, ...Array.from(e.target.files ?? [])].slice(0, 10));
          e.target.value = '';
        }}
      />
      <Button block icon={<CameraOutlined />} onClick={() => input.current?.click()}>
        {t('report.addPhoto')}
      </Button>
      {photos.length > 0 && (
        <Typography.Text type="secondary">{t('report.photoCount', { n: photos.length })}</Typography.Text>
      )}
    </>
  );
}

/** Queues the photos of a queued report: each waits for the report's id (`{ref}`) and is made smaller first. */
export async function queuePhotos(
  photos: File[],
  o: { entity: string; reportId: string; prefix: string; label: (n: number) => string },
): Promise<void> {
  const outbox = fieldOutbox();
  for (const [i, file] of photos.entries()) {
    const data = await resizePhoto(file).catch(() => file);
    await outbox.add({
      kind: 'photo',
      label: o.label(i + 1),
      method: 'POST',
      path: '/files',
      body: { entity: o.entity, entityId: '{ref}' },
      file: { name: `${o.prefix}-${i + 1}.jpg`, type: 'image/jpeg', data },
      dependsOn: o.reportId,
    });
  }
}
