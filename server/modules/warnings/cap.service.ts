/**
 * CAP in and out.
 * In: a document (alert, Atom/RSS feed, EDXL-DE envelope) is read and checked (`cap/cap-read.ts`); each actual
 * alert for this city becomes an area warning (`source: cap`), an Update changes the warning its references name,
 * a Cancel lifts it. Upstream feeds are polled the same way.
 * Out: no warning goes public by itself (Meteorological Law art. 22, CMA Order 16): a user with `warnings.publish`
 * approves (审核签发) and Anlan issues CAP 1.2 — an Alert the first time, an Update after a change, a Cancel after
 * the lift, each referencing the messages before it. An imported warning is relayed as received, its sender named.
 */
import { createHash } from 'node:crypto';
import { COLOUR_INFO, type Colour } from '../../../contracts/monitoring.ts';
import {
  type CapImportReply,
  hazardName,
  type PublishInput,
  PublishInput as PublishInputSchema,
  type Warning,
} from '../../../contracts/warnings.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { areaGeometry, colourOfSeverity, hazardCodeOf, infoFor } from './cap/cap-map.ts';
import { readCap } from './cap/cap-read.ts';
import { type CapAlert, capInstant } from './cap/cap-types.ts';
import { type CapCategory, writeAtomFeed, writeCap } from './cap/cap-write.ts';
import * as repo from './warnings.repository.ts';
import { toWarning, type WarningsService } from './warnings.service.ts';

export interface CapConfig {
  sender: string;
  senderName: { zh: string; en: string };
  publicUrl: string;
}

/** Chinese and English event words → GB/T 35561 codes, for alerts that carry no code (CMA's carry none). */
const EVENT_WORDS: [RegExp, string][] = [
  [/台风|typhoon|tropical|hurricane/i, '11B01'],
  [/暴雨|rainstorm|heavy rain|flash flood/i, '11B03'],
  [/暴雪|blizzard|snow/i, '11B04'],
  [/寒潮|cold wave/i, '11B05'],
  [/大风|gale|wind/i, '11B06'],
  [/沙尘|sand|dust/i, '11B07'],
  [/高温|heat|high temperature/i, '11B09'],
  [/雷电|thunder|lightning/i, '11B14'],
  [/冰雹|hail/i, '11B15'],
  [/霜冻|frost/i, '11B16'],
  [/大雾|fog/i, '11B17'],
  [/地震|earthquake/i, '11C02'],
  [/海啸|tsunami/i, '11E01'],
  [/风暴潮|storm surge/i, '11E02'],
  [/洪水|flood/i, '11A01'],
  [/森林火|bushfire|wildfire|forest fire|fire danger/i, '11G01'],
];

export function hazardOfAlert(a: CapAlert): string {
  const info = infoFor(a, 'zh');
  if (!info) return '19000';
  const coded = hazardCodeOf(info);
  if (coded && /^\d{2}[A-Z0-9]\d{2}$/.test(coded)) return coded;
  for (const i of a.infos) for (const [re, code] of EVENT_WORDS) if (re.test(i.event)) return code;
  if (info.category.includes('Met')) return '11B99';
  return '19000';
}

function colourOfAlert(a: CapAlert): Colour {
  for (const i of a.infos) {
    const p = i.parameter.find((x) => /colou?r|预警颜色/i.test(x.valueName))?.value.toLowerCase();
    for (const c of ['red', 'orange', 'yellow', 'blue'] as const)
      if (p && (p.includes(c) || p.includes(COLOUR_INFO[c].zh))) return c;
  }
  const info = infoFor(a, 'zh');
  return (info && colourOfSeverity(info.severity)) || 'blue';
}

export class CapService {
  constructor(
    private readonly warnings: WarningsService,
    private readonly cfg: CapConfig,
  ) {}

  private get deps() {
    return this.warnings.deps;
  }

  /** Imports a CAP document; a refused one answers 400 with every reason. */
  async importDocument(ctx: RequestCtx, body: Buffer, opts: { skipBadAlerts?: boolean } = {}): Promise<CapImportReply> {
    requirePermission(ctx.actor, 'cap.import');
    const read = readCap(body, { field: 'body', skipBadAlerts: opts.skipBadAlerts });
    const reply: CapImportReply = {
      kind: read.kind,
      warnings: [],
      skipped: [],
      links: read.links,
      signature: read.signature,
    };
    for (const a of read.alerts) {
      const out = await this.importAlert(ctx, a);
      if ('skipped' in out) reply.skipped.push({ identifier: a.identifier, reason: out.skipped });
      else reply.warnings.push({ id: out.id, capIdentifier: a.identifier, action: out.action });
    }
    return reply;
  }

