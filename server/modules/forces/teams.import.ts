/**
 * The rescue team register's import: its columns once, each row mapped to `TeamInput` and checked and written by the
 * same rules as a team registered by hand (`prepareTeam` / `writeTeam`): station class, GB/T 38565 equipment codes,
 * district, owner unit, data scope, the first status entry, the audit row and the event of each team.
 *
 * Lists live in one cell each (specialties, capabilities, equipment as `code×quantity`, contacts with their phones in
 * the same order), so that one row is one team and an export imports again as it is. Members and vehicles are kept
 * on the team's page, not here.
 */
import { Type as T } from 'typebox';
import {
  type Contact,
  type Equipment,
  SPECIALTIES,
  SPECIALTY_INFO,
  type Specialty,
  STATION_CLASS_INFO,
  STATION_CLASSES,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPE_INFO,
  TEAM_TYPES,
  type TeamInput,
  TeamInput as TeamInputSchema,
} from '../../../contracts/forces.ts';
import { AppError } from '../../errors.ts';
import { type ImportColumn, parseCell } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { type ForcesDeps, type PreparedTeam, prepareTeam, writeTeam } from './forces.service.ts';
import './forces.errors.ts';

/** limits of the service's own schema, so that the template states what the service enforces */
const props = TeamInputSchema.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;
const CONTACT_NAME_MAX = 100;
const CONTACT_PHONE_MAX = 40;

const YES_NO = [
  { value: 'yes', zh: '是', en: 'yes' },
  { value: 'no', zh: '否', en: 'no' },
] as const;

/** `2010205×40`: the sign people type for "times" varies (×, x, *); a quantity is always written */
const EQUIPMENT_ITEM = /^(\d{7})\s*[×xX*]\s*(\d+)$/;
/** a contact's role in brackets after the name: `张伟（队长）` */
const NAME_ROLE = /^(.*?)\s*[(（]([^()（）]+)[)）]$/;

