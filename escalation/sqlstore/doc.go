// Package sqlstore keeps an escalation engine's tickets in a SQL database
// through database/sql: in SQLite, a file for one process, or in
// PostgreSQL, shared by the replicas of a service.
//
// The package imports no driver; the program does:
//
//	import _ "modernc.org/sqlite"              // sql.Open("sqlite", dsn)
//	import _ "github.com/jackc/pgx/v5/stdlib"  // sql.Open("pgx", dsn)
//
// New returns a Store; Migrate creates its tables, or brings them up to
// this code's schema version, and refuses a database that a newer ladder
// migrated; pass the Store to escalation.New with escalation.WithStore.
//
// # What is stored
//
// A ticket's state is one row of ladder_tickets: its escalation.State as
// JSON, the optimistic version Save checks, the instant it is next due
// (NULL when never), indexed for Due and Upcoming, and the instant it
// opened, indexed for Histories. Its history is append-only rows of
// ladder_history, the ticket's entries as JSON, numbered from 1. Save
// writes both in one transaction or neither. Instants in columns are Unix
// nanoseconds, so a store keeps the years 1678 to 2261.
//
// A ticket's tenant (escalation.TenantOf its key) is a column too,
// indexed with the opening instant, so that TenantHistories reads one
// tenant's tickets alone; Due claims the due tickets of every tenant in
// one statement. Import loads many new tickets at once, a thousand to a
// transaction in multi-row INSERTs, for a helpdesk that starts using
// ladder with its open tickets.
//
// On PostgreSQL, ladder_history is partitioned by month of its tickets'
// opening instants: a ticket's history is in one partition, read by its
// row's opened column. Migrate creates the months of the tickets it finds
// and 12 months past the latest; Partitions creates months ahead of the
// service's clock (call it at start and monthly) and drops the months
// before every ticket, which Prune empties. Rows of a month without a
// partition wait in a default partition and move when it is created.
//
// # Retention
//
// Prune deletes the tickets closed before a retention instant, indexed by
// their closing instant, a batch at a time: each batch is folded into
// rollups (report.Folder: one per tenant and week), which the store keeps
// in ladder_rollups in the same transaction, and deleted. Rollups streams
// a tenant's rollups back for a report (report.Aggregator.AddRollup), so a
// report over two years reads 104 rollups and the tickets still kept.
//
// Histories and Upcoming read a page of tickets at a time, each page
// after the last ticket of the page before, and hold no rows or
// transaction while the caller's loop body runs: a report may save
// tickets as it reads them, even on a database of one connection.
//
// # Replicas
//
// Engines in several processes may share one PostgreSQL database. Due
// claims what it returns for a lease (WithLease, one minute by default)
// under this replica's name (WithOwner): other replicas pass over a
// claimed ticket until the lease ends or one of them saves the ticket,
// and replicas claiming at once skip each other's rows (SELECT ... FOR
// UPDATE SKIP LOCKED). So each due ticket is handled by one replica, and
// the tickets of a replica that stops are taken up by the others when its
// leases end. Leases follow the now that Due is given, never the wall
// clock, so replicas' clocks should agree to well within a lease.
//
// A save by the replica that holds a ticket's lease keeps the lease: an
// engine saves the notifications it is about to deliver before it
// delivers them, and no other replica may take the ticket up in between.
// A save by another replica (an event reported there) ends the lease, so
// the ticket is handled at once; if that happens while the holder
// delivers, the notification may go out twice, with the same key, as
// delivery is at least once anyway.
//
// database/sql keeps two idle connections by default; give the pool as
// many as the engines use at once (db.SetMaxIdleConns), or PostgreSQL
// connections are opened and closed again and again.
//
// # SQLite
//
// SQLite serialises writers: a Store on SQLite is for one process. Open
// the file with a busy timeout, so that a writer waits for another rather
// than failing with a *BusyError, and with the WAL journal, so that
// readers do not wait for writers:
//
//	file:ladder.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate
//
// With synchronous(NORMAL) a committed save survives a crash of the
// process but may be lost with the machine's power; synchronous(FULL)
// keeps it through both, at the cost of a flush per save.
//
// On SQLite a Store prepares the statements of a ticket's load, save,
// history and claim once and keeps them, as SQLite's drivers parse a
// query's text each time it runs; a save sets the indexed columns (due,
// opened, closed) only when they change, as SQLite rewrites the index
// entries of every column an UPDATE sets. On PostgreSQL the store
// prepares none of its own: the driver decides (pgx caches prepared
// statements by default, and is told not to behind a pooler in
// transaction mode).
package sqlstore
