import { EnvironmentOutlined, SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Input, Spin } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaceHit } from '../api/contracts.ts';
import { searchPlaces } from '../api/geo.ts';
import { useSearchAsYouType } from '../components/use-search-as-you-type.ts';
import { placeLine, placeName } from './place-text.ts';

/**
 * Finds a place by name in the gazetteer (characters, pinyin, initials, English), nearer to `near` first; choosing
 * one hands it over (the caller sets the point and zooms to it). Debounced; ↑ ↓ and Enter choose.
 */
export function PlaceSearch({
  near,
  onPick,
  id,
}: {
  near?: () => [number, number] | undefined;
  onPick: (hit: PlaceHit) => void;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const [text, setText] = useState('');
  const q = text.trim();
  // the view's centre when the search runs (a new function each render must not search again)
  const nearRef = useRef(near);
  nearRef.current = near;

  const { hits, loading, error } = useSearchAsYouType(
    q,
    (q, signal) => searchPlaces(q, nearRef.current?.(), signal),
    200,
  );

  const options = hits.map((h) => ({
    value: h.id,
    label: (
      <div className="search-option" data-testid="place-option" data-kind={h.kind}>
        <span className="search-option-icon">
          <EnvironmentOutlined />
        </span>
        <span className="search-option-text">
          <span className="search-option-name">{placeName(h, lang)}</span>
          <span className="search-option-sub">{placeLine(h, lang)}</span>
        </span>
      </div>
    ),
  }));

  return (
    <AutoComplete
      value={text}
      options={options}
      onSearch={setText}
      defaultActiveFirstOption
      popupMatchSelectWidth={360}
      style={{ width: '100%' }}
      notFoundContent={
        loading ? (
          <Spin size="small" />
        ) : error ? (
          <span className="search-error">{error}</span>
        ) : q ? (
          t('location.placeNone', { q })
        ) : null
      }
      onSelect={(v: string) => {
        const hit = hits.find((h) => h.id === v);
        if (!hit) return;
        setText(placeName(hit, lang));
        onPick(hit);
      }}
      data-testid="place-search"
    >
      <Input
        id={id}
        allowClear
        prefix={<SearchOutlined className="muted" />}
        placeholder={t('location.placeSearch')}
        aria-label={t('location.placeSearch')}
        data-testid="place-search-input"
      />
    </AutoComplete>
  );
}
