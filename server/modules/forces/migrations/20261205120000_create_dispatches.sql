-- Dispatch: the orders sending a team to an incident (route and ETA as computed when sent), and the positions teams
-- report (the latest on the team, the recent history in team_positions, pruned after a week).
create table dispatches (
  id text primary key,
  incident_id text not null,
  team_id text not null references teams (id) on delete cascade,
  note text not null default '',
  route jsonb not null,
  eta_seconds double precision,
  meters double precision,
  estimated boolean not null default false,
  from_kind text not null default 'base',
  dispatched_by text,
  dispatched_at timestamptz not null,
  arrived_at timestamptz,
  arrived_by text,
  released_at timestamptz,
  released_by text,
  release_note text not null default ''
);
create index dispatches_incident on dispatches (incident_id, dispatched_at);
-- a team is on one open order at a time
create unique index dispatches_team_open on dispatches (team_id) where released_at is null;

alter table teams add column position geometry(Point, 4326);
alter table teams add column position_at timestamptz;

create table team_positions (
  id text primary key,
  team_id text not null references teams (id) on delete cascade,
  ts timestamptz not null,
  geom geometry(Point, 4326) not null,
  received_at timestamptz not null,
  by_user text,
  via text not null default 'http'
);
create index team_positions_team on team_positions (team_id, ts desc);
create index team_positions_ts on team_positions (ts);
