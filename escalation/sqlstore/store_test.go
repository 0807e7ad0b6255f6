package sqlstore_test

import (
	"context"
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
