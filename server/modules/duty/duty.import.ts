/**
 * The roster's and the contact book's Excel import and export: one row a shift (date, unit, pattern, slot, role,
 * user name) or one external person; each row checked by the same rules as one entered by hand (`prepareShift`,
 * `prepareContact`), every bad row named, all or nothing. An export imports again as it is.
 */
import { DUTY_ROLE_INFO, DUTY_ROLES, type DutyRole, type Shift } from '../../../contracts/duty.ts';
import { AppError, type Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import * as repo from './duty.repository.ts';
import {
  type DutyDeps,
  lastDayOf,
  listShifts,
  type PreparedContact,
  type PreparedShift,
  prepareContact,
  prepareShift,
  searchBook,
  writeContact,
  writeShifts,
} from './duty.service.ts';
import './duty.errors.ts';

export const SHIFT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'date',
    zh: '日期',
    en: 'Date',
    kind: 'text',
    max: 10,
    required: true,
    field: 'date',
    example: '2026-12-01',
    width: 12,
    noteZh: 'YYYY-MM-DD；夜班记在开始的日期',
    noteEn: 'YYYY-MM-DD; a night shift on the date it starts',
  },
  {
    key: 'unit',
    zh: '单位代码',
    en: 'Unit code',
    kind: 'text',
    max: 64,
    required: true,
    field: 'unit',
    example: 'yjj',
    width: 12,
  },
  {
    key: 'pattern',
    zh: '班次模式',
    en: 'Shift pattern',
    kind: 'text',
    max: 100,
    required: true,
    field: 'patternId',
    example: '24小时值班',
    width: 18,
  },
  {
    key: 'slot',
    zh: '班次',
    en: 'Slot',
    kind: 'text',
    max: 40,
    required: true,
    field: 'slot',
    example: 'full',
    width: 10,
    noteZh: '班次代码或名称',
    noteEn: "the slot's key or name",
  },
  {
    key: 'role',
    zh: '岗位',
    en: 'Role',
    kind: 'enum',
    options: DUTY_ROLES.map((r) => ({ value: r, zh: DUTY_ROLE_INFO[r].zh, en: DUTY_ROLE_INFO[r].en })),
    required: true,
    field: 'role',
    example: 'officer 值班员',
    width: 14,
  },
  {
    key: 'username',
    zh: '用户名',
    en: 'User name',
    kind: 'text',
    max: 64,
    required: true,
    field: 'userId',
    example: 'test_duty',
    width: 16,
  },
  { key: 'note', zh: '备注', en: 'Note', kind: 'text', max: 500, field: 'note', width: 24 },
];

interface ShiftRowInput {
  date: string;
  unit: string;
  pattern: string;
  slot: string;
  role: DutyRole;
  username: string;
  note?: string;
}

const str = (v: Record<string, unknown>, k: string) => (v[k] == null ? '' : String(v[k]).trim());

async function userIdOf(deps: DutyDeps, username: string): Promise<string> {
  const { items } = await deps.access.listUsers(systemCtx(), { q: username, limit: 50 });
  const u = items.find((x) => x.username === username);
  if (!u || u.disabled) throw new AppError('DUTY_UNKNOWN_USER', { field: 'userId', value: username });
  return u.id;
}

export function shiftImport(deps: DutyDeps): ImportDeclaration<ShiftRowInput, PreparedShift> {
  return {
    registry: 'duty_shifts',
    zh: '值班表',
    en: 'Duty roster',
    entity: 'duty_shift',
    permission: 'duty.manage',
    columns: SHIFT_COLUMNS,
    noteZh:
      '每行一个班次的一名人员。班次模式须已在该单位建立；用户名须为系统中的用户。任何一行有错，整个文件都不导入。',
    noteEn:
      "One person on one shift per row. The pattern must exist for the unit and the user name must be a user's. " +
      'One bad row and nothing of the file is imported.',
    toInput: (v) => ({
      date: str(v, 'date'),
      unit: str(v, 'unit'),
      pattern: str(v, 'pattern'),
      slot: str(v, 'slot'),
      role: str(v, 'role') as DutyRole,
      username: str(v, 'username'),
      ...(str(v, 'note') ? { note: str(v, 'note') } : {}),
    }),
    async prepare(ctx, input) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date))
        throw new AppError('DUTY_BAD_DATE', { field: 'date', value: input.date });
      if (!deps.units().has(input.unit)) throw new AppError('DUTY_UNKNOWN_UNIT', { field: 'unit', value: input.unit });
      const patterns = await repo.listPatterns(deps.db.kysely, input.unit);
      const p = patterns.find((x) => x.name === input.pattern || x.id === input.pattern);
      if (!p)
        throw new AppError('NOT_FOUND', {
          field: 'patternId',
          entity: { zh: `班次模式 ${input.pattern}`, en: `shift pattern ${input.pattern}` },
        });
      const slots = p.slots as { key: string; name: string }[];
      const slot = slots.find((s) => s.key === input.slot || s.name === input.slot)?.key ?? input.slot;
      const userId = await userIdOf(deps, input.username);
      return prepareShift(deps, ctx, {
        unit: input.unit,
        date: input.date,
        patternId: p.id,
        slot,
        role: input.role,
        userId,
        ...(input.note ? { note: input.note } : {}),
      });
    },
    async write(trx, ctx, prepared, now) {
      await writeShifts(trx, ctx, [prepared.row], now, 'duty_shift.imported');
      return prepared.row.id;
    },
    committed: () => deps.afterCommit(),
  };
}

