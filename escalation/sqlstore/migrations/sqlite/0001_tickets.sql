-- Tickets and their histories. Instants (due, lease_until) are Unix
-- nanoseconds, so they compare exactly as Go's time.Time does.
CREATE TABLE ladder_tickets (
	id          TEXT PRIMARY KEY,
	version     INTEGER NOT NULL, -- Save's optimistic version
	state       TEXT NOT NULL,    -- escalation.State as JSON
	due         INTEGER,          -- State.Due; NULL when nothing is due
	entries     INTEGER NOT NULL, -- how many history entries the ticket has
	lease_owner TEXT,             -- the replica whose Due claimed the ticket
	lease_until INTEGER           -- when that claim expires
);
CREATE INDEX ladder_tickets_due ON ladder_tickets (due, id) WHERE due IS NOT NULL;
CREATE INDEX ladder_tickets_lease ON ladder_tickets (lease_until) WHERE lease_owner IS NOT NULL;
CREATE TABLE ladder_history (
	ticket TEXT NOT NULL,
	seq    INTEGER NOT NULL, -- 1, 2, ... in the order the entries were saved
	entry  TEXT NOT NULL,    -- escalation.Entry as JSON
	PRIMARY KEY (ticket, seq)
) WITHOUT ROWID;
