/**
 * The historic hidden-danger register's import: one row per danger, checked by the same rules as a danger reported
 * by hand (`prepareDanger`: the enterprise in the register and in the importer's scope, the district, the found time)
 * plus the state it was in (found, assigned, rectifying or closed, with what that state needs). Any bad row and
 * nothing of the file is written (the platform's import contract).
 */
import { Type as T } from 'typebox';
import {
  DANGER_CATEGORIES,
  DANGER_CATEGORY_INFO,
  DANGER_GRADE_INFO,
  DANGER_GRADES,
  DANGER_SOURCE_INFO,
  DANGER_SOURCES,
  DANGER_STATUS_INFO,
  DangerInput,
} from '../../../contracts/dangers.ts';
import { AppError } from '../../errors.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { cityDate, parseTime } from '../../platform/time.ts';
import * as repo from './dangers.repository.ts';
import {
  type DangersDeps,
  deadlineInstant,
  insertDangerInTx,
  type PreparedDanger,
  prepareDanger,
} from './dangers.service.ts';
import './dangers.errors.ts';

export const IMPORT_STATUSES = ['found', 'assigned', 'rectifying', 'closed'] as const;
type ImportStatus = (typeof IMPORT_STATUSES)[number];

const opts = <K extends string>(keys: readonly K[], info: Record<K, { zh: string; en: string }>) =>
  keys.map((k) => ({ value: k, zh: info[k].zh, en: info[k].en }));

export const DANGER_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'title',
    zh: '隐患名称',
    en: 'Title',
    kind: 'text',
    max: 200,
    required: true,
    field: 'title',
    example: '液氨储罐区可燃气体报警器失效',
    width: 28,
  },
  { key: 'description', zh: '隐患描述', en: 'Description', kind: 'text', max: 5000, field: 'description', width: 30 },
  {
    key: 'category',
    zh: '隐患类别',
    en: 'Category',
    kind: 'enum',
    options: opts(DANGER_CATEGORIES, DANGER_CATEGORY_INFO),
    required: true,
    field: 'category',
    example: '设备设施',
    width: 12,
  },
  {
    key: 'grade',
    zh: '隐患等级',
    en: 'Grade',
    kind: 'enum',
    options: opts(DANGER_GRADES, DANGER_GRADE_INFO),
    required: true,
    field: 'grade',
    example: '一般隐患',
    width: 10,
  },
  {
    key: 'source',
    zh: '来源',
    en: 'Source',
    kind: 'enum',
    options: opts(DANGER_SOURCES, DANGER_SOURCE_INFO),
    required: true,
    field: 'source',
    example: '企业自查',
    width: 10,
  },
  {
    key: 'enterprise',
    zh: '企业（统一社会信用代码或名称）',
    en: 'Enterprise (credit code or name)',
    kind: 'text',
    max: 200,
    field: 'enterpriseId',
    noteZh: '须为企业库中的企业；公共场所的隐患留空并填写区市',
    noteEn: 'an enterprise of the register; empty for a public place (then give the district)',
    width: 24,
  },
  {
    key: 'district',
    zh: '区市',
    en: 'District',
    kind: 'text',
    max: 40,
    field: 'district',
    noteZh: '区市代码或名称',
    noteEn: 'district code or name',
    width: 10,
  },
  { key: 'address', zh: '位置描述', en: 'Address', kind: 'text', max: 500, field: 'address', width: 20 },
  {
    key: 'foundAt',
    zh: '发现时间',
    en: 'Found at',
    kind: 'datetime',
    required: true,
    field: 'foundAt',
    example: '2026-03-05 10:00',
    width: 16,
  },
  {
    key: 'status',
    zh: '状态',
    en: 'Status',
    kind: 'enum',
    options: opts(IMPORT_STATUSES, DANGER_STATUS_INFO),
    field: 'status',
    noteZh: '已发现、已交办、整改中或已销号；留空为已发现',
    noteEn: 'found, assigned, rectifying or closed; empty: found',
    width: 10,
  },
  {
    key: 'responsiblePerson',
    zh: '整改责任人',
    en: 'Responsible person',
    kind: 'text',
    max: 100,
    field: 'responsiblePerson',
    width: 12,
  },
  { key: 'deadline', zh: '整改期限', en: 'Deadline', kind: 'datetime', field: 'deadline', width: 12 },
  { key: 'measures', zh: '整改措施', en: 'Measures', kind: 'text', max: 5000, field: 'measures', width: 24 },
  { key: 'closedAt', zh: '销号时间', en: 'Closed at', kind: 'datetime', field: 'closedAt', width: 16 },
  {
    key: 'rectificationNote',
    zh: '整改情况',
    en: 'Rectification',
    kind: 'text',
    max: 5000,
    field: 'rectificationNote',
    width: 24,
  },
];

