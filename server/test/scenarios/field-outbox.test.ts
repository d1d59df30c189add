// The field app's outbox (web/src/features/field/outbox.ts) against the real server path: replaying after the
// connection dropped between the server's answer and the phone creates each item once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, Outbox, type Transport } from '../../../web/src/features/field/outbox.ts';
import { incidentBody, startTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  ({ token } = await t.loginAs('field_responder'));
});
afterAll(() => t.stop());

/** The app over HTTP injection, as fetch would send it: JSON body, bearer, Idempotency-Key. */
const http: Transport = async (item, path, key) => {
  const r = await t.api(item.method, `/api/v1${path}`, {
    token,
    body: item.body,
    headers: { 'idempotency-key': key, 'accept-language': 'en' },
  });
  return { status: r.statusCode, body: r.body ? r.json() : null };
};

async function titled(title: string): Promise<number> {
  return (await t.db.kysely.selectFrom('incidents').select('id').where('title', '=', title).execute()).length;
}

describe('field outbox replay', () => {
  it('the answer lost after the server created the incident: replaying twice creates it once', async () => {
    let calls = 0;
    // the first attempt reaches the server, which creates the incident, but the phone never hears the answer
    const flaky: Transport = async (item, path, key) => {
      calls++;
      const r = await http(item, path, key);
      if (calls === 1) throw new TypeError('Failed to fetch');
      return r;
    };
    const outbox = new Outbox(new MemoryStore(), flaky);
    const item = await outbox.add({
      kind: 'incident',
      label: '现场上报',
      method: 'POST',
      path: '/incidents',
      body: incidentBody({ title: '离线上报一' }),
    });
    await outbox.replay();
    expect((await outbox.items())[0]).toMatchObject({ id: item.id, state: 'queued', attempts: 1 });
    expect(await titled('离线上报一')).toBe(1);

    await outbox.replay();
    const [sent] = await outbox.items();
    expect(sent).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await titled('离线上报一')).toBe(1);
    // the answer kept is the first one: the incident the server made then
    const row = await t.db.kysely
      .selectFrom('incidents')
      .select('id')
      .where('title', '=', '离线上报一')
      .executeTakeFirstOrThrow();
    expect((sent.result as { id: string }).id).toBe(row.id);

    // a third replay sends nothing
    await outbox.replay();
    expect(calls).toBe(2);
  });

  it('sends in order; a refusal is shown with its message and not retried, the rest still go', async () => {
    let sent = 0;
    const counting: Transport = async (item, path, key) => {
      sent++;
      return http(item, path, key);
    };
    const outbox = new Outbox(new MemoryStore(), counting);
    await outbox.add({
      kind: 'incident',
      label: 'a',
      method: 'POST',
      path: '/incidents',
      body: incidentBody({ title: '离线上报二' }),
    });
    await outbox.add({
      kind: 'incident',
      label: 'bad',
      method: 'POST',
      path: '/incidents',
      body: incidentBody({ title: '离线上报三', typeCode: '99Z99' }),
    });
    await outbox.add({
      kind: 'incident',
      label: 'c',
      method: 'POST',
      path: '/incidents',
      body: incidentBody({ title: '离线上报四' }),
    });
    await outbox.replay();
    const items = await outbox.items();
    expect(items.map((i) => i.state)).toEqual(['sent', 'failed', 'sent']);
    expect(items[1].error).toMatchObject({ status: 400, code: 'UNKNOWN_TYPE_CODE' });
    expect(items[1].error?.message).toContain('99Z99');
    await outbox.replay();
    expect(sent).toBe(3);
    expect(await titled('离线上报二')).toBe(1);
    expect(await titled('离线上报四')).toBe(1);
  });

  it('offline: nothing is lost, and what depends on a report waits for it and uses its id', async () => {
    let online = false;
    const net: Transport = async (item, path, key) => {
      if (!online) throw new TypeError('Failed to fetch');
      return http(item, path, key);
    };
    const outbox = new Outbox(new MemoryStore(), net);
    const report = await outbox.add({
      kind: 'incident',
      label: 'r',
      method: 'POST',
      path: '/incidents',
      body: incidentBody({ title: '离线上报五' }),
    });
    await outbox.add({
      kind: 'task',
      label: 'note',
      method: 'POST',
      path: '/incidents/{ref}/log',
      body: { text: '现场照片稍后补充' },
      dependsOn: report.id,
    });
    await outbox.replay();
    expect((await outbox.items()).map((i) => i.state)).toEqual(['queued', 'queued']);
    online = true;
    await outbox.replay();
    const items = await outbox.items();
    expect(items.map((i) => i.state)).toEqual(['sent', 'sent']);
    const incidentId = (items[0].result as { id: string }).id;
    const log = await t.api('GET', `/api/v1/incidents/${incidentId}/log`, { token });
    expect((log.json() as { items: { text: string }[] }).items.map((e) => e.text)).toContain('现场照片稍后补充');
  });
});
