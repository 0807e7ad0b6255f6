package escalationtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/sla"
)

// StoreFactory returns replicas stores that share one empty dataset:
// replicas is 1 in most checks and 2 in the checks of leases. A store that
// cannot be shared (the in-memory one) calls t.Skip when replicas > 1.
// Each call returns a new empty dataset.
type StoreFactory func(t *testing.T, replicas int) []escalation.Store

// TestStore checks that the stores open returns keep the contract written
// on escalation.Store, in subtests. A store's own test calls it (it needs
// the *testing.T of a test, so it has no runnable example):
//
//	func TestContract(t *testing.T) {
//		escalationtest.TestStore(t, func(t *testing.T, replicas int) []escalation.Store {
//			db := openEmptyDatabase(t) // one dataset, removed by t.Cleanup
//			stores := make([]escalation.Store, replicas)
//			for i := range stores {
//				stores[i] = mystore.New(db, mystore.Owner(fmt.Sprint("replica-", i)))
//			}
//			return stores
//		})
//	}
//
// The checks:
//
//   - Load and History of an unknown ticket wrap ErrNotFound;
//   - Save with version 0 creates a ticket, and conflicts (ErrConflict) once
//     it exists; a Save with a stale version conflicts and stores nothing,
//     neither state nor history nor due time, and leaves st.Version alone;
//   - a successful Save advances st.Version, and Load returns that version;
//   - history is appended in order, oldest first, only on success, and does
//     not share the entries slice the caller reuses after Save;
//   - Load returns a copy: changes of the kinds the engine makes to it
//     (fields, timers, firings, appends to the outbox, attributes replaced
//     whole) do not reach the stored state;
//   - every field of a State and of an Entry comes back from Load and
//     History as it was saved, timers included (compared by their JSON and
//     by their status at fixed instants, once bound to their calendars);
//   - so do the edge values: an id of escalation.MaxTicketID bytes, not
//     ASCII; attributes as deep as escalation.DefaultLimits allows; the
//     first and last instants of its Earliest to Latest; names in several
//     scripts;
//   - what escalation.CheckSave refuses (an id empty, not UTF-8, with a
//     NUL byte or too long; an instant out of range) is refused with an
//     error wrapping escalation.ErrLimit, and nothing is written;
//   - a store that is an escalation.TailStore returns the last n entries
//     of a history, oldest first, and the count of all of them;
//   - Due lists due tickets earliest first, ties by ticket id, at most
//     limit of them, never a ticket whose Due is zero, each ticket once;
//     it reports the earliest instant at which a ticket it did not return
//     can be returned (zero when there is none); limit 0 claims nothing;
//   - with two replicas, a ticket one replica's Due returned is skipped by
//     the other's until the lease expires (24h later is taken as surely
//     expired) or the other replica saves the ticket, and concurrent Due
//     calls of the two never return the same ticket (whether a replica's
//     own save ends its claim is left to the store);
//   - concurrent Saves of different tickets all succeed, and of one ticket
//     at one version exactly one succeeds while the others get
//     ErrConflict, so load-change-save loops lose no update;
//   - Histories yields the tickets opened in [from, to) (a zero bound
//     open; a ticket never opened first), by opening instant and then id,
//     each once, with the state Load returns and the history History
//     returns (a ticket saved many times: its latest state, every entry),
//     through more tickets than a page of a store that reads in pages;
//   - Upcoming yields the tickets due at or before until, earliest first,
//     ties by id, never a ticket whose Due is zero, each as Load returns
//     it; it claims nothing (Due returns the same tickets after it) and
//     changes nothing, and, with two replicas, another replica's leases
//     hide nothing from it;
//   - of both: the loop body may call the store; breaking out early leaves
//     the store usable; a canceled ctx yields one error wrapping
//     context.Canceled, with a zero value, and nothing follows.
//
// All instants are fixed; nothing sleeps.
func TestStore(t *testing.T, open StoreFactory) {
	checks := []struct {
		name string
		run  func(*testing.T, StoreFactory)
	}{
		{"NotFound", testNotFound},
		{"Create", testCreate},
		{"Versions", testVersions},
		{"Stale", testStale},
		{"History", testHistory},
		{"LoadCopy", testLoadCopy},
		{"Fidelity", testFidelity},
		{"Edges", testEdges},
		{"Refused", testRefused},
		{"Tail", testTail},
		{"Due", testDue},
		{"DueResave", testDueResave},
		{"LeaseExpiry", testLeaseExpiry},
		{"LeaseRelease", testLeaseRelease},
		{"LeaseConcurrent", testLeaseConcurrent},
		{"ConcurrentTickets", testConcurrentTickets},
		{"ConcurrentSaves", testConcurrentSaves},
		{"ConcurrentRetries", testConcurrentRetries},
		{"Histories", testHistories},
		{"Upcoming", testUpcoming},
		{"Tenants", testTenants},
		{"Prune", testPrune},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) { c.run(t, open) })
	}
}

// t0 is the instant the checks start from, a Monday.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at is t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// surelyExpired is how long after a claim a lease has surely expired.
const surelyExpired = 24 * time.Hour

func openN(t *testing.T, open StoreFactory, n int) []escalation.Store {
	t.Helper()
	stores := open(t, n)
	if len(stores) != n {
		t.Fatalf("the factory returned %d stores for %d replicas", len(stores), n)
	}
	return stores
}

func openOne(t *testing.T, open StoreFactory) escalation.Store {
	t.Helper()
	return openN(t, open, 1)[0]
}

// ticket is a small state a store saves: the fields the checks read.
func ticket(id string, due time.Time) *escalation.State {
	return &escalation.State{ID: id, Policy: "v1", Opened: t0, Priority: "P3", Tier: "frontline", TierSince: t0,
		LastEvent: t0, Checked: t0, Due: due, Status: "new"}
}

