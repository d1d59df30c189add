-- Long work (imports, exports, large analyses) as jobs every instance can report on: state, progress, result.
create table jobs (
  id uuid primary key,
  kind text not null,
  -- who may read the job besides its owner
  permission text not null,
  owner_id uuid,
  owner_name text not null,
  state text not null check (state in ('running', 'done', 'failed')),
  phase text not null default '',
  done bigint not null default 0,
  total bigint not null default 0,
  instance text not null,
  started_at timestamptz not null,
  heartbeat_at timestamptz not null,
  finished_at timestamptz,
  result jsonb,
  error jsonb
);
create index jobs_owner_idx on jobs (owner_id, started_at desc);
create index jobs_running_idx on jobs (state) where state = 'running';
