-- The tenant of each ticket: the part of its key before the first '/'
-- (escalation.TenantOf), '' for a ticket of no tenant, indexed for the
-- reports of one tenant, which read its tickets in the order they opened.
ALTER TABLE ladder_tickets ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE ladder_tickets SET tenant = split_part(id, '/', 1) WHERE strpos(id, '/') > 0;
CREATE INDEX ladder_tickets_tenant ON ladder_tickets (tenant, opened, id);
