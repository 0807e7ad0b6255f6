-- Tickets and their histories. Instants (due, lease_until) are Unix
-- nanoseconds, so they compare exactly as Go's time.Time does. Ids collate
-- bytewise, the order Due gives tickets due at the same instant.
CREATE TABLE ladder_tickets (
	id          TEXT COLLATE "C" PRIMARY KEY,
	version     BIGINT NOT NULL, -- Save's optimistic version
	state       TEXT NOT NULL,   -- escalation.State as JSON
	due         BIGINT,          -- State.Due; NULL when nothing is due
	entries     BIGINT NOT NULL, -- how many history entries the ticket has
	lease_owner TEXT,            -- the replica whose Due claimed the ticket
	lease_until BIGINT           -- when that claim expires
);
CREATE INDEX ladder_tickets_due ON ladder_tickets (due, id) WHERE due IS NOT NULL;
CREATE INDEX ladder_tickets_lease ON ladder_tickets (lease_until) WHERE lease_owner IS NOT NULL;
CREATE TABLE ladder_history (
	ticket TEXT COLLATE "C" NOT NULL,
	seq    BIGINT NOT NULL, -- 1, 2, ... in the order the entries were saved
	entry  TEXT NOT NULL,   -- escalation.Entry as JSON
	PRIMARY KEY (ticket, seq)
);
