/**
 * What the server stores as facts (a level's basis, a log entry's kind and parameters) rendered in the reader's
 * language. The server writes the Chinese text beside the facts for the audit trail and older readers; the web and
 * the exports render from the facts, so an English reader never sees a Chinese sentence the system wrote.
 */
import { type Level, type LevelField, STATUS_INFO, type Status } from './incidents.ts';

export type Lang = 'zh' | 'en';

const FIELD: Record<LevelField, { zh: string; en: string; unitZh: string; unitEn: string }> = {
  deaths: { zh: '死亡', en: 'deaths', unitZh: '人', unitEn: '' },
  deathsAndMissing: { zh: '死亡和失踪', en: 'deaths and missing', unitZh: '人', unitEn: '' },
  seriouslyInjured: { zh: '重伤', en: 'seriously injured', unitZh: '人', unitEn: '' },
  relocated: { zh: '紧急转移安置', en: 'relocated', unitZh: '人', unitEn: '' },
  affected: { zh: '受灾', en: 'affected', unitZh: '人', unitEn: '' },
  directLossWan: { zh: '直接经济损失', en: 'direct loss', unitZh: '万元', unitEn: ' × 10,000 yuan' },
};

/** Why a computed level is what it is, as facts: the rule, and the criterion that decided (or none reached). */
export type LevelBasis =
  | { rule: { zh: string; en: string }; field: LevelField; value: number; threshold: number; level: Level }
  | { rule: { zh: string; en: string }; below: true }
  | { unassessed: true };

const num = (v: number, lang: Lang) => v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');

export function describeLevelBasis(b: LevelBasis, lang: Lang): string {
  if ('unassessed' in b)
    return lang === 'zh' ? '该类事件不自动定级，待人工研判' : 'Not assessed automatically: awaits a person’s judgement';
  if ('below' in b)
    return lang === 'zh'
      ? `${b.rule.zh}：低于较大（III级）各项标准 → IV级`
      : `${b.rule.en}: below every level III threshold → level IV`;
  const f = FIELD[b.field];
  return lang === 'zh'
    ? `${b.rule.zh}：${f.zh} ${b.value}${f.unitZh} ≥ ${b.threshold}${f.unitZh} → ${b.level}级`
    : `${b.rule.en}: ${f.en} ${num(b.value, lang)}${f.unitEn} ≥ ${num(b.threshold, lang)}${f.unitEn} → level ${b.level}`;
}

/** Names of an incident's editable fields, as the log's "changed: …" line lists them. */
const FIELD_NAMES: Record<string, { zh: string; en: string }> = {
  title: { zh: '标题', en: 'title' },
  description: { zh: '描述', en: 'description' },
  typeCode: { zh: '事件类型', en: 'type' },
  occurredAt: { zh: '发生时间', en: 'time of occurrence' },
  location: { zh: '位置', en: 'location' },
  address: { zh: '地址', en: 'address' },
  reporter: { zh: '报告人', en: 'reporter' },
  casualties: { zh: '伤亡', en: 'casualties' },
  directLossWan: { zh: '直接经济损失', en: 'direct loss' },
};

const levelName = (l: string | null | undefined, lang: Lang) =>
  l ? (lang === 'zh' ? `${l}级` : `level ${l}`) : lang === 'zh' ? '未定级' : 'not assessed';

/** The facts a log entry carries, by kind (`data` of the entry). */
export type LogFacts =
  | { kind: 'created'; number: string; level: Level | null }
  | { kind: 'updated'; fields: string[] }
  | { kind: 'level'; from: Level | null; to: Level | null; override?: Level | null }
  | { kind: 'level'; override: Level | null; reason: string | null }
  | { kind: 'status'; from: Status; to: Status; note: string | null }
  | { kind: 'acknowledged'; unitName: string; unitNameEn?: string | null; userName: string }
  | ModuleLogFacts;

/** Facts other modules write on an incident's log through the incidents door (`recordFact`). */
export type ModuleLogFacts =
  /** a digital plan activated at a response level, with the number of department tasks it created */
  | { kind: 'plan_activated'; planName: string; level: Level; tasks: number }
  /** the response level of an activated plan raised or lowered; tasks added and closed */
  | { kind: 'response_level'; planName: string; from: Level; to: Level; added: number; closed: number }
  /** the response under a plan ended; its open tasks closed with the note */
  | { kind: 'response_ended'; planName: string; closed: number; note: string | null }
  /** a rescue team dispatched (ETA by road, or null where no network covers it) */
  | { kind: 'team_dispatched'; teamName: string; etaSeconds: number | null }
  | { kind: 'team_arrived'; teamName: string }
  | { kind: 'team_released'; teamName: string }
  /** a report issued (initial / update / final) with its version */
  | { kind: 'report_issued'; reportKind: 'initial' | 'update' | 'final'; version: number }
  /** another incident merged into this one as a duplicate, or the merge undone */
  | { kind: 'merged'; number: string }
  | { kind: 'unmerged'; number: string };

const REPORT_KIND: Record<string, { zh: string; en: string }> = {
  initial: { zh: '首报', en: 'initial report' },
  update: { zh: '续报', en: 'update report' },
  final: { zh: '终报', en: 'final report' },
};

const minutesText = (s: number | null, lang: Lang) =>
  s === null
    ? lang === 'zh'
      ? '到达时间按直线估计'
      : 'ETA estimated in a straight line'
    : lang === 'zh'
      ? `预计 ${Math.max(1, Math.round(s / 60))} 分钟到达`
      : `ETA ${Math.max(1, Math.round(s / 60))} min`;

