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
	// replicas that migrate at once; "" for none.
	lock string
	// numbered writes the query parameter $n as this dialect wants it.
	numbered string
	// writingWith is whether a statement's WITH clause may insert and
	// update, so that Save is one statement.
	writingWith bool
}

var (
	// SQLite keeps tickets in a file for one process. SQLite serialises
	// writers, so a Store on it suits one process, one or a few engines;
	// open the database with a busy timeout and the WAL journal (see the
	// package documentation).
	SQLite = Dialect{name: "sqlite", numbered: "?"}
	// Postgres keeps tickets in PostgreSQL, shared by the replicas of a
	// service: Due claims tickets with SELECT ... FOR UPDATE SKIP LOCKED
	// and a lease.
	Postgres = Dialect{
		name:        "postgres",
		skipLocked:  " FOR UPDATE SKIP LOCKED",
		lock:        "SELECT pg_advisory_xact_lock(7138426519)", // any number, the same in every replica
		numbered:    "$",
		writingWith: true,
	}
)

// String is the dialect's name: "sqlite", "postgres", or "" for none.
func (d Dialect) String() string { return d.name }

// sql adapts a query written with PostgreSQL's parameters ($1, $2 ...) to
// the dialect: SQLite numbers them ?1, ?2 ...
func (d Dialect) sql(q string) string {
	if d.numbered == "$" {
		return q
	}
	return strings.ReplaceAll(q, "$", d.numbered)
}
