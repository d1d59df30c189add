-- Duty (值班值守): shift patterns and the roster of each unit, the alarms raised for hours nobody covers (one per
-- gap's start), shift handovers with the items carried over, and the external people of the contact book.
create table duty_patterns (
  id text primary key,
  unit_code text not null,
  name text not null,
  slots jsonb not null,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index duty_patterns_unit on duty_patterns (unit_code);

create table duty_shifts (
  id text primary key,
  unit_code text not null,
  shift_date text not null check (shift_date ~ '^\d{4}-\d{2}-\d{2}$'),
  pattern_id text not null references duty_patterns (id),
  slot text not null,
  slot_name text not null,
  role text not null check (role in ('leader', 'officer')),
  user_id text not null,
  user_name text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  note text not null default '',
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (unit_code, shift_date, pattern_id, slot, role, user_id)
);
create index duty_shifts_unit_time on duty_shifts (unit_code, starts_at, ends_at);
create index duty_shifts_user on duty_shifts (user_id, starts_at);

-- a gap's alarm is raised once: the first instance to insert its row raises it
create table duty_gap_alarms (
  unit_code text not null,
  role text not null,
  gap_start timestamptz not null,
  raised_at timestamptz not null,
  primary key (unit_code, role, gap_start)
);

create table duty_handovers (
  id text primary key,
  unit_code text not null,
  from_user text not null,
  from_name text not null,
  to_user text not null,
  to_name text not null,
  notes text not null default '',
  items jsonb not null default '[]',
  status text not null default 'pending' check (status in ('pending', 'accepted')),
  created_at timestamptz not null,
  accepted_at timestamptz,
  accept_note text not null default '',
  version integer not null default 0
);
create index duty_handovers_unit on duty_handovers (unit_code, created_at desc);
create index duty_handovers_to on duty_handovers (to_user, status);

create table duty_contacts (
  id text primary key,
  name text not null,
  title text not null default '',
  unit_code text,
  organisation text not null default '',
  phones text[] not null default '{}',
  notes text not null default '',
  -- search keys: full pinyin and initials of the name (pinyin-pro), kept with the row
  pinyin text not null default '',
  initials text not null default '',
  version integer not null default 0,
  created_by_unit text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index duty_contacts_unit on duty_contacts (unit_code);
