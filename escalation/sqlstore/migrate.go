package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// The schema's migrations, one directory per dialect, files named
// NNNN_what.sql and numbered from 1 without gaps. Version n of the schema
// is what the first n files make.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one step of the schema: the statements of the file that
// takes it from one version to the next.
type migration struct {
	file       string
	statements []string
}

// migrations reads the dialect's migrations in order.
func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", d.name)
	files, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations of %s: %w", d, err)
	}
	var ms []migration
	for i, f := range files { // ReadDir sorts by name
		num, _, _ := strings.Cut(f.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 || !strings.HasSuffix(f.Name(), ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %s/%s: want a name %04d_what.sql", dir, f.Name(), i+1)
		}
		text, err := migrationFiles.ReadFile(path.Join(dir, f.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s/%s: %w", dir, f.Name(), err)
		}
		ms = append(ms, migration{file: f.Name(), statements: statements(string(text))})
	}
	return ms, nil
}

// statements splits a migration into its statements, each ending with a
// semicolon at the end of a line, so that every driver can run them.
func statements(text string) []string {
	var out []string
	for _, s := range strings.SplitAfter(text, ";\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SchemaError is a database whose schema version this code cannot use:
// newer than it knows (a newer ladder migrated it), or older (Migrate has
// not run since ladder was upgraded). It is a plain value, safe for
// concurrent reads.
type SchemaError struct {
	Found int // the database's schema version; 0 for none
	Known int // the version this code migrates to
}

func (e *SchemaError) Error() string {
	if e.Found > e.Known {
		return fmt.Sprintf("sqlstore: the database's schema is version %d, newer than version %d that this ladder knows: upgrade ladder", e.Found, e.Known)
	}
	return fmt.Sprintf("sqlstore: the database's schema is version %d, older than version %d: run Migrate", e.Found, e.Known)
}

const (
	createVersionTable = "CREATE TABLE IF NOT EXISTS ladder_schema (version INTEGER NOT NULL)"
	selectVersion      = "SELECT version FROM ladder_schema"
)

// Migrate creates the store's tables, or brings them up to the schema
// version this code knows, in one transaction: the tables ladder_tickets
// and ladder_history, and ladder_schema, which holds the schema's version.
// It fills in the opening instant of tickets saved without one (before
// schema version 2, or since by a replica on an older ladder), so that
// Histories misses none. It refuses, with a *SchemaError, a database
// whose schema is newer than this code knows. Replicas may migrate at
// once: on PostgreSQL they take turns; on SQLite one process migrates.
// Running Migrate again changes nothing but such tickets.
func (s *Store) Migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if err := s.migrate(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", s.hint(err))
	}
	s.ready.Store(true)
	return nil
}

func (s *Store) migrate(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{s.d.lock, createVersionTable} {
		if q == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", s.hint(err))
		}
	}
	var found int
	err := tx.QueryRowContext(ctx, selectVersion).Scan(&found)
	fresh := errors.Is(err, sql.ErrNoRows)
	if err != nil && !fresh {
		return fmt.Errorf("sqlstore: migrate: reading the schema version: %w", s.hint(err))
	}
	known := len(s.migrations)
	if found > known {
		return &SchemaError{Found: found, Known: known}
	}
	for i, m := range s.migrations[found:] {
		for _, q := range m.statements {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("sqlstore: migrate: %s: %w", m.file, s.hint(err))
			}
		}
		// What a migration's SQL cannot do alone, right after it.
		switch v := found + i + 1; {
		case v == closedVersion && found > 0:
			if err := s.fillClosed(ctx, tx); err != nil {
				return err
			}
		case v == partitionedVersion && s.d.partitioned:
			if err := s.partitionHistory(ctx, tx); err != nil {
				return err
			}
		}
	}
	if err := s.backfill(ctx, tx); err != nil {
		return err
	}
	if s.d.partitioned {
		if err := s.partitionAhead(ctx, tx); err != nil {
			return err
		}
	}
	set := "UPDATE ladder_schema SET version = $1"
	if fresh {
		set = "INSERT INTO ladder_schema (version) VALUES ($1)"
	}
	if _, err := tx.ExecContext(ctx, s.d.sql(set), known); err != nil {
		return fmt.Errorf("sqlstore: migrate: recording the schema version: %w", s.hint(err))
	}
	return nil
}

