package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

func TestNewErrors(t *testing.T) {
	db := sqliteDB(t)
	for _, c := range []struct {
		name string
		db   *sql.DB
		d    sqlstore.Dialect
		opts []sqlstore.Option
		want string
	}{
		{"everything wrong", nil, sqlstore.Dialect{}, []sqlstore.Option{sqlstore.WithOwner(""), sqlstore.WithLease(0)},
			"sqlstore: db is nil\n" +
				"sqlstore: no dialect: use sqlstore.SQLite or sqlstore.Postgres\n" +
				"sqlstore: owner is empty\n" +
				"sqlstore: lease 0s: must be positive"},
		{"negative lease", db, sqlstore.SQLite, []sqlstore.Option{sqlstore.WithLease(-time.Second)}, "sqlstore: lease -1s: must be positive"},
		{"fine", db, sqlstore.Postgres, []sqlstore.Option{sqlstore.WithOwner("api-1"), sqlstore.WithLease(time.Second)}, ""},
	} {
		s, err := sqlstore.New(c.db, c.d, c.opts...)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want || (err == nil) != (s != nil) {
			t.Errorf("%s: New = %v, %q; want %q", c.name, s, got, c.want)
		}
	}
}

// TestCorruptRows damages one ticket's state and another's history: each
// is refused with an error naming it, and the other tickets go on.
func TestCorruptRows(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db, ss := stores(t, b, 1)
		clk := escalation.NewSimClock(t0)
		got := newDeliveries(clk)
		e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(ss[0]), escalation.WithNotifier(got.notifier(0)))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"T-1", "T-2", "T-3", "T-4"} {
			if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: t0, Impact: "high", Urgency: "high"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`UPDATE ladder_tickets SET state = '{"id": "T-2", "timers": [' WHERE id = 'T-2'`,
			`UPDATE ladder_history SET entry = 'nothing' WHERE ticket = 'T-3' AND seq = 1`,
			`UPDATE ladder_tickets SET state = (SELECT state FROM ladder_tickets WHERE id = 'T-1') WHERE id = 'T-4'`,
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		_, err = ss[0].Load(ctx, "T-2")
		wantError(t, err, `sqlstore: ticket "T-2": stored state is corrupt: unexpected end of JSON input`)
		var ce *sqlstore.CorruptError
		if !errors.As(err, &ce) || ce.Ticket != "T-2" || ce.Entry != 0 {
			t.Errorf("load of T-2: %#v, want a *CorruptError of T-2's state", err)
		}
		_, err = ss[0].History(ctx, "T-3")
		wantError(t, err, `sqlstore: ticket "T-3": history entry 1 is corrupt: invalid character 'o' in literal null (expecting 'u')`)
		_, err = ss[0].Load(ctx, "T-4")
		wantError(t, err, `sqlstore: ticket "T-4": stored state is corrupt: the state is ticket "T-1"'s`)

		// At the first level, T-2 cannot be loaded and T-3's notification
		// cannot carry its history; T-1 is notified all the same.
		clk.Add(30 * time.Minute)
		err = e.Step(ctx)
		wantError(t, err, `escalation: ticket "T-2": sqlstore: ticket "T-2": stored state is corrupt: unexpected end of JSON input`+"\n"+
			`escalation: ticket "T-3": sqlstore: ticket "T-3": history entry 1 is corrupt: invalid character 'o' in literal null (expecting 'u')`+"\n"+
			`escalation: ticket "T-4": sqlstore: ticket "T-4": stored state is corrupt: the state is ticket "T-1"'s`)
		if len(got.count) != 1 || got.count["T-1/matrix:P1[0]/2"] != 1 {
			t.Errorf("delivered %v, want T-1's first level once", got.count)
		}
	})
}

// wantError fails the test unless err's message is want.
func wantError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
}

