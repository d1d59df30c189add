-- Drill mode (演练模式): exercises, their scheduled injects, and the synthetic readings they played (never in the
-- real readings table).
create table exercises (
  id text primary key,
  number text not null unique,
  title text not null,
  scenario text not null default '',
  content text not null,
  form text not null,
  plan_id text,
  plan_name text,
  organiser_unit text not null,
  participants text[] not null default '{}',
  planned_start timestamptz,
  director text not null default '',
  status text not null default 'draft',
  started_at timestamptz,
  ended_at timestamptz,
  started_by text,
  -- frozen at the end: the measured times and the targets they were judged by
  measurements jsonb,
  targets jsonb,
  observations text not null default '',
  improvements jsonb not null default '[]',
  drill_id text,
  created_by text,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint exercises_status check (status in ('draft', 'running', 'ended', 'cancelled')),
  constraint exercises_content check (content in ('comprehensive', 'single')),
  constraint exercises_form check (form in ('live', 'tabletop'))
);
create index exercises_status on exercises (status, created_at desc);

create table exercise_injects (
  id text primary key,
  exercise_id text not null references exercises (id) on delete cascade,
  seq integer not null,
  offset_seconds integer not null,
  kind text not null,
  title text not null,
  payload jsonb not null,
  -- claimed once across instances: `update … where played_at is null returning`
  played_at timestamptz,
  result jsonb,
  constraint exercise_injects_kind check (kind in ('incident', 'readings', 'message')),
  unique (exercise_id, seq)
);
create index exercise_injects_pending on exercise_injects (exercise_id) where played_at is null;

create table exercise_readings (
  exercise_id text not null references exercises (id) on delete cascade,
  inject_id text not null references exercise_injects (id) on delete cascade,
  device_id text not null,
  metric text not null,
  ts timestamptz not null,
  value double precision not null,
  primary key (inject_id, metric, ts)
);
