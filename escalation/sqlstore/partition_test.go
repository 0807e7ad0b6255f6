package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// monthTicket saves ticket id opened at opened with entries entries.
func monthTicket(t *testing.T, s *sqlstore.Store, id string, opened time.Time, entries int, closed bool) {
	t.Helper()
	st := &escalation.State{ID: id, Policy: "v1", Opened: opened, Tier: "frontline", Closed: closed, LastEvent: opened.Add(time.Hour)}
	var es []escalation.Entry
	for k := range entries {
		es = append(es, escalation.Entry{At: opened.Add(time.Duration(k) * time.Minute), What: "note", Note: fmt.Sprint(id, "#", k)})
	}
	if err := s.Save(context.Background(), st, es); err != nil {
		t.Fatal(err)
	}
}

// partitionRows counts the history rows in each partition.
func partitionRows(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query("SELECT tableoid::regclass::text, COUNT(*) FROM ladder_history GROUP BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		got[name] = n
	}
	return got
}

// partitionNames are the history's partitions.
func partitionNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return column(t, db, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ladder_history'::regclass ORDER BY 1")
}

// column is the text of q's one column, row by row.
func column(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var col []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		col = append(col, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return col
}

// TestPartitions: on PostgreSQL, a ticket's history goes to the partition
// of the month it opened; rows of months without a partition wait in the
// default one until Partitions creates their month and moves them; a
// month emptied by Prune, before every ticket, is dropped; and reading a
// ticket's history reads its partition alone.
func TestPartitions(t *testing.T) {
	ctx := context.Background()
	db, ss := stores(t, backends[1], 1)
	s := ss[0]
	jan, feb, mar := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC)
	monthTicket(t, s, "acme/J-1", jan, 3, true)
	monthTicket(t, s, "acme/F-1", feb, 2, false)
	if got := partitionRows(t, db); got["ladder_history_default"] != 5 || len(got) != 1 {
		t.Errorf("before any month partition: %v, want 5 rows in the default partition", got)
	}
	if err := s.Partitions(ctx, mar.AddDate(0, 2, 0)); err != nil {
		t.Fatal(err)
	}
	want := []string{"ladder_history_2026_01", "ladder_history_2026_02", "ladder_history_2026_03", "ladder_history_2026_04", "ladder_history_2026_05", "ladder_history_default"}
	if got := partitionNames(t, db); !slices.Equal(got, want) {
		t.Errorf("partitions %q, want %q", got, want)
	}
	monthTicket(t, s, "globex/M-1", mar, 4, false)
	if got := partitionRows(t, db); got["ladder_history_2026_01"] != 3 || got["ladder_history_2026_02"] != 2 || got["ladder_history_2026_03"] != 4 || got["ladder_history_default"] != 0 {
		t.Errorf("rows by partition: %v", got)
	}
	for id, n := range map[string]int{"acme/J-1": 3, "acme/F-1": 2, "globex/M-1": 4} {
		h, err := s.History(ctx, id)
		if err != nil || len(h) != n {
			t.Errorf("%s: %d entries, %v; want %d", id, len(h), err, n)
		}
	}
	// The plan of a ticket's history, run: one partition is read.
	plan := column(t, db, "EXPLAIN (ANALYZE, COSTS OFF) "+sqlstore.Queries(s)["history"], "globex/M-1")
	text := strings.Join(plan, "\n")
	t.Logf("history:\n%s", text)
	scanned := 0
	for _, line := range plan {
		if strings.Contains(line, "on ladder_history_") && !strings.Contains(line, "never executed") {
			scanned++
		}
	}
	if scanned != 1 {
		t.Errorf("reading one ticket's history scans %d partitions, want 1", scanned)
	}
	// January's ticket is pruned: its month is before every ticket, empty,
	// and dropped.
	if n, err := s.Prune(ctx, feb, 100, func([]escalation.History, escalation.Rollups) error { return nil }); n != 1 || err != nil {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if err := s.Partitions(ctx, mar.AddDate(0, 2, 0)); err != nil {
		t.Fatal(err)
	}
	if got := partitionNames(t, db); slices.Contains(got, "ladder_history_2026_01") || !slices.Contains(got, "ladder_history_2026_02") {
		t.Errorf("after January's tickets were pruned: %q", got)
	}
	if err := s.Partitions(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("partitions through the year 3000: no error")
	}
}

// TestUpgradePartitions: a PostgreSQL database of schema version 5 gets
// its history partitioned by Migrate, every row in its ticket's month,
// with partitions 12 months past the latest ticket.
func TestUpgradePartitions(t *testing.T) {
	ctx := context.Background()
	db := postgresDB(t)
	migrateTo(t, db, sqlstore.Postgres, 5)
	opened := map[string]time.Time{"T-1": time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), "T-2": time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC)}
	for id, at := range opened {
		state := fmt.Sprintf(`{"id":%q,"policy":"v1","opened":%q}`, id, at.Format(time.RFC3339Nano))
		if _, err := db.Exec("INSERT INTO ladder_tickets (id, version, state, entries, opened) VALUES ($1, 1, $2, 2, $3)", id, state, at.UnixNano()); err != nil {
			t.Fatal(err)
		}
		for seq := 1; seq <= 2; seq++ {
			if _, err := db.Exec("INSERT INTO ladder_history (ticket, seq, entry) VALUES ($1, $2, $3)", id, seq, fmt.Sprintf(`{"at":%q,"what":"note","note":"%s#%d"}`, at.Format(time.RFC3339), id, seq)); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := migrated(t, db, sqlstore.Postgres)
	got := partitionRows(t, db)
	if got["ladder_history_2025_11"] != 2 || got["ladder_history_2026_01"] != 2 || got["ladder_history_default"] != 0 {
		t.Errorf("rows by partition after the upgrade: %v", got)
	}
	names := partitionNames(t, db)
	if len(names) != 16 || names[0] != "ladder_history_2025_11" || names[14] != "ladder_history_2027_01" {
		t.Errorf("partitions after the upgrade: %q, want 2025-11 through 2027-01 and the default", names)
	}
	for id := range opened {
		h, err := s.History(ctx, id)
		if err != nil || len(h) != 2 || h[1].Note != id+"#2" {
			t.Errorf("%s after the upgrade: %+v, %v", id, h, err)
		}
	}
}