// TestSchemaVersion: a database that a newer ladder migrated is refused,
// by Migrate and by a new store's first call; so is one not migrated.
func TestSchemaVersion(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t)
		s, err := sqlstore.New(db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(ctx, "T-1"); err == nil || !strings.HasPrefix(err.Error(), "sqlstore: reading the schema version: ") {
			t.Errorf("load before Migrate: %v", err)
		}
		for range 2 { // the second time there is nothing to do
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		save(t, s, "T-1", 0, t0)
		var known int
		if err := db.QueryRow("SELECT version FROM ladder_schema").Scan(&known); err != nil || known < 1 {
			t.Fatalf("schema version %d, %v", known, err)
		}

		if _, err := db.Exec(fmt.Sprint("UPDATE ladder_schema SET version = ", known+1)); err != nil {
			t.Fatal(err)
		}
		newer := fmt.Sprintf("sqlstore: the database's schema is version %d, newer than version %d that this ladder knows: upgrade ladder", known+1, known)
		fresh, _ := sqlstore.New(db, b.dialect)
		wantError(t, fresh.Migrate(ctx), newer)
		_, err = fresh.Load(ctx, "T-1")
		wantError(t, err, newer)
		var se *sqlstore.SchemaError
		if !errors.As(err, &se) || se.Found != known+1 || se.Known != known {
			t.Errorf("%#v, want a *SchemaError", err)
		}
		_, _, err = fresh.Due(ctx, t0, 10)
		wantError(t, err, newer)

		if _, err := db.Exec("UPDATE ladder_schema SET version = 0"); err != nil {
			t.Fatal(err)
		}
		fresh, _ = sqlstore.New(db, b.dialect)
		err = fresh.Save(ctx, &escalation.State{ID: "T-2"}, nil)
		wantError(t, err, fmt.Sprintf("sqlstore: the database's schema is version 0, older than version %d: run Migrate", known))
	})
}

// TestClosedDB: every method of a store on a closed database says so.
func TestClosedDB(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db, ss := stores(t, b, 1)
		s := ss[0]
		st := save(t, s, "T-1", 0, t0)
		db.Close()
		_, err := s.Load(ctx, "T-1")
		wantError(t, err, `sqlstore: ticket "T-1": load: sql: database is closed`)
		wantError(t, s.Save(ctx, st, nil), `sqlstore: ticket "T-1": save: sql: database is closed`)
		_, err = s.History(ctx, "T-1")
		wantError(t, err, `sqlstore: ticket "T-1": history: sql: database is closed`)
		_, _, err = s.Due(ctx, t0, 10)
		wantError(t, err, `sqlstore: due: sql: database is closed`)
		wantError(t, s.Migrate(ctx), `sqlstore: migrate: sql: database is closed`)
		fresh, _ := sqlstore.New(db, b.dialect)
		_, err = fresh.Load(ctx, "T-1")
		wantError(t, err, `sqlstore: reading the schema version: sql: database is closed`)
	})
}

// TestOutOfRange: instants a column cannot hold are refused.
func TestOutOfRange(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
		_, _, err := ss[0].Due(ctx, far, 10)
		wantError(t, err, "sqlstore: due: instant 3000-01-01T00:00:00Z is outside the years 1678 to 2261 that a store keeps")
		err = ss[0].Save(ctx, &escalation.State{ID: "T-1", Due: far}, nil)
		wantError(t, err, `sqlstore: ticket "T-1": save: due: 3000-01-01T00:00:00Z is outside 1678-01-01 to 2261-12-31 (Limits.Latest)`)
		if !errors.Is(err, escalation.ErrLimit) {
			t.Errorf("Save: %v does not wrap ErrLimit", err)
		}
	})
}

// TestSQLiteBusy: without a busy timeout, a write that finds the database
// locked fails at once with a *BusyError that says what to do.
func TestSQLiteBusy(t *testing.T) {
	ctx := context.Background()
	db := sqliteDSN(t, "_pragma=journal_mode(WAL)")
	s, err := sqlstore.New(db, sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st := save(t, s, "T-1", 0, t0)
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	_, _, dueErr := s.Due(ctx, t0, 10)
	for _, err := range []error{s.Save(ctx, st, nil), dueErr} {
		var be *sqlstore.BusyError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "database is locked") ||
			!strings.HasSuffix(err.Error(), "(SQLite is busy: give the DSN a busy timeout, e.g. _pragma=busy_timeout(5000), and use the file from one process)") {
			t.Errorf("a write while another holds the lock: %v, want a *BusyError", err)
		}
	}
	if _, err := other.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, st, nil); err != nil {
		t.Errorf("once the lock is gone: %v", err)
	}
}
