-- The risk grid is written and read whole: one packed row (grid-blob.ts) instead of ~87,000 rows at H3 resolution 9,
-- whose insert took seconds; readers keep the unpacked grid in memory until the next recompute.
drop table risk_grid_cells;
create table risk_grid_data (
  id smallint primary key default 1 check (id = 1),
  computed_at timestamptz not null,
  data bytea not null
);
