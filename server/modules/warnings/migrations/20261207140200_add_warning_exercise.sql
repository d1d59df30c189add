-- Drill mode (演练): a warning raised from an exercise's synthetic readings carries the exercise (and its title).
-- It is never published (no CAP, no public page) and its external deliveries are recorded as suppressed.
alter table warnings add column exercise_id text;
alter table warnings add column exercise_title text;
-- one active rule warning per device and hazard among real warnings; an exercise has its own one per device and
-- hazard (a drill on a device does not take the place of, nor wait for, the device's real warning)
drop index warnings_one_active_per_device;
create unique index warnings_one_active_per_device on warnings (device_id, hazard_code)
  where status <> 'lifted' and device_id is not null and exercise_id is null;
create unique index warnings_one_active_per_exercise_device on warnings (exercise_id, device_id, hazard_code)
  where status <> 'lifted' and device_id is not null and exercise_id is not null;