// backfill fills in the opened column of the rows that have none, from
// their states: rows saved before the column existed (migration 0002), or
// since then by a replica running an older ladder. A state that cannot be
// read gets the zero instant's value, so that Histories reports it rather
// than missing it. It reads a page of rows at a time and updates them
// before it reads the next, so that SQLite's one connection serves both.
func (s *Store) backfill(ctx context.Context, tx *sql.Tx) error {
	fail := func(err error) error { return fmt.Errorf("sqlstore: migrate: filling in opened: %w", s.hint(err)) }
	for {
		rows, err := tx.QueryContext(ctx, s.q.unopened, page)
		if err != nil {
			return fail(err)
		}
		type unopened struct {
			id     string
			opened int64
		}
		var us []unopened
		for rows.Next() {
			var u unopened
			var text []byte
			if err := rows.Scan(&u.id, &text); err != nil {
				rows.Close()
				return fail(err)
			}
			var st struct {
				Opened time.Time `json:"opened"`
			}
			if json.Unmarshal(text, &st) != nil {
				st.Opened = time.Time{} // corrupt: Load and Histories say so
			}
			u.opened = instant(st.Opened)
			us = append(us, u)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fail(err)
		}
		for _, u := range us {
			if _, err := tx.ExecContext(ctx, s.q.setOpened, u.id, u.opened); err != nil {
				return fail(err)
			}
		}
		if len(us) < page {
			return nil
		}
	}
}

// check makes sure, once, that the database's schema is the version this
// code knows, before the store first uses it.
func (s *Store) check(ctx context.Context) error {
	if s.ready.Load() {
		return nil
	}
	var found int
	err := s.db.QueryRowContext(ctx, selectVersion).Scan(&found)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil // a version table without a version: none
	}
	if err != nil {
		return fmt.Errorf("sqlstore: reading the schema version: %w", s.hint(err))
	}
	if found != len(s.migrations) {
		return &SchemaError{Found: found, Known: len(s.migrations)}
	}
	s.ready.Store(true)
	return nil
}

// closedVersion is the schema version that has the closed column, and
// partitionedVersion the one whose history PostgreSQL partitions.
const (
	closedVersion      = 5
	partitionedVersion = 6
)

// fillClosed fills in the closed column of the tickets saved before it
// existed, from their states, a page at a time: once, in the migration
// that adds it, reading every ticket.
func (s *Store) fillClosed(ctx context.Context, tx *sql.Tx) error {
	fail := func(err error) error { return fmt.Errorf("sqlstore: migrate: filling in closed: %w", s.hint(err)) }
	read := s.d.sql("SELECT id, state FROM ladder_tickets WHERE id > $1 ORDER BY id LIMIT $2")
	set := s.d.sql("UPDATE ladder_tickets SET closed = $2 WHERE id = $1")
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, read, after, page)
		if err != nil {
			return fail(err)
		}
		type closed struct {
			id string
			at any
		}
		var cs []closed
		n := 0
		for rows.Next() {
			var text []byte
			if err := rows.Scan(&after, &text); err != nil {
				rows.Close()
				return fail(err)
			}
			n++
			var st escalation.State
			if json.Unmarshal(text, &st) != nil {
				continue // corrupt: Load says so; it is not pruned
			}
			if at := closedAt(&st); at != nil {
				cs = append(cs, closed{after, at})
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fail(err)
		}
		for _, c := range cs {
			if _, err := tx.ExecContext(ctx, set, c.id, c.at); err != nil {
				return fail(err)
			}
		}
		if n < page {
			return nil
		}
	}
}
