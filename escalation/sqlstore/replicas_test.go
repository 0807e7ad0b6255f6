package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// deliveries counts the notifications delivered, by key, across replicas.
// It is safe for concurrent use.
type deliveries struct {
	mu    sync.Mutex
	clock escalation.Clock
	count map[string]int
	by    map[string][]int       // the replicas that delivered it
	at    map[string][]time.Time // when, by the clock
}

func newDeliveries(c escalation.Clock) *deliveries {
	return &deliveries{clock: c, count: map[string]int{}, by: map[string][]int{}, at: map[string][]time.Time{}}
}

// notifier is replica r's notifier: it records what it delivers.
func (d *deliveries) notifier(r int) escalation.NotifierFunc {
	return func(_ context.Context, n escalation.Notification) error {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.count[n.Key]++
		d.by[n.Key] = append(d.by[n.Key], r)
		d.at[n.Key] = append(d.at[n.Key], d.clock.Now())
		return nil
	}
}

// replicaScenario is a week of tickets: when each opens (in the first six
// days, so there is work until the end), gets its first
// reply and, for some, is resolved, and the steps at which engines run.
type replicaScenario struct {
	tickets int
	step    time.Duration // between two Steps
	steps   int
	events  map[int][]escalation.Event // by step
}

func newReplicaScenario(tickets int) *replicaScenario {
	sc := &replicaScenario{tickets: tickets, step: 10 * time.Minute, steps: 7 * 24 * 6, events: map[int][]escalation.Event{}}
	const opening = 6 * 24 * 6 // tickets open during the first six days
	impacts, urgencies := []string{"high", "high", "low", "low"}, []string{"high", "low", "high", "low"}
	for i := range tickets {
		id := fmt.Sprintf("T-%05d", i)
		open := i % opening
		sc.events[open] = append(sc.events[open], escalation.Event{Ticket: id, Kind: escalation.Opened, Impact: impacts[i%4], Urgency: urgencies[i%4]})
		reply := open + 18 // three hours: P1s are late and reminded
		if i%3 == 0 {
			reply = open + 2
		}
		sc.events[reply] = append(sc.events[reply], escalation.Event{Ticket: id, Kind: escalation.AgentReplied})
		if i%5 == 0 {
			sc.events[open+12] = append(sc.events[open+12], escalation.Event{Ticket: id, Kind: escalation.Resolved})
		}
	}
	return sc
}

// replicaTickets is how many tickets TestReplicas runs: LADDER_SQLSTORE_TICKETS,
// or 1,000 so that the test suite stays quick.
func replicaTickets(t *testing.T) int {
	if v := os.Getenv("LADDER_SQLSTORE_TICKETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("LADDER_SQLSTORE_TICKETS=%q: want a positive number", v)
		}
		return n
	}
	return 1000
}

// TestReplicas runs four engines on four stores sharing one database (on
// SQLite, four engines in one process), on one mock clock, over a week of
// tickets, and a reference engine on an in-memory store beside them. At
// every step the four Step at once. Halfway, replica 3 is cancelled in the
// middle of a delivery and never steps again; the others take over its
// tickets when its leases end. Every notification the reference delivers
// is delivered exactly once across the replicas, and each ticket's history
// matches the reference's.
func TestReplicas(t *testing.T) { forEach(t, testReplicas) }

