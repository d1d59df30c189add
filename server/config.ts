import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Everything Anlan reads from the environment. This file is the only reader of process.env. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** unset: embedded PGlite in dataDir */
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  sharedData: string;
  tls: { cert: string; key: string } | undefined;
  logLevel: string;
  /** whose X-Forwarded-For to believe for the client address (audit): nobody, everybody, or these proxies */
  trustProxy: boolean | string[];
  /** a point farther than this from any drivable road is "off the network" (metres) */
  snapMaxMeters: number;
  /** a point may use every road within this many metres of its nearest one (issue 8: junctions) */
  snapToleranceMeters: number;
  /** the only folder `POST /geo/networks/import {file}` may name files in (created at start) */
  importDir: string;
  /** the largest upload of an OSM extract, in bytes */
  uploadMaxBytes: number;
  /** addresses or CIDR blocks that may read /metrics without signing in (else the system.metrics permission) */
  metricsAllow: string[];
  /** the append-only file the audit chain's head is written to, outside the database */
  auditAnchors: string;
  /** coverage areas larger than this many H3 resolution-9 cells are refused before any work */
  coverageMaxCells: number;
  /** worker threads for heavy work (exports, matrices, isochrones, coverage) */
  workerThreads: number;
  /** heavy computations one user may have running or queued at once */
  jobsPerUser: number;
  /** events older than this many days, read by every durable consumer, are pruned from the outbox (0: kept) */
  outboxRetentionDays: number;
  /** monthly partitions of readings older than this many months are dropped (0: kept); hourly roll-ups stay */
  readingsRetentionMonths: number;
  /** a rescue team's status not confirmed for more days than this is flagged */
  teamStatusStaleDays: number;
  /** the address people open Anlan at (links in notifications and CAP `web`) */
  publicUrl: string;
  /** CAP `sender` of the warnings Anlan issues, and the issuer's name in both languages */
  capSender: string;
  capSenderName: { zh: string; en: string };
  /** SMTP server of email notifications (smtp://user:pass@host:port), unset: email is not sent */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** the SMS gateway: POST {to, text} as JSON (Authorization: Bearer SMS_GATEWAY_TOKEN), unset: SMS is not sent */
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  /** the embedded MQTT broker's port; 0 = no embedded broker (devices report over HTTP, or through mqttUrl) */
  mqttPort: number;
  /** an external broker (Mosquitto, EMQX) Anlan subscribes to instead of running its own; credentials in the URL */
  mqttUrl: string | undefined;
  /**
   * the modules' periodic checks run on their schedules (report reminders and SitReps, overdue tasks, duty gaps,
   * warning expiry, CAP polling and escalation sweeps, absence rules, retention). Off only in tests, which call the
   * checks themselves (a timer firing mid-test would race them): the test helpers set ANLAN_TIMERS=0.
   */
  timers: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** Variables, defaults and meanings; the README's configuration table is written from this list. */
