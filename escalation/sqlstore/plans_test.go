package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// planTickets is how many tickets TestPlans loads: LADDER_PLAN_TICKETS, or
// 20,000, enough that the planners prefer an index where there is one.
func planTickets(t *testing.T) int {
	if v := os.Getenv("LADDER_PLAN_TICKETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < perTenant || n%perTenant != 0 {
			t.Fatalf("LADDER_PLAN_TICKETS=%q: want a multiple of %d", v, perTenant)
		}
		return n
	}
	return 20 * perTenant
}

// TestPlans shows how each database runs the statements of Load, Save,
// History, Due (the claim and its next instant), Upcoming (which AtRisk
// reads) and Histories, on tickets bulk-loaded in tenants: every one
// reads ladder_tickets and ladder_history by an index, never by a scan of
// the table, so its cost follows the rows it returns, not the tickets
// the store holds. The plans are in the test's log (go test -v).
func TestPlans(t *testing.T) {
	n := planTickets(t)
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db, ss := stores(t, b, 1)
		s := ss[0]
		if loaded, err := s.Import(ctx, tenantTickets(t, n)); err != nil || loaded != n {
			t.Fatalf("imported %d of %d: %v", loaded, n, err)
		}
		// Some tickets under another replica's lease, for the next
		// instant's second half.
		if _, _, err := ss[0].Due(ctx, t0.Add(time.Minute), 10); err != nil {
			t.Fatal(err)
		}
		analyze := "ANALYZE"
		if _, err := db.ExecContext(ctx, analyze); err != nil {
			t.Fatal(err)
		}
		now, until := t0.Add(time.Minute).UnixNano(), t0.Add(2*time.Minute).UnixNano()
		id := escalation.TicketKey(tenantName(1), "T-0007")
		args := map[string][]any{
			"load":      {id},
			"update":    {id, 1, "{}", now, 1, "replica-0", now, nil, "[]"},
			"setDue":    {id, now},
			"history":   {id},
			"tail":      {id, 20},
			"claim":     {"replica-0", now, until, 1000},
			"nextAll":   {"replica-0", now},
			"nextLater": {"replica-0", now},
			"nextAfter": {"replica-0", now, now, id},
			// The first ticket Due may return after those it claimed is
			// due at t0, as the 10 it claimed were: none is due before.
			"leased":            {"replica-1", now, t0.UnixNano()},
			"upcoming":          {until, 256},
			"upcomingAfter":     {until, 256, now, id},
			"opened":            {t0.UnixNano(), until, 256},
			"openedAfter":       {until, 256, t0.UnixNano(), id},
			"tenantOpened":      {t0.UnixNano(), until, 256, tenantName(1)},
			"tenantOpenedAfter": {until, 256, t0.UnixNano(), id, tenantName(1)},
		}
		queries := sqlstore.Queries(s)
		names := slices.Sorted(func(yield func(string) bool) {
			for name := range queries {
				if !yield(name) {
					return
				}
			}
		})
		for _, name := range names {
			q := queries[name]
			a := args[name]
			if b.dialect == sqlstore.SQLite && name == "update" {
				a = a[:8] // SQLite's update appends the history separately
			}
			plan, err := explain(ctx, db, b.dialect, q, a)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			t.Logf("%s:\n%s\n%s", name, q, plan)
			if scan := fullScan(b.dialect, plan); scan != "" {
				t.Errorf("%s reads a whole table: %s\n%s", name, scan, plan)
			}
		}
	})
}

// explain returns the database's plan of q with args.
func explain(ctx context.Context, db *sql.DB, d sqlstore.Dialect, q string, args []any) (string, error) {
	prefix := "EXPLAIN "
	if d == sqlstore.SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1])) // the plan's text
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// fullScan is the line of plan that reads all of ladder_tickets or
// ladder_history, or on SQLite sorts all the rows of a range rather than
// read them in order; "" when none does.
func fullScan(d sqlstore.Dialect, plan string) string {
	for line := range strings.SplitSeq(plan, "\n") {
		l := strings.TrimSpace(line)
		if d == sqlstore.SQLite && strings.Contains(l, "TEMP B-TREE") { // every row of the range, sorted
			return l
		}
		if !strings.Contains(l, "ladder_tickets") && !strings.Contains(l, "ladder_history") {
			continue
		}
		if d == sqlstore.SQLite && strings.HasPrefix(l, "SCAN ") && !strings.Contains(l, "USING") {
			return l
		}
		if d == sqlstore.Postgres && strings.Contains(l, "Seq Scan") {
			return l
		}
	}
	return ""
}
