-- One numbering service for the human numbers of every register: series + year → the last number given.
create table number_counters (
  series text not null,
  year integer not null,
  last integer not null,
  primary key (series, year)
);
