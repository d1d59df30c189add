import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Checkbox, Spin, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import type { MapLayer } from '../../api/contracts.ts';
import { useTheme } from '../../components/theme.ts';
import { LegendRow } from '../../map/legend.tsx';
import type { MapLayerRenderer } from '../../map/map-host.tsx';
import { initialPanelOpen } from './layer-panel-state.ts';
import { noteIn } from './map-text.ts';

const OPEN_KEY = 'anlan.map.layerPanelOpen';
/**
 * The layers of the one map, grouped as the catalogue groups them, each with a switch and, while shown, its
 * legend. Collapsible; open or folded is remembered per user (folded at first on screens below 1,600 px).
 */
export function LayerPanel({
  catalogue,
  visible,
  onToggle,
  loading,
  renderers,
  folded,
}: {
  catalogue: MapLayer[];
  visible: Record<string, boolean>;
  onToggle: (id: string, on: boolean) => void;
  loading: boolean;
  /** layers drawn by a feature, which may draw their legend too */
  renderers: Record<string, MapLayerRenderer>;
  /** folded while a tool is in use (the map needs the room); a click still opens it, for the time being */
  folded?: boolean;
}) {
  const { t, i18n } = useTranslation('geo');
  const en = i18n.language === 'en';
  const dark = useTheme() === 'dark';
  const user = useCurrentUser();
  const key = `${OPEN_KEY}.${user.id}`;
  const [chosen, setChosen] = useState(() => initialPanelOpen(localStorage.getItem(key), window.innerWidth));
  const [peek, setPeek] = useState(false);
  useEffect(() => {
    if (!folded) setPeek(false);
  }, [folded]);
  const open = folded ? peek : chosen;
  const toggleOpen = () => {
    if (folded) {
      setPeek(!peek);
      return;
    }
    localStorage.setItem(key, chosen ? '0' : '1');
    setChosen(!chosen);
  };

  const groups: { name: string; layers: MapLayer[] }[] = [];
  for (const l of catalogue) {
    const g = groups.find((x) => x.name === l.group);
    if (g) g.layers.push(l);
    else groups.push({ name: l.group, layers: [l] });
  }
  const shown = catalogue.filter((l) => visible[l.id]).length;

  const legendOf = (l: MapLayer) => {
    const Own = renderers[l.id]?.Legend;
    if (Own) return <Own layer={l} />;
    return l.legend.map((row) => (
      <LegendRow
        key={`${row.label}-${row.color}`}
        shape={l.geometry}
        color={(dark && row.colorDark) || row.color}
        label={en ? row.labelEn || row.label : row.label}
      />
    ));
  };

  return (
    <div className={open ? 'layer-panel open' : 'layer-panel'} data-testid="layer-panel">
      <button
        type="button"
        className="layer-panel-head"
        onClick={toggleOpen}
        aria-expanded={open}
        data-testid="layer-panel-toggle"
      >
        <span className="layer-panel-title">{t('layers.title')}</span>
        <span className="muted small">{t('layers.shown', { count: shown, total: catalogue.length })}</span>
        {loading && <Spin size="small" />}
        {open ? <UpOutlined /> : <DownOutlined />}
      </button>
      {open && (
        <div className="layer-panel-body">
          {groups.map((g) => (
            <div key={g.name} className="layer-group">
              <div className="layer-group-title">{t(`group.${g.name}`, { defaultValue: g.name })}</div>
              {g.layers.map((l) => (
                <div key={l.id} className="layer-row" data-testid="layer-row" data-layer={l.id}>
                  <Checkbox
                    checked={!!visible[l.id]}
                    onChange={(e) => onToggle(l.id, e.target.checked)}
                    data-testid={`layer-toggle-${l.id}`}
                  >
                    {en ? l.nameEn || l.name : l.name}
                  </Checkbox>
                  {l.note && (
                    <Tooltip title={l.note}>
                      <Tag color="orange" className="layer-note">
                        {noteIn(l.note, en)}
                      </Tag>
                    </Tooltip>
                  )}
                  {visible[l.id] && (
                    <div
                      className={
                        !renderers[l.id]?.Legend && l.legend.length > 3
                          ? 'layer-legend layer-legend-cols'
                          : 'layer-legend'
                      }
                    >
                      {legendOf(l)}
                    </div>
                  )}
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
