/**
 * The place list's import: its columns once; each row checked and written by the same rules as a place entered by
 * hand (`preparePlace` / `writePlace`). The platform's import contract reports every bad row and writes all or none.
 */
import { LIST_KINDS, ListPlaceInput, PLACE_KINDS } from '../../../contracts/places.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import {
  committedPlaces,
  PLACES_MANAGE,
  type PlaceDeps,
  type PreparedPlace,
  preparePlace,
  writePlace,
} from './places.service.ts';

const YES_NO = [
  { value: 'yes', zh: '是', en: 'yes' },
  { value: 'no', zh: '否', en: 'no' },
] as const;

export const PLACE_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '名称',
    en: 'Name',
    kind: 'text',
    max: 100,
    required: true,
    field: 'name',
    example: '石岛管理区',
    width: 24,
  },
  {
    key: 'nameEn',
    zh: '英文名称',
    en: 'English name',
    kind: 'text',
    max: 200,
    field: 'nameEn',
    example: 'Shidao Administrative Area',
    width: 28,
  },
  {
    key: 'kind',
    zh: '类别',
    en: 'Kind',
    kind: 'enum',
    options: LIST_KINDS.map((k) => ({ value: k, zh: PLACE_KINDS[k].zh, en: PLACE_KINDS[k].en })),
    required: true,
    field: 'kind',
    example: 'town 镇',
    width: 16,
  },
  {
    key: 'lon',
    zh: '经度',
    en: 'Longitude',
    kind: 'lon',
    point: 'point',
    field: 'point',
    required: true,
    example: 122.43,
    width: 12,
  },
  {
    key: 'lat',
    zh: '纬度',
    en: 'Latitude',
    kind: 'lat',
    point: 'point',
    field: 'point',
    required: true,
    example: 36.895,
    width: 12,
  },
  {
    key: 'approximate',
    zh: '位置近似',
    en: 'Approximate',
    kind: 'enum',
    options: YES_NO,
    field: 'approximate',
    noteZh: '位置是否为近似位置（如镇政府驻地）',
    noteEn: 'whether the position is approximate (e.g. a town seat)',
    example: '否',
    width: 10,
  },
  { key: 'note', zh: '备注', en: 'Note', kind: 'text', max: 500, field: 'note', width: 30 },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => (v[k] === null || v[k] === undefined ? undefined : String(v[k]));

export function placeInputOf(v: Values): ListPlaceInput {
  const pt = v.point as { lng: number; lat: number } | null;
  return {
    name: text(v, 'name') ?? '',
    ...(text(v, 'nameEn') ? { nameEn: text(v, 'nameEn') } : {}),
    kind: (text(v, 'kind') ?? '') as ListPlaceInput['kind'],
    point: pt ? [pt.lng, pt.lat] : (null as unknown as [number, number]),
    approximate: text(v, 'approximate') === 'yes',
    ...(text(v, 'note') ? { note: text(v, 'note') } : {}),
  };
}

export function placeImport(deps: PlaceDeps): ImportDeclaration<ListPlaceInput, PreparedPlace> {
  return {
    registry: 'places',
    zh: '地名表',
    en: 'Place list',
    entity: 'place',
    permission: PLACES_MANAGE,
    columns: PLACE_COLUMNS,
    schema: ListPlaceInput,
    toInput: placeInputOf,
    prepare: (ctx, input) => preparePlace(deps, ctx, input),
    write: (trx, ctx, prepared, now) => writePlace(deps, trx, ctx, prepared, now),
    committed: () => committedPlaces(deps),
  };
}
