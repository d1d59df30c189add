import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demo).toBe(true);
    expect(c.sharedData).toMatch(/shared\/data$/);
    expect(c.tls).toBeUndefined();
    expect(c.logLevel).toBe('info');
    expect(c.trustProxy).toBe(false);
    expect(c.importDir).toBe(`${c.dataDir}/imports`);
    expect(c.uploadMaxBytes).toBe(1024 * 1024 * 1024);
    expect(loadConfig({ DATA_DIR: '/srv/anlan', ANLAN_IMPORT_DIR: '/srv/osm' }).importDir).toBe('/srv/osm');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/24' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.0/24']);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(c.metricsAllow).toEqual([]);
    expect(c.auditAnchors).toBe(`${c.dataDir}/audit-anchors.log`);
    expect(loadConfig({ ANLAN_METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7,::1' }).metricsAllow).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '::1',
    ]);
    expect(loadConfig({ ANLAN_AUDIT_ANCHORS: '/tmp/anchors.log' }).auditAnchors).toBe('/tmp/anchors.log');
    expect(c.mqttPort).toBe(1883);
    expect(c.mqttUrl).toBeUndefined();
    expect(loadConfig({ MQTT_PORT: '0' }).mqttPort).toBe(0);
    expect(loadConfig({ MQTT_URL: 'mqtt://anlan:pw@127.0.0.1:1883' }).mqttUrl).toBe('mqtt://anlan:pw@127.0.0.1:1883');
    expect(c.timers).toBe(true);
    expect(loadConfig({ ANLAN_TIMERS: '0' }).timers).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ANLAN_DEMO: 'yes' }, 'ANLAN_DEMO'],
    [{ ANLAN_ADMIN_PASSWORD: 'short' }, 'ANLAN_ADMIN_PASSWORD'],
    [{ TLS_CERT: '/nonexistent.pem' }, 'TLS_KEY'],
    [{ TLS_CERT: '/nonexistent.pem', TLS_KEY: '/nonexistent.key' }, 'TLS_CERT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ ANLAN_UPLOAD_MAX_MB: '0' }, 'ANLAN_UPLOAD_MAX_MB'],
    [{ ANLAN_UPLOAD_MAX_MB: 'lots' }, 'ANLAN_UPLOAD_MAX_MB'],
    [{ ANLAN_METRICS_ALLOW: 'prometheus.local' }, 'ANLAN_METRICS_ALLOW'],
    [{ ANLAN_METRICS_ALLOW: '10.0.0.0/33' }, 'ANLAN_METRICS_ALLOW'],
    [{ ANLAN_METRICS_ALLOW: '10.0.0.1/8/1' }, 'ANLAN_METRICS_ALLOW'],
    [{ ANLAN_AUDIT_ANCHORS: '/nonexistent-folder/anchors.log' }, 'ANLAN_AUDIT_ANCHORS'],
    [{ MQTT_PORT: '65536' }, 'MQTT_PORT'],
    [{ MQTT_URL: 'http://broker:1883' }, 'MQTT_URL'],
    [{ MQTT_URL: 'mqtt://' }, 'MQTT_URL'],
    [{ ANLAN_TIMERS: 'off' }, 'ANLAN_TIMERS'],
  ])('%o is refused naming %s', (env, variable) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message).toContain(variable);
  });

  it('turns the demo off with ANLAN_DEMO=0', () => {
    expect(loadConfig({ ANLAN_DEMO: '0' }).demo).toBe(false);
  });
});
