-- Failed sign-ins per normalised username (trimmed, lower case), whether or not such a user exists: one atomic
-- upsert per attempt counts them (parallel attempts cannot read the same count), and an unknown name locks exactly
-- as an existing one does, so the lock tells nothing about which names exist. The lock lives here, not on users.
create table login_failures (
  username text primary key,
  failures integer not null check (failures >= 0),
  locked_until timestamptz,
  last_failed_at timestamptz not null
);
create index login_failures_last_failed_idx on login_failures (last_failed_at);

insert into login_failures (username, failures, locked_until, last_failed_at)
select lower(username), failed_attempts, locked_until, updated_at
from users
where failed_attempts > 0 or locked_until is not null
on conflict (username) do nothing;

alter table users drop column failed_attempts, drop column locked_until;
