-- When an incident was closed: the final report's clock runs from it (reports module). Incidents closed before this
-- column existed take the time of their last status change, the closest the record holds.
alter table incidents add column closed_at timestamptz;
update incidents set closed_at = updated_at where status = 'closed';
