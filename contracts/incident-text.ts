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
  | { kind: 'acknowledged'; unitName: string; unitNameEn?: string | null; userName: string };

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
    default:
      return undefined;
  }
}
