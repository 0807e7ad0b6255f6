-- History partitioned by month of its tickets' opening instants: a
-- ticket's rows are all in the partition of the month it opened (opened,
-- as ladder_tickets has it), so reading a ticket's history reads one
-- partition, and the months whose tickets are all pruned hold nothing and
-- are dropped. Months outside the partitions Migrate and Partitions create
-- go to the default partition until a partition is created for them; a
-- row written without opened (by an older ladder during an upgrade) too,
-- until the next Migrate moves it to its ticket's month. Migrate copies
-- the rows of the table this replaces, once the months they need exist.
ALTER TABLE ladder_history RENAME TO ladder_history_unpartitioned;
ALTER INDEX ladder_history_pkey RENAME TO ladder_history_unpartitioned_pkey;
CREATE TABLE ladder_history (
	ticket TEXT COLLATE "C" NOT NULL,
	seq    BIGINT NOT NULL,
	entry  TEXT NOT NULL,
	opened BIGINT NOT NULL DEFAULT -9223372036854775808, -- ladder_tickets.opened
	PRIMARY KEY (ticket, seq, opened)
) PARTITION BY RANGE (opened);
CREATE TABLE ladder_history_default PARTITION OF ladder_history DEFAULT;