func entry(what string, n int) escalation.Entry {
	return escalation.Entry{At: at(n), What: escalation.What(what), Policy: "v1"}
}

func save(t *testing.T, s escalation.Store, st *escalation.State, entries ...escalation.Entry) {
	t.Helper()
	if err := s.Save(context.Background(), st, entries); err != nil {
		t.Fatalf("Save(%s, version %d): %v", st.ID, st.Version, err)
	}
}

func load(t *testing.T, s escalation.Store, id string) *escalation.State {
	t.Helper()
	st, err := s.Load(context.Background(), id)
	if err != nil {
		t.Fatalf("Load(%s): %v", id, err)
	}
	return st
}

func history(t *testing.T, s escalation.Store, id string) []escalation.Entry {
	t.Helper()
	h, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatalf("History(%s): %v", id, err)
	}
	return h
}

func due(t *testing.T, s escalation.Store, now time.Time, limit int) ([]string, time.Time) {
	t.Helper()
	ids, next, err := s.Due(context.Background(), now, limit)
	if err != nil {
		t.Fatalf("Due(%s, %d): %v", now.Format(time.RFC3339), limit, err)
	}
	return ids, next
}

// whats lists the What of each entry.
func whats(h []escalation.Entry) []string {
	out := make([]string, len(h))
	for i, e := range h {
		out[i] = string(e.What)
	}
	return out
}

// stateOpts compare states: timers by their JSON (a timer's calendar is
// not part of it), instants by Equal, nil like empty.
var stateOpts = cmp.Options{
	cmp.Transformer("json", func(t *sla.Timer) string {
		data, err := json.Marshal(t)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(data)
	}),
	cmpopts.EquateEmpty(),
}

