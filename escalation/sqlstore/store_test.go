package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// entry is a history entry, told apart by its note.
func entry(note string) escalation.Entry {
	return escalation.Entry{At: t0, What: "test", Policy: "v1", Note: note}
}

// save saves a minimal state of ticket id due at due (zero: never) at
// version, with entries, and fails the test on an error.
func save(t testing.TB, s *sqlstore.Store, id string, version int64, due time.Time, entries ...escalation.Entry) *escalation.State {
	t.Helper()
	st := &escalation.State{ID: id, Version: version, Policy: "v1", Opened: t0, Tier: "frontline", Due: due}
	if err := s.Save(context.Background(), st, entries); err != nil {
		t.Fatalf("save %s at version %d: %v", id, version, err)
	}
	return st
}

// TestExactInstants: due times keep their nanoseconds, so a ticket is due
// exactly when its state says, not a rounding earlier or later.
func TestExactInstants(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		due := t0.Add(time.Hour + time.Nanosecond)
		save(t, ss[0], "T-1", 0, due)
		if ids, next, err := ss[0].Due(ctx, due.Add(-time.Nanosecond), 10); err != nil || ids != nil || !next.Equal(due) {
			t.Errorf("a nanosecond before: %q, %v, %v; want nothing, next %v", ids, next, err, due)
		}
		if ids, _, err := ss[0].Due(ctx, due, 10); err != nil || !cmp.Equal(ids, []string{"T-1"}) {
			t.Errorf("at the instant: %q, %v; want [T-1]", ids, err)
		}
		st, err := ss[0].Load(ctx, "T-1")
		if err != nil || !st.Due.Equal(due) {
			t.Errorf("loaded due %v, %v; want %v", st.Due, err, due)
		}
	})
}

// TestBytewiseIDs: tickets due at one instant come in the bytewise order
// of their ids, whatever the database's collation.
func TestBytewiseIDs(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		_, ss := stores(t, b, 1)
		for _, id := range []string{"b", "a", "B", "é", "A-2", "a-10"} {
			save(t, ss[0], id, 0, t0)
		}
		want := []string{"A-2", "B", "a", "a-10", "b", "é"}
		for limit := 1; limit <= len(want); limit++ {
			ids, _, err := ss[0].Due(context.Background(), t0, limit)
			if err != nil || !cmp.Equal(ids, want[:limit]) {
				t.Errorf("Due(t0, %d) = %q, %v; want %q", limit, ids, err, want[:limit])
			}
		}
	})
}

// TestLongHistory: one save of more entries than one statement inserts
// keeps them all, in order.
func TestLongHistory(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		var many []escalation.Entry
		for i := range 450 {
			many = append(many, entry(fmt.Sprint(i)))
		}
		save(t, ss[0], "T-1", 0, time.Time{}, many[:1]...)
		st, err := ss[0].Load(ctx, "T-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := ss[0].Save(ctx, st, many[1:]); err != nil {
			t.Fatal(err)
		}
		if h, err := ss[0].History(ctx, "T-1"); err != nil || !cmp.Equal(many, h) {
			t.Errorf("history of 450 entries: %d entries, %v", len(h), err)
		}
	})
}

// TestLeases walks two replicas through claims, expiries and saves.
func TestLeases(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 2, sqlstore.WithLease(10*time.Minute))
		r1, r2 := ss[0], ss[1]
		save(t, r1, "X", 0, t0)
		save(t, r1, "Y", 0, t0.Add(5*time.Minute))
		minute := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
		// resave saves the ticket as it is, from replica s.
		resave := func(s *sqlstore.Store, id string) func() {
			return func() {
				st, err := s.Load(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Save(ctx, st, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, step := range []struct {
			what  string
			do    func() // before the Due
			s     *sqlstore.Store
			now   time.Time
			limit int
			ids   []string
			next  time.Time
		}{
			{"r1 claims X until 10", nil, r1, minute(0), 10, []string{"X"}, minute(5)},
			{"r2 skips X", nil, r2, minute(0), 10, nil, minute(5)},
			{"r2 claims Y until 15; X is free at 10", nil, r2, minute(5), 10, []string{"Y"}, minute(10)},
			{"r1 only asks; X is its own", nil, r1, minute(5), 0, nil, minute(0)},
			{"r2 claims X as r1's lease ends, and Y again, until 20", nil, r2, minute(10), 10, []string{"X", "Y"}, time.Time{}},
			{"r1 saves X: r2's lease on X ends", resave(r1, "X"), r1, minute(10), 10, []string{"X"}, minute(20)},
			{"r1 saves X again: its own lease stays", resave(r1, "X"), r2, minute(10), 10, []string{"Y"}, minute(20)},
			{"both leases ended", nil, r2, minute(20), 10, []string{"X", "Y"}, time.Time{}},
		} {
			if step.do != nil {
				step.do()
			}
			ids, next, err := step.s.Due(ctx, step.now, step.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(ids, step.ids) || !next.Equal(step.next) {
				t.Errorf("step %d (%s): Due = %q, t0%+v; want %q, t0%+v", i, step.what, ids, next.Sub(t0), step.ids, step.next.Sub(t0))
			}
		}
	})
}

// TestCreateRace has replicas race to create one ticket: one wins, and
// the history holds its entry alone.
func TestCreateRace(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 2)
		const racers = 6
		errs := make([]error, racers)
		var wg sync.WaitGroup
		for r := range racers {
			wg.Go(func() {
				st := &escalation.State{ID: "T-1", Policy: "v1", Tier: fmt.Sprint("racer-", r)}
				errs[r] = ss[r%2].Save(ctx, st, []escalation.Entry{entry(fmt.Sprint(r))})
			})
		}
		wg.Wait()
		won := -1
		for r, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Fatalf("racers %d and %d both created the ticket", won, r)
			case err == nil:
				won = r
			case !errors.Is(err, escalation.ErrConflict):
				t.Fatalf("racer %d: %v", r, err)
			}
		}
		if won < 0 {
			t.Fatal("no racer created the ticket")
		}
		st, err := ss[0].Load(ctx, "T-1")
		if err != nil || st.Tier != fmt.Sprint("racer-", won) {
			t.Errorf("loaded %+v, %v; want racer-%d's", st, err, won)
		}
		if h, err := ss[1].History(ctx, "T-1"); err != nil || !cmp.Equal(h, []escalation.Entry{entry(fmt.Sprint(won))}) {
			t.Errorf("history %v, %v; want racer %d's entry alone", h, err, won)
		}
	})
}