export const TEAM_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '队伍名称',
    en: 'Name',
    kind: 'text',
    max: max(props.name),
    required: true,
    field: 'name',
    example: '文登区 米山路消防救援站',
    width: 30,
  },
  {
    key: 'type',
    zh: '队伍类型',
    en: 'Type',
    kind: 'enum',
    options: TEAM_TYPES.map((k) => ({ value: k, zh: TEAM_TYPE_INFO[k].zh, en: TEAM_TYPE_INFO[k].en })),
    required: true,
    field: 'type',
    example: 'fire_rescue 综合性消防救援队伍',
    width: 24,
  },
  {
    key: 'stationClass',
    zh: '消防站类别',
    en: 'Station class',
    kind: 'enum',
    options: STATION_CLASSES.map((k) => ({ value: k, zh: STATION_CLASS_INFO[k].zh, en: STATION_CLASS_INFO[k].en })),
    field: 'stationClass',
    noteZh: '综合性消防救援队伍必填，其他队伍须留空（建标152-2017）',
    noteEn: 'required for fire and rescue stations, empty for every other team (建标152-2017)',
    example: 'class2 二级普通消防站',
    width: 20,
  },
  {
    key: 'suburban',
    zh: '近郊区站',
    en: 'Suburban',
    kind: 'enum',
    options: YES_NO,
    field: 'suburban',
    noteZh: '仅消防站：近郊区普通站辖区面积上限 15 km²；留空为“否”',
    noteEn: 'fire stations only: a near-suburban station may hold a district of up to 15 km²; empty: no',
    example: '否',
    width: 10,
  },
  {
    key: 'specialties',
    zh: '专业方向',
    en: 'Specialties',
    kind: 'text',
    max: 500,
    field: 'specialties',
    noteZh: `以逗号或顿号分隔的代码或中文名（${SPECIALTIES.map((s) => SPECIALTY_INFO[s].zh).join('、')}）`,
    noteEn: `codes or names separated by commas (${SPECIALTIES.join(', ')})`,
    example: '危险化学品、建筑坍塌',
    width: 24,
  },
  {
    key: 'radiusKm',
    zh: '作业半径（公里）',
    en: 'Radius (km)',
    kind: 'number',
    min: 0,
    max: 2000,
    decimals: 1,
    field: 'radiusKm',
    noteZh: '航空救援力量的飞行作业半径；留空为 80',
    noteEn: "an aviation base's operating radius; empty: 80",
    width: 12,
  },
  {
    key: 'lon',
    zh: '经度',
    en: 'Longitude',
    kind: 'lon',
    point: 'location',
    field: 'location',
    required: true,
    noteZh: '队伍驻地，用于判定所属区市',
    noteEn: "the team's base, which places it in its district",
    example: 122.0521,
    width: 12,
  },
  {
    key: 'lat',
    zh: '纬度',
    en: 'Latitude',
    kind: 'lat',
    point: 'location',
    field: 'location',
    required: true,
    example: 37.1938,
    width: 12,
  },
  {
    key: 'ownerUnit',
    zh: '所属单位代码',
    en: 'Owner unit code',
    kind: 'text',
    max: max(props.ownerUnit),
    field: 'ownerUnit',
    noteZh: '组织机构中的单位代码，如 xfzd；留空为导入人所在单位',
    noteEn: 'the unit code of the organisation, e.g. xfzd; empty: the importer’s unit',
    example: 'xfzd',
    width: 14,
  },
  {
    key: 'organisation',
    zh: '所属组织',
    en: 'Organisation',
    kind: 'text',
    max: max(props.organisation),
    field: 'organisation',
    noteZh: '不在组织机构中的所属方（企业、协会）的名称',
    noteEn: 'an owner outside the units (an enterprise, an association), by name',
    width: 24,
  },
  {
    key: 'headcount',
    zh: '编制人数',
    en: 'Headcount',
    kind: 'integer',
    min: 0,
    max: 100_000,
    field: 'headcount',
    example: 30,
    width: 10,
  },
  {
    key: 'capabilities',
    zh: '能力标签',
    en: 'Capabilities',
    kind: 'text',
    max: 1500,
    field: 'capabilities',
    noteZh: '自由标签，以逗号或顿号分隔，每个最多 40 字，最多 30 个',
    noteEn: 'free tags separated by commas, each at most 40 characters, at most 30',
    example: '高层建筑灭火、水域救援',
    width: 24,
  },
  {
    key: 'equipment',
    zh: '装备',
    en: 'Equipment',
    kind: 'text',
    max: 10_000,
    field: 'equipment',
    noteZh: 'GB/T 38565-2020 物资编码×数量，以顿号或逗号分隔',
    noteEn: 'GB/T 38565-2020 supply code×quantity, separated by commas',
    example: '2010205×40、2020201×6',
    width: 30,
  },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    kind: 'enum',
    options: TEAM_STATUSES.map((k) => ({ value: k, zh: TEAM_STATUS_INFO[k].zh, en: TEAM_STATUS_INFO[k].en })),
    field: 'status',
    noteZh: '登记时的状态；留空为“待命”',
    noteEn: 'the status on registration; empty: available',
    example: '待命',
    width: 10,
  },
  {
    key: 'contactName',
    zh: '联系人',
    en: 'Contact',
    kind: 'text',
    max: 1000,
    field: 'contacts.name',
    noteZh: '姓名，职务可写在括号中，如 张伟（队长）；多人以顿号分隔，与联系电话一一对应',
    noteEn:
      'name, the role in brackets, e.g. Zhang Wei (captain); several separated by commas, in the order of the phones',
    example: '张伟（队长）',
    width: 18,
  },
  {
    key: 'contactPhone',
    zh: '联系电话',
    en: 'Contact phone',
    kind: 'text',
    max: 1000,
    field: 'contacts.phone',
    noteZh: '如 13812345678、0631-5212345；多个以顿号或分号分隔，与联系人一一对应',
    noteEn: 'e.g. 13812345678, 0631-5212345; several separated by semicolons, in the order of the contacts',
    example: '13806311234',
    width: 18,
  },
  {
    key: 'notes',
    zh: '备注',
    en: 'Notes',
    kind: 'text',
    max: max(props.notes),
    field: 'notes',
    width: 30,
  },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => (v[k] === null || v[k] === undefined ? undefined : String(v[k]));
