import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders, WEB_DIST } from '../../app.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../../test/helpers.ts';
import { addressMatcher } from './address-list.ts';

let t: TestApp;
let admin: { token: string; cookie: string };
let viewer: { token: string };
beforeAll(async () => {
  t = await startTestApp({ ANLAN_METRICS_ALLOW: '10.1.0.0/16, 192.0.2.7' });
  admin = await t.login('admin', ADMIN_PASSWORD);
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

function directives(csp: unknown): Map<string, string[]> {
  return new Map(
    String(csp)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  it.each([['/healthz'], ['/api/v1/system/info'], ['/']])(
    '%s: a CSP without inline script, no framing, nosniff, no referrer, no HSTS over HTTP',
    async (url) => {
      if (url === '/' && !existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is not built');
      const r = await t.api('GET', url);
      expect(r.statusCode).toBe(200);
      const csp = directives(r.headers['content-security-policy']);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('worker-src')).toContain('blob:');
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      for (const values of csp.values()) for (const v of values) expect(v).not.toMatch(/^(https?:|\*)/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    },
  );
});

describe('security headers under TLS', () => {
  it('add HSTS and send subresources to https', () => {
    const tls = securityHeaders(true);
    expect(tls.hsts).toMatchObject({ maxAge: 31_536_000 });
    expect(tls.contentSecurityPolicy.directives).toHaveProperty('upgrade-insecure-requests');
    expect(securityHeaders(false).hsts).toBe(false);
  });
});

describe('what anonymous callers see', () => {
  it('metrics need the system.metrics permission (admin by default) or an allowed address', async () => {
    expect((await t.api('GET', '/metrics')).statusCode).toBe(401);
    expect((await t.api('GET', '/metrics', { token: viewer.token })).statusCode).toBe(403);
    const m = await t.api('GET', '/metrics', { token: admin.token });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('process_resident_memory_bytes');
    for (const address of ['10.1.200.3', '192.0.2.7', '::ffff:10.1.0.9']) {
      const r = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: address });
      expect(r.statusCode, address).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.2.0.1' })).statusCode).toBe(401);
  });

  it('the OpenAPI document and the docs page are for signed-in users', async () => {
    for (const url of ['/api/openapi.json', '/api/docs/', '/api/docs/json', '/api/docs/yaml']) {
      expect((await t.api('GET', url)).statusCode, url).toBe(401);
    }
    expect((await t.api('GET', '/api/openapi.json', { token: viewer.token })).json().openapi).toMatch(/^3\./);
    // The page in a browser: the session cookie.
    const page = await t.api('GET', '/api/docs/', { headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-initializer.js');
    expect((await t.api('GET', '/api/docs/json', { headers: { cookie: admin.cookie } })).statusCode).toBe(200);
  });

  it('system info tells anonymous callers no versions; signed-in users get them', async () => {
    const anonymous = (await t.api('GET', '/api/v1/system/info')).json();
    expect(anonymous.name).toBeTruthy();
    expect(anonymous).not.toHaveProperty('version');
    expect(anonymous).not.toHaveProperty('engine');
    const signedIn = (await t.api('GET', '/api/v1/system/info', { token: viewer.token })).json();
    expect(signedIn.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(signedIn.engine).toBe(t.db.engine);
  });

  it('a path written differently reaches no route unsigned (`/%61pi/v1/…` is `/api/v1/…`)', async () => {
    for (const url of ['/%61pi/v1/audit?limit=1', '/%61pi/v1/org/users', '/api/v1/%61udit', '/%61pi/openapi.json']) {
      const r = await t.api('GET', url);
      expect(r.statusCode, url).toBe(401);
    }
  });
});

describe('address lists', () => {
  it('match addresses and CIDR blocks, IPv4 and IPv6', () => {
    const m = addressMatcher(['10.0.0.0/8', '192.0.2.7', 'fd00::/8'])!;
    expect(m('10.255.0.1')).toBe(true);
    expect(m('::ffff:10.0.0.1')).toBe(true);
    expect(m('192.0.2.7')).toBe(true);
    expect(m('192.0.2.8')).toBe(false);
    expect(m('fd12::1')).toBe(true);
    expect(m('fe80::1')).toBe(false);
    expect(m('not an address')).toBe(false);
    expect(addressMatcher([])).toBeUndefined();
  });
});
