-- A task may come from elsewhere than an activation: a drill whose evaluation asks for the plan to be revised
-- (drills module, through CommandApi.createPlanRevisionTask). Such a task has no activation and no incident (the
-- incident columns hold ''), and names its source.
alter table tasks alter column activation_id drop not null;
alter table tasks add column source_kind text;
alter table tasks add column source_id text;
create unique index tasks_source on tasks (source_kind, source_id) where source_kind is not null;
