import { readFileSync, statSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';
import type { Tx } from '../db/index.ts';
import { hashOfRow, verifyAudit } from './audit.ts';
import { readAnchors } from './audit-anchors.ts';

let t: TestApp;
let admin: { token: string };
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.stop());

/** Someone with database access going around the append-only trigger; what they did is put back afterwards. */
async function attack(fromSeq: number, fn: (db: Tx) => Promise<void>, check: () => Promise<void>) {
  const saved = await t.db.kysely.selectFrom('audit_log').selectAll().where('seq', '>=', fromSeq).execute();
  const trigger = (on: boolean) =>
    sql.raw(`alter table audit_log ${on ? 'enable' : 'disable'} trigger audit_log_no_update`).execute(t.db.kysely);
  await trigger(false);
  try {
    await fn(t.db.kysely);
  } finally {
    await trigger(true);
  }
  try {
    await check();
  } finally {
    await trigger(false);
    await sql`delete from audit_log where seq >= ${fromSeq}`.execute(t.db.kysely);
    if (saved.length)
      await t.db.kysely
        .insertInto('audit_log')
        .values(saved.map((r) => ({ ...r, before: JSON.stringify(r.before), after: JSON.stringify(r.after) })))
        .execute();
    await trigger(true);
  }
}

/** Recomputes every hash from `fromSeq` on: what an attacker does so that the chain links again. */
async function recomputeFrom(db: Tx, fromSeq: number) {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', fromSeq).orderBy('seq').execute();
  let prev = rows[0].prev_hash;
  for (const r of rows) {
    const hash = hashOfRow(prev, r);
    await sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`.execute(db);
    prev = hash;
  }
}

async function writeRows(label: string, n: number) {
  for (let k = 0; k < n; k++)
    await t.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody({ title: `${label} ${k}` }) });
}

describe('anchors of the audit chain outside the database', () => {
  it('are written to a file of mode 0600 when the head moved', async () => {
    await writeRows('锚', 1);
    const a = await t.anchors.anchorNow();
    const head = await t.db.kysely
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(a).toMatchObject({ seq: Number(head.seq), hash: head.hash });
    expect(await t.anchors.anchorNow()).toBeUndefined();
    expect(t.anchors.path).toBe(`${t.dataDir}/audit-anchors.log`);
    expect(statSync(t.anchors.path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(t.anchors.path, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual(a);
    const ok = (await t.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
    expect(ok.firstTampered).toBeNull();
    expect(ok.anchors.checked).toBe(ok.anchors.count);
  });

  it('reveal a row rewritten with every later hash recomputed, naming the anchored row', async () => {
    await writeRows('改写', 3);
    const anchored = await t.anchors.anchorNow();
    if (!anchored) throw new Error('no anchor written');
    const earlier =
      readAnchors(t.anchors.path)
        .anchors.filter((x) => x.seq < anchored.seq)
        .at(-1)?.seq ?? 0;
    const victim = anchored.seq - 2;
    await attack(
      victim,
      async (db) => {
        await sql`update audit_log set actor_name = 'someone else' where seq = ${victim}`.execute(db);
        await recomputeFrom(db, victim);
      },
      async () => {
        // The chain alone is fooled: every link and hash agrees again.
        expect((await verifyAudit(t.db)).firstTampered).toBeNull();
        const r = (await t.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
        expect(r.firstTampered).toMatchObject({ seq: anchored.seq, reason: 'anchor', after: earlier });
      },
    );
  });

  it('reveal the newest rows removed', async () => {
    await writeRows('删除', 3);
    const anchored = await t.anchors.anchorNow();
    if (!anchored) throw new Error('no anchor written');
    const keep = anchored.seq - 3;
    await attack(
      keep + 1,
      async (db) => {
        await sql`delete from audit_log where seq > ${keep}`.execute(db);
      },
      async () => {
        expect((await verifyAudit(t.db)).firstTampered).toBeNull();
        const r = (await t.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
        expect(r.firstTampered.reason).toBe('truncated');
        expect(r.firstTampered.seq).toBeGreaterThan(keep);
        expect(r.head.seq).toBe(keep);
      },
    );
  });

  it('write a last anchor when stopped (the app stops them at shutdown, after the last write)', async () => {
    await writeRows('关机', 1);
    const head = await t.db.kysely
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.anchors.stop();
    expect(readAnchors(t.anchors.path).anchors.at(-1)?.seq).toBe(Number(head.seq));
  });
});