func diffState(t *testing.T, what string, want, got *escalation.State) {
	t.Helper()
	if diff := cmp.Diff(want, got, stateOpts); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func testNotFound(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	ctx := context.Background()
	if _, err := s.Load(ctx, "nobody"); !errors.Is(err, escalation.ErrNotFound) {
		t.Errorf("Load of an unknown ticket: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "nobody"); !errors.Is(err, escalation.ErrNotFound) {
		t.Errorf("History of an unknown ticket: %v, want ErrNotFound", err)
	}
	// A version other than 0 for a ticket that does not exist is stale.
	st := ticket("ghost", at(1))
	st.Version = 3
	if err := s.Save(ctx, st, []escalation.Entry{entry("opened", 0)}); !errors.Is(err, escalation.ErrConflict) {
		t.Errorf("Save of an unknown ticket at version 3: %v, want ErrConflict", err)
	}
	if _, err := s.Load(ctx, "ghost"); !errors.Is(err, escalation.ErrNotFound) {
		t.Errorf("Load after a conflicting Save: %v, want ErrNotFound", err)
	}
	if ids, next := due(t, s, at(60), 10); len(ids) != 0 || !next.IsZero() {
		t.Errorf("Due after a conflicting Save: %q, next %v; want nothing", ids, next)
	}
}

func testCreate(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	st := ticket("A", time.Time{})
	save(t, s, st, entry("opened", 0))
	if st.Version == 0 {
		t.Fatal("Save with version 0 left st.Version at 0")
	}
	want := ticket("A", time.Time{})
	want.Version = st.Version
	diffState(t, "Load after creating", want, load(t, s, "A"))

	again := ticket("A", at(5))
	again.Status = "duplicate"
	err := s.Save(context.Background(), again, []escalation.Entry{entry("duplicate", 1)})
	if !errors.Is(err, escalation.ErrConflict) {
		t.Fatalf("second Save with version 0: %v, want ErrConflict", err)
	}
	if again.Version != 0 {
		t.Errorf("the conflicting Save changed st.Version to %d", again.Version)
	}
	diffState(t, "Load after a conflicting create", want, load(t, s, "A"))
	if got := whats(history(t, s, "A")); !slices.Equal(got, []string{"opened"}) {
		t.Errorf("history after a conflicting create: %q, want [opened]", got)
	}
	if ids, _ := due(t, s, at(60), 10); len(ids) != 0 {
		t.Errorf("Due after a conflicting create: %q, want nothing (the stored ticket has no due time)", ids)
	}
}

func testVersions(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	st := ticket("A", time.Time{})
	save(t, s, st)
	prev := st.Version
	for i := range 5 {
		cp := load(t, s, "A")
		if cp.Version != prev {
			t.Fatalf("Load returned version %d, Save left %d", cp.Version, prev)
		}
		cp.Moves = i + 1
		save(t, s, cp, entry(fmt.Sprint("move", i), i))
		if cp.Version <= prev {
			t.Fatalf("Save at version %d left st.Version at %d: it must advance", prev, cp.Version)
		}
		prev = cp.Version
	}
	if got := load(t, s, "A"); got.Version != prev || got.Moves != 5 {
		t.Errorf("after five saves: version %d, moves %d; want %d and 5", got.Version, got.Moves, prev)
	}
}

func testStale(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	ctx := context.Background()
	save(t, s, ticket("A", time.Time{}), entry("opened", 0))
	first, second := load(t, s, "A"), load(t, s, "A")
	first.Status = "first"
	save(t, s, first, entry("first", 1))

	stale := second.Version
	second.Status, second.Due = "second", at(2)
	err := s.Save(ctx, second, []escalation.Entry{entry("second", 2)})
	if !errors.Is(err, escalation.ErrConflict) {
		t.Fatalf("Save at a stale version: %v, want ErrConflict", err)
	}
	if second.Version != stale {
		t.Errorf("the conflicting Save changed st.Version from %d to %d", stale, second.Version)
	}
	got := load(t, s, "A")
	if got.Status != "first" || got.Version != first.Version {
		t.Errorf("after a stale Save: status %q at version %d, want %q at %d", got.Status, got.Version, "first", first.Version)
	}
	if h := whats(history(t, s, "A")); !slices.Equal(h, []string{"opened", "first"}) {
		t.Errorf("history after a stale Save: %q, want [opened first]", h)
	}
	if ids, _ := due(t, s, at(60), 10); len(ids) != 0 {
		t.Errorf("Due after a stale Save that set a due time: %q, want nothing", ids)
	}
	// The loser starts again from the stored state and wins.
	retry := load(t, s, "A")
	retry.Status = "second"
	save(t, s, retry, entry("second", 2))
	if h := whats(history(t, s, "A")); !slices.Equal(h, []string{"opened", "first", "second"}) {
		t.Errorf("history after the retry: %q, want [opened first second]", h)
	}
}

func testHistory(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	f := newFixture(t)
	st := ticket("A", time.Time{})
	entries := []escalation.Entry{f.entry(0), entry("notified", 0)}
	save(t, s, st, entries...)
	// The caller reuses its entries slice after Save returns.
	buf := []escalation.Entry{entry("escalated", 5), entry("notified", 5)}
	cp := load(t, s, "A")
	save(t, s, cp, buf...)
	buf[0], buf[1] = entry("overwritten", 9), entry("overwritten", 9)
	cp = load(t, s, "A")
	save(t, s, cp) // no entries
	cp = load(t, s, "A")
	save(t, s, cp, entry("delivered", 6))

	want := []escalation.Entry{f.entry(0), entry("notified", 0), entry("escalated", 5), entry("notified", 5), entry("delivered", 6)}
	if diff := cmp.Diff(want, history(t, s, "A"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	empty := ticket("B", time.Time{})
	save(t, s, empty)
	if h := history(t, s, "B"); len(h) != 0 {
		t.Errorf("history of a ticket saved without entries: %v, want none", h)
	}
}

func testLoadCopy(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	f := newFixture(t)
	save(t, s, f.state(t, "A"))
	want := f.state(t, "A")
	want.Version = load(t, s, "A").Version

	// Change a loaded copy the ways the engine changes a state.
	cp := load(t, s, "A")
	if len(cp.Timers) != 3 || len(cp.Fired) != 2 {
		t.Fatalf("Load returned %d timers and %d firings, want 3 and 2", len(cp.Timers), len(cp.Fired))
	}
	f.bind(t, cp)
	cp.Status, cp.Tier, cp.Moves, cp.Due = "changed", "engineering", 99, at(999)
	if err := errors.Join(cp.Timers[1].Pause(at(600)), cp.Timers[2].Resume(at(600))); err != nil {
		t.Fatalf("changing the loaded timers: %v", err)
	}
	cp.Timers = append(cp.Timers, cp.Timers[0].Clone())
	cp.Fired[0].Times, cp.Fired[0].At = 42, at(600)
	cp.Fired = append(cp.Fired, escalation.Firing{Key: "zzz", Fire: escalation.Fire{At: at(600), Times: 1}})
	cp.Outbox = append(cp.Outbox, escalation.Pending{Notification: escalation.Notification{Key: "extra"}, NextAttempt: at(600)})
	cp.Attrs = map[string]any{"replaced": true}

	diffState(t, "Load after changing an earlier loaded copy", want, load(t, s, "A"))
}

func testFidelity(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	f := newFixture(t)
	// The fixture sets every field, so that a field a store drops fails;
	// a field added to State or Entry must be set here too.
	for _, v := range []any{*f.state(t, "A"), f.entry(0)} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if name := rv.Type().Field(i).Name; name != "Version" && rv.Field(i).IsZero() {
				t.Fatalf("escalationtest: the fixture's %s has no %s", rv.Type().Name(), name)
			}
		}
	}
	save(t, s, f.state(t, "A"), f.entry(0))
	want := f.state(t, "A")
	got := load(t, s, "A")
	want.Version = got.Version
	diffState(t, "Load", want, got)

	// Timers come back bound, or unbound and bound by the engine: either
	// way they answer as before.
	f.bind(t, got)
	if len(got.Timers) == len(want.Timers) {
		for i := range want.Timers {
			for _, now := range []time.Time{at(30), at(300), at(3000)} {
				w, g := want.Timers[i].Status(now), got.Timers[i].Status(now)
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("timer %s: status at %s (-want +got):\n%s", w.Metric, now.Format(time.RFC3339), diff)
				}
			}
		}
	}
	if diff := cmp.Diff([]escalation.Entry{f.entry(0)}, history(t, s, "A")); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
}

// seeded is a ticket to save with its due time.
type seeded struct {
	id  string
	due int // minutes after t0; -1: no due time
}

func seed(t *testing.T, s escalation.Store, tickets []seeded) {
	t.Helper()
	for _, k := range tickets {
		var d time.Time
		if k.due >= 0 {
			d = at(k.due)
		}
		save(t, s, ticket(k.id, d))
	}
}

// dueSet are tickets saved in an order that is neither by due time nor by
// id: d and b tie at minute 1, c at 3, a at 2, e later, z never.
var dueSet = []seeded{{"e", 10}, {"d", 1}, {"z", -1}, {"c", 3}, {"b", 1}, {"a", 2}}

func testDue(t *testing.T, open StoreFactory) {
	cases := []struct {
		name    string
		tickets []seeded
		now     int // minutes after t0
		limit   int
		ids     []string
		next    int // minutes after t0; -1: zero
	}{
		{"empty store", nil, 60, 10, nil, -1},
		{"all due, earliest first, ties by id", dueSet, 5, 10, []string{"b", "d", "a", "c"}, 10},
		{"due at now is due", dueSet, 3, 10, []string{"b", "d", "a", "c"}, 10},
		{"nothing due yet", dueSet, 0, 10, nil, 1},
		{"some due", dueSet, 2, 10, []string{"b", "d", "a"}, 3},
		{"limit", dueSet, 5, 2, []string{"b", "d"}, 2},
		{"limit splits a tie", dueSet, 5, 1, []string{"b"}, 1},
		{"limit 0 reports next", dueSet, 5, 0, nil, 1},
		{"everything due", dueSet, 60, 10, []string{"b", "d", "a", "c", "e"}, -1},
		{"no due time is never due", []seeded{{"z", -1}, {"y", -1}}, 100000, 10, nil, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openOne(t, open)
			seed(t, s, c.tickets)
			ids, next := due(t, s, at(c.now), c.limit)
			var wantNext time.Time
			if c.next >= 0 {
				wantNext = at(c.next)
			}
			if !slices.Equal(ids, c.ids) || !next.Equal(wantNext) {
				t.Errorf("Due(t0+%dm, %d) = %q, next %v; want %q, next %v", c.now, c.limit, ids, next, c.ids, wantNext)
			}
		})
	}
	t.Run("limit 0 claims nothing", func(t *testing.T) {
		s := openOne(t, open)
		seed(t, s, dueSet)
		due(t, s, at(5), 0)
		if ids, _ := due(t, s, at(5), 10); !slices.Equal(ids, []string{"b", "d", "a", "c"}) {
			t.Errorf("Due after Due with limit 0: %q, want [b d a c]", ids)
		}
	})
}

