-- When each closed ticket closed (escalation.ClosedAt: Unix nanoseconds),
-- NULL while it is not closed, indexed for Prune, which deletes the
-- tickets closed before a retention instant, oldest first. Migrate fills
-- it in for the tickets saved before it existed.
ALTER TABLE ladder_tickets ADD COLUMN closed INTEGER;
CREATE INDEX ladder_tickets_closed ON ladder_tickets (closed, id) WHERE closed IS NOT NULL;
-- The rollups that Prune's fold keeps: the sums of pruned tickets, by
-- tenant and key (report.Folder's: the week they opened).
CREATE TABLE ladder_rollups (
	tenant TEXT NOT NULL,
	key    TEXT NOT NULL,
	data   TEXT NOT NULL,
	PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
