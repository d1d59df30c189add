-- Which permissions have been granted to their default roles (once: an administrator's later removal sticks).
create table permission_grants (
  permission text primary key,
  roles text[] not null,
  granted_at timestamptz not null
);
-- An installation from before this table already holds its roles' permissions as the administrator left them.
insert into permission_grants (permission, roles, granted_at)
select p, '{}', now()
from unnest(array['incidents.read', 'incidents.create', 'incidents.update', 'incidents.level', 'incidents.transition',
                  'incidents.log', 'org.read', 'org.manage', 'audit.read', 'personal.read', 'tokens.manage',
                  'geo.read', 'closures.manage', 'roads.import']) p
where exists (select 1 from roles);
