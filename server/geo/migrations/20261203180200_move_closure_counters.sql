-- Closure numbers (FB-2026-000012) now come from the platform's numbering service.
insert into number_counters (series, year, last) select 'FB', year, last from closure_counters;
drop table closure_counters;