/**
 * A log entry in the reader's language, from its kind and facts; undefined when the entry carries no facts to
 * render (a note is the writer's own words; entries written before the facts were kept show their stored text).
 */
export function describeLogEntry(kind: string, data: unknown, lang: Lang): string | undefined {
  const d = (data ?? {}) as Record<string, unknown>;
  const zh = lang === 'zh';
  switch (kind) {
    case 'created': {
      if (typeof d.number !== 'string') return undefined;
      const level = d.level as Level | null;
      if (zh) return `接报登记 ${d.number}${level ? `，计算级别 ${level}` : ''}`;
      return `Reported as ${d.number}${level ? `, computed level ${level}` : ''}`;
    }
    case 'updated': {
      if (!Array.isArray(d.fields)) return undefined;
      const names = (d.fields as string[]).map((f) => FIELD_NAMES[f]?.[lang] ?? f);
      return zh ? `修改：${names.join('、')}` : `Changed: ${names.join(', ')}`;
    }
    case 'level': {
      if ('reason' in d) {
        const o = d.override as Level | null;
        if (o === null)
          return zh ? '取消人工定级，恢复计算级别' : 'Level set by hand withdrawn: the computed level applies';
        return zh ? `人工定级为 ${levelName(o, lang)}：${d.reason}` : `Level set by hand to ${o}: ${d.reason}`;
      }
      if (!('to' in d)) return undefined;
      const from = d.from as Level | null;
      const to = d.to as Level | null;
      const still = d.override
        ? zh
          ? `（人工级别 ${levelName(d.override as Level, lang)} 仍有效）`
          : ` (the level set by hand, ${d.override}, still applies)`
        : '';
      return zh
        ? `计算级别由 ${levelName(from, lang)} 变为 ${levelName(to, lang)}${still}`
        : `Computed level changed from ${levelName(from, lang)} to ${levelName(to, lang)}${still}`;
    }
    case 'status': {
      const from = STATUS_INFO[d.from as Status];
      const to = STATUS_INFO[d.to as Status];
      if (!from || !to) return undefined;
      const note = typeof d.note === 'string' && d.note.trim() ? d.note.trim() : '';
      return zh
        ? `状态：${from.zh} → ${to.zh}${note ? `。${note}` : ''}`
        : `Status: ${from.en} → ${to.en}${note ? `. ${note}` : ''}`;
    }
    case 'acknowledged': {
      if (typeof d.unitName !== 'string') return undefined;
      const unit = !zh && typeof d.unitNameEn === 'string' && d.unitNameEn ? d.unitNameEn : d.unitName;
      return zh ? `接报确认：${unit}（${d.userName}）` : `Acknowledged by ${unit} (${d.userName})`;
    }
    case 'plan_activated':
      if (typeof d.planName !== 'string') return undefined;
      return zh
        ? `启动预案《${d.planName}》${levelName(d.level as Level, lang)}响应，下达部门任务 ${d.tasks} 项`
        : `Plan "${d.planName}" activated at response level ${d.level}: ${d.tasks} department tasks`;
    case 'response_level':
      if (typeof d.planName !== 'string') return undefined;
      return zh
        ? `《${d.planName}》响应级别由 ${levelName(d.from as Level, lang)} 调整为 ${levelName(d.to as Level, lang)}（新增任务 ${d.added} 项，关闭 ${d.closed} 项）`
        : `Response level of "${d.planName}" changed from ${d.from} to ${d.to} (${d.added} tasks added, ${d.closed} closed)`;
    case 'response_ended': {
      if (typeof d.planName !== 'string') return undefined;
      const note = typeof d.note === 'string' && d.note.trim() ? d.note.trim() : '';
      return zh
        ? `《${d.planName}》响应终止，关闭任务 ${d.closed} 项${note ? `。${note}` : ''}`
        : `Response under "${d.planName}" ended, ${d.closed} tasks closed${note ? `. ${note}` : ''}`;
    }
    case 'team_dispatched':
      if (typeof d.teamName !== 'string') return undefined;
      return zh
        ? `调派 ${d.teamName}，${minutesText(d.etaSeconds as number | null, lang)}`
        : `${d.teamName} dispatched, ${minutesText(d.etaSeconds as number | null, lang)}`;
    case 'team_arrived':
      if (typeof d.teamName !== 'string') return undefined;
      return zh ? `${d.teamName} 到达现场` : `${d.teamName} arrived on scene`;
    case 'team_released':
      if (typeof d.teamName !== 'string') return undefined;
      return zh ? `${d.teamName} 撤离归队` : `${d.teamName} released`;
    case 'report_issued': {
      const k = REPORT_KIND[d.reportKind as string];
      if (!k) return undefined;
      return zh ? `报送${k.zh}（第 ${d.version} 版）` : `Issued the ${k.en} (version ${d.version})`;
    }
    case 'merged':
      if (typeof d.number !== 'string') return undefined;
      return zh ? `合并重复事件 ${d.number}` : `Duplicate incident ${d.number} merged into this one`;
    case 'unmerged':
      if (typeof d.number !== 'string') return undefined;
      return zh ? `撤销合并，恢复事件 ${d.number}` : `Merge undone: ${d.number} restored`;
    // the duplicate's own log (the survivor's says `merged` / `unmerged`)
    case 'merged_into':
      if (typeof d.number !== 'string') return undefined;
      return zh ? `作为重复事件并入 ${d.number}` : `Merged into ${d.number} as a duplicate`;
    case 'merge_undone':
      if (typeof d.number !== 'string') return undefined;
      return zh ? `撤销并入 ${d.number}，恢复为独立事件` : `Merge into ${d.number} undone: a separate incident again`;
    default:
      return undefined;
  }
}
