import type { ColumnType, Generated, RawBuilder } from 'kysely';

/** Timestamps come back as Date and may be written as Date or ISO string. */
export type Ts = ColumnType<Date, Date | string, Date | string>;
export type TsNull = ColumnType<Date | null, Date | string | null, Date | string | null>;
export type Json = ColumnType<unknown, string, string>;
/** Geometry is written and read through PostGIS functions in sql templates. */
export type Geom = ColumnType<string | null, RawBuilder<unknown> | null, RawBuilder<unknown> | null>;

/**
 * The platform's tables. Each module adds its own to this interface by declaration merging, in its
 * `<module>.tables.ts` (checked against the migrated database by `schema.test.ts`).
 */
export interface Database {
  schema_migrations: { name: string; applied_at: Generated<Date> };
  org_units: {
    id: string;
    code: string;
    name: string;
    name_en: Generated<string>;
    kind: string;
    parent_code: string | null;
    population: number | null;
    population_demo: Generated<boolean>;
    sort: Generated<number>;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  roles: {
    code: string;
    name: string;
    name_en: string;
    permissions: string[];
    version: Generated<number>;
    updated_at: Generated<Date>;
  };
  users: {
    id: string;
    username: string;
    display_name: string;
    phone: Generated<string>;
    password_hash: string;
    unit_code: string;
    roles: string[];
    scope: string;
    locale: Generated<string>;
    disabled: Generated<boolean>;
    must_change_password: Generated<boolean>;
    demo: Generated<boolean>;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  sessions: {
    id: string;
    token_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: Ts;
    expires_at: Ts;
    last_seen_at: Ts;
  };
  /** failed sign-ins per normalised username, existing or not (the lock lives here) */
  idempotency_keys: {
    user_id: string;
    key: string;
    fingerprint: string;
    method: string;
    path: string;
    state: string;
    status: number | null;
    content_type: string | null;
    body: Uint8Array | null;
    created_at: Ts;
    expires_at: Ts;
  };
  login_failures: { username: string; failures: number; locked_until: TsNull; last_failed_at: Ts };
  api_tokens: {
    id: string;
    name: string;
    user_id: string;
    token_hash: string;
    prefix: string;
    created_at: Ts;
    last_used_at: TsNull;
    revoked_at: TsNull;
  };
  audit_log: {
    seq: Generated<number>;
    at: Ts;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before: Json | null;
    after: Json | null;
    request_id: string | null;
    address: string | null;
    prev_hash: string;
    hash: string;
  };
  outbox: {
    seq: Generated<number>;
    at: Ts;
    type: string;
    entity: string;
    entity_id: string | null;
    payload: Json;
    visibility: Json;
    /** the writing transaction (xid8, as text) */
    tx: Generated<string>;
  };
  event_consumers: {
    name: string;
    snapshot: string;
    upto: string | null;
    after_seq: Generated<number>;
    lease_owner: string | null;
    lease_until: TsNull;
    updated_at: Ts;
  };
  event_dead_letters: {
    id: Generated<number>;
    consumer: string;
    seq: number;
    type: string;
    entity: string;
    entity_id: string | null;
    payload: Json;
    error: string;
    attempts: number;
    failed_at: Ts;
  };
  permission_grants: { permission: string; roles: string[]; granted_at: Ts };
  number_counters: { series: string; year: number; last: number };
  files: {
    id: string;
    entity: string;
    entity_id: string;
    name: string;
    mime: string;
    size: number;
    sha256: string;
    data: Uint8Array;
    uploaded_by: string | null;
    uploaded_by_name: string;
    uploaded_at: Ts;
    deleted_at: TsNull;
  };
  jobs: {
    id: string;
    kind: string;
    permission: string;
    owner_id: string | null;
    owner_name: string;
    state: string;
    phase: Generated<string>;
    done: Generated<number>;
    total: Generated<number>;
    instance: string;
    started_at: Ts;
    heartbeat_at: Ts;
    finished_at: TsNull;
    result: Json | null;
    error: Json | null;
  };
  settings: { key: string; value: Json; version: Generated<number>; updated_at: Generated<Date> };
  /** alarms raised by modules through the platform's alert service (platform/alerts/) */
  alerts: {
    id: string;
    source: string;
    source_id: string;
    severity: string;
    title_zh: string;
    title_en: string;
    link: Generated<string>;
    permission: string;
    district_code: string | null;
    unit_code: string | null;
    raised_at: Ts;
    /** its record ended (an incident closed): no longer open for anyone */
    resolved_at: TsNull;
  };
  /** one acknowledgement per alert and unit: it closes the alert for every user of the unit */
  alert_acks: { alert_id: string; unit_code: string; user_id: string | null; user_name: string; at: Ts };
}
