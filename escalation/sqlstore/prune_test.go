package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// TestPrune: 600 tickets of two tenants and of none, opened a minute
// apart; every third is closed an hour after it opened, and one in six of
// those is reopened. Prune deletes the tickets closed before the cutoff
// (counted here from the script), folding them into weekly rollups per
// tenant, while events go on for the tickets still open; each tenant's
// report of rollups and kept histories is its report of all histories.
func TestPrune(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db, ss := stores(t, b, 1)
		s := ss[0]
		clk := escalation.NewSimClock(t0)
		e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(s))
		if err != nil {
			t.Fatal(err)
		}
		tenants := []string{"acme", "globex", ""}
		id := func(i int) string {
			if tn := tenants[i%3]; tn != "" {
				return escalation.TicketKey(tn, fmt.Sprint("T-", i))
			}
			return fmt.Sprint("T-", i)
		}
		at := func(i int, m int) time.Time { return t0.Add(time.Duration(i+m) * time.Minute) }
		type ev struct {
			at time.Time
			e  escalation.Event
		}
		const n = 600
		var evs []ev
		cutoff := at(300, 60)
		want := map[string]int{} // tickets pruned, by tenant
		for i := range n {
			evs = append(evs, ev{at(i, 0), escalation.Event{Ticket: id(i), Kind: escalation.Opened, Impact: "high", Urgency: "low"}})
			if i%4 != 0 {
				continue
			}
			evs = append(evs, ev{at(i, 60), escalation.Event{Ticket: id(i), Kind: escalation.Closed}})
			reopened := i%24 == 0
			if reopened {
				evs = append(evs, ev{at(i, 61), escalation.Event{Ticket: id(i), Kind: escalation.Reopened}})
			}
			if !reopened && at(i, 60).Before(cutoff) {
				want[tenants[i%3]]++
			}
		}
		for i := range 100 { // the tickets agents work on while Prune runs
			evs = append(evs, ev{at(i, 0), escalation.Event{Ticket: escalation.TicketKey("busy", fmt.Sprint("T-", i)), Kind: escalation.Opened, Impact: "high", Urgency: "low"}})
		}
		slicesSortStable(evs, func(a, b ev) int { return a.at.Compare(b.at) })
		for _, v := range evs {
			clk.Set(v.at)
			v.e.At = v.at
			if err := e.Report(ctx, v.e); err != nil {
				t.Fatal(err)
			}
		}
		opts := func(string) report.Options {
			return report.Options{Policies: []*escalation.Policy{testPolicy()}, By: []string{"priority", "week"}, ExactValues: -1, End: clk.Now()}
		}
		full := map[string]*report.Report{}
		for _, tn := range tenants {
			r, err := report.Collect(ctx, s.TenantHistories(ctx, tn, time.Time{}, time.Time{}), opts(tn))
			if err != nil {
				t.Fatal(err)
			}
			full[tn] = r
		}
		// A fold that fails deletes nothing.
		stop := errors.New("fold failed")
		if got, err := s.Prune(ctx, cutoff, 50, func([]escalation.History, escalation.Rollups) error { return stop }); got != 0 || !errors.Is(err, stop) {
			t.Errorf("a failing fold: %d, %v", got, err)
		}
		for _, bad := range []int{0, -1, escalation.MaxPruneBatch + 1} {
			if _, err := s.Prune(ctx, cutoff, bad, report.Folder(opts)); err == nil {
				t.Errorf("batch %d: no error", bad)
			}
		}
		if _, err := s.Prune(ctx, cutoff, 50, nil); err == nil {
			t.Error("no fold: no error")
		}
		// Prune while agents reply on the tickets of another tenant.
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Go(func() {
				for i := w; i < 100; i += 2 {
					if err := e.Report(ctx, escalation.Event{Ticket: escalation.TicketKey("busy", fmt.Sprint("T-", i)), Kind: escalation.AgentReplied, At: clk.Now()}); err != nil {
						t.Error(err)
					}
				}
			})
		}
		pruned, err := s.Prune(ctx, cutoff, 17, report.Folder(opts))
		wg.Wait()
		total := want["acme"] + want["globex"] + want[""]
		if err != nil || pruned != total {
			t.Fatalf("pruned %d, %v; want %d", pruned, err, total)
		}
		var left int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ladder_history h LEFT JOIN ladder_tickets t ON t.id = h.ticket WHERE t.id IS NULL").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d history rows of pruned tickets left, %v", left, err)
		}
		if _, err := s.Load(ctx, id(4)); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("a pruned ticket loads: %v", err)
		}
		if _, err := s.Load(ctx, id(24)); err != nil {
			t.Errorf("a reopened ticket was pruned: %v", err)
		}
		for _, tn := range tenants {
			a, err := report.New(opts(tn))
			if err != nil {
				t.Fatal(err)
			}
			rollups := 0
			for r, err := range s.Rollups(ctx, tn) {
				if err != nil {
					t.Fatal(err)
				}
				if err := a.AddRollup(r.Data); err != nil {
					t.Fatalf("tenant %q, rollup %s: %v", tn, r.Key, err)
				}
				rollups++
			}
			kept := 0
			for h, err := range s.TenantHistories(ctx, tn, time.Time{}, time.Time{}) {
				if err != nil {
					t.Fatal(err)
				}
				if err := a.Add(h); err != nil {
					t.Fatal(err)
				}
				kept++
			}
			got := a.Report()
			if got.Tickets != full[tn].Tickets || kept != full[tn].Tickets-want[tn] || rollups == 0 {
				t.Errorf("tenant %q: %d tickets from %d rollups and %d kept; want %d, %d kept", tn, got.Tickets, rollups, kept, full[tn].Tickets, full[tn].Tickets-want[tn])
			}
			if diff := cmp.Diff(full[tn], got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("tenant %q (-histories +rollups and kept):\n%s", tn, diff)
			}
		}
		if again, err := s.Prune(ctx, cutoff, 50, report.Folder(opts)); again != 0 || err != nil {
			t.Errorf("pruning again: %d, %v", again, err)
		}
	})
}
