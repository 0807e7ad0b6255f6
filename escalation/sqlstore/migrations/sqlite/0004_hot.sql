-- Due finds other replicas' leases by the index on due, up to the first
-- ticket it may return, so the index on lease_until, which each claim
-- rewrote, goes.
DROP INDEX ladder_tickets_lease;
