-- Append-only, hash-chained audit trail; the outbox of domain events; settings.
create table audit_log (
  seq bigserial primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_name text,
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  address text,
  prev_hash text not null,
  hash text not null
);
create index audit_log_entity_idx on audit_log (entity, entity_id);
create index audit_log_actor_idx on audit_log (actor_id);
create index audit_log_at_idx on audit_log (at);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

create table outbox (
  seq bigserial primary key,
  at timestamptz not null,
  type text not null,
  entity text not null,
  entity_id text,
  payload jsonb not null,
  -- who may see the event: {"permission": "incidents.read", "district": "371002", "unit": "yjj"}
  visibility jsonb not null
);

create table event_cursors (
  name text primary key,
  seq bigint not null
);

create table settings (
  key text primary key,
  value jsonb not null,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