func testReplicas(t *testing.T, b backend) {
	const lease = 30 * time.Minute
	_, stores := stores(t, b, 4, sqlstore.WithLease(lease))
	sc := newReplicaScenario(replicaTickets(t))
	start := time.Now()

	clk := escalation.NewSimClock(t0)
	got, want := newDeliveries(clk), newDeliveries(clk)
	ref, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithNotifier(want.notifier(0)))
	if err != nil {
		t.Fatal(err)
	}

	// Replica 3 dies in its first delivery after cancelAt: its notifier
	// cancels its context and fails, so the notification stays saved,
	// under replica 3's lease.
	ctx3, cancel3 := context.WithCancel(context.Background())
	defer cancel3()
	var (
		mu       sync.Mutex
		cancelAt time.Time // when replica 3 died; zero while it lives
		held     string    // the key it was delivering
	)
	halfway := clk.Now().Add(time.Duration(sc.steps/2) * sc.step)
	engines := make([]*escalation.Engine, len(stores))
	for r, s := range stores {
		n := got.notifier(r)
		if r == 3 {
			n = func(ctx context.Context, note escalation.Notification) error {
				if now := clk.Now(); !now.Before(halfway) {
					mu.Lock()
					cancelAt, held = now, note.Key
					mu.Unlock()
					cancel3()
					return ctx.Err()
				}
				return got.notifier(3)(ctx, note)
			}
		}
		engines[r], err = escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(s), escalation.WithNotifier(n))
		if err != nil {
			t.Fatal(err)
		}
	}
	dead := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return !cancelAt.IsZero()
	}

	ctx := context.Background()
	for k := range sc.steps {
		if k > 0 {
			clk.Add(sc.step)
		}
		live := len(engines)
		if dead() {
			live = 3
		}
		// The events of this step, each ticket's on one replica, the
		// replicas at once.
		var wg sync.WaitGroup
		errs := make([]error, live)
		for r := range live {
			wg.Go(func() {
				for i, ev := range sc.events[k] {
					if i%live == r {
						ev.At = clk.Now()
						if err := engines[r].Report(ctx, ev); err != nil {
							errs[r] = err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		for _, ev := range sc.events[k] {
			ev.At = clk.Now()
			if err := ref.Report(ctx, ev); err != nil {
				t.Fatalf("reference: %v", err)
			}
		}
		for r := range live {
			wg.Go(func() {
				c := ctx
				if r == 3 {
					c = ctx3
				}
				errs[r] = engines[r].Step(c)
				if r == 3 && errors.Is(errs[r], context.Canceled) {
					errs[r] = nil // it died
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("step %d at %v: %v", k, clk.Now(), err)
		}
		if err := ref.Step(ctx); err != nil {
			t.Fatalf("reference step %d: %v", k, err)
		}
	}
	if !dead() {
		late := map[int]int{}
		for k, at := range got.at {
			if !at[0].Before(halfway) {
				late[got.by[k][0]]++
			}
		}
		t.Fatalf("replica 3 never delivered after halfway, so it never died; delivered after halfway by replica: %v", late)
	}

	// Every notification exactly once, none lost, none made up.
	total := 0
	for key, n := range want.count {
		total += n
		if got.count[key] != 1 {
			t.Errorf("%s delivered %d times (by replicas %v), want once", key, got.count[key], got.by[key])
		}
	}
	for key := range got.count {
		if want.count[key] == 0 {
			t.Errorf("%s delivered by replicas %v but not by the reference", key, got.by[key])
		}
	}
	// The notification replica 3 held went out once its lease ended.
	if by, at := got.by[held], got.at[held]; len(by) != 1 || by[0] == 3 || at[0].Before(cancelAt.Add(lease)) {
		t.Errorf("the notification replica 3 held at %v was delivered by %v at %v; want another replica once its lease ended", cancelAt, by, at)
	}
	perReplica := make([]int, len(engines))
	for _, by := range got.by {
		for _, r := range by {
			perReplica[r]++
		}
	}
	for r, n := range perReplica[:3] {
		if n == 0 {
			t.Errorf("replica %d delivered nothing", r)
		}
	}

	// Every history as the reference's, delivery entries aside: those of
	// the tickets replica 3 held came later.
	recorded := 0
	for i := range sc.tickets {
		id := fmt.Sprintf("T-%05d", i)
		h, err := engines[i%3].History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		w, err := ref.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		hd, hrest := splitDelivered(h)
		wd, wrest := splitDelivered(w)
		recorded += len(hd)
		if diff := cmp.Diff(wrest, hrest); diff != "" {
			t.Fatalf("history of %s (-reference +replicas):\n%s", id, diff)
		}
		if diff := cmp.Diff(wd, hd); diff != "" {
			t.Fatalf("deliveries in the history of %s (-reference +replicas):\n%s", id, diff)
		}
	}
	if recorded != total {
		t.Errorf("%d deliveries recorded in histories, %d delivered", recorded, total)
	}
	t.Logf("%d tickets, %d notifications, each delivered once (by replica: %v); replica 3 died at %v; %v",
		sc.tickets, total, perReplica, cancelAt.Sub(t0), time.Since(start).Round(time.Millisecond))
}

// splitDelivered splits a history into its delivery entries, as "rule
// trigger to" in sorted order, and the other entries.
func splitDelivered(h []escalation.Entry) (delivered []string, rest []escalation.Entry) {
	for _, e := range h {
		if e.What == "delivered" {
			delivered = append(delivered, e.Rule+" "+e.Trigger+" "+e.To)
		} else {
			rest = append(rest, e)
		}
	}
	slices.Sort(delivered)
	return delivered, rest
}
