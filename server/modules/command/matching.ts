/**
 * Which approved digital plans an incident or a warning calls for, and at which response level (pure rules; the
 * service feeds them the plans and the record). GB/T 35561 codes are hierarchical (11000 natural disasters ⊃ 11B00
 * meteorological ⊃ 11B03 typhoon): a plan's code covers its own type and every type under it.
 */
import {
  type ActivationCriteria,
  levelRank,
  meetsMinLevel,
  type PlanLevel,
  type PlanReason,
} from '../../../contracts/command.ts';
import { LEVELS, type Level } from '../../../contracts/incidents.ts';

/** Does the plan's hazard code `planCode` cover the type `typeCode`? */
export function hazardCovers(planCode: string, typeCode: string): boolean {
  if (planCode === typeCode || planCode === '10000') return true;
  if (planCode.endsWith('000')) return planCode.slice(0, 2) === typeCode.slice(0, 2);
  if (planCode.endsWith('00')) return planCode.slice(0, 3) === typeCode.slice(0, 3);
  return false;
}

/** a warning's colour as a level: red I, orange II, yellow III, blue IV */
export const LEVEL_OF_COLOUR: Record<string, Level> = { red: 'I', orange: 'II', yellow: 'III', blue: 'IV' };

export interface MatchablePlan {
  hazardCodes: readonly string[];
  activation: ActivationCriteria;
  levels: readonly PlanLevel[];
}

/**
 * The level to propose for `wanted`: itself when the plan defines it, else the plan's nearest defined level (the
 * more severe on a tie); `wanted` when the plan defines none.
 */
export function proposedLevel(levels: readonly PlanLevel[], wanted: Level): Level {
  const defined = LEVELS.filter((l) => levels.some((x) => x.level === l));
  if (defined.length === 0 || defined.includes(wanted)) return wanted;
  let best = defined[0] as Level;
  for (const l of defined) {
    const d = Math.abs(levelRank(l) - levelRank(wanted));
    const bd = Math.abs(levelRank(best) - levelRank(wanted));
    if (d < bd || (d === bd && levelRank(l) < levelRank(best))) best = l;
  }
  return best;
}

function hazardReason(plan: MatchablePlan, typeCode: string): PlanReason | undefined {
  const exact = plan.hazardCodes.find((c) => c === typeCode);
  const covering = exact ?? plan.hazardCodes.find((c) => hazardCovers(c, typeCode));
  return covering ? { code: 'hazard', typeCode, planCode: covering } : undefined;
}

function districtReason(plan: MatchablePlan, district: string | null): PlanReason | undefined {
  const ds = plan.activation.districts ?? [];
  if (ds.length === 0) return { code: 'city_wide' };
  return district && ds.includes(district) ? { code: 'district', district } : undefined;
}

/** An incident against a plan: the proposed level and the reasons, or undefined when the plan does not apply. */
export function matchIncident(
  plan: MatchablePlan,
  incident: { typeCode: string; level: Level | null; district: string | null },
): { level: Level; reasons: PlanReason[] } | undefined {
  const hazard = hazardReason(plan, incident.typeCode);
  if (!hazard) return undefined;
  const minLevel = plan.activation.minLevel;
  let level: PlanReason;
  if (incident.level === null) level = { code: 'unassessed', minLevel };
  else if (meetsMinLevel(incident.level, minLevel)) level = { code: 'level', level: incident.level, minLevel };
  else return undefined;
  const where = districtReason(plan, incident.district);
  if (!where) return undefined;
  return { level: proposedLevel(plan.levels, incident.level ?? minLevel), reasons: [hazard, level, where] };
}

/**
 * A warning against a plan: its hazard, its colour (one the plan lists; a plan listing none takes the colour's level
 * against its minLevel) and its district.
 */
export function matchWarning(
  plan: MatchablePlan,
  warning: { hazardCode: string; colour: string; district: string | null },
): { level: Level; reasons: PlanReason[] } | undefined {
  const hazard = hazardReason(plan, warning.hazardCode);
  if (!hazard) return undefined;
  const colourLevel = LEVEL_OF_COLOUR[warning.colour];
  if (!colourLevel) return undefined;
  const listed = plan.activation.warningColours ?? [];
  const minLevel = plan.activation.minLevel;
  if (listed.length > 0 ? !listed.includes(warning.colour as never) : !meetsMinLevel(colourLevel, minLevel))
    return undefined;
  const where = districtReason(plan, warning.district);
  if (!where) return undefined;
  return {
    level: proposedLevel(plan.levels, colourLevel),
    reasons: [hazard, { code: 'colour', colour: warning.colour, listed: listed.length > 0, minLevel }, where],
  };
}
