// Dispatch: nearest teams by road (ordering, a closure changing it, estimates off the network), orders with their
// status and 409s, arrival and release, positions over HTTP and MQTT, and the scope refusals.
// One whole app: closures, positions and MQTT go through their real paths; rules are asked of the service.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NearestTeamsReply } from '../../../contracts/dispatch.ts';
import type { TeamInput } from '../../../contracts/forces.ts';
import { type GeoApi, NetworkBuilder } from '../../geo/index.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { makeIncident, seededCtx } from '../../test/factories.ts';
import { refusal, startTestApp, type TestApp } from '../../test/helpers.ts';
import * as dsp from './dispatch.service.ts';
import * as svc from './forces.service.ts';
import type { ForcesInternal } from './module.ts';

// 文登区, inland: a main road eastwards (60 km/h, one kilometre a minute) and a detour 1 km north of it from km 1
// to km 6, so that closing the main road between km 3 and 4 sends a team at km 2 the long way round (9 km).
const LAT = 37.15;
const LON = 121.95;
const KM_LON = 1 / (111.32 * Math.cos((LAT * Math.PI) / 180));
const KM_LAT = 1 / 111.32;
const at = (x: number, y = 0): [number, number] => [LON + x * KM_LON, LAT + y * KM_LAT];

function network() {
  const b = new NetworkBuilder(() => 60);
  const main: number[] = [];
  const v: number[] = [];
  for (let i = 0; i <= 40; i++) v.push(b.vertex(...at(i / 4)));
  for (let i = 0; i < 40; i++) main.push(b.add(v[i], v[i + 1], 'primary', '主路', false, 60));
  // the detour: up at km 1, along at 1 km north to km 6, down at km 6
  const up = [v[4], b.vertex(...at(1, 0.5)), b.vertex(...at(1, 1))];
  const along = [up[2]];
  for (let i = 5; i <= 24; i++) along.push(b.vertex(...at(i / 4, 1)));
  const down = [along[along.length - 1], b.vertex(...at(6, 0.5)), v[24]];
  for (const line of [up, along, down])
    for (let i = 0; i + 1 < line.length; i++) b.add(line[i], line[i + 1], 'secondary', '绕行路', false, 60);
  return { net: b.build(), main };
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('dispatch', () => {
  let t: TestApp;
  let deps: dsp.DispatchDeps;
  let commander: RequestCtx;
  let viewer: RequestCtx;
  let mainRoad: number[];
  let incidentId: string;
  let port: number;
  const teams: Record<string, string> = {};

  const team = (name: string, loc: [number, number], extra: Partial<TeamInput> = {}): TeamInput => ({
    name,
    type: 'professional',
    location: { type: 'Point', coordinates: loc },
    ...extra,
  });

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ MQTT_PORT: String(port) });
    deps = t.platform.module<ForcesInternal>('forces').deps;
    commander = await seededCtx(t.platform, 'commander');
    viewer = await seededCtx(t.platform, 'viewer');
    const { net, main } = network();
    mainRoad = main;
    await t.platform.module<GeoApi>('geo').installNetwork(systemCtx(), net, {
      name: 'dispatch test roads',
      synthetic: true,
      source: 'test',
      attribution: 'test',
    });
    teams.west = (await svc.createTeam(deps, commander, team('西队 km2', at(2)))).id;
    teams.east = (await svc.createTeam(deps, commander, team('东队 km9', at(9)))).id;
    // 30 km north of the road: off the network, a straight-line estimate
    teams.far = (await svc.createTeam(deps, commander, team('北山队', at(5, 30)))).id;
    teams.resting = (await svc.createTeam(deps, commander, team('休整队 km4.5', at(4.5), { status: 'resting' }))).id;
    teams.fire = (
      await svc.createTeam(deps, commander, team('消防站 km8', at(8), { type: 'fire_rescue', stationClass: 'class2' }))
    ).id;
    incidentId = (await makeIncident(t.platform, commander, { location: { type: 'Point', coordinates: at(5) } })).id;
  });
  afterAll(() => t?.stop());

  const nearest = (q: Parameters<typeof dsp.nearestTeams>[3] = {}, ctx = commander) =>
    dsp.nearestTeams(deps, ctx, incidentId, q);
  const names = (r: NearestTeamsReply) => r.items.map((i) => i.name);

  it('ranks the dispatchable teams by road time to the incident, estimates off the network last', async () => {
    const r = await nearest();
    expect(names(r)).toEqual(['西队 km2', '消防站 km8', '东队 km9', '北山队']);
    expect(r.total).toBe(4);
    const [west, fire, east, far] = r.items;
    expect(west.etaSeconds).toBeGreaterThan(170);
    expect(west.etaSeconds).toBeLessThan(200);
    expect(west.meters).toBeCloseTo(3000, -1);
    expect(east.meters).toBeCloseTo(4000, -1);
    expect(fire.meters).toBeCloseTo(3000, -1);
    expect([west.estimated, fire.estimated, east.estimated]).toEqual([false, false, false]);
    // 30 km × 1.4 at 40 km/h
    expect(far.estimated).toBe(true);
    expect(far.meters).toBeCloseTo(30_000 * 1.4, -2);
    expect(far.etaSeconds).toBeCloseTo((30 * 1.4 * 3600) / 40, -1);
    expect(west.from).toBe('base');
    expect(r.incidentOffNetwork).toBe(false);
  });

  it('filters by type and status, and cuts at the limit', async () => {
    expect(names(await nearest({ type: 'fire_rescue' }))).toEqual(['消防站 km8']);
    expect(names(await nearest({ status: ['resting'] }))).toEqual(['休整队 km4.5']);
    const two = await nearest({ limit: 2 });
    expect(names(two)).toEqual(['西队 km2', '消防站 km8']);
    expect(two.total).toBe(4);
  });

  it('a closure in force changes the order; cleared, the order comes back', async () => {
    const admin = (await t.login('admin', 'Admin-pass-1')).token;
    // the main road between km 3 and km 4
    const c = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: { roadIds: mainRoad.slice(12, 16), cause: '桥梁受损' },
    });
    expect(c.statusCode).toBe(201);
    const during = await nearest();
    expect(names(during)).toEqual(['消防站 km8', '东队 km9', '西队 km2', '北山队']);
    expect(during.closures).toBe(true);
    // km 2 → km 1 → north → km 6 → south → km 5: 9 km
    expect(during.items[2].meters).toBeCloseTo(9000, -2);
    const cleared = await t.api('POST', `/api/v1/closures/${c.json().id}/clear`, { token: admin });
    expect(cleared.statusCode).toBe(200);
    expect(names(await nearest())[0]).toBe('西队 km2');
  });

  it('an incident off the network: every team is an estimate', async () => {
    const off = await makeIncident(t.platform, commander, { location: { type: 'Point', coordinates: at(5, 20) } });
    const r = await dsp.nearestTeams(deps, commander, off.id, {});
    expect(r.incidentOffNetwork).toBe(true);
    expect(r.items.every((i) => i.estimated)).toBe(true);
    // 北山队 is 10 km from it, the others about 20
    expect(r.items[0].name).toBe('北山队');
  });

  it('refuses those who may not dispatch, over the service and HTTP', async () => {
    expect(await refusal(nearest({}, viewer))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const v = await t.loginAs('viewer');
    const r = await t.api('GET', `/api/v1/incidents/${incidentId}/nearest-teams`, { token: v.token });
    expect(r.statusCode).toBe(403);
    const duty = await t.loginAs('duty_officer');
    const ok = await t.api('GET', `/api/v1/incidents/${incidentId}/nearest-teams?limit=3`, { token: duty.token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items).toHaveLength(3);
  });

  it('dispatches a team: the order with route and ETA, the team deployed, the log; again elsewhere is a 409', async () => {
    const d = await dsp.dispatchTeam(deps, commander, incidentId, { teamId: teams.west, note: '先期处置' });
    expect(d).toMatchObject({ state: 'en_route', estimated: false, from: 'base', note: '先期处置', arrivedAt: null });
    expect(d.team).toMatchObject({ id: teams.west, name: '西队 km2' });
    expect(d.route.type).toBe('LineString');
    expect(d.route.coordinates.length).toBeGreaterThan(2);
    expect(d.etaSeconds).toBeGreaterThan(170);
    expect(d.meters).toBeCloseTo(3000, -1);
    expect(d.dispatchedBy?.id).toBe(commander.actor.id);
    const st = await svc.getTeam(deps, commander, teams.west);
    expect(st.status).toBe('deployed');
    const history = await svc.statusHistory(deps, commander, teams.west, {});
    expect(history.items[0]).toMatchObject({ status: 'deployed', previous: 'available' });
    // no longer a candidate
    expect(names(await nearest())).not.toContain('西队 km2');
    const log = await t.platform.db.kysely
      .selectFrom('incident_log')
      .select(['kind', 'text'])
      .where('incident_id', '=', incidentId)
      .where('kind', '=', 'team_dispatched')
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0].text).toContain('西队 km2');
    const events = await sql<{ type: string }>`select type from outbox where entity_id::text = ${teams.west}`.execute(
      t.platform.db.kysely,
    );
    expect(events.rows.map((e) => e.type)).toEqual(expect.arrayContaining(['team.dispatched', 'team.status']));

    const other = await makeIncident(t.platform, commander, { location: { type: 'Point', coordinates: at(7) } });
    const busy = await refusal(dsp.dispatchTeam(deps, commander, other.id, { teamId: teams.west }), 'en');
    expect(busy).toMatchObject({ code: 'TEAM_ALREADY_DISPATCHED', status: 409, field: 'teamId' });
    const number = (
      await t.platform.db.kysely
        .selectFrom('incidents')
        .select('number')
        .where('id', '=', incidentId)
        .executeTakeFirstOrThrow()
    ).number;
    expect(busy.message).toContain(number);
    // a resting team is not sent
    expect(await refusal(dsp.dispatchTeam(deps, commander, other.id, { teamId: teams.resting }))).toMatchObject({
      code: 'TEAM_NOT_DISPATCHABLE',
      status: 409,
      field: 'teamId',
    });
    // nor by a viewer
    expect(await refusal(dsp.dispatchTeam(deps, viewer, other.id, { teamId: teams.east }))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('arrival then release: the team available again, each recorded; a second release is a 409', async () => {
    const [d] = (await dsp.listDispatches(deps, commander, incidentId)).items.filter((x) => x.team.id === teams.west);
    const arrived = await dsp.arrive(deps, commander, d.id);
    expect(arrived.state).toBe('arrived');
    expect(arrived.arrivedAt).not.toBeNull();
    expect(await refusal(dsp.arrive(deps, commander, d.id))).toMatchObject({ code: 'DISPATCH_ARRIVED', status: 409 });
    expect((await svc.getTeam(deps, commander, teams.west)).status).toBe('deployed');
    const released = await dsp.release(deps, commander, d.id, { note: '处置完毕' });
    expect(released).toMatchObject({ state: 'released', releaseNote: '处置完毕' });
    expect((await svc.getTeam(deps, commander, teams.west)).status).toBe('available');
    expect(await refusal(dsp.release(deps, commander, d.id))).toMatchObject({ code: 'DISPATCH_RELEASED', status: 409 });
    const kinds = await t.platform.db.kysely
      .selectFrom('incident_log')
      .select('kind')
      .where('incident_id', '=', incidentId)
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['team_arrived', 'team_released']));
    // the list over HTTP, with the route as GeoJSON
    const c = await t.loginAs('commander');
    const list = await t.api('GET', `/api/v1/incidents/${incidentId}/dispatches`, { token: c.token });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ state: 'released', route: { type: 'LineString' } });
    // sent again now that it is free: over HTTP, 201
    const again = await t.api('POST', `/api/v1/incidents/${incidentId}/dispatches`, {
      token: c.token,
      headers: { 'x-csrf-token': c.csrf },
      body: { teamId: teams.west },
    });
    expect(again.statusCode).toBe(201);
    const rel = await t.api('POST', `/api/v1/dispatches/${again.json().id}/release`, { token: c.token, body: {} });
    expect(rel.statusCode).toBe(200);
  });

  it('positions over HTTP: the newest wins, a fresh one is where the team starts from; times checked; scope', async () => {
    const wendeng = await t.userWith('field_responder', '371003', 'district');
    const huancui = await t.userWith('field_responder', '371002', 'district');
    const now = Date.now();
    const post = (token: string, ts: number, loc: [number, number]) =>
      t.api('POST', `/api/v1/teams/${teams.east}/positions`, {
        token,
        body: { ts: new Date(ts).toISOString(), location: { type: 'Point', coordinates: loc } },
      });
    // 东队 drives to km 5.5: now it is the nearest
    const r = await post(wendeng.token, now - 5_000, at(5.5));
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ accepted: true, latest: true });
    const older = await post(wendeng.token, now - 60_000, at(9));
    expect(older.json()).toEqual({ accepted: true, latest: false });
    const n = await nearest();
    expect(n.items[0]).toMatchObject({ name: '东队 km9', from: 'position' });
    expect(n.items[0].meters).toBeCloseTo(500, -1);
    const future = await post(wendeng.token, now + 5 * 60_000, at(5.5));
    expect(future.statusCode).toBe(400);
    expect(future.json().error).toMatchObject({ code: 'POSITION_IN_FUTURE', field: 'ts' });
    const old = await post(wendeng.token, now - 2 * 86_400_000, at(5.5));
    expect(old.json().error).toMatchObject({ code: 'POSITION_TOO_OLD', field: 'ts' });
    const out = await post(huancui.token, now, at(5.5));
    expect(out.statusCode).toBe(403);
    expect(out.json().error).toMatchObject({ code: 'OUT_OF_SCOPE' });
    const v = await t.loginAs('viewer');
    expect((await post(v.token, now, at(5.5))).statusCode).toBe(403);
    const kept = await t.platform.db.kysely
      .selectFrom('team_positions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', teams.east)
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(2);
    const events = await sql<{ payload: { teamId: string; lng: number } }>`
      select payload from outbox where type = 'team.position' and entity_id::text = ${teams.east}`.execute(
      t.platform.db.kysely,
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].payload.lng).toBeCloseTo(at(5.5)[0], 6);
  });

  it('positions over MQTT: login name and API token; refused for a team out of scope', {
    timeout: 30_000,
  }, async () => {
    const admin = (await t.login('admin', 'Admin-pass-1')).token;
    const user = await t.userWith('field_responder', '371003', 'district');
    const username = (await t.platform.access.getUser(systemCtx(), user.id)).username;
    const tok = await t.api('POST', '/api/v1/auth/tokens', { token: admin, body: { name: 'gps', userId: user.id } });
    expect(tok.statusCode).toBe(200);
    const token = tok.json().token as string;
    const url = `mqtt://127.0.0.1:${port}`;
    await expect(mqtt.connectAsync(url, { username, password: 'anl_wrong', reconnectPeriod: 0 })).rejects.toThrow();
    await expect(
      mqtt.connectAsync(url, { username: 'someone-else', password: token, reconnectPeriod: 0 }),
    ).rejects.toThrow();
    const c = await mqtt.connectAsync(url, { username, password: token, reconnectPeriod: 0 });
    const ts = new Date().toISOString();
    await c.publishAsync(
      `anlan/v1/teams/${teams.east}/positions`,
      JSON.stringify({ ts, location: { type: 'Point', coordinates: at(5.4) } }),
      { qos: 1 },
    );
    const row = await t.platform.db.kysely
      .selectFrom('teams')
      .select('position_at')
      .where('id', '=', teams.east)
      .executeTakeFirstOrThrow();
    expect(row.position_at?.toISOString()).toBe(ts);
    await c.endAsync(true);

    // a Huancui responder's token: the Wendeng team is out of scope, the broker closes the connection
    const other = await t.userWith('field_responder', '371002', 'district');
    const otherName = (await t.platform.access.getUser(systemCtx(), other.id)).username;
    const tok2 = await t.api('POST', '/api/v1/auth/tokens', { token: admin, body: { name: 'gps', userId: other.id } });
    const c2 = await mqtt.connectAsync(url, { username: otherName, password: tok2.json().token, reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => c2.once('close', () => resolve()));
    c2.publish(
      `anlan/v1/teams/${teams.east}/positions`,
      JSON.stringify({ ts: new Date().toISOString(), location: { type: 'Point', coordinates: at(1, 1) } }),
      { qos: 1 },
    );
    await closed;
    const after = await t.platform.db.kysely
      .selectFrom('team_positions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', teams.east)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(3);
    await c2.endAsync(true);
  });
});
