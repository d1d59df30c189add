-- The packed grid as base64 text: PGlite takes and gives a text parameter of megabytes ten times faster than bytea.
alter table risk_grid_data alter column data type text using encode(data, 'base64');
