package sqlstore

import "strings"

// Dialect is the SQL a Store speaks: SQLite or PostgreSQL. The zero
// Dialect is none; New refuses it. A Dialect is a plain value, safe for
// concurrent use.
type Dialect struct {
	name string // the migrations' directory: "sqlite", "postgres"
	// skipLocked ends the query that picks the tickets Due claims, so that
	// replicas claiming at once pass over each other's rows.
	skipLocked string
	// lock is the first statement of Migrate's transaction, serialising
	// replicas that migrate at once; "" for none. pruneLock is that of a
	// batch of Prune, so that two replicas' folds do not both read a
	// rollup and each write it without the other's tickets.
	lock, pruneLock string
	// numbered writes the query parameter $n as this dialect wants it.
	numbered string
	// writingWith is whether a statement's WITH clause may insert and
	// update, so that Save is one statement.
	writingWith bool
	// partitioned is whether ladder_history is partitioned by month of
	// its tickets' opening instants (its opened column): PostgreSQL's is.
	partitioned bool
	// analyze updates the planner's statistics of the tables after
	// Import loaded many rows; "" for none (SQLite's planner does well
	// without them).
	analyze string
	// arrays is whether the claim may gather the tickets it picks into
	// an array first, so that PostgreSQL's planner updates them by their
	// primary key rather than join them with a scan of the whole table.
	arrays bool
	// indexedBy is whether a query may name the index it reads by, where
	// a planner might choose one that needs a sort: SQLite's skips over
	// the tenants of the index on (tenant, opened, id) and sorts all the
	// rows of a window, rather than read the index on (opened, id) in
	// order.
	indexedBy bool
	// prepare is whether a Store prepares the statements of a ticket's
	// load, save, history and claim and keeps them (see prepared).
	prepare bool
}

var (
	// SQLite keeps tickets in a file for one process. SQLite serialises
	// writers, so a Store on it suits one process, one or a few engines;
	// open the database with a busy timeout and the WAL journal (see the
	// package documentation).
	SQLite = Dialect{name: "sqlite", numbered: "?", indexedBy: true, prepare: true}
	// Postgres keeps tickets in PostgreSQL, shared by the replicas of a
	// service: Due claims tickets with SELECT ... FOR UPDATE SKIP LOCKED
	// and a lease.
	Postgres = Dialect{
		name:        "postgres",
		skipLocked:  " FOR UPDATE SKIP LOCKED",
		lock:        "SELECT pg_advisory_xact_lock(7138426519)", // any number, the same in every replica
		pruneLock:   "SELECT pg_advisory_xact_lock(7138426520)",
		numbered:    "$",
		writingWith: true,
		arrays:      true,
		partitioned: true,
		analyze:     "ANALYZE ladder_tickets, ladder_history",
	}
)

// String is the dialect's name: "sqlite", "postgres", or "" for none.
func (d Dialect) String() string { return d.name }

// tickets is the tickets' table, read by index when the dialect lets a
// query name it.
func (d Dialect) tickets(index string) string {
	if d.indexedBy {
		return "ladder_tickets INDEXED BY " + index
	}
	return "ladder_tickets"
}

// sql adapts a query written with PostgreSQL's parameters ($1, $2 ...) to
// the dialect: SQLite numbers them ?1, ?2 ...
func (d Dialect) sql(q string) string {
	if d.numbered == "$" {
		return q
	}
	return strings.ReplaceAll(q, "$", d.numbered)
}
