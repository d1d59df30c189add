-- Drill mode (演练): an incident played by an exercise carries the exercise it belongs to (its title kept with it, so
-- every page and alarm can say 演练 without asking the exercises module). Null for every real incident.
alter table incidents add column exercise_id text;
alter table incidents add column exercise_title text;
create index incidents_exercise on incidents (exercise_id) where exercise_id is not null;
