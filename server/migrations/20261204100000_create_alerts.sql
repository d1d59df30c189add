-- Alarms raised by modules (new incidents, level rises; later warnings, overdue items) and each unit's
-- acknowledgement of them. An alert is open for a unit until someone of that unit acknowledges it.
create table alerts (
  id uuid primary key,
  source text not null,
  source_id text not null,
  severity text not null check (severity in ('I', 'II', 'III', 'IV')),
  title_zh text not null,
  title_en text not null,
  link text not null default '',
  -- who may see it: the same visibility as the source record's events (access/scope.ts)
  permission text not null,
  district_code text,
  unit_code text,
  raised_at timestamptz not null
);
create index alerts_raised_idx on alerts (raised_at desc);
create index alerts_source_idx on alerts (source, source_id);

create table alert_acks (
  alert_id uuid not null references alerts (id) on delete cascade,
  unit_code text not null,
  user_id uuid,
  user_name text not null,
  at timestamptz not null,
  primary key (alert_id, unit_code)
);
