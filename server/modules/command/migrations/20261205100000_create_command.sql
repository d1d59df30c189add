-- Command and response: the plans register (with digital plans' activation criteria and level actions), the plans'
-- editions, activations of plans on incidents, and the department tasks an activation creates.
create table plans (
  id text primary key,
  name text not null,
  kind text not null,
  hazard_codes text[] not null default '{}',
  owner_unit text,
  scope text[] not null default '{}',
  summary text not null default '',
  status text not null default 'draft',
  approved_by text,
  approved_on text, -- YYYY-MM-DD (the date on the approval document)
  retired_at timestamptz,
  edition integer not null default 0,
  activation jsonb,
  levels jsonb not null default '[]',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index plans_kind on plans (kind);
create index plans_status on plans (status);
create index plans_hazards on plans using gin (hazard_codes);

create table plan_versions (
  id text primary key,
  plan_id text not null references plans (id) on delete cascade,
  edition integer not null,
  note text not null default '',
  snapshot jsonb not null,
  by_name text,
  at timestamptz not null,
  unique (plan_id, edition)
);

-- the incident's number, title and district are copied at activation: this module never reads incidents' tables
create table plan_activations (
  id text primary key,
  incident_id text not null,
  incident_number text not null,
  incident_title text not null,
  incident_district text,
  plan_id text not null references plans (id),
  plan_name text not null,
  level text not null,
  status text not null default 'active',
  activated_by text,
  activated_by_name text,
  activated_at timestamptz not null,
  ended_at timestamptz,
  ended_note text,
  version integer not null default 0
);
create index plan_activations_incident on plan_activations (incident_id);
-- one plan active once per incident
create unique index plan_activations_one_active on plan_activations (incident_id, plan_id) where status = 'active';

create table tasks (
  id text primary key,
  activation_id text not null references plan_activations (id),
  incident_id text not null,
  incident_number text not null,
  incident_title text not null,
  incident_district text,
  plan_id text not null,
  plan_name text not null,
  -- the action's identity across levels (unit + title): a level change keeps what both levels ask for
  action_key text not null,
  unit text not null,
  title text not null,
  detail text not null default '',
  due_at timestamptz not null,
  status text not null default 'open',
  assignee_id text,
  assignee_name text,
  checklist jsonb not null default '[]',
  closed_note text,
  escalated_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 0
);
create index tasks_incident on tasks (incident_id);
create index tasks_unit_status on tasks (unit, status);
create index tasks_due_open on tasks (due_at) where status in ('open', 'in_progress') and escalated_at is null;

create table task_comments (
  id text primary key,
  task_id text not null references tasks (id) on delete cascade,
  text text not null,
  by_user text,
  by_name text,
  at timestamptz not null
);
create index task_comments_task on task_comments (task_id, at);
