// The one door from the web app to the shared contracts (web imports nothing else from outside web/).
export * from '../../../contracts/index.ts';

import type { Static } from 'typebox';
import type {
  ApiToken,
  AuditEntry,
  IncidentInput as IncidentInputSchema,
  IncidentPatch as IncidentPatchSchema,
  Incident as IncidentSchema,
  LevelRule,
  LoginReply as LoginReplySchema,
  MeReply as MeReplySchema,
  OrgUnit,
  RoleDto,
  User,
  UserInput,
} from '../../../contracts/index.ts';

export type Incident = Static<typeof IncidentSchema>;
export type IncidentInput = Static<typeof IncidentInputSchema>;
export type IncidentPatch = Static<typeof IncidentPatchSchema>;
export type UserDto = Static<typeof User>;
export type UserInputDto = Static<typeof UserInput>;
export type OrgUnitDto = Static<typeof OrgUnit>;
export type RoleRecord = Static<typeof RoleDto>;
export type AuditEntryDto = Static<typeof AuditEntry>;
export type ApiTokenDto = Static<typeof ApiToken>;
export type MeReply = Static<typeof MeReplySchema>;
export type LoginReply = Static<typeof LoginReplySchema>;

/**
 * `GET /api/v1/incidents/level-rules`: the statutory accident rule (Order 493, read-only) and the configurable
 * natural-disaster rule. `LevelRule`, `LevelCriterion`, `LEVEL_FIELDS` and `LevelRuleSchema` come through `export *`.
 */
export interface LevelRules {
  accident: LevelRule;
  natural: LevelRule;
  /** 0 while the default stands; sent back on save so that a concurrent change gets 409 instead of being overwritten */
  naturalVersion: number;
}
