-- Experts (专家库): the register by field, recorded random draws with their invitations, consultation sessions
-- (会商研判) and the templates of the periodic risk-situation assessments.
create table experts (
  id text primary key,
  name text not null,
  -- GB/T 35561 type codes as entered, and the same with every category above them (for matching a request)
  fields text[] not null,
  field_keys text[] not null,
  speciality text not null default '',
  title text not null,
  title_text text not null default '',
  organisation text not null,
  phones text[] not null default '{}',
  email text not null default '',
  district_code text,
  owner_unit text,
  availability text not null default 'available',
  -- YYYY-MM-DD, Beijing; inclusive
  unavailable_until text,
  availability_reason text not null default '',
  active boolean not null default true,
  notes text not null default '',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index experts_field_keys on experts using gin (field_keys);
create index experts_organisation on experts (organisation);

create table expert_draws (
  id text primary key,
  -- a replacement round names the first round's draw; the first round has none
  parent_id text references expert_draws (id),
  round integer not null default 0,
  fields text[] not null,
  count integer not null,
  exclude_organisations text[] not null default '{}',
  exclude_expert_ids text[] not null default '{}',
  purpose text not null,
  incident_id text,
  warning_id text,
  district_code text,
  owner_unit text,
  seed text not null,
  algorithm text not null,
  candidates text[] not null,
  result text[] not null,
  digest text not null,
  reason text not null default '',
  drawn_by text,
  drawn_by_name text,
  drawn_at timestamptz not null
);
create index expert_draws_parent on expert_draws (parent_id);
create index expert_draws_incident on expert_draws (incident_id) where incident_id is not null;

create table expert_invitations (
  id text primary key,
  draw_id text not null references expert_draws (id),
  round_id text not null references expert_draws (id),
  expert_id text not null references experts (id),
  status text not null default 'invited',
  reason text not null default '',
  replied_at timestamptz,
  replied_by text,
  replaced boolean not null default false,
  version integer not null default 0,
  created_at timestamptz not null,
  unique (draw_id, expert_id)
);
create index expert_invitations_expert on expert_invitations (expert_id);

create table consultation_templates (
  id text primary key,
  key text not null unique,
  name text not null,
  name_en text not null,
  cadence text not null,
  due_day integer not null default 1,
  occasions jsonb not null default '[]',
  lead_days integer not null default 0,
  agenda jsonb not null default '[]',
  sections jsonb not null default '[]',
  active boolean not null default true,
  demo boolean not null default false,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table consultations (
  id text primary key,
  title text not null,
  kind text not null,
  starts_at timestamptz not null,
  place text not null default '',
  link text not null default '',
  participants jsonb not null default '{}',
  agenda jsonb not null default '[]',
  minutes text not null default '',
  conclusions jsonb not null default '[]',
  incident_id text,
  warning_id text,
  template_key text,
  period text,
  status text not null default 'planned',
  district_code text,
  owner_unit text,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index consultations_starts on consultations (starts_at desc);
create index consultations_incident on consultations (incident_id) where incident_id is not null;
create unique index consultations_template_period on consultations (template_key, period) where template_key is not null;