export type DangerImportInput = DangerInput & {
  enterprise?: string;
  status?: ImportStatus;
  responsiblePerson?: string;
  deadline?: string;
  measures?: string;
  closedAt?: string;
  rectificationNote?: string;
};

interface PreparedImport {
  danger: PreparedDanger;
  input: DangerImportInput;
  closedAt: Date | null;
}

type Values = Record<string, unknown>;
const text = (v: Values, k: string) =>
  v[k] === null || v[k] === undefined ? undefined : String(v[k]).trim() || undefined;

const ImportSchema = T.Object({
  ...DangerInput.properties,
  enterprise: T.Optional(T.String({ maxLength: 200 })),
  status: T.Optional(T.Enum(IMPORT_STATUSES)),
  responsiblePerson: T.Optional(T.String({ maxLength: 100 })),
  deadline: T.Optional(T.String({ maxLength: 40 })),
  measures: T.Optional(T.String({ maxLength: 5000 })),
  closedAt: T.Optional(T.String({ maxLength: 40 })),
  rectificationNote: T.Optional(T.String({ maxLength: 5000 })),
});

export function dangerImport(deps: DangersDeps): ImportDeclaration<DangerImportInput, PreparedImport> {
  // the register's enterprises by credit code and name, read once per few seconds (a file's rows share it)
  let cache: { at: number; byKey: Map<string, string> } | null = null;
  async function enterpriseId(key: string): Promise<string | undefined> {
    if (!cache || Date.now() - cache.at > 10_000) {
      const byKey = new Map<string, string>();
      for (const e of (await deps.safety()?.listEnterpriseRefs()) ?? []) {
        byKey.set(e.creditCode.toUpperCase(), e.id);
        byKey.set(e.name, e.id);
      }
      cache = { at: Date.now(), byKey };
    }
    return cache.byKey.get(key.toUpperCase()) ?? cache.byKey.get(key);
  }
  return {
    registry: 'hidden-dangers',
    zh: '隐患台账',
    en: 'Hidden-danger register',
    entity: 'hidden_danger',
    permission: 'dangers.supervise',
    columns: DANGER_COLUMNS,
    noteZh:
      '每行一条隐患，按手工上报的同一规则检查（企业须在企业库中且在导入人的数据范围内）。已交办、整改中、已销号须填整改责任人；' +
      '重大隐患须填整改期限和措施；已销号须填销号时间。任何一行有错，整个文件都不导入。',
    noteEn:
      'One danger per row, checked by the same rules as a report by hand (the enterprise in the register and the ' +
      "importer's scope). Assigned, rectifying and closed rows need the responsible person; major dangers the deadline " +
      'and measures; closed rows the closing time. One bad row and nothing of the file is imported.',
    schema: ImportSchema,
    toInput(v) {
      const o = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
      const district = text(v, 'district');
      const unit = district
        ? [...deps.units().values()].find((u) => u.code === district || u.name === district || u.nameEn === district)
        : undefined;
      return {
        title: text(v, 'title') ?? '',
        category: text(v, 'category') as DangerImportInput['category'],
        grade: text(v, 'grade') as DangerImportInput['grade'],
        source: text(v, 'source') as DangerImportInput['source'],
        ...o('description', text(v, 'description')),
        ...o('enterprise', text(v, 'enterprise')),
        ...o('district', unit?.code ?? district),
        ...o('address', text(v, 'address')),
        ...o('foundAt', text(v, 'foundAt')),
        ...o('status', text(v, 'status')),
        ...o('responsiblePerson', text(v, 'responsiblePerson')),
        ...o('deadline', text(v, 'deadline')),
        ...o('measures', text(v, 'measures')),
        ...o('closedAt', text(v, 'closedAt')),
        ...o('rectificationNote', text(v, 'rectificationNote')),
      };
    },
    async prepare(ctx, input) {
      const { enterprise, status, responsiblePerson, deadline, measures, closedAt, rectificationNote, ...d } = input;
      if (enterprise) {
        const id = await enterpriseId(enterprise);
        if (!id) throw new AppError('DANGER_UNKNOWN_ENTERPRISE', { field: 'enterpriseId', value: enterprise });
        d.enterpriseId = id;
      }
      const danger = await prepareDanger(deps, ctx, d, { permission: 'dangers.supervise' });
      const st = status ?? 'found';
      if (st !== 'found' && !responsiblePerson)
        throw new AppError('VALIDATION', {
          field: 'responsiblePerson',
          reason: { zh: '已交办的隐患须有整改责任人', en: 'an assigned danger has its responsible person' },
        });
      if (st !== 'found' && d.grade === 'major' && !deadline)
        throw new AppError('DANGER_MAJOR_NEEDS', { field: 'deadline', what: { zh: '整改期限', en: 'deadline' } });
      if (st !== 'found' && d.grade === 'major' && !measures)
        throw new AppError('DANGER_MAJOR_NEEDS', { field: 'measures', what: { zh: '整改措施', en: 'measures' } });
      const deadlineDay = deadline ? cityDate(parseTime(deadline, 'deadline')) : undefined;
      if (deadlineDay && deadlineDay < cityDate(danger.foundAt))
        throw new AppError('DANGER_DEADLINE_PAST', { field: 'deadline', value: deadlineDay });
      let closed: Date | null = null;
      if (st === 'closed') {
        if (!closedAt)
          throw new AppError('VALIDATION', {
            field: 'closedAt',
            reason: { zh: '已销号的隐患须有销号时间', en: 'a closed danger has its closing time' },
          });
        closed = parseTime(closedAt, 'closedAt', { notAfter: deps.clock.now() });
        if (closed < danger.foundAt)
          throw new AppError('VALIDATION', {
            field: 'closedAt',
            reason: { zh: '早于发现时间', en: 'before the time it was found' },
          });
      }
      return {
        danger,
        input: { ...input, status: st, ...(deadlineDay ? { deadline: deadlineDay } : {}) },
        closedAt: closed,
      };
    },
    async write(trx, ctx, p, now) {
      const { id } = await insertDangerInTx(deps, trx, ctx, p.danger, now, { action: 'import' });
      const i = p.input;
      if (i.status && i.status !== 'found') {
        await repo.updateDanger(
          trx,
          id,
          {
            status: i.status,
            responsible_unit: p.danger.enterprise?.unitCode ?? null,
            responsible_person: i.responsiblePerson ?? '',
            deadline: i.deadline ?? null,
            deadline_at: i.deadline ? deadlineInstant(i.deadline) : null,
            measures: i.measures ?? '',
            rectification_note: i.rectificationNote ?? '',
            closed_at: p.closedAt,
            // a historic danger closed or far overdue raises no alarm for the past
            escalation_level: i.status === 'closed' ? 2 : 0,
          },
          0,
          ['found'],
        );
        await repo.insertStep(trx, {
          id: deps.ids.next(),
          danger_id: id,
          action: 'import',
          from_status: 'found',
          to_status: i.status,
          by_user: ctx.actor.id,
          by_name: ctx.actor.name,
          at: p.closedAt ?? now,
          note: i.rectificationNote ?? '',
        });
      }
      return id;
    },
    committed: () => deps.afterCommit(),
  };
}
