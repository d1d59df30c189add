-- An incident at sea in the city's waters (issue 9 §2): district_status 'sea', district_code the district the waters
-- are assigned to (null for the city's own).
alter table incidents drop constraint incidents_district_status_check;
alter table incidents
  add constraint incidents_district_status_check check (district_status in ('inside', 'sea', 'outside', 'unknown'));
