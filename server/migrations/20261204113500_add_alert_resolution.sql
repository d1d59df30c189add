-- An alarm ends with its record (an incident closed): it leaves every tray, acknowledged or not.
alter table alerts add column resolved_at timestamptz;
create index alerts_open_idx on alerts (raised_at desc) where resolved_at is null;
