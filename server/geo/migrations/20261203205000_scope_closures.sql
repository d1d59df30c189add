-- Closures enter the one data scope: a closure belongs to the district its closed stretch lies in (most, by length
-- inside each district polygon) and to the unit of the user who registered it. A stretch outside every district has
-- no district: the city, departments and the registering unit see it.
alter table closures add column district_code text;
alter table closures add column created_by_unit text;

update closures c set district_code = (
  select b.code
  from boundaries b
  where b.kind = 'district' and st_intersects(b.geom, c.geom)
  order by st_length(st_collectionextract(st_intersection(b.geom, c.geom), 2)::geography) desc, b.code
  limit 1
);

create index closures_district_idx on closures (district_code);
