-- Incident numbers (WH-2026-000123) now come from the platform's numbering service.
insert into number_counters (series, year, last) select 'WH', year, last from incident_counters;
drop table incident_counters;
