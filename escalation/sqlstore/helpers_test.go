package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
	_ "modernc.org/sqlite"
)

// sqlitePragmas are the DSN settings the package documentation advises.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// sqliteDB opens a new SQLite file in the test's temporary directory.
func sqliteDB(t testing.TB) *sql.DB {
	t.Helper()
	return sqliteDSN(t, sqlitePragmas)
}

// sqliteDSN opens a new SQLite file with the given DSN settings.
func sqliteDSN(t testing.TB, settings string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "ladder.db")+"?"+settings)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(poolSize)
	t.Cleanup(func() { db.Close() })
	return db
}

// poolSize is how many connections a test keeps open between uses: the
// replicas of a test, and the concurrent writers of a benchmark.
const poolSize = 16

// postgresDB opens the PostgreSQL database that LADDER_POSTGRES_DSN names,
// in a schema of its own that is dropped when the test ends, so tests do
// not see each other's tables. The test is skipped when the variable is
// not set.
func postgresDB(t testing.TB) *sql.DB {
	t.Helper()
	db, _ := postgresSchema(t)
	return db
}

// postgresSchema is postgresDB, and the name of its schema.
func postgresSchema(t testing.TB) (*sql.DB, string) {
	t.Helper()
	dsn := os.Getenv("LADDER_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("LADDER_POSTGRES_DSN is not set (eval \"$(.ci/postgres)\" starts a server)")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("LADDER_POSTGRES_DSN: %v", err)
	}
	admin := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { admin.Close() })
	schema := "ladder_test_" + strings.ToLower(rand.Text())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("dropping %s: %v", schema, err)
		}
	})
	cfg = cfg.Copy()
	cfg.RuntimeParams["search_path"] = schema
	db := stdlib.OpenDB(*cfg)
	db.SetMaxIdleConns(poolSize)     // as many as the engines use at once: no connection is opened twice
	t.Cleanup(func() { db.Close() }) // before the schema is dropped
	return db, schema
}

// backend is a database the tests run on.
type backend struct {
	name    string
	dialect sqlstore.Dialect
	open    func(testing.TB) *sql.DB
}

var backends = []backend{
	{"sqlite", sqlstore.SQLite, sqliteDB},
	{"postgres", sqlstore.Postgres, postgresDB},
}

// forEach runs test as a subtest on each backend.
func forEach(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

// stores returns n migrated stores sharing one new database, owned by
// "replica-0", "replica-1" ...
func stores(t testing.TB, b backend, n int, opts ...sqlstore.Option) (*sql.DB, []*sqlstore.Store) {
	t.Helper()
	db := b.open(t)
	ss := make([]*sqlstore.Store, n)
	for i := range ss {
		s, err := sqlstore.New(db, b.dialect, append([]sqlstore.Option{sqlstore.WithOwner(fmt.Sprint("replica-", i))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		ss[i] = s
	}
	return db, ss
}

// t0 is Monday 2026-11-02 09:00 in New York, when the tests start.
var t0 = time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)

func hours(h float64) escalation.Duration {
	return escalation.Duration(time.Duration(h * float64(time.Hour)))
}

// testPolicy has New York office hours and three priorities: P1 on a 24x7
// clock with a level after 30 minutes, P2 and P3 on office hours; a rule
// notifies the duty manager when a first response is late, every hour
// until it is given.
func testPolicy() *escalation.Policy {
	return &escalation.Policy{
		Name: "sqlstore-test", Version: "v1",
		Calendars: map[string]sla.CalendarSpec{
			"office": {Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-17:00"}}},
		},
		Calendar: "office",
		Tiers:    []string{"frontline", "specialists", "engineering"},
		Matrix: matrix.Spec{
			Impacts: []string{"high", "low"}, Urgencies: []string{"high", "low"},
			Grid: [][]string{{"P1", "P2"}, {"P2", "P3"}},
			Priorities: []matrix.PrioritySpec{
				{Name: "P1",
					Goals: []matrix.Goal{{Metric: "first_response", Target: hours(1), Calendar: "24x7"}, {Metric: "resolution", Target: hours(4), Calendar: "24x7"}},
					Levels: []matrix.Level{
						{Clock: matrix.ClockSinceOpen, After: hours(0.5), Tier: "specialists", Notify: []string{"team_lead"}},
						{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 75, Tier: "engineering", Notify: []string{"duty_manager"}},
					}},
				{Name: "P2",
					Goals:  []matrix.Goal{{Metric: "first_response", Target: hours(4)}, {Metric: "resolution", Target: hours(16)}},
					Levels: []matrix.Level{{Clock: matrix.ClockSinceOpen, After: hours(8), Tier: "specialists", Notify: []string{"team_lead"}}}},
				{Name: "P3",
					Goals: []matrix.Goal{{Metric: "first_response", Target: hours(8)}, {Metric: "resolution", Target: hours(40)}}},
			},
		},
		Targets: map[string]escalation.TargetSettings{"resolution": {WarnPercent: []float64{50}}},
		Rules: []escalation.Rule{
			{Name: "first-response-late", On: escalation.Trigger{Metric: "first_response", Breach: true}, Repeat: hours(1), When: "!sla.first_response.met",
				Do: []escalation.Action{{Notify: []string{"duty_manager"}}}},
		},
	}
}

// slicesSortStable is slices.SortStableFunc.
func slicesSortStable[T any](s []T, cmp func(a, b T) int) { slices.SortStableFunc(s, cmp) }

// migrateTo runs the dialect's migration files 1 through version on db
// and records the version, as a ladder of that schema version left it.
func migrateTo(t *testing.T, db *sql.DB, d sqlstore.Dialect, version int) {
	t.Helper()
	for v := 1; v <= version; v++ {
		files, err := filepath.Glob(filepath.Join("migrations", d.String(), fmt.Sprintf("%04d_*.sql", v)))
		if err != nil || len(files) != 1 {
			t.Fatalf("migration %d of %s: %q, %v", v, d, files, err)
		}
		text, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		for q := range strings.SplitSeq(string(text), ";\n") {
			if strings.TrimSpace(q) != "" {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
		}
	}
	for _, q := range []string{"CREATE TABLE ladder_schema (version INTEGER NOT NULL)", fmt.Sprintf("INSERT INTO ladder_schema (version) VALUES (%d)", version)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// migrated returns a store on db, migrated: an upgrade from what
// migrateTo left.
func migrated(t *testing.T, db *sql.DB, d sqlstore.Dialect) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