func testDueResave(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	seed(t, s, []seeded{{"a", 1}, {"b", 2}})
	resave := func(id string, d time.Time) {
		st := load(t, s, id)
		st.Due = d
		save(t, s, st)
	}
	future := t0.Add(10 * surelyExpired) // after every step's now
	steps := []struct {
		what string
		do   func()
		ids  []string
		next time.Time
	}{
		{"re-saved with the same due time", func() { resave("a", at(1)); resave("a", at(1)) }, []string{"a", "b"}, time.Time{}},
		{"moved later", func() { resave("a", at(3)) }, []string{"b", "a"}, time.Time{}},
		{"moved past now", func() { resave("b", future) }, []string{"a"}, future},
		{"due time removed", func() { resave("a", time.Time{}) }, nil, future},
	}
	for i, step := range steps {
		step.do()
		// Each step asks past any lease the last one took: a store shared
		// by replicas may skip what it claimed itself.
		now := at(5).Add(time.Duration(i) * surelyExpired)
		ids, next := due(t, s, now, 10)
		if !slices.Equal(ids, step.ids) || !next.Equal(step.next) {
			t.Errorf("%s: Due = %q, next %v; want %q, next %v", step.what, ids, next, step.ids, step.next)
		}
	}
}

func testLeaseExpiry(t *testing.T, open StoreFactory) {
	r := openN(t, open, 2)
	a, b := r[0], r[1]
	seed(t, a, []seeded{{"a", 1}, {"b", 2}, {"c", 3}})
	now := at(5)

	if ids, next := due(t, b, now, 0); len(ids) != 0 || !next.Equal(at(1)) {
		t.Errorf("Due(now, 0) on replica 2 = %q, next %v; want nothing, next %v", ids, next, at(1))
	}
	if ids, _ := due(t, a, now, 2); !slices.Equal(ids, []string{"a", "b"}) {
		t.Fatalf("replica 1: Due(now, 2) = %q, want [a b] (limit 0 on replica 2 claims nothing)", ids)
	}
	ids, next := due(t, b, now, 10)
	if !slices.Equal(ids, []string{"c"}) {
		t.Errorf("replica 2: Due(now, 10) = %q, want [c]: a and b are claimed by replica 1", ids)
	}
	if !next.After(now) || next.After(now.Add(surelyExpired)) {
		t.Errorf("replica 2: next %v, want when replica 1's lease on a expires: after now (%v) and within %v", next, now, surelyExpired)
	}
	later := now.Add(surelyExpired)
	if ids, _ := due(t, b, later, 10); !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Errorf("replica 2, once the leases expired: Due = %q, want [a b c]", ids)
	}
}

func testLeaseRelease(t *testing.T, open StoreFactory) {
	r := openN(t, open, 2)
	a, b := r[0], r[1]
	seed(t, a, []seeded{{"a", 1}, {"b", 2}, {"c", 3}})
	now := at(5)
	if ids, _ := due(t, a, now, 10); !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Fatalf("replica 1: Due = %q, want [a b c]", ids)
	}
	if ids, _ := due(t, b, now, 10); len(ids) != 0 {
		t.Errorf("replica 2: Due = %q, want nothing: replica 1 claimed all", ids)
	}
	// Replica 2 saves b (an event came in there), still due: replica 1's
	// claim ends with the save.
	save(t, b, load(t, b, "b"))
	if ids, _ := due(t, b, now, 10); !slices.Equal(ids, []string{"b"}) {
		t.Errorf("replica 2 after it saved b: Due = %q, want [b]", ids)
	}
}

