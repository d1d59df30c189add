import { afterEach, describe, expect, it } from 'vitest';
import { MODULES } from '../../modules.ts';
import { routeOwner } from '../../platform/http/prefixes.ts';
import { defineModule } from '../../platform/module.ts';
import { openTestApp, type TestApp } from '../helpers.ts';
import { freshDatabase } from '../template.ts';

describe('route prefixes', () => {
  it('give a URL to the module with the longest declared prefix', () => {
    const declared = [
      { prefix: '/api/v1/incidents', module: 'incidents' },
      { prefix: '/api/v1/incidents/:id/activations', module: 'plans' },
    ];
    expect(routeOwner(declared, '/api/v1/incidents/:id')).toBe('incidents');
    expect(routeOwner(declared, '/api/v1/incidents/:id/activations')).toBe('plans');
    expect(routeOwner(declared, '/api/v1/teams')).toBeUndefined();
  });
});

describe('a module', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('adds its routes, permissions and map layers by its descriptor alone', async () => {
    const rehearsals = defineModule({
      name: 'rehearsals',
      permissions: [{ code: 'rehearsals.read', zh: '查看演练', en: 'View rehearsals', roles: ['viewer'] }],
      create: () => ({ count: () => 3 }),
      routes: {
        prefixes: ['/api/v1/rehearsals'],
        register(app, api) {
          app.get('/api/v1/rehearsals/count', { config: { permission: 'rehearsals.read' } }, async () => ({
            n: api.count(),
          }));
        },
      },
      map: () => ({
        layers: [
          {
            layer: {
              id: 'rehearsals',
              name: '演练',
              nameEn: 'Drills',
              group: 'rehearsals',
              source: { kind: 'geojson', url: '/api/v1/rehearsals/geojson' },
              geometry: 'point',
              defaultOn: false,
              legend: [],
            },
            permission: 'rehearsals.read',
            order: 90,
          },
        ],
      }),
    });
    t = await openTestApp(await freshDatabase(), {}, { modules: [...MODULES, rehearsals] });
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/rehearsals/count', { token: viewer.token })).json()).toEqual({ n: 3 });
    const layers = (await t.api('GET', '/api/v1/map/layers', { token: viewer.token })).json().items;
    expect(layers.map((l: { id: string }) => l.id)).toContain('rehearsals');
    const field = await t.userWith('field_responder', 'xfzd', 'city');
    expect((await t.api('GET', '/api/v1/rehearsals/count', { token: field.token })).statusCode).toBe(403);
  });

  it('may not register a route outside its declared prefixes', async () => {
    const rogue = defineModule({
      name: 'rogue',
      create: () => ({}),
      routes: {
        prefixes: ['/api/v1/rogue'],
        register(app) {
          app.get('/api/v1/incidents/:id/steal', async () => ({}));
        },
      },
    });
    const fresh = await freshDatabase();
    await expect(openTestApp(fresh, {}, { modules: [...MODULES, rogue] })).rejects.toThrow(
      /module rogue: route GET \/api\/v1\/incidents\/:id\/steal lies outside its declared prefixes/,
    );
    await fresh.drop();
  });
});
