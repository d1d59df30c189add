/**
 * The participants list of drills (参演人员名单) as an Excel/CSV import: one row per participant, naming the drill
 * by its number (YL-2026-000012). Each row is checked like a participant typed in the record form (the drill exists
 * and is within the importer's scope, `drills.manage`); rows are appended to the drills' lists. Any bad row and
 * nothing of the file is written (the platform's import contract).
 */
import { type Static, Type as T } from 'typebox';
import { Participant } from '../../../contracts/drills.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import * as repo from './drills.repository.ts';
import { DRILL_ENTITY, type DrillsDeps } from './drills.service.ts';

const ParticipantRow = T.Object({ drillNumber: T.String({ minLength: 1, maxLength: 40 }), participant: Participant });
type ParticipantRow = Static<typeof ParticipantRow>;

const YES_NO = [
  { value: 'yes', zh: '是', en: 'yes' },
  { value: 'no', zh: '否', en: 'no' },
] as const;

export const PARTICIPANT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'drillNumber',
    zh: '演练编号',
    en: 'Drill number',
    kind: 'text',
    max: 40,
    required: true,
    field: 'drillNumber',
    example: 'YL-2026-000001',
    width: 18,
  },
  {
    key: 'name',
    zh: '姓名',
    en: 'Name',
    kind: 'text',
    max: 100,
    required: true,
    field: 'participant.name',
    example: '李明',
    width: 12,
  },
  {
    key: 'unit',
    zh: '单位',
    en: 'Unit',
    kind: 'text',
    max: 200,
    field: 'participant.unit',
    example: '威海示例化工有限公司',
    width: 24,
  },
  {
    key: 'role',
    zh: '角色',
    en: 'Role',
    kind: 'text',
    max: 100,
    field: 'participant.role',
    example: '现场处置组',
    width: 14,
  },
  {
    key: 'attended',
    zh: '是否参加',
    en: 'Attended',
    kind: 'enum',
    options: YES_NO,
    field: 'participant.attended',
    example: '是',
    width: 10,
  },
  {
    key: 'hours',
    zh: '时长（小时）',
    en: 'Hours',
    kind: 'number',
    min: 0,
    max: 48,
    decimals: 1,
    field: 'participant.hours',
    example: 2.5,
    width: 12,
  },
];

export function participantImport(
  deps: DrillsDeps,
): ImportDeclaration<ParticipantRow, { drillId: string; p: ParticipantRow['participant'] }> {
  return {
    registry: 'drill-participants',
    zh: '演练参演人员',
    en: 'Drill participants',
    entity: 'drill',
    permission: 'drills.manage',
    columns: PARTICIPANT_COLUMNS,
    noteZh:
      '每行一名参演人员，按演练编号追加到该演练的人员名单；“是否参加”空白按“是”。任何一行有错，整个文件都不导入。',
    noteEn:
      'One participant per row, added to the list of the drill named by its number; an empty "attended" means yes. One bad row and nothing of the file is imported.',
    schema: ParticipantRow,
    toInput: (v) => ({
      drillNumber: String(v.drillNumber ?? ''),
      participant: {
        name: String(v.name ?? ''),
        ...(v.unit != null ? { unit: String(v.unit) } : {}),
        ...(v.role != null ? { role: String(v.role) } : {}),
        attended: v.attended == null ? true : v.attended === 'yes',
        ...(v.hours != null ? { hours: Number(v.hours) } : {}),
      },
    }),
    async prepare(ctx, input) {
      requirePermission(ctx.actor, 'drills.manage');
      const d = await repo.findDrillByNumber(deps.db.kysely, input.drillNumber.trim());
      if (!d) throw new AppError('NOT_FOUND', { field: 'drillNumber', entity: DRILL_ENTITY });
      requireInScope(ctx.actor, { district: d.district_code, unit: d.owner_unit }, 'drillNumber');
      return { drillId: d.id, p: input.participant };
    },
    async write(trx, _ctx, prepared, now) {
      const x = prepared.p;
      await repo.appendParticipants(
        trx,
        prepared.drillId,
        [
          {
            name: x.name.trim(),
            unit: x.unit?.trim() ?? '',
            role: x.role?.trim() ?? '',
            attended: x.attended ?? true,
            hours: x.hours ?? 0,
          },
        ],
        now,
      );
    },
    committed: () => deps.afterCommit(),
  };
}