export const CONFIG_VARIABLES = [
  ['PORT', '3000', 'HTTP(S) port'],
  ['HOST', '127.0.0.1', 'address to listen on (0.0.0.0 for all)'],
  ['DATA_DIR', './data', 'embedded database and files'],
  [
    'DATABASE_URL',
    '(unset)',
    'postgres://… of a PostgreSQL 15+ server with PostGIS 3.3+; unset = embedded PGlite in DATA_DIR',
  ],
  [
    'ANLAN_ADMIN_PASSWORD',
    '(random)',
    "the `admin` user's password at first start; unset = a random one, printed once and written to DATA_DIR/initial-admin-password (mode 0600)",
  ],
  ['ANLAN_DEMO', '1', '1 = load the Weihai demo dataset on first start; 0 = start empty'],
  ['ANLAN_SHARED_DATA', '../shared/data', 'where the demo reads the district boundaries'],
  ['TLS_CERT, TLS_KEY', '(unset)', 'PEM files; when both are set Anlan serves HTTPS directly'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  [
    'TRUST_PROXY',
    '(unset)',
    'behind a reverse proxy: `true` or the proxy addresses (comma-separated, CIDR allowed), so that audit rows record the client address and sign-ins are throttled per client (not per proxy); `true` believes any X-Forwarded-For',
  ],
  [
    'ANLAN_SNAP_MAX_M',
    'ANLAN_SNAP_TOLERANCE_M',
    '500',
    'a point farther than this (metres) from any drivable road is refused as off the network',
  ],
  [
    'ANLAN_IMPORT_DIR',
    'DATA_DIR/imports',
    'the only folder from which the API imports files by name (created at start); elsewhere, upload the file',
  ],
  ['ANLAN_UPLOAD_MAX_MB', '1024', 'the largest OSM extract an upload may carry, in MB'],
  [
    'ANLAN_METRICS_ALLOW',
    '(unset)',
    'addresses or CIDR blocks (comma-separated) that may read `/metrics` without signing in, e.g. the Prometheus server; others need a token with the `system.metrics` permission (admin by default)',
  ],
  [
    'ANLAN_AUDIT_ANCHORS',
    'DATA_DIR/audit-anchors.log',
    "append-only file (mode 0600) to which the audit chain's head is written every minute it moves and at shutdown; `audit verify` checks the chain against it. Put it where database administrators cannot write",
  ],
  [
    'ANLAN_COVERAGE_MAX_CELLS',
    '150000',
    'coverage analyses of a larger area (in H3 resolution-9 cells, about 0.068 km² each at Weihai) are refused before any work; the default admits the whole of Weihai (about 87,000 cells)',
  ],
  [
    'ANLAN_WORKER_THREADS',
    '(cores − 1, at least 2)',
    'worker threads for heavy work (Excel exports, large matrices, isochrones, coverage), so that it never stalls other requests',
  ],
  [
    'ANLAN_JOBS_PER_USER',
    '2',
    'heavy computations one user may have running or queued at once; more are refused with 429',
  ],
  [
    'ANLAN_OUTBOX_RETENTION_DAYS',
    '30',
    'domain events (the outbox) older than this many days, once every durable consumer has read them, are deleted hourly; 0 keeps them',
  ],
  [
    'ANLAN_READINGS_RETENTION_MONTHS',
    '0',
    'monitoring readings are kept in monthly partitions; those older than this many months are dropped hourly (hourly roll-ups stay); 0 keeps them',
  ],
  [
    'ANLAN_TEAM_STATUS_STALE_DAYS',
    '7',
    'a rescue team whose status nobody confirmed for more days than this is flagged in the register and on the status board',
  ],
  [
    'ANLAN_PUBLIC_URL',
    'http://HOST:PORT',
    'the address users open Anlan at: links in notifications and in published CAP messages',
  ],
  [
    'CAP_SENDER',
    'anlan@weihai.example',
    'CAP `sender` of the warnings Anlan publishes (an address that identifies the issuer)',
  ],
  [
    'CAP_SENDER_NAME',
    '威海市应急管理局|Weihai Emergency Management Bureau',
    "the issuer's name in Chinese and English, separated by |",
  ],
  [
    'SMTP_URL, SMTP_FROM',
    '(unset)',
    'email notifications of warnings: smtp://user:password@host:port and the From address',
  ],
  [
    'SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN',
    '(unset)',
    'SMS notifications of warnings: Anlan POSTs {"to", "text"} as JSON to this URL, with the token as Authorization: Bearer',
  ],
  [
    'MQTT_PORT',
    '1883',
    'port of the embedded MQTT broker (aedes) devices publish readings to, on HOST; 0 = no embedded broker. If the port is taken, Anlan warns, runs without it (HTTP ingestion still works) and `/readyz` says so',
  ],
  [
    'MQTT_URL',
    '(unset)',
    '`mqtt://user:password@host:port` (or `mqtts://`) of an external broker (Mosquitto, EMQX): Anlan subscribes there (shared subscription `$share/anlan/…`, so instances split the load) instead of running its own; the broker authenticates devices with the files Anlan exports',
  ],
  [
    'ANLAN_TIMERS',
    '1',
    "1 = the periodic checks run (report reminders, overdue tasks, duty gaps, warning expiry and escalation, CAP feeds, device absence, retention, stock expiry, late dispatch orders); 0 = they do not (the test suite's apps, which run the checks themselves)",
  ],
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const adminPassword = env.ANLAN_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('ANLAN_ADMIN_PASSWORD', 'must be at least 8 characters');
  }
  const demoRaw = env.ANLAN_DEMO?.trim() ?? '1';
  if (!['0', '1', ''].includes(demoRaw)) throw new ConfigError('ANLAN_DEMO', 'must be 0 or 1');
  const sharedData = resolve(env.ANLAN_SHARED_DATA?.trim() || '../shared/data');
  const certPath = env.TLS_CERT?.trim();
  const keyPath = env.TLS_KEY?.trim();
  let tls: Config['tls'];
  if (certPath || keyPath) {
    if (!certPath) throw new ConfigError('TLS_CERT', 'is required when TLS_KEY is set');
    if (!keyPath) throw new ConfigError('TLS_KEY', 'is required when TLS_CERT is set');
    for (const [name, path] of [
      ['TLS_CERT', certPath],
      ['TLS_KEY', keyPath],
    ] as const) {
      if (!existsSync(path)) throw new ConfigError(name, `file not found: ${path}`);
    }
    tls = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const trustRaw = env.TRUST_PROXY?.trim() ?? '';
  const trustProxy: boolean | string[] =
    trustRaw === '' || trustRaw === 'false'
      ? false
      : trustRaw === 'true'
        ? true
        : trustRaw.split(',').map((a) => a.trim());
  if (Array.isArray(trustProxy) && trustProxy.some((a) => !/^[0-9a-fA-F.:/]+$/.test(a))) {
    throw new ConfigError('TRUST_PROXY', 'must be true, false, or comma-separated proxy addresses (CIDR allowed)');
  }
  const metricsAllow = listVar(env, 'ANLAN_METRICS_ALLOW');
  for (const a of metricsAllow) {
    if (!isAddressOrCidr(a)) {
      throw new ConfigError('ANLAN_METRICS_ALLOW', `must be addresses or CIDR blocks (comma-separated), got "${a}"`);
    }
  }
  const anchorsRaw = env.ANLAN_AUDIT_ANCHORS?.trim();
  const auditAnchors = anchorsRaw ? resolve(anchorsRaw) : join(dataDir, 'audit-anchors.log');
  if (anchorsRaw && !existsSync(dirname(auditAnchors))) {
    throw new ConfigError('ANLAN_AUDIT_ANCHORS', `folder not found: ${dirname(auditAnchors)}`);
  }
  const mqttUrl = env.MQTT_URL?.trim() || undefined;
  if (mqttUrl && !/^mqtts?:\/\/[^/]/.test(mqttUrl)) {
    throw new ConfigError('MQTT_URL', 'must start with mqtt:// or mqtts:// and name a host');
  }
  if (mqttUrl && !URL.canParse(mqttUrl)) throw new ConfigError('MQTT_URL', 'is not a valid URL');
  const timersRaw = env.ANLAN_TIMERS?.trim() ?? '1';
  if (!['0', '1', ''].includes(timersRaw)) throw new ConfigError('ANLAN_TIMERS', 'must be 0 or 1');
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    adminPassword,
    demo: demoRaw !== '0',
    sharedData,
    tls,
    logLevel,
    trustProxy,
    snapMaxMeters: intVar(env, 'ANLAN_SNAP_MAX_M', 500, 1, 100_000),
    snapToleranceMeters: intVar(env, 'ANLAN_SNAP_TOLERANCE_M', 5, 0, 50),
    importDir: env.ANLAN_IMPORT_DIR?.trim() ? resolve(env.ANLAN_IMPORT_DIR.trim()) : join(dataDir, 'imports'),
    uploadMaxBytes: intVar(env, 'ANLAN_UPLOAD_MAX_MB', 1024, 1, 1_048_576) * 1024 * 1024,
    metricsAllow,
    auditAnchors,
    coverageMaxCells: intVar(env, 'ANLAN_COVERAGE_MAX_CELLS', 150_000, 100, 5_000_000),
    workerThreads: intVar(env, 'ANLAN_WORKER_THREADS', Math.max(2, availableParallelism() - 1), 1, 64),
    jobsPerUser: intVar(env, 'ANLAN_JOBS_PER_USER', 2, 1, 100),
    outboxRetentionDays: intVar(env, 'ANLAN_OUTBOX_RETENTION_DAYS', 30, 0, 36_500),
    readingsRetentionMonths: intVar(env, 'ANLAN_READINGS_RETENTION_MONTHS', 0, 0, 1200),
    teamStatusStaleDays: intVar(env, 'ANLAN_TEAM_STATUS_STALE_DAYS', 7, 1, 365),
    publicUrl: (env.ANLAN_PUBLIC_URL?.trim() || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    capSender: env.CAP_SENDER?.trim() || 'anlan@weihai.example',
    capSenderName: senderName(env.CAP_SENDER_NAME),
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    smtpFrom: env.SMTP_FROM?.trim() || 'anlan@localhost',
    smsGatewayUrl: env.SMS_GATEWAY_URL?.trim() || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN?.trim() || undefined,
    mqttPort: intVar(env, 'MQTT_PORT', 1883, 0, 65535),
    mqttUrl,
    timers: timersRaw !== '0',
  };
}

function senderName(raw: string | undefined): { zh: string; en: string } {
  const [zh, en] = (raw?.trim() || '威海市应急管理局|Weihai Emergency Management Bureau')
    .split('|')
    .map((x) => x.trim());
  if (!zh) throw new ConfigError('CAP_SENDER_NAME', 'must name the issuer: 中文名|English name');
  return { zh, en: en || zh };
}

function listVar(env: Record<string, string | undefined>, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/** `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8` */
export function isAddressOrCidr(a: string): boolean {
  const [addr, bits, ...rest] = a.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function intVar(env: Record<string, string | undefined>, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}
