import { CopyOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { formatLonLat } from '../../../map/geo-math.ts';
import {
  copyText,
  type LonLat,
  lonLatOf,
  ToolPanel,
  type ToolProps,
  useDrawingMode,
  useMapEvent,
} from './tool-kit.tsx';

/** Coordinates: the pointer's WGS-84 longitude and latitude in the corner of the map; a click copies them. */
export function CoordinatesTool({ map, onClose, overlay }: ToolProps) {
  const { t } = useTranslation('geo');
  const { message } = App.useApp();
  const [pos, setPos] = useState<LonLat | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useDrawingMode(map, false);

  const copy = async (text: string) => {
    const ok = await copyText(text);
    if (ok) void message.success(t('coords.copied', { text }));
    else void message.warning(t('coords.copyFailed', { text }));
  };

  useMapEvent(map, 'mousemove', (e) => setPos(lonLatOf(e)));
  useMapEvent(map, 'mouseout', () => setPos(null));
  useMapEvent(map, 'click', (e) => {
    const text = formatLonLat(lonLatOf(e));
    setCopied(text);
    void copy(text);
  });

  return (
    <>
      <ToolPanel title={t('tools.coords')} hint={t('coords.hint')} onClose={onClose} testId="coords-panel">
        {copied ? (
          <div className="coords-last">
            <span className="muted small">{t('coords.last')}</span>
            <span className="mono" data-testid="coords-copied">
              {copied}
            </span>
            <Button
              size="small"
              type="text"
              icon={<CopyOutlined />}
              onClick={() => void copy(copied)}
              aria-label={t('coords.copy')}
            />
          </div>
        ) : (
          <div className="muted small">{t('coords.datum')}</div>
        )}
      </ToolPanel>
      {overlay &&
        createPortal(
          <div className="coords-readout" data-testid="coords-readout">
            <span className="coords-readout-label">WGS-84</span>
            <span className="mono">{pos ? formatLonLat(pos) : t('coords.moveHint')}</span>
          </div>,
          overlay,
        )}
    </>
  );
}
