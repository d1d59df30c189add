import { describe, expect, it } from 'vitest';
import { describeLevelBasis, describeLogEntry } from '../../../contracts/incident-text.ts';
import { computeLevel, NATURAL_2016, ORDER_493 } from './level.ts';

const none = { deaths: 0, missing: 0, seriouslyInjured: 0, injured: 0, affected: 0, relocated: 0 };
const rules = { accident: ORDER_493, natural: NATURAL_2016 };

describe('a level basis in the reader’s language', () => {
  it('names the deciding criterion in Chinese (as stored) and in English', () => {
    const r = computeLevel('accident', { ...none, deaths: 32 }, 0, rules);
    expect(r.level).toBe('I');
    expect(r.basis).toBe(describeLevelBasis(r.facts, 'zh'));
    expect(r.basis).toContain('死亡 32人 ≥ 30人 → I级');
    const en = describeLevelBasis(r.facts, 'en');
    expect(en).toContain('deaths 32 ≥ 30 → level I');
    expect(en).toContain(ORDER_493.labelEn);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('says a direct loss with its unit, and “below level III” and “not assessed” in English', () => {
    const loss = computeLevel('accident', none, 6_000, rules);
    expect(loss.level).toBe('II');
    expect(describeLevelBasis(loss.facts, 'en')).toContain('direct loss 6,000 × 10,000 yuan ≥ 5,000 × 10,000 yuan');
    expect(describeLevelBasis(computeLevel('accident', none, 1, rules).facts, 'en')).toContain('below every level III');
    const health = computeLevel('public_health', none, 0, rules);
    expect(health.level).toBeNull();
    expect(describeLevelBasis(health.facts, 'en')).toMatch(/^Not assessed/);
    expect(health.basis).toBe('该类事件不自动定级，待人工研判');
  });
});

describe('a log entry in the reader’s language', () => {
  it('renders every kind the incidents module writes from its facts, in both languages', () => {
    const cases: [string, unknown, string, string][] = [
      [
        'created',
        { number: 'WH-2026-000015', level: 'II' },
        '接报登记 WH-2026-000015，计算级别 II',
        'Reported as WH-2026-000015, computed level II',
      ],
      ['updated', { fields: ['title', 'casualties'] }, '修改：标题、伤亡', 'Changed: title, casualties'],
      [
        'level',
        { from: null, to: 'III', override: 'I' },
        '计算级别由 未定级 变为 III级（人工级别 I级 仍有效）',
        'Computed level changed from not assessed to level III (the level set by hand, I, still applies)',
      ],
      [
        'level',
        { override: 'II', reason: '社会影响大' },
        '人工定级为 II级：社会影响大',
        'Level set by hand to II: 社会影响大',
      ],
      [
        'level',
        { override: null, reason: null },
        '取消人工定级，恢复计算级别',
        'Level set by hand withdrawn: the computed level applies',
      ],
      [
        'status',
        { from: 'reported', to: 'verified', note: '现场核实' },
        '状态：已接报 → 已核实。现场核实',
        'Status: Reported → Verified. 现场核实',
      ],
      [
        'acknowledged',
        { unitName: '环翠区应急管理局', unitNameEn: 'Huancui District EMB', userName: '张三' },
        '接报确认：环翠区应急管理局（张三）',
        'Acknowledged by Huancui District EMB (张三)',
      ],
    ];
    for (const [kind, data, zh, en] of cases) {
      expect(describeLogEntry(kind, data, 'zh')).toBe(zh);
      expect(describeLogEntry(kind, data, 'en')).toBe(en);
    }
  });

  it('leaves a note and an entry without facts to their stored text', () => {
    expect(describeLogEntry('note', null, 'en')).toBeUndefined();
    expect(describeLogEntry('created', null, 'en')).toBeUndefined();
    expect(describeLogEntry('status', { from: 'nonsense' }, 'en')).toBeUndefined();
  });
});

describe('facts other modules write on the log', () => {
  it('renders each kind in both languages, the English without Chinese characters', () => {
    const facts = [
      { kind: 'plan_activated', planName: 'Typhoon', level: 'II', tasks: 7 },
      { kind: 'response_level', planName: 'Typhoon', from: 'III', to: 'II', added: 3, closed: 0 },
      { kind: 'response_ended', planName: 'Typhoon', closed: 2, note: 'Storm passed' },
      { kind: 'team_dispatched', teamName: 'Station 1', etaSeconds: 430 },
      { kind: 'team_dispatched', teamName: 'Station 1', etaSeconds: null },
      { kind: 'team_arrived', teamName: 'Station 1' },
      { kind: 'team_released', teamName: 'Station 1' },
      { kind: 'report_issued', reportKind: 'update', version: 2 },
      { kind: 'merged', number: 'WH-2026-000012' },
      { kind: 'unmerged', number: 'WH-2026-000012' },
    ] as const;
    for (const f of facts) {
      const zh = describeLogEntry(f.kind, f, 'zh');
      const en = describeLogEntry(f.kind, f, 'en');
      expect(zh, f.kind).toMatch(/[\u4e00-\u9fff]/);
      expect(en, f.kind).toBeTruthy();
      expect(en, f.kind).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(describeLogEntry('plan_activated', facts[0], 'zh')).toBe('启动预案《Typhoon》II级响应，下达部门任务 7 项');
    expect(describeLogEntry('team_dispatched', facts[3], 'en')).toBe('Station 1 dispatched, ETA 7 min');
    // the duplicate's side of a merge
    expect(describeLogEntry('merged_into', { number: 'WH-2026-000012' }, 'zh')).toBe('作为重复事件并入 WH-2026-000012');
    expect(describeLogEntry('merge_undone', { number: 'WH-2026-000012' }, 'en')).toBe(
      'Merge into WH-2026-000012 undone: a separate incident again',
    );
    expect(describeLogEntry('report_issued', { reportKind: 'other', version: 1 }, 'en')).toBeUndefined();
  });
});
