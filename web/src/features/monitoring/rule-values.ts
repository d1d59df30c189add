/**
 * The rule editor's form values and the API's rule, both ways. The form keeps every colour (a switch says whether it
 * is used) and a threshold as "a number" or "a device parameter × factor"; the API takes only the colours in use,
 * windows only for the functions that have one, and a factor only when it is not 1.
 */
import {
  type Clause,
  COLOURS,
  type Colour,
  type ColourCondition,
  type DeviceKind,
  type DeviceParam,
  type Metric,
  RULE_FN_INFO,
  type Rule,
  type RuleFn,
  type RuleInput,
  type RuleOp,
} from '../../../../contracts/monitoring.ts';

export type Scope = 'all' | 'kind' | 'devices';

export interface ClauseValues {
  metric: Metric;
  fn: RuleFn;
  windowMinutes?: number | null;
  op: RuleOp;
  thresholdKind: 'number' | 'param';
  number?: number | null;
  param?: DeviceParam;
  factor?: number | null;
}

export interface ColourValues {
  used: boolean;
  mode: 'any' | 'all';
  clauses: ClauseValues[];
}

export interface RuleValues {
  name: string;
  nameEn?: string;
  hazardCode: string;
  scope: Scope;
  kind?: DeviceKind | null;
  deviceIds?: string[];
  colours: Record<Colour, ColourValues>;
  hysteresis?: number | null;
  clearAfterMinutes?: number | null;
  enabled: boolean;
  basis?: string;
}

export const newClause = (metric: Metric = 'rain_mm'): ClauseValues => ({
  metric,
  fn: 'value',
  op: '>=',
  thresholdKind: 'number',
  number: null,
});

const unusedColour = (): ColourValues => ({ used: false, mode: 'any', clauses: [newClause()] });

function clauseValues(c: Clause): ClauseValues {
  const base = { metric: c.metric, fn: c.fn, windowMinutes: c.windowMinutes ?? null, op: c.op };
  if (typeof c.value === 'number') return { ...base, thresholdKind: 'number', number: c.value };
  return { ...base, thresholdKind: 'param', param: c.value.param, factor: c.value.factor ?? 1 };
}

/** A rule as the form shows it (a new rule: no rule). */
export function ruleValues(rule?: Rule): RuleValues {
  const colours = Object.fromEntries(COLOURS.map((c) => [c, unusedColour()])) as Record<Colour, ColourValues>;
  if (!rule)
    return {
      name: '',
      hazardCode: '',
      scope: 'all',
      kind: null,
      deviceIds: [],
      colours,
      hysteresis: 0,
      clearAfterMinutes: 60,
      enabled: true,
      basis: '',
    };
  for (const c of COLOURS) {
    const cond = rule.colours[c];
    if (cond) colours[c] = { used: true, mode: cond.mode, clauses: cond.clauses.map(clauseValues) };
  }
  return {
    name: rule.name,
    nameEn: rule.nameEn,
    hazardCode: rule.hazardCode,
    scope: rule.deviceIds.length ? 'devices' : rule.kind ? 'kind' : 'all',
    kind: rule.kind,
    deviceIds: [...rule.deviceIds],
    colours,
    hysteresis: rule.hysteresis,
    clearAfterMinutes: rule.clearAfterMinutes,
    enabled: rule.enabled,
    basis: rule.basis,
  };
}

export function toClause(v: ClauseValues): Clause {
  const windowed = RULE_FN_INFO[v.fn].window;
  const value: Clause['value'] =
    v.thresholdKind === 'param'
      ? {
          param: v.param as DeviceParam,
          ...(v.factor !== null && v.factor !== undefined && v.factor !== 1 ? { factor: v.factor } : {}),
        }
      : Number(v.number);
  return {
    metric: v.metric,
    fn: v.fn,
    ...(windowed && v.windowMinutes ? { windowMinutes: Math.round(v.windowMinutes) } : {}),
    op: v.op,
    value,
  };
}

/** The form's values as the API takes them. */
export function toRuleInput(v: RuleValues): RuleInput {
  const colours: RuleInput['colours'] = {};
  for (const c of COLOURS) {
    const cv = v.colours[c];
    if (!cv?.used) continue;
    const cond: ColourCondition = { mode: cv.mode, clauses: cv.clauses.map(toClause) };
    colours[c] = cond;
  }
  return {
    name: v.name.trim(),
    nameEn: v.nameEn?.trim() ?? '',
    hazardCode: v.hazardCode,
    kind: v.scope === 'kind' ? (v.kind ?? null) : null,
    deviceIds: v.scope === 'devices' ? (v.deviceIds ?? []) : [],
    colours,
    hysteresis: Number(v.hysteresis ?? 0) || 0,
    clearAfterMinutes: v.clearAfterMinutes === null || v.clearAfterMinutes === undefined ? 60 : v.clearAfterMinutes,
    enabled: v.enabled,
    basis: v.basis?.trim() ?? '',
  };
}

/** A clause in words: `rain_mm 3 h sum >= 50`, for the rule list (names come from `label`). */
export function clauseText(
  c: Clause,
  label: {
    metric: (m: Metric) => string;
    fn: (f: RuleFn) => string;
    window: (m: number) => string;
    param: (p: DeviceParam) => string;
    unit: (m: Metric) => string;
  },
): string {
  const w = RULE_FN_INFO[c.fn].window && c.windowMinutes ? `${label.window(c.windowMinutes)} ` : '';
  const v =
    typeof c.value === 'number'
      ? `${c.value}${c.fn === 'absence' ? '' : label.unit(c.metric) ? ` ${label.unit(c.metric)}` : ''}`
      : `${label.param(c.value.param)}${c.value.factor !== undefined && c.value.factor !== 1 ? ` × ${c.value.factor}` : ''}`;
  // a value is the metric itself: `Water level ≥ Warning level`, not `Water level Value ≥ …`
  const fn = c.fn === 'value' ? '' : `${w}${label.fn(c.fn)} `;
  return `${label.metric(c.metric)} ${fn}${c.op.replace('>=', '≥').replace('<=', '≤')} ${v}`;
}