func testLeaseConcurrent(t *testing.T, open StoreFactory) {
	const tickets = 40
	for round := range 4 {
		r := openN(t, open, 2)
		var all []seeded
		for i := range tickets {
			all = append(all, seeded{fmt.Sprintf("t%02d", i), i % 7})
		}
		seed(t, r[0], all)
		got := make([][]string, len(r))
		errs := make([]error, len(r))
		var wg sync.WaitGroup
		for i, s := range r {
			wg.Go(func() { got[i], _, errs[i] = s.Due(context.Background(), at(10), tickets) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		seen := map[string]int{}
		for _, ids := range got {
			for _, id := range ids {
				seen[id]++
			}
		}
		for _, k := range all {
			if seen[k.id] != 1 {
				t.Errorf("round %d: ticket %s returned %d times by two concurrent Due calls, want once (replica 1: %q, replica 2: %q)",
					round, k.id, seen[k.id], got[0], got[1])
			}
		}
	}
}

func testConcurrentTickets(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	const writers, saves = 8, 10
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			ctx := context.Background()
			st := ticket(fmt.Sprint("w", w), time.Time{})
			for i := range saves {
				if i > 0 {
					var err error
					if st, err = s.Load(ctx, st.ID); err != nil {
						errs[w] = err
						return
					}
				}
				st.Moves = i
				if err := s.Save(ctx, st, []escalation.Entry{entry(fmt.Sprint(i), i)}); err != nil {
					errs[w] = fmt.Errorf("%s save %d: %w", st.ID, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range saves {
		want = append(want, fmt.Sprint(i))
	}
	for w := range writers {
		id := fmt.Sprint("w", w)
		if st := load(t, s, id); st.Moves != saves-1 {
			t.Errorf("%s: moves %d, want %d", id, st.Moves, saves-1)
		}
		if got := whats(history(t, s, id)); !slices.Equal(got, want) {
			t.Errorf("%s: history %q, want %q", id, got, want)
		}
	}
}

func testConcurrentSaves(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	const racers, rounds = 6, 5
	save(t, s, ticket("A", time.Time{}), entry("opened", 0))
	wantHistory := []string{"opened"}
	for round := range rounds {
		// Every racer holds the same version before any of them saves.
		copies := make([]*escalation.State, racers)
		for i := range copies {
			copies[i] = load(t, s, "A")
			copies[i].Status = fmt.Sprintf("r%d-%d", round, i)
		}
		errs := make([]error, racers)
		var wg sync.WaitGroup
		for i, st := range copies {
			wg.Go(func() { errs[i] = s.Save(context.Background(), st, []escalation.Entry{entry(st.Status, round)}) })
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("round %d: racers %d and %d both saved version %d", round, winner, i, copies[0].Version)
			case err == nil:
				winner = i
			case !errors.Is(err, escalation.ErrConflict):
				t.Fatalf("round %d: racer %d: %v, want nil or ErrConflict", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no racer saved", round)
		}
		got := load(t, s, "A")
		if got.Status != copies[winner].Status {
			t.Errorf("round %d: stored status %q, want the winner's %q", round, got.Status, copies[winner].Status)
		}
		wantHistory = append(wantHistory, copies[winner].Status)
	}
	if got := whats(history(t, s, "A")); !slices.Equal(got, wantHistory) {
		t.Errorf("history %q, want only the winners' entries %q", got, wantHistory)
	}
}

func testConcurrentRetries(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	const workers, increments = 4, 10
	save(t, s, ticket("A", time.Time{}))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			ctx := context.Background()
			for i := 0; i < increments; {
				st, err := s.Load(ctx, "A")
				if err != nil {
					errs[w] = err
					return
				}
				st.Moves++
				err = s.Save(ctx, st, []escalation.Entry{entry(fmt.Sprint(w), i)})
				switch {
				case err == nil:
					i++
				case !errors.Is(err, escalation.ErrConflict):
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := load(t, s, "A"); got.Moves != workers*increments {
		t.Errorf("after %d load-change-save loops: moves %d: updates were lost", workers*increments, got.Moves)
	}
	if got := history(t, s, "A"); len(got) != workers*increments {
		t.Errorf("history holds %d entries, want %d", len(got), workers*increments)
	}
}

// opened is a ticket to save for Histories: its id, when it opened
// (minutes after t0; -1: never) and the saves it takes, each the status it
// leaves and the entries it appends.
type opened struct {
	id    string
	at    int
	saves [][]string // per save: the status first, then the entries' What
}

// seedOpened saves the tickets in order.
func seedOpened(t *testing.T, s escalation.Store, tickets []opened) {
	t.Helper()
	for _, k := range tickets {
		var st *escalation.State
		for i, sv := range k.saves {
			if i == 0 {
				st = ticket(k.id, time.Time{})
				st.Opened = time.Time{}
				if k.at >= 0 {
					st.Opened = at(k.at)
				}
			} else {
				st = load(t, s, k.id)
			}
			st.Status = sv[0]
			var entries []escalation.Entry
			for _, what := range sv[1:] {
				entries = append(entries, entry(what, max(k.at, 0)+i))
			}
			save(t, s, st, entries...)
		}
	}
}

// drain runs the sequence to its end and fails the test on an error.
func drain[V any](t *testing.T, what string, seq iter.Seq2[V, error]) []V {
	t.Helper()
	var out []V
	for v, err := range seq {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, v)
	}
	return out
}

// historyIDs lists the tickets' ids.
func historyIDs(hs []escalation.History) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.State.ID
	}
	return ids
}

// stateIDs lists the states' ids.
func stateIDs(sts []*escalation.State) []string {
	ids := make([]string, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
	}
	return ids
}

// openedSet are tickets saved in an order that is neither by opening
// instant nor by id: c and b open at minute 10, n never opened, d is saved
// three times.
var openedSet = []opened{
	{"e", 30, [][]string{{"new", "opened"}}},
	{"a", 0, [][]string{{"new", "opened", "notified"}}},
	{"c", 10, [][]string{{"new", "opened"}}},
	{"n", -1, [][]string{{"new"}}},
	{"d", 20, [][]string{{"first", "opened"}, {"second", "escalated"}, {"third", "notified", "escalated"}}},
	{"b", 10, [][]string{{"new", "opened"}, {"open"}}},
}

func testHistories(t *testing.T, open StoreFactory) {
	ctx := context.Background()
	t.Run("window", func(t *testing.T) {
		s := openOne(t, open)
		seedOpened(t, s, openedSet)
		bound := func(n int) time.Time {
			if n < 0 {
				return time.Time{}
			}
			return at(n)
		}
		for _, c := range []struct {
			name     string
			from, to int // minutes after t0; -1: zero
			ids      []string
		}{
			{"open on both sides", -1, -1, []string{"n", "a", "b", "c", "d", "e"}},
			{"from inclusive, to exclusive", 10, 30, []string{"b", "c", "d"}},
			{"open end", 10, -1, []string{"b", "c", "d", "e"}},
			{"open start", -1, 10, []string{"n", "a"}},
			{"one instant", 30, 31, []string{"e"}},
			{"nothing opened in it", 11, 20, nil},
			{"empty window", 20, 20, nil},
			{"after everything", 31, -1, nil},
		} {
			hs := drain(t, c.name, s.Histories(ctx, bound(c.from), bound(c.to)))
			if got := historyIDs(hs); !slices.Equal(got, c.ids) {
				t.Errorf("%s: Histories(t0+%dm, t0+%dm) = %q, want %q", c.name, c.from, c.to, got, c.ids)
			}
		}
		// Each comes with the state Load returns and the history History
		// returns: the ticket saved three times with its latest state and
		// every entry.
		for _, h := range drain(t, "all", s.Histories(ctx, time.Time{}, time.Time{})) {
			diffState(t, "Histories' state of "+h.State.ID, load(t, s, h.State.ID), h.State)
			if diff := cmp.Diff(history(t, s, h.State.ID), h.Entries, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Histories' entries of %s (-History +Histories):\n%s", h.State.ID, diff)
			}
			if h.State.ID == "d" {
				if got, want := whats(h.Entries), []string{"opened", "escalated", "notified", "escalated"}; h.State.Status != "third" || !slices.Equal(got, want) {
					t.Errorf("d, saved three times: status %q, entries %q; want third, %q", h.State.Status, got, want)
				}
			}
		}
	})
	t.Run("loop body uses the store; early break", func(t *testing.T) {
		s := openOne(t, open)
		seedOpened(t, s, openedSet)
		var seen []string
		for h, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, h.State.ID)
			st := load(t, s, h.State.ID) // the store serves the loop body
			st.Status = "seen"
			save(t, s, st, entry("seen", 40))
			if len(seen) == 2 {
				break
			}
		}
		if !slices.Equal(seen, []string{"n", "a"}) {
			t.Errorf("before the break: %q, want [n a]", seen)
		}
		// The store goes on after the break.
		st := ticket("f", time.Time{})
		st.Opened = at(5)
		save(t, s, st, entry("opened", 5))
		hs := drain(t, "after a break", s.Histories(ctx, time.Time{}, time.Time{}))
		if got, want := historyIDs(hs), []string{"n", "a", "f", "b", "c", "d", "e"}; !slices.Equal(got, want) {
			t.Errorf("after a break: %q, want %q", got, want)
		}
		if h := hs[1]; h.State.Status != "seen" || !slices.Equal(whats(h.Entries), []string{"opened", "notified", "seen"}) {
			t.Errorf("a, saved in the loop body: status %q, entries %q; want seen, [opened notified seen]", h.State.Status, whats(h.Entries))
		}
	})
	t.Run("cancel", func(t *testing.T) {
		s := openOne(t, open)
		seedOpened(t, s, openedSet)
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		checkCanceled(t, "Histories with a canceled ctx", s.Histories(canceled, time.Time{}, time.Time{}), 0, nil)
		running, cancel := context.WithCancel(ctx)
		defer cancel()
		checkCanceled(t, "Histories canceled in the loop", s.Histories(running, time.Time{}, time.Time{}), 1, cancel)
	})
	t.Run("more than a page", func(t *testing.T) {
		s := openOne(t, open)
		// 600 tickets, three opened at each instant, saved neither by
		// opening instant nor by id.
		const n = 600
		var tickets []opened
		for i := range n {
			tickets = append(tickets, opened{fmt.Sprintf("t%03d", (i*7)%n), (n - 1 - i) / 3, [][]string{{"new", "opened", "notified"}}})
		}
		seedOpened(t, s, tickets)
		want := slices.Clone(tickets)
		slices.SortFunc(want, func(a, b opened) int {
			if a.at != b.at {
				return a.at - b.at
			}
			return strings.Compare(a.id, b.id)
		})
		hs := drain(t, "600 tickets", s.Histories(ctx, time.Time{}, time.Time{}))
		var wantIDs []string
		for _, k := range want {
			wantIDs = append(wantIDs, k.id)
		}
		if got := historyIDs(hs); !slices.Equal(got, wantIDs) {
			t.Fatalf("Histories of %d tickets: %d yielded, want each once by opening instant and id:\ngot  %q\nwant %q", n, len(got), got, wantIDs)
		}
		for _, h := range hs {
			if got := whats(h.Entries); !slices.Equal(got, []string{"opened", "notified"}) {
				t.Errorf("%s: entries %q, want [opened notified]", h.State.ID, got)
			}
		}
		// A window in the middle: minutes 50 to 150, 300 tickets.
		hs = drain(t, "a window of 300", s.Histories(ctx, at(50), at(150)))
		if got := historyIDs(hs); !slices.Equal(got, wantIDs[150:450]) {
			t.Errorf("Histories(t0+50m, t0+150m): %d tickets, want the 300 opened then, in order", len(got))
		}
	})
}

// checkCanceled checks a sequence whose ctx is canceled: before the first
// value (cancel nil: it already is) or after ok values, by cancel. It
// must yield those values, then one error wrapping context.Canceled with
// a zero value, and nothing after it.
func checkCanceled[V any](t *testing.T, what string, seq iter.Seq2[V, error], ok int, cancel func()) {
	t.Helper()
	var values int
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			if !reflect.ValueOf(&v).Elem().IsZero() {
				t.Errorf("%s: the error came with a value: %v", what, v)
			}
			continue
		}
		if len(errs) > 0 {
			t.Errorf("%s: a value after the error", what)
		}
		values++
		if values == ok && cancel != nil {
			cancel()
		}
	}
	if values != ok || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("%s: %d values, then errors %v; want %d values, then one error wrapping context.Canceled", what, values, errs, ok)
	}
}

func testUpcoming(t *testing.T, open StoreFactory) {
	ctx := context.Background()
	upcoming := func(t *testing.T, s escalation.Store, until time.Time) []*escalation.State {
		t.Helper()
		return drain(t, "Upcoming", s.Upcoming(ctx, until))
	}
	t.Run("order", func(t *testing.T) {
		s := openOne(t, open)
		seed(t, s, dueSet)
		for _, c := range []struct {
			until int // minutes after t0
			ids   []string
		}{
			{0, nil},
			{1, []string{"b", "d"}},
			{2, []string{"b", "d", "a"}},
			{3, []string{"b", "d", "a", "c"}},
			{9, []string{"b", "d", "a", "c"}},
			{100000, []string{"b", "d", "a", "c", "e"}},
		} {
			sts := upcoming(t, s, at(c.until))
			if got := stateIDs(sts); !slices.Equal(got, c.ids) {
				t.Errorf("Upcoming(t0+%dm) = %q, want %q", c.until, got, c.ids)
			}
			for _, st := range sts {
				diffState(t, "Upcoming's state of "+st.ID, load(t, s, st.ID), st)
			}
		}
		if sts := upcoming(t, s, time.Time{}); len(sts) != 0 {
			t.Errorf("Upcoming(zero) = %q, want nothing", stateIDs(sts))
		}
	})
	t.Run("claims nothing", func(t *testing.T) {
		s := openOne(t, open)
		seed(t, s, dueSet)
		before := load(t, s, "b").Version
		all := []string{"b", "d", "a", "c", "e"}
		if got := stateIDs(upcoming(t, s, at(60))); !slices.Equal(got, all) {
			t.Fatalf("Upcoming = %q, want %q", got, all)
		}
		if ids, _ := due(t, s, at(60), 10); !slices.Equal(ids, all) {
			t.Errorf("Due after Upcoming = %q, want %q", ids, all)
		}
		if got := stateIDs(upcoming(t, s, at(60))); !slices.Equal(got, all) {
			t.Errorf("Upcoming after Due = %q, want %q", got, all)
		}
		if after := load(t, s, "b").Version; after != before {
			t.Errorf("Upcoming changed b's version from %d to %d", before, after)
		}
	})
	t.Run("leases hide nothing", func(t *testing.T) {
		r := openN(t, open, 2)
		seed(t, r[0], dueSet)
		want := []string{"b", "d", "a", "c"}
		// Replica 2 looks first: if it claimed, replica 1 would get nothing.
		if got := stateIDs(upcoming(t, r[1], at(5))); !slices.Equal(got, want) {
			t.Errorf("replica 2: Upcoming = %q, want %q", got, want)
		}
		if ids, _ := due(t, r[0], at(5), 10); !slices.Equal(ids, want) {
			t.Fatalf("replica 1: Due after replica 2's Upcoming = %q, want %q", ids, want)
		}
		if got := stateIDs(upcoming(t, r[1], at(5))); !slices.Equal(got, want) {
			t.Errorf("replica 2: Upcoming while replica 1 holds the leases = %q, want %q", got, want)
		}
	})
	t.Run("loop body uses the store; early break", func(t *testing.T) {
		s := openOne(t, open)
		seed(t, s, dueSet)
		var seen []string
		for st, err := range s.Upcoming(ctx, at(60)) {
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, st.ID)
			cp := load(t, s, st.ID)
			cp.Due = at(50) // later than all but e: the sequence may or may not meet it again
			save(t, s, cp)
			if len(seen) == 2 {
				break
			}
		}
		if !slices.Equal(seen, []string{"b", "d"}) {
			t.Errorf("before the break: %q, want [b d]", seen)
		}
		want := []string{"a", "c", "e", "b", "d"}
		if got := stateIDs(upcoming(t, s, at(60))); !slices.Equal(got, want) {
			t.Errorf("Upcoming after a break: %q, want %q", got, want)
		}
		if ids, _ := due(t, s, at(60), 10); !slices.Equal(ids, want) {
			t.Errorf("Due after a break: %q, want %q", ids, want)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		s := openOne(t, open)
		seed(t, s, dueSet)
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		checkCanceled(t, "Upcoming with a canceled ctx", s.Upcoming(canceled, at(60)), 0, nil)
		running, cancel := context.WithCancel(ctx)
		defer cancel()
		checkCanceled(t, "Upcoming canceled in the loop", s.Upcoming(running, at(60)), 1, cancel)
	})
	t.Run("more than a page", func(t *testing.T) {
		s := openOne(t, open)
		// 600 tickets, six due at each minute, saved neither by due
		// instant nor by id.
		const n = 600
		var tickets []seeded
		for i := range n {
			tickets = append(tickets, seeded{fmt.Sprintf("t%03d", (i*7)%n), (n - 1 - i) % 100})
		}
		seed(t, s, tickets)
		want := slices.Clone(tickets)
		slices.SortFunc(want, func(a, b seeded) int {
			if a.due != b.due {
				return a.due - b.due
			}
			return strings.Compare(a.id, b.id)
		})
		var wantIDs []string
		for _, k := range want {
			wantIDs = append(wantIDs, k.id)
		}
		if got := stateIDs(upcoming(t, s, at(99))); !slices.Equal(got, wantIDs) {
			t.Errorf("Upcoming of %d tickets: %d yielded, want each once by due instant and id:\ngot  %q\nwant %q", n, len(got), got, wantIDs)
		}
		if got := stateIDs(upcoming(t, s, at(49))); !slices.Equal(got, wantIDs[:300]) {
			t.Errorf("Upcoming(t0+49m): %d tickets, want the 300 due by then, in order", len(got))
		}
	})
}

// fixture builds a state with every field set: timers started, paused,
// stopped and in a second cycle, firings, an outbox with a full
// notification, nested attributes.
type fixture struct {
	calendars map[string]*sla.Calendar
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	office, err := sla.NewCalendar(sla.CalendarSpec{
		Location: "America/New_York",
		Week:     map[string][]string{"mon-fri": {"09:00-17:00"}},
		Holidays: []string{"2026-12-25"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{calendars: map[string]*sla.Calendar{"": sla.Always, "office": office}}
}

// bind gives the state's unbound timers their calendars, as the engine
// does after Load.
func (f *fixture) bind(t *testing.T, st *escalation.State) {
	t.Helper()
	for _, tm := range st.Timers {
		if !tm.Bound() {
			cal, ok := f.calendars[tm.Target().Calendar]
			if !ok {
				t.Fatalf("timer %s names calendar %q", tm.Metric(), tm.Target().Calendar)
			}
			tm.Bind(cal)
		}
	}
}

// timers are a first response met on the clock, a next response in its
// second cycle, and a resolution on office hours, paused.
func (f *fixture) timers(t *testing.T) []*sla.Timer {
	t.Helper()
	newTimer := func(target sla.Target, events ...func(*sla.Timer) error) *sla.Timer {
		tm, err := sla.NewTimer(target, f.calendars[target.Calendar])
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			if err := ev(tm); err != nil {
				t.Fatal(err)
			}
		}
		return tm
	}
	call := func(m func(*sla.Timer, time.Time) error, n int) func(*sla.Timer) error {
		return func(tm *sla.Timer) error { return m(tm, at(n)) }
	}
	return []*sla.Timer{
		newTimer(sla.Target{Metric: "first_response", Goal: time.Hour, WarnPercent: []float64{75}},
			call((*sla.Timer).Start, 0), call((*sla.Timer).Stop, 40)),
		newTimer(sla.Target{Metric: "next_response", Goal: 4 * time.Hour, WarnBefore: []time.Duration{30 * time.Minute}},
			call((*sla.Timer).Start, 0), call((*sla.Timer).Stop, 40), call((*sla.Timer).NewCycle, 90)),
		newTimer(sla.Target{Metric: "resolution", Goal: 24 * time.Hour, Calendar: "office", WarnPercent: []float64{50, 90}, RestartOnReopen: true},
			call((*sla.Timer).Start, 0), call((*sla.Timer).Pause, 120), call((*sla.Timer).Resume, 180), call((*sla.Timer).Pause, 240)),
	}
}

func (f *fixture) attrs() map[string]any {
	return map[string]any{
		"customer": map[string]any{"vip": true, "name": "Ada", "seats": 12.5, "plan": map[string]any{"tier": "gold"}},
		"product":  "mail",
		"tags":     []any{"billing", "urgent"},
		"score":    3.0,
		"internal": false,
	}
}

// entry is a history entry with every field set.
func (f *fixture) entry(n int) escalation.Entry {
	return escalation.Entry{
		At: at(n), What: escalation.WhatEscalated, By: escalation.ByRule, Rule: "vip-fast-lane", Trigger: "event:opened",
		Why: []escalation.Clause{
			{Text: "ticket.customer.vip", Value: true},
			{Text: `ticket.product == "network"`, Value: false, Error: "no such key"},
		},
		Policy: "v1", From: "tier:frontline", To: "tier:specialists", Actor: "agent:7", Status: "open", Note: "a note",
		Cycle: &sla.Cycle{Start: at(n - 90), End: at(n), Goal: time.Hour, Elapsed: 61 * time.Minute, Due: at(n - 31), Late: true},
	}
}

// state is a ticket with every field of a State set.
func (f *fixture) state(t *testing.T, id string) *escalation.State {
	t.Helper()
	timers := f.timers(t)
	var statuses []sla.Status
	for _, tm := range timers {
		statuses = append(statuses, tm.Status(at(150)))
	}
	return &escalation.State{
		ID: id, Policy: "v1",
		Opened: t0, Resolved: true, Closed: true, Status: "pending_customer",
		Priority: "P1", Impact: "high", Urgency: "medium", Contract: "gold", Tier: "specialists", Team: "network",
		TierSince: at(1), Moves: 4, Escalations: 1, DeEscalations: 1, Handoffs: 2, Replied: true,
		LastReply: at(40), LastEvent: at(240), EventIDs: []string{"evt-1", "évènement/2"},
		Attrs:  f.attrs(),
		Timers: timers,
		Fired: escalation.Firings{
			{Key: "level/P1/0", Fire: escalation.Fire{At: at(30), Times: 1}},
			{Key: "rule/stale/idle", Fire: escalation.Fire{At: at(60), Times: 3, Done: true}},
		},
		Checked: at(240), Due: at(300),
		Outbox: []escalation.Pending{{
			Notification: escalation.Notification{
				Key: id + "/notify/1", Ticket: id, At: at(30), To: []string{"team_lead", "duty_manager"},
				Rule: "matrix:P1[0]", Trigger: "in_tier:30m", Why: f.entry(0).Why,
				FromTier: "frontline", ToTier: "specialists", FromTeam: "billing", ToTeam: "network",
				Priority: "P1", Status: "open", Attrs: f.attrs(), SLA: statuses,
				History: []escalation.Entry{f.entry(0)}, Policy: "v1", Attempt: 2,
			},
			NextAttempt: at(31),
		}},
		Entries: 7, PrevTier: "frontline", PrevTeam: "billing",
	}
}