  private async importAlert(
    ctx: RequestCtx,
    a: CapAlert,
  ): Promise<{ id: string; action: string } | { skipped: string }> {
    if (a.status !== 'Actual') return { skipped: `status ${a.status}: not an actual alert` };
    if (a.msgType === 'Ack' || a.msgType === 'Error') return { skipped: `msgType ${a.msgType}` };
    const had = await repo.findByCap(this.deps.db.kysely, a.sender, a.identifier);
    if (had) return { id: had.id, action: 'unchanged' };
    // an Update or Cancel concerns the warning of a message it references
    let earlier: repo.WarningRow | undefined;
    for (const r of a.references) {
      earlier = await repo.findByCap(this.deps.db.kysely, r.sender, r.identifier);
      if (earlier) break;
    }
    if (a.msgType === 'Cancel') {
      if (!earlier) return { skipped: 'Cancel of a message Anlan never received' };
      if (earlier.status !== 'lifted') {
        await this.warnings.liftByCap(ctx, earlier.id, `CAP Cancel ${a.identifier} (${a.sender})`);
        await this.remember(earlier.id, a);
      }
      return { id: earlier.id, action: 'cancelled' };
    }
    const info = infoFor(a, 'zh');
    const infoEn = infoFor(a, 'en');
    if (!info) return { skipped: 'no info block' };
    let area: { type: string; coordinates: unknown } | null = areaGeometry(info);
    let district = area ? await this.districtOf(area.coordinates as number[][][][]) : null;
    if (!area) {
      // geocodes only (as the CMA sends them): an administrative code of one of the city's districts places it
      const codes = info.areas.flatMap((a) => a.geocodes.map((g) => g.value.trim()));
      if (codes.length === 0) return { skipped: 'no polygon, circle or geocode: the area cannot be placed' };
      const hit = await this.districtOfCodes(codes);
      if (!hit) return { skipped: 'its area is not in this city' };
      area = hit.area;
      district = hit.code;
    }
    if (district === undefined) return { skipped: 'its area is not in this city' };
    const colour = colourOfAlert(a);
    const hazard = hazardOfAlert(a);
    if (earlier && earlier.status !== 'lifted') {
      await this.warnings.updateFromCap(ctx, earlier.id, {
        colour,
        title: info.headline ?? info.event,
        titleEn: infoEn?.headline ?? infoEn?.event ?? '',
        description: info.description ?? '',
        expiresAt: info.expires ? capInstant(info.expires) : null,
        geojson: JSON.stringify(area),
      });
      await this.remember(earlier.id, a);
      return { id: earlier.id, action: 'updated' };
    }
    const id = this.deps.ids.next();
    const now = this.deps.clock.now();
    const sent = capInstant(a.sent);
    await this.deps.db.transaction(async (trx) => {
      const number = await nextNumber(trx, 'YJ', now);
      await repo.insertWarning(
        trx,
        {
          id,
          number,
          hazard_code: hazard,
          colour,
          source: 'cap',
          device_id: null,
          device_name: null,
          rule_id: null,
          title: info.headline ?? info.event,
          title_en: infoEn && infoEn !== info ? (infoEn.headline ?? infoEn.event) : '',
          description: info.description ?? '',
          raised_at: sent,
          last_held_at: null,
          district_code: district ?? null,
          geojson: JSON.stringify(area),
          level_history: [{ colour, at: sent.toISOString() }],
          cap_identifier: a.identifier,
          cap_sender: a.sender,
          cap_sent: sent,
          cap_xml: a.xml,
          sender_name: info.senderName ?? a.sender,
          expires_at: info.expires ? capInstant(info.expires) : null,
          owner_unit: ctx.actor.unitCode,
        },
        now,
      );
      await recordAudit(trx, ctx, now, {
        action: 'warning.imported',
        entity: 'warning',
        entityId: id,
        after: { sender: a.sender, identifier: a.identifier, msgType: a.msgType },
      });
      await this.warnings.raisedWrites(trx, id, now);
    });
    this.deps.afterCommit();
    return { id, action: 'created' };
  }

  /** the warning follows the newest message of its sender (an Update of an Update references the last one) */
  private async remember(warningId: string, a: CapAlert): Promise<void> {
    await repo.rememberCap(this.deps.db.kysely, warningId, {
      identifier: a.identifier,
      sent: capInstant(a.sent),
      xml: a.xml,
    });
  }

