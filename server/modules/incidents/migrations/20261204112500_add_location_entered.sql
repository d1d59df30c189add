-- Coordinates as the reporter entered them (issue 9 §2): the datum (WGS-84, CGCS2000 or GCJ-02) and the numbers
-- given; geom holds them converted to WGS-84. Null when the point was picked on the map or given in WGS-84 by the API.
alter table incidents add column location_entered jsonb;
