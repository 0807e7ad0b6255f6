package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// prepared holds a store's prepared statements, by query, when its dialect
// prepares them: SQLite's drivers parse a query's text each time it runs,
// and parsing was a quarter of an event's time there. (On PostgreSQL the
// driver decides: pgx keeps prepared statements of its own unless told
// not to, as behind a pooler in transaction mode, where statements the
// store prepared would fail; so a Store on PostgreSQL prepares nothing.)
//
// database/sql prepares a statement again on each connection it runs on.
// The statements are closed when the Store is garbage: prepared keeps no
// reference to it.
type prepared struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns q prepared, or nil when the store does not prepare, or q
// cannot be prepared now (it then runs unprepared, and fails there).
// Preparing takes a connection of the pool, so a transaction, which holds
// one, only finds the statements prepared before it began (prepare false):
// a pool of one connection would wait for ever.
func (p *prepared) stmt(ctx context.Context, q string, prepare bool) *sql.Stmt {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	st, ok := p.m[q]
	p.mu.Unlock()
	if ok || !prepare {
		return st
	}
	// Not under the lock: preparing may wait for a connection that a
	// transaction holds while it looks a statement up.
	st, err := p.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if first, ok := p.m[q]; ok { // prepared meanwhile by another call
		st.Close()
		return first
	}
	p.m[q] = st
	return st
}

// close closes the statements; a store's cleanup.
func (p *prepared) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for q, st := range p.m {
		st.Close()
		delete(p.m, q)
	}
}

// prepare prepares the queries a transaction will run, where the store
// prepares; see prepared.stmt.
func (s *Store) prepare(ctx context.Context, qs ...string) {
	for _, q := range qs {
		s.prepared.stmt(ctx, q, true)
	}
}

// statement is a query to run in a transaction or on the database.
type statement struct {
	ctx context.Context
	on  querier
	q   string
}

// statement returns q to run in tx (nil: on the database), prepared when
// the store prepares (in a transaction: when it was prepared before).
func (s *Store) statement(ctx context.Context, tx *sql.Tx, q string) statement {
	if st := s.prepared.stmt(ctx, q, tx == nil); st != nil {
		if tx != nil {
			st = tx.StmtContext(ctx, st)
		}
		return statement{ctx, preparedStmt{st}, q}
	}
	if tx != nil {
		return statement{ctx, tx, q}
	}
	return statement{ctx, s.db, q}
}

func (st statement) row(args ...any) *sql.Row { return st.on.QueryRowContext(st.ctx, st.q, args...) }

func (st statement) rows(args ...any) (*sql.Rows, error) {
	return st.on.QueryContext(st.ctx, st.q, args...)
}

func (st statement) exec(args ...any) (sql.Result, error) {
	return st.on.ExecContext(st.ctx, st.q, args...)
}

// preparedStmt is a prepared statement as a querier: it runs the query it
// was prepared from, which is the one it is given.
type preparedStmt struct{ *sql.Stmt }

func (p preparedStmt) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return p.Stmt.QueryRowContext(ctx, args...)
}

func (p preparedStmt) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return p.Stmt.QueryContext(ctx, args...)
}

func (p preparedStmt) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return p.Stmt.ExecContext(ctx, args...)
}