  /** A district whose administrative code (GB/T 2260, 6 digits; CPEAS codes extend it) begins one of the codes. */
  private async districtOfCodes(
    codes: string[],
  ): Promise<{ code: string; area: { type: string; coordinates: unknown } } | undefined> {
    for (const c of codes) {
      const six = c.replace(/\D/g, '').slice(0, 6);
      if (six.length < 6) continue;
      const area = await this.deps.districtArea(six);
      if (area && six.startsWith('3710')) return { code: six, area };
    }
    return undefined;
  }

  /** The district of the area: of its first vertex or centre that lies in one (undefined: none in the city). */
  private async districtOf(coords: number[][][][]): Promise<string | null | undefined> {
    const pts: number[][] = [];
    for (const poly of coords)
      for (const ring of poly) {
        const n = ring.length;
        const c = ring.reduce((s, p) => [s[0]! + p[0]! / n, s[1]! + p[1]! / n], [0, 0]);
        pts.push(c, ...ring.filter((_, i) => i % Math.max(1, Math.floor(n / 8)) === 0));
      }
    for (const [lng, lat] of pts.slice(0, 200)) {
      const d = await this.deps.districtAt(lng!, lat!);
      if (d) return d.code;
    }
    return undefined;
  }

  // ---- upstream feeds ----

  async listFeeds(ctx: RequestCtx) {
    requirePermission(ctx.actor, 'cap.import');
    const rows = await repo.listFeeds(this.deps.db.kysely);
    return rows.map(feedDto);
  }

