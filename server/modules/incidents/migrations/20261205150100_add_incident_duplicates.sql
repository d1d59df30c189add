-- Duplicate reports (issue 12 part 9): the open incidents a report may repeat, found when it is reported or moved
-- (ids, oldest first), and the merge of a duplicate into the incident that survives. A merged incident keeps its
-- status and every figure (casualties are never summed by a merge); `merged_into` hides it from default lists, and
-- clearing it (unmerge) restores it as it was.
alter table incidents
  add column possible_duplicate_of uuid[] not null default '{}',
  add column merged_into uuid references incidents (id),
  add column merged_at timestamptz,
  add column merged_by text;
-- candidates: the same type, recent, open, not merged
create index incidents_open_by_type_idx on incidents (type_code, occurred_at)
  where merged_into is null and status <> 'closed';
create index incidents_merged_into_idx on incidents (merged_into) where merged_into is not null;
