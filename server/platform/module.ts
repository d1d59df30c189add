/**
 * The shape every module takes. A module is one folder with one descriptor (`module.ts`); `server/modules.ts` lists
 * the descriptors and `app.ts` and the CLI loop over that list, so adding a module adds a folder and one line.
 * Other modules reach a module only through its `index.ts` (its api type and pure helpers) and `platform.module()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { Role } from '../../contracts/org.ts';
import type { Config } from '../config.ts';
import type { ErrorDef } from '../errors.ts';
import type { AccessService } from './access/access.service.ts';
import type { PermissionDef } from './access/permissions.ts';
import type { AlertsApi } from './alerts/alerts.service.ts';
import type { RequestCtx } from './core/context.ts';
import type { Clock, Ids } from './core/ids.ts';
import type { Db } from './db/index.ts';
import type { EntityRegistry } from './entities.ts';
import type { DomainEvent } from './events/events.ts';
import type { FileService } from './files/files.service.ts';
import type { JobService } from './jobs/jobs.service.ts';
import type { LayerRegistration, MapCatalogue, SearchProvider } from './map-catalogue.ts';
import type { WorkerPool } from './workers/worker-pool.ts';

/** Fastify with route handlers typed from their TypeBox schemas. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface PlatformLog {
  info(msg: string): void;
  /** something an operator must act on, the process carries on */
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

/** Masks what a viewer may not see in a record carried by an event or an audit row (personal fields). */
export type Redactor = (value: unknown, ctx: RequestCtx) => unknown;

/** What every module is given: the database, clock, ids, access, the map catalogue, and the other modules' apis. */
export interface Platform {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly log: PlatformLog;
  readonly access: AccessService;
  readonly map: MapCatalogue;
  readonly entities: EntityRegistry;
  /** long work reported as jobs (`GET /api/v1/jobs/{id}` on any instance) */
  readonly jobs: JobService;
  /**
   * alarms by severity (new incidents, level rises; warnings, overdue items): `raise` in the writer's transaction,
   * `onAcknowledge` for what an acknowledgement (接报确认) means to the raising module
   */
  readonly alerts: AlertsApi;
  /** attachments of records (who may read the record may read its files) */
  readonly files: FileService;
  /** heavy computations off the event loop (worker threads), with a per-user limit and a fair queue */
  readonly workers: WorkerPool;
  /** moves with every delivered event (this instance's or another's): caches keyed on it follow every change */
  eventVersion(): number;
  /** after a commit that wrote events: deliver them at once */
  afterCommit(): void;
  /** another module's api (declared by its `index.ts`); available once every module is created */
  module<T>(name: string): T;
}

/** A CLI command a module adds to `npx anlan`. */
export interface CliCommand<Api> {
  /** the words that select it, e.g. `import osm` */
  name: string;
  /** the line in `--help`, e.g. `import osm FILE [--name NAME]` */
  usage: string;
  help: string;
  options?: Record<string, { type: 'string' | 'boolean' }>;
  run(c: CliRun<Api>): Promise<number>;
}

export interface CliRun<Api> {
  args: string[];
  values: Record<string, string | boolean | undefined>;
  /** the server running on this data directory, if any: commands go through its API (a FormData body is uploaded) */
  server: { call<T>(path: string, init?: { method: string; body: unknown }): Promise<T> } | undefined;
  /** the module's api on the database the CLI opens itself (when no server runs) */
  local(): Promise<{ api: Api; platform: Platform }>;
  print(line: string): void;
}

export interface ModuleDescriptor<Api = unknown> {
  name: string;
  /** permissions it introduces, with the roles that get them by default; `admin` gets all */
  permissions?: readonly (PermissionDef & { roles: readonly Role[] })[];
  /** its error codes (declared with `defineErrors` in its folder) */
  errors?: Record<string, ErrorDef>;
  /** folder of its SQL migrations, named `YYYYMMDDHHMMSS_verb_object.sql` */
  migrations?: string;
  /** builds its api; may not touch the database (start does) */
  create(p: Platform): Api;
  /** every start, in list order, after every module is created: idempotent seed data of every installation */
  seed?(api: Api, p: Platform): Promise<string | undefined>;
  /** once, on a demo installation, after every seed */
  demo?(api: Api, p: Platform): Promise<string | undefined>;
  /** every start, after seeds and demo: load what the module keeps in memory */
  start?(api: Api, p: Platform): Promise<string | undefined>;
  stop?(api: Api): Promise<void>;
  /**
   * Its HTTP routes, only under the prefixes it declares (a route elsewhere stops the start). A sub-resource of
   * another module's records (`/api/v1/incidents/:id/activations`) is declared as a prefix of its own: the longest
   * declared prefix owns a URL.
   */
  routes?: { prefixes: readonly string[]; register(app: TypedApp, api: Api, p: Platform): void | Promise<void> };
  /** reactions to events on every instance (caches, in-memory state): event type (or '*') → handler */
  listeners?: Record<string, (e: DomainEvent, api: Api) => void | Promise<void>>;
  /** durable consumers: each event delivered once (one instance at a time), retried, dead-lettered after failures */
  consumers?: readonly { name: string; types: readonly string[]; handle(e: DomainEvent, api: Api): Promise<void> }[];
  /** entity name → mask of personal fields for viewers without `personal.read` (streams, audit rows) */
  redactors?: Record<string, Redactor>;
  /** map layers and search providers it adds to the one map */
  map?(
    api: Api,
    p: Platform,
  ): { layers?: LayerRegistration[]; search?: { kind: string; permission: string; fn: SearchProvider }[] };
  /** entity name → lookup of one record's owner, for other modules' references (e.g. a closure's incidentId) */
  entities?(api: Api): Record<string, (ctx: RequestCtx, id: string) => Promise<EntityRef | undefined>>;
  cli?: readonly CliCommand<Api>[];
  /** counters `/metrics` reports (Prometheus gauges, read at each scrape) */
  metrics?(api: Api): { name: string; help: string; value: () => number }[];
  /** what `/readyz` reports of it (e.g. the MQTT broker: embedded, external or off and why); never fails the check */
  readiness?(api: Api): Record<string, unknown>;
  /** sources of the data it shows that must be attributed (the about page and the footer list them) */
  attribution?(api: Api): Promise<string[]>;
}

/** A record another module refers to: where it belongs and the permission that reads it. */
export interface EntityRef {
  permission: string;
  /** the permission that may attach files to it and remove them (absent: reading it is enough) */
  attach?: string;
  district?: string | null;
  unit?: string | null;
}

/** Typing help: `export const incidentsModule = defineModule({...})` keeps the api type. */
export function defineModule<Api>(d: ModuleDescriptor<Api>): ModuleDescriptor<Api> {
  return d;
}

/** A module of any api type, as the module list holds them. */
export type AnyModule = ModuleDescriptor<any>;