  async addFeed(ctx: RequestCtx, input: { url: string; name: string; intervalMinutes?: number; enabled?: boolean }) {
    requirePermission(ctx.actor, 'cap.import');
    if (!/^https?:\/\/[^\s]+$/i.test(input.url))
      throw new AppError('VALIDATION', { field: 'url', reason: 'http:// or https://' });
    const id = this.deps.ids.next();
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      if (await repo.findFeed(trx, { url: input.url }))
        throw new AppError('DUPLICATE', { field: 'url', value: input.url });
      await repo.insertFeed(trx, {
        id,
        url: input.url,
        name: input.name,
        intervalMinutes: input.intervalMinutes ?? 5,
        enabled: input.enabled ?? true,
      });
      await recordAudit(trx, ctx, now, { action: 'cap_feed.created', entity: 'cap_feed', entityId: id, after: input });
    });
    return feedDto((await repo.findFeed(this.deps.db.kysely, { id })) as repo.FeedRow);
  }

  async removeFeed(ctx: RequestCtx, id: string): Promise<void> {
    requirePermission(ctx.actor, 'cap.import');
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      if (!(await repo.deleteFeed(trx, id)))
        throw new AppError('NOT_FOUND', { field: 'id', entity: { zh: 'CAP 订阅源', en: 'CAP feed' } });
      await recordAudit(trx, ctx, now, { action: 'cap_feed.deleted', entity: 'cap_feed', entityId: id });
    });
  }

  /**
   * Polls the feeds that are due (or one now): the document is read alert by alert (a bad alert is skipped and
   * said, the rest imported), an index feed's linked alerts are fetched (at most 50 a poll). One instance polls a
   * feed: it claims it by moving its poll time.
   */
  async poll(ctx: RequestCtx, onlyId?: string): Promise<{ id: string; status: string }[]> {
    const now = this.deps.clock.now();
    const feeds = await repo.listFeeds(this.deps.db.kysely, true);
    const out: { id: string; status: string }[] = [];
    for (const f of feeds) {
      if (
        onlyId
          ? f.id !== onlyId
          : f.last_polled_at && now.getTime() - f.last_polled_at.getTime() < f.interval_minutes * 60_000
      )
        continue;
      if (!(await repo.claimFeed(this.deps.db.kysely, f, now))) continue;
      let status: string;
      let etag = f.etag;
      try {
        const res = await fetch(f.url, {
          headers: {
            accept: 'application/atom+xml, application/rss+xml, application/cap+xml, application/xml',
            ...(f.etag ? { 'if-none-match': f.etag } : {}),
          },
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status === 304) status = 'not modified';
        else if (!res.ok) status = `HTTP ${res.status}`;
        else {
          etag = res.headers.get('etag');
          const doc = await this.importDocument(ctx, Buffer.from(await res.arrayBuffer()), { skipBadAlerts: true });
          let created = doc.warnings.filter((w) => w.action !== 'unchanged').length;
          let fetched = 0;
          for (const link of doc.links.slice(0, 50)) {
            const url = new URL(link, f.url).toString();
            try {
              const r = await fetch(url, { signal: AbortSignal.timeout(20_000) });
              if (!r.ok) continue;
              const one = await this.importDocument(ctx, Buffer.from(await r.arrayBuffer()), { skipBadAlerts: true });
              created += one.warnings.filter((w) => w.action !== 'unchanged').length;
              fetched++;
            } catch {
              // one unreachable alert does not stop the others; the status counts what was fetched
            }
          }
          status = `ok: ${doc.kind}, ${created} new or changed, ${doc.skipped.length} skipped${doc.links.length ? `, ${fetched}/${doc.links.length} linked alerts fetched` : ''}`;
        }
      } catch (err) {
        status =
          err instanceof AppError && Array.isArray(err.details.reasons)
            ? `refused: ${(err.details.reasons as string[]).slice(0, 3).join('; ')}`
            : `error: ${(err as Error).message}`;
      }
      await repo.setFeedStatus(this.deps.db.kysely, f.id, status, etag);
      out.push({ id: f.id, status });
    }
    return out;
  }

  // ---- out ----

  /**
   * 审核签发: the warning goes public as CAP 1.2. Alert the first time; Update when it changed since; Cancel once it
   * is lifted. An imported warning is relayed as received.
   */
  async publish(ctx: RequestCtx, id: string, input: PublishInput): Promise<Warning> {
    requirePermission(ctx.actor, 'warnings.publish');
    checkInput(PublishInputSchema, input);
    const r = await this.warnings.read(ctx, id);
    // drill mode (演练): nothing of an exercise goes outside
    if (r.exercise_id)
      throw new AppError('WARNING_EXERCISE_NOT_PUBLIC', { field: 'id', exercise: r.exercise_title ?? r.exercise_id });
    if (r.version !== input.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      const before = await repo.capMessagesOf(trx, id);
      if (r.source === 'cap') {
        if (before.length > 0) return;
        const xml = await repo.capXmlOf(trx, id);
        if (!xml) throw new AppError('CAP_RELAY_ONLY', { field: 'id' });
        await repo.insertCapMessage(trx, {
          id: this.deps.ids.next(),
          warningId: id,
          identifier: r.cap_identifier as string,
          sender: r.cap_sender as string,
          sent: r.cap_sent ?? now,
          msgType: 'Alert',
          xml,
        });
      } else {
        const last = before[before.length - 1];
        if (last?.msg_type === 'Cancel') return;
        const msgType = r.status === 'lifted' ? 'Cancel' : before.length === 0 ? 'Alert' : 'Update';
        if (msgType === 'Cancel' && before.length === 0) throw new AppError('WARNING_LIFTED', { field: 'id' });
        const identifier = `${this.cfg.sender.replace(/[^A-Za-z0-9._@-]/g, '_')}.${r.number}.${before.length + 1}`;
        const xml = writeCap(this.capOut(r, input, { identifier, msgType, now, before }));
        await repo.insertCapMessage(trx, {
          id: this.deps.ids.next(),
          warningId: id,
          identifier,
          sender: this.cfg.sender,
          sent: now,
          msgType,
          xml,
        });
      }
      await repo.updateWarning(trx, id, { published_at: now, published_by: ctx.actor.name }, now);
      await recordAudit(trx, ctx, now, { action: 'warning.published', entity: 'warning', entityId: id, after: input });
      await this.warnings.changedWrites(trx, id, now);
    });
    this.deps.afterCommit();
    return this.warnings.get(ctx, id);
  }

  private capOut(
    r: repo.WarningRow,
    input: PublishInput,
    m: {
      identifier: string;
      msgType: 'Alert' | 'Update' | 'Cancel';
      now: Date;
      before: { sender: string; identifier: string; sent: Date }[];
    },
  ) {
    const colour = r.colour as Colour;
    const hz = { zh: hazardName(r.hazard_code, 'zh'), en: hazardName(r.hazard_code, 'en') };
    const geo = r.geojson ? (JSON.parse(r.geojson) as { type: string; coordinates: unknown }) : null;
    const area =
      geo && (geo.type === 'Polygon' || geo.type === 'MultiPolygon')
        ? (geo as { type: 'Polygon'; coordinates: number[][][] })
        : geo?.type === 'Point'
          ? pointSquare(geo.coordinates as number[])
          : undefined;
    const category: CapCategory[] = r.hazard_code.startsWith('11B')
      ? ['Met']
      : r.hazard_code.startsWith('11')
        ? ['Geo']
        : ['Safety'];
    const w = toWarning(r, this.deps.districtName);
    const districtName = w.district?.name ?? '威海市';
    return {
      identifier: m.identifier,
      sender: this.cfg.sender,
      sent: m.now,
      status: 'Actual' as const,
      msgType: m.msgType,
      scope: 'Public' as const,
      references: m.before.map((b) => ({ sender: b.sender, identifier: b.identifier, sent: b.sent })),
      hazardCode: r.hazard_code,
      colour,
      category,
      event: { zh: `${hz.zh}${COLOUR_INFO[colour].zh}预警`, en: `${hz.en} ${colour} warning` },
      headline: { zh: input.headline ?? r.title, en: input.headlineEn ?? (r.title_en || `${hz.en} ${colour} warning`) },
      description: {
        zh: input.description ?? (r.description || r.title),
        en: input.descriptionEn ?? (r.title_en || `${hz.en} ${colour} warning`),
      },
      ...(input.instruction
        ? { instruction: { zh: input.instruction, en: input.instructionEn ?? input.instruction } }
        : {}),
      senderName: this.cfg.senderName,
      effective: r.raised_at,
      ...(r.expires_at ? { expires: r.expires_at } : {}),
      web: `${this.cfg.publicUrl}/public/warnings`,
      area: {
        desc: { zh: districtName, en: (w.district && this.deps.districtNameEn(w.district.code)) || 'Weihai' },
        ...(area ? { geometry: area } : {}),
        ...(w.district ? { geocodes: [{ valueName: 'GB/T 2260', value: w.district.code }] } : {}),
      },
    };
  }

  // ---- the public side ----

  async feed(): Promise<string> {
    const rows = await repo.recentCapMessages(this.deps.db.kysely, 200);
    const base = this.cfg.publicUrl;
    return writeAtomFeed(
      rows.map((m) => ({
        id: `urn:anlan:cap:${m.sender}:${m.identifier}`,
        title: titleOf(m.xml) ?? m.identifier,
        updated: m.sent,
        published: m.sent,
        alertUrl: `${base}/public/cap/alerts/${encodeURIComponent(m.identifier)}.xml`,
      })),
      {
        id: `${base}/public/cap/feed.atom`,
        title: `${this.cfg.senderName.zh} 预警信息 / ${this.cfg.senderName.en} warnings`,
        selfUrl: `${base}/public/cap/feed.atom`,
        pageUrl: `${base}/public/warnings`,
        author: this.cfg.senderName.zh,
      },
    );
  }

  async alertXml(identifier: string): Promise<string | undefined> {
    return (await repo.findCapMessage(this.deps.db.kysely, identifier))?.xml;
  }

  /** what the public page lists: the newest message of each published warning, newest first */
  async publicWarnings(): Promise<{ identifier: string; msgType: string; sent: Date; xml: string; etag: string }[]> {
    const rows = await repo.recentCapMessages(this.deps.db.kysely, 200);
    const seen = new Set<string>();
    const out = [];
    for (const m of rows) {
      if (seen.has(m.warning_id)) continue;
      seen.add(m.warning_id);
      out.push({
        identifier: m.identifier,
        msgType: m.msg_type,
        sent: m.sent,
        xml: m.xml,
        etag: createHash('sha1').update(m.xml).digest('hex'),
      });
    }
    return out;
  }
}

function feedDto(r: {
  id: string;
  url: string;
  name: string;
  enabled: boolean;
  interval_minutes: number;
  last_polled_at: Date | null;
  last_status: string;
}) {
  return {
    id: r.id,
    url: r.url,
    name: r.name,
    enabled: r.enabled,
    intervalMinutes: r.interval_minutes,
    lastPolledAt: r.last_polled_at ? r.last_polled_at.toISOString() : null,
    lastStatus: r.last_status,
  };
}

function titleOf(xml: string): string | undefined {
  return /<headline>([^<]*)<\/headline>/.exec(xml)?.[1];
}

/** A device's warning has a point: CAP needs an area, so a 1 km square around it (said in the area's description). */
function pointSquare([lng, lat]: number[]): { type: 'Polygon'; coordinates: number[][][] } {
  const d = 0.005;
  const x = lng as number;
  const y = lat as number;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x - d, y - d],
        [x + d, y - d],
        [x + d, y + d],
        [x - d, y + d],
        [x - d, y - d],
      ],
    ],
  };
}

export type { Tx };
