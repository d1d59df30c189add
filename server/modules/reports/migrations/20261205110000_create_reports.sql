-- Reports on incidents (首报, 续报, 终报): the text in force per slot, every issued version kept unchanged, the levels an
-- incident had over time (its update clock re-plans on a change), reminders claimed once, and the SitReps made.
create table incident_reports (
  id text primary key,
  incident_id text not null,
  kind text not null check (kind in ('initial', 'update', 'final')),
  seq integer not null,
  -- the slot's due time when drafted (the schedule is computed; this keeps a slot the plan no longer holds)
  due_at timestamptz not null,
  title text not null,
  sections jsonb not null,
  header jsonb not null,
  district_code text,
  unit_code text,
  version integer not null default 0,
  issued_versions integer not null default 0,
  issued_at timestamptz,
  changed_since_issue boolean not null default true,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (incident_id, kind, seq)
);
create index incident_reports_incident on incident_reports (incident_id);

create table incident_report_versions (
  report_id text not null references incident_reports (id),
  version integer not null,
  title text not null,
  sections jsonb not null,
  header jsonb not null,
  issued_at timestamptz not null,
  issued_by text not null,
  issued_by_id text,
  primary key (report_id, version)
);

create table report_level_changes (
  incident_id text not null,
  at timestamptz not null,
  level text,
  primary key (incident_id, at)
);

-- one row per reminder sent: the insert is the claim, so two instances never both raise it
create table report_reminders (
  incident_id text not null,
  kind text not null,
  seq integer not null,
  due_at timestamptz not null,
  what text not null check (what in ('soon', 'overdue')),
  sent_at timestamptz not null,
  primary key (incident_id, kind, seq, due_at, what)
);

create table sitreps (
  id text primary key,
  generated_at timestamptz not null,
  trigger text not null,
  incidents integer not null,
  file bytea not null,
  -- one scheduled SitRep per slot (date and time of day), whichever instance makes it
  slot text unique
);
