-- Claims and saves that leave the indexed columns as they were are HOT
-- updates: PostgreSQL writes the row's new version in the same page and
-- touches no index. Due's claim sets lease_owner and lease_until alone,
-- so the index on lease_until goes (Due finds other replicas' leases by
-- the index on due), and pages keep room for new versions of their rows.
-- The fill factor applies to pages written from now on.
DROP INDEX ladder_tickets_lease;
ALTER TABLE ladder_tickets SET (fillfactor = 70);