/** the roster of one unit's month as a workbook under the import's headers */
export async function exportShifts(deps: DutyDeps, ctx: RequestCtx, unit: string, month: string): Promise<Buffer> {
  const { items } = await listShifts(deps, ctx, { unit, from: `${month}-01`, to: lastDayOf(month) });
  const patterns = new Map((await repo.listPatterns(deps.db.kysely, unit)).map((p) => [p.id, p.name]));
  const value = (key: string, s: Shift, lang: Lang): string | null => {
    switch (key) {
      case 'date':
        return s.date;
      case 'unit':
        return s.unit;
      case 'pattern':
        return patterns.get(s.patternId) ?? s.patternId;
      case 'slot':
        return s.slot;
      case 'role':
        return `${s.role} ${DUTY_ROLE_INFO[s.role][lang]}`;
      case 'username':
        return usernames.get(s.user.id) ?? '';
      case 'note':
        return s.note;
      default:
        return null;
    }
  };
  const usernames = new Map<string, string>();
  for (const id of new Set(items.map((s) => s.user.id))) {
    const u = await deps.access.getUser(systemCtx(), id).catch(() => undefined);
    if (u) usernames.set(id, u.username);
  }
  const columns: Column<Shift>[] = [
    ...SHIFT_COLUMNS.map((c) => ({
      header: headerOf(c, ctx.lang),
      width: c.width,
      value: (s: Shift) => value(c.key, s, ctx.lang),
    })),
    { header: ctx.lang === 'zh' ? '姓名' : 'Name', width: 14, value: (s: Shift) => s.user.displayName },
  ];
  async function* pages() {
    yield items;
  }
  const file = await workbookOf(ctx.lang === 'zh' ? '值班表' : 'Duty roster', columns, pages());
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, deps.clock.now(), {
      action: 'duty_shift.exported',
      entity: 'duty_shift',
      after: { unit, month, rows: items.length },
    }),
  );
  return file;
}

export const CONTACT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '姓名',
    en: 'Name',
    kind: 'text',
    max: 100,
    required: true,
    field: 'name',
    example: '王建国',
    width: 14,
  },
  { key: 'title', zh: '职务', en: 'Title', kind: 'text', max: 100, field: 'title', example: '值班室主任', width: 16 },
  { key: 'unit', zh: '单位代码', en: 'Unit code', kind: 'text', max: 64, field: 'unit', example: 'wjw', width: 12 },
  {
    key: 'organisation',
    zh: '工作单位',
    en: 'Organisation',
    kind: 'text',
    max: 200,
    field: 'organisation',
    example: '威海市中心医院',
    width: 24,
  },
  {
    key: 'phones',
    zh: '电话',
    en: 'Phones',
    kind: 'text',
    max: 200,
    required: true,
    field: 'phones',
    example: '13806311234、0631-5212345',
    width: 28,
    noteZh: '多个电话以顿号或逗号分隔',
    noteEn: 'several phones separated by commas',
  },
  { key: 'notes', zh: '备注', en: 'Notes', kind: 'text', max: 1000, field: 'notes', width: 24 },
];

interface ContactRowInput {
  name: string;
  title?: string;
  unit?: string;
  organisation?: string;
  phones: string[];
  notes?: string;
}

export function contactImport(deps: DutyDeps): ImportDeclaration<ContactRowInput, PreparedContact> {
  return {
    registry: 'duty_contacts',
    zh: '通讯录',
    en: 'Contact book',
    entity: 'duty_contact',
    permission: 'duty.contacts',
    columns: CONTACT_COLUMNS,
    noteZh: '每行一名外部联系人（系统用户不在此表中）。任何一行有错，整个文件都不导入。',
    noteEn: 'One external contact per row (users of Anlan are not in this sheet). One bad row and nothing is imported.',
    toInput: (v) => {
      const opt = (k: string) => (str(v, k) ? { [k]: str(v, k) } : {});
      return {
        name: str(v, 'name'),
        ...opt('title'),
        ...opt('unit'),
        ...opt('organisation'),
        phones: str(v, 'phones')
          .split(/[、,，;；\n]/)
          .map((s) => s.trim())
          .filter(Boolean),
        ...opt('notes'),
      };
    },
    async prepare(ctx, input) {
      if (input.phones.length === 0)
        throw new AppError('VALIDATION', { field: 'phones', reason: 'at least one phone' });
      return prepareContact(deps, ctx, input);
    },
    async write(trx, ctx, prepared, now) {
      return writeContact(trx, deps, ctx, prepared, now);
    },
    committed: () => deps.afterCommit(),
  };
}

export async function exportContacts(deps: DutyDeps, ctx: RequestCtx): Promise<Buffer> {
  const first = await searchBook(deps, ctx, { kind: 'external', limit: 500, offset: 0 });
  const all = [...first.items];
  while (all.length < first.total) {
    const page = await searchBook(deps, ctx, { kind: 'external', limit: 500, offset: all.length });
    if (page.items.length === 0) break;
    all.push(...page.items);
  }
  const cell = (key: string, e: (typeof all)[number]): string => {
    switch (key) {
      case 'phones':
        return e.phones.join('、');
      case 'unit':
        return e.unit ?? '';
      default:
        return String((e as unknown as Record<string, unknown>)[key] ?? '');
    }
  };
  const columns = CONTACT_COLUMNS.map((c) => ({
    header: headerOf(c, ctx.lang),
    width: c.width,
    value: (e: (typeof all)[number]) => cell(c.key, e),
  }));
  async function* pages() {
    yield all;
  }
  const file = await workbookOf(ctx.lang === 'zh' ? '通讯录' : 'Contacts', columns, pages());
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, deps.clock.now(), {
      action: 'duty_contact.exported',
      entity: 'duty_contact',
      after: { rows: all.length },
    }),
  );
  return file;
}
