-- Warnings (预警): from rules, imported CAP or by hand. At most one active warning per (device, hazard).
create table warnings (
  id text primary key,
  number text not null unique,
  hazard_code text not null,
  colour text not null,
  status text not null default 'raised',
  source text not null,
  device_id text,
  device_name text,
  rule_id text,
  title text not null,
  title_en text not null default '',
  description text not null default '',
  raised_at timestamptz not null,
  last_held_at timestamptz,
  district_code text,
  geom geometry(Geometry, 4326),
  level_history jsonb not null default '[]',
  acknowledged_at timestamptz,
  acknowledged_by text,
  lifted_at timestamptz,
  lifted_by text,
  lifted_reason text,
  published_at timestamptz,
  published_by text,
  cap_identifier text,
  cap_sender text,
  cap_sent timestamptz,
  cap_xml text,
  sender_name text,
  expires_at timestamptz,
  incident_id text,
  owner_unit text,
  version integer not null default 0,
  updated_at timestamptz not null,
  constraint warnings_status check (status in ('raised', 'acknowledged', 'lifted')),
  constraint warnings_colour check (colour in ('blue', 'yellow', 'orange', 'red'))
);
create unique index warnings_one_active_per_device on warnings (device_id, hazard_code)
  where status <> 'lifted' and device_id is not null;
create unique index warnings_cap_key on warnings (cap_sender, cap_identifier) where source = 'cap';
create index warnings_status on warnings (status, raised_at desc);

-- Every CAP message Anlan issued (published warnings, their updates and cancels): the public feed reads these.
create table cap_messages (
  id text primary key,
  warning_id text not null references warnings (id),
  identifier text not null unique,
  sender text not null,
  sent timestamptz not null,
  msg_type text not null,
  xml text not null
);
create index cap_messages_sent on cap_messages (sent desc);

create table warning_policies (
  id text primary key,
  name text not null,
  hazard_codes text[] not null default '{}',
  districts text[] not null default '{}',
  min_colour text not null default 'blue',
  steps jsonb not null,
  enabled boolean not null default true,
  version integer not null default 0,
  updated_at timestamptz not null
);

-- Where each active warning stands in each policy's steps: the next step falls due at next_due_at.
create table warning_escalations (
  warning_id text not null references warnings (id),
  policy_id text not null references warning_policies (id) on delete cascade,
  next_step integer not null,
  next_due_at timestamptz,
  primary key (warning_id, policy_id)
);
create index warning_escalations_due on warning_escalations (next_due_at) where next_due_at is not null;

create table warning_deliveries (
  id text primary key,
  warning_id text not null references warnings (id),
  policy_id text,
  step integer not null,
  channel text not null,
  recipient text not null,
  reason text not null,
  status text not null,
  detail text not null default '',
  at timestamptz not null
);
create index warning_deliveries_warning on warning_deliveries (warning_id, at);

create table cap_feeds (
  id text primary key,
  url text not null unique,
  name text not null,
  enabled boolean not null default true,
  interval_minutes integer not null default 5,
  last_polled_at timestamptz,
  last_status text not null default '',
  etag text
);