// TestSaveSetsIndexedColumns: after each save, the columns that Due,
// Histories and Prune read by index (due, opened, closed) are the state's,
// whichever of them the save changed (SQLite's saves set only those).
func TestSaveSetsIndexedColumns(t *testing.T) {
	type columns struct{ due, opened, closed sql.NullInt64 }
	at := func(d time.Duration) sql.NullInt64 { return sql.NullInt64{Int64: t0.Add(d).UnixNano(), Valid: true} }
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db, ss := stores(t, b, 1)
		s := ss[0]
		st := &escalation.State{ID: "T-1", Policy: "v1", Opened: t0, Tier: "frontline", Due: t0.Add(time.Hour)}
		for i, c := range []struct {
			name string
			edit func(st *escalation.State)
			want columns
		}{
			{"opened", func(*escalation.State) {}, columns{at(time.Hour), at(0), sql.NullInt64{}}},
			{"due unchanged", func(*escalation.State) {}, columns{at(time.Hour), at(0), sql.NullInt64{}}},
			{"due later", func(st *escalation.State) { st.Due = t0.Add(2 * time.Hour) }, columns{at(2 * time.Hour), at(0), sql.NullInt64{}}},
			{"nothing due", func(st *escalation.State) { st.Due = time.Time{} }, columns{sql.NullInt64{}, at(0), sql.NullInt64{}}},
			{"closed", func(st *escalation.State) { st.Closed, st.LastEvent = true, t0.Add(3*time.Hour) },
				columns{sql.NullInt64{}, at(0), at(3 * time.Hour)}},
			{"closed, due again", func(st *escalation.State) { st.Due = t0.Add(4 * time.Hour) }, columns{at(4 * time.Hour), at(0), at(3 * time.Hour)}},
			{"reopened, nothing due", func(st *escalation.State) { st.Closed, st.LastEvent, st.Due = false, t0.Add(5*time.Hour), time.Time{} },
				columns{sql.NullInt64{}, at(0), sql.NullInt64{}}},
			{"due and closed at once", func(st *escalation.State) {
				st.Closed, st.LastEvent, st.Due = true, t0.Add(6*time.Hour), t0.Add(7*time.Hour)
			},
				columns{at(7 * time.Hour), at(0), at(6 * time.Hour)}},
		} {
			c.edit(st)
			if err := s.Save(ctx, st, []escalation.Entry{entry(c.name)}); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got columns
			if err := db.QueryRow("SELECT due, opened, closed FROM ladder_tickets WHERE id = 'T-1'").Scan(&got.due, &got.opened, &got.closed); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("after save %d (%s): due, opened, closed = %v, want %v", i+1, c.name, got, c.want)
			}
		}
		if h, err := s.History(ctx, "T-1"); err != nil || len(h) != 8 {
			t.Errorf("history: %d entries, %v; want 8", len(h), err)
		}
	})
}

// TestSavesOnOneConnection: writers at once on a database of one
// connection all get through, while statements are being prepared: a
// save's transaction holds the connection, and preparing needs one.
func TestSavesOnOneConnection(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		db, ss := stores(t, b, 1)
		db.SetMaxOpenConns(1)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				id := fmt.Sprint("T-", w)
				st := &escalation.State{ID: id, Policy: "v1", Opened: t0, Tier: "frontline", Due: t0.Add(time.Hour)}
				for i := range 10 {
					st.Due = st.Due.Add(time.Duration(i%2) * time.Minute)
					entries := make([]escalation.Entry, 1+i%3)
					for k := range entries {
						entries[k] = entry(fmt.Sprint("note ", i, k))
					}
					if err := ss[0].Save(ctx, st, entries); err != nil {
						t.Errorf("%s, save %d: %v", id, i, err)
						return
					}
					if _, err := ss[0].Load(ctx, id); err != nil {
						t.Errorf("%s, load %d: %v", id, i, err)
						return
					}
				}
			})
		}
		wg.Wait()
		for w := range 8 {
			if h, err := ss[0].History(ctx, fmt.Sprint("T-", w)); err != nil || len(h) != 19 {
				t.Errorf("T-%d: %d entries, %v; want 19", w, len(h), err)
			}
		}
	})
}