const num = (v: Values, k: string) => (typeof v[k] === 'number' ? v[k] : undefined);

/** A list cell's items: commas (full- or half-width), 顿号, semicolons and line breaks separate. */
export function listOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .normalize('NFKC')
    .split(/[,、;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Phones split at 顿号, semicolons and line breaks only: `0631-5212345` and `+86 138 …` keep their own marks. */
function phonesOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .normalize('NFKC')
    .split(/[、;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

const specialtyNames = new Map<string, Specialty>();
for (const s of SPECIALTIES) {
  specialtyNames.set(s, s);
  specialtyNames.set(SPECIALTY_INFO[s].zh, s);
  specialtyNames.set(SPECIALTY_INFO[s].en.toLowerCase(), s);
}

/** Specialties by code or name; an unknown one stays as written, for `prepare` to name it. */
export function specialtiesOf(cell: string | undefined): string[] {
  return [...new Set(listOf(cell).map((x) => specialtyNames.get(x.toLowerCase()) ?? specialtyNames.get(x) ?? x))];
}

/**
 * `2010205×40、2020201×6` as equipment. An item not in that form is kept with quantity −1 and its text as the code,
 * so that `prepare` names it as written (the service's code check then names unknown codes).
 */
export function equipmentOf(cell: string | undefined): Equipment[] {
  return listOf(cell).map((item) => {
    const m = EQUIPMENT_ITEM.exec(item);
    return m ? { code: m[1]!, quantity: Number(m[2]) } : { code: item, quantity: -1 };
  });
}

/** How equipment is written in a cell (the export's form, which `equipmentOf` reads back). */
export function equipmentText(items: readonly Equipment[], zh: boolean): string {
  return items.map((e) => `${e.code}×${e.quantity}`).join(zh ? '、' : ', ');
}

/**
 * Names and phones paired in order. A name or phone without its partner stays with an empty other half, which
 * `prepare` refuses (`CONTACTS_UNPAIRED`): guessing who answers which phone would be worse than asking.
 */
export function contactsOf(names: string | undefined, phones: string | undefined): Contact[] {
  const ns = listOf(names);
  const ps = phonesOf(phones);
  return Array.from({ length: Math.max(ns.length, ps.length) }, (_, i) => {
    const n = ns[i] ?? '';
    const m = NAME_ROLE.exec(n);
    const role = m?.[2]?.trim();
    return { name: m ? m[1]!.trim() : n, ...(role ? { role } : {}), phone: ps[i] ?? '' };
  });
}

/** How contacts are written in the two cells (the export's form, which `contactsOf` reads back). */
export function contactsText(contacts: readonly Contact[], zh: boolean): { names: string; phones: string } {
  return {
    names: contacts
      .map((c) => (c.role ? (zh ? `${c.name}（${c.role}）` : `${c.name} (${c.role})`) : c.name))
      .join(zh ? '、' : ', '),
    phones: contacts.map((c) => c.phone).join(zh ? '、' : '; '),
  };
}

/** A row's values as the team a user would have registered in the form. */
export function teamInputOf(v: Values): TeamInput {
  const loc = v.location as { lng: number; lat: number } | null;
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  const specialties = specialtiesOf(text(v, 'specialties'));
  const capabilities = [...new Set(listOf(text(v, 'capabilities')))];
  const equipment = equipmentOf(text(v, 'equipment'));
  const contacts = contactsOf(text(v, 'contactName'), text(v, 'contactPhone'));
  return {
    name: text(v, 'name') ?? '',
    type: (text(v, 'type') ?? '') as TeamInput['type'],
    location: loc ? { type: 'Point', coordinates: [loc.lng, loc.lat] } : (null as unknown as TeamInput['location']),
    ...opt('stationClass', text(v, 'stationClass')),
    ...(text(v, 'suburban') ? { suburban: text(v, 'suburban') === 'yes' } : {}),
    ...(specialties.length ? { specialties: specialties as Specialty[] } : {}),
    ...opt('radiusKm', num(v, 'radiusKm')),
    ...opt('ownerUnit', text(v, 'ownerUnit')),
    ...opt('organisation', text(v, 'organisation')),
    ...opt('headcount', num(v, 'headcount')),
    ...(capabilities.length ? { capabilities } : {}),
    ...(equipment.length ? { equipment } : {}),
    ...(contacts.length ? { contacts } : {}),
    ...opt('status', text(v, 'status')),
    ...opt('notes', text(v, 'notes')),
  };
}

/**
 * The service's schema with the list cells loosened: a malformed equipment item, an unknown specialty or an unpaired
 * contact is refused by `prepare` naming what was written, not as "must match …" at its position in a list.
 */
const ImportSchema = T.Object({
  ...props,
  specialties: T.Optional(T.Array(T.String({ maxLength: 500 }), { maxItems: 100 })),
  equipment: T.Optional(
    T.Array(T.Object({ code: T.String({ maxLength: 10_000 }), quantity: T.Integer({ minimum: -1 }) }), {
      maxItems: 500,
    }),
  ),
  contacts: T.Optional(
    T.Array(T.Object({ name: T.String(), role: T.Optional(T.String()), phone: T.String() }), { maxItems: 20 }),
  ),
});

/** The import's own checks of the list cells, each naming its column; the service checks the rest. */
export function checkLists(input: TeamInput): void {
  const unknown = (input.specialties ?? []).filter((s) => !(SPECIALTIES as readonly string[]).includes(s));
  if (unknown.length) throw new AppError('UNKNOWN_SPECIALTY', { field: 'specialties', value: unknown.join('、') });
  const bad = (input.equipment ?? []).find((e) => e.quantity < 0);
  if (bad) throw new AppError('EQUIPMENT_ITEM_FORMAT', { field: 'equipment', value: bad.code });
  const contacts = input.contacts ?? [];
  if (contacts.some((c) => !c.name || !c.phone))
    throw new AppError('CONTACTS_UNPAIRED', {
      field: 'contacts',
      names: contacts.filter((c) => c.name).length,
      phones: contacts.filter((c) => c.phone).length,
    });
  for (const c of contacts) {
    const length = [...c.name].length;
    if (length > CONTACT_NAME_MAX)
      throw new AppError('IMPORT_TOO_LONG', { field: 'contacts.name', max: CONTACT_NAME_MAX, length });
    // the platform's phone rule, so that a phone cell reads here as in every other register
    const phone = parseCell({ key: 'phone', zh: '', en: '', kind: 'phone' }, c.phone);
    if ('problem' in phone || c.phone.length > CONTACT_PHONE_MAX)
      throw new AppError('IMPORT_BAD_PHONE', { field: 'contacts.phone', value: c.phone });
  }
}

export const TEAM_IMPORT_NOTE = {
  zh:
    '每行一支队伍，按手工登记的同一规则检查：消防站须有类别，装备编码须为 GB/T 38565-2020 编码，所属单位须在组织机构中，' +
    '驻地须在导入人的数据范围内。任何一行有错，整个文件都不导入。队员与车辆在队伍页面维护，不在此表中。',
  en:
    'One team per row, checked by the same rules as a team registered by hand: a fire station needs its class, ' +
    'equipment codes must be GB/T 38565-2020 codes, the owner unit must exist and the base must lie in the ' +
    'importer’s data scope. One bad row and nothing of the file is imported. Members and vehicles are kept on the ' +
    'team’s page, not in this sheet.',
};

export function teamImport(deps: ForcesDeps): ImportDeclaration<TeamInput, PreparedTeam> {
  return {
    registry: 'teams',
    zh: '救援队伍',
    en: 'Rescue team register',
    entity: 'team',
    permission: 'forces.manage',
    columns: TEAM_COLUMNS,
    noteZh: TEAM_IMPORT_NOTE.zh,
    noteEn: TEAM_IMPORT_NOTE.en,
    schema: ImportSchema,
    toInput: teamInputOf,
    async prepare(ctx, input) {
      checkLists(input);
      return prepareTeam(deps, ctx, input);
    },
    async write(trx, ctx, prepared, now) {
      return writeTeam(deps, trx, ctx, prepared, now);
    },
    // the events go out at once rather than at the next drain
    committed: () => deps.afterCommit(),
  };
}
