package escalation_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/sla"
)

// atRiskDesk is a Monday morning in New York on testPolicy, at 11:00:
//
//	tie-a, tie-b  P1 opened 10:15: first response due 11:15 (24x7), both
//	soon          P1 opened 10:30, team network: first response due 11:30
//	late-first    P1 opened 08:00: first response breached at 09:00; resolution due 12:00
//	edge          P2 opened 09:00: first response due 13:00 (4 business hours)
//	breached      P1 opened 09:30: first response breached at 10:30; resolution due 13:30
//	later         P2 opened 10:00: first response due 14:00
//	paused        P1 opened 07:30: first response breached at 08:30; pending the
//	              customer since 10:00 with 1h30m of resolution left: due 12:30
//	              if it resumed now
//	resolved      P1 opened 10:30, resolved 10:45: its first response would be due 11:30
//
// The tickets whose first response is late are due every 30 minutes (a
// repeating rule), so the store's Upcoming returns paused among them.
func atRiskDesk(t *testing.T, store escalation.Store) *escalationtest.Harness {
	t.Helper()
	h := escalationtest.NewWithStore(t, store, testPolicy(), monday(t, 7, 0))
	at := func(hh, mm int) { h.AdvanceTo(monday(t, hh, mm)) }
	report := func(id string, kind escalation.EventKind, status string) {
		h.Report(escalation.Event{Ticket: id, Kind: kind, Status: status})
	}
	at(7, 30)
	h.Open("paused", nil, "high", "high")
	at(8, 0)
	h.Open("late-first", nil, "high", "high")
	at(9, 0)
	h.Open("edge", nil, "high", "low")
	at(9, 30)
	h.Open("breached", nil, "high", "high")
	at(10, 0)
	report("paused", escalation.StatusChanged, "pending_customer")
	h.Open("later", nil, "high", "low")
	at(10, 15)
	h.Open("tie-b", nil, "high", "high")
	h.Open("tie-a", nil, "high", "high")
	at(10, 30)
	h.Open("soon", map[string]any{"product": "vpn"}, "high", "high")
	h.Open("resolved", nil, "high", "high")
	at(10, 45)
	report("resolved", escalation.Resolved, "resolved")
	at(11, 0)
	return h
}

// atRiskWant are the risks of atRiskDesk at 11:00, soonest first, and
// the windows that hold them: a breach at the window's end is in it.
func atRiskWant(t *testing.T, within time.Duration) []escalation.Risk {
	t.Helper()
	risk := func(id, metric string, hh, mm int, priority, tier, team string) escalation.Risk {
		due := monday(t, hh, mm)
		return escalation.Risk{ID: id, Metric: metric, Due: due, Remaining: due.Sub(monday(t, 11, 0)),
			Priority: priority, Tier: tier, Team: team}
	}
	all := []escalation.Risk{
		risk("tie-a", "first_response", 11, 15, "P1", "specialists", "billing"),
		risk("tie-b", "first_response", 11, 15, "P1", "specialists", "billing"),
		risk("soon", "first_response", 11, 30, "P1", "specialists", "network"),
		risk("late-first", "resolution", 12, 0, "P1", "engineering", "billing"),
		risk("edge", "first_response", 13, 0, "P2", "frontline", "billing"),
		risk("breached", "resolution", 13, 30, "P1", "specialists", "billing"),
		risk("later", "first_response", 14, 0, "P2", "frontline", "billing"),
	}
	var out []escalation.Risk
	for _, r := range all {
		if !r.Due.After(monday(t, 11, 0).Add(within)) {
			out = append(out, r)
		}
	}
	return out
}

// riskOpts compare risks' instants by Equal.
var riskOpts = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func TestAtRisk(t *testing.T) {
	h := atRiskDesk(t, escalation.NewMemoryStore())
	for _, c := range []struct {
		within time.Duration
		ids    []string
	}{
		{time.Minute, nil},
		{15 * time.Minute, []string{"tie-a", "tie-b"}},
		{2 * time.Hour, []string{"tie-a", "tie-b", "soon", "late-first", "edge"}},
		{3 * time.Hour, []string{"tie-a", "tie-b", "soon", "late-first", "edge", "breached", "later"}},
		{7 * 24 * time.Hour, []string{"tie-a", "tie-b", "soon", "late-first", "edge", "breached", "later"}},
	} {
		got, err := h.Engine.AtRisk(context.Background(), c.within)
		if err != nil {
			t.Fatalf("AtRisk(%v): %v", c.within, err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if !cmp.Equal(ids, c.ids) {
			t.Errorf("AtRisk(%v) = %q, want %q", c.within, ids, c.ids)
		}
		if diff := cmp.Diff(atRiskWant(t, c.within), got, riskOpts); diff != "" {
			t.Errorf("AtRisk(%v) (-want +got):\n%s", c.within, diff)
		}
	}
}

// TestAtRiskOnJSONStore: a store that keeps states through JSON holds
// their timers unbound; AtRisk binds copies, and answers the same.
func TestAtRiskOnJSONStore(t *testing.T) {
	store := jsonStore{escalation.NewMemoryStore()}
	h := atRiskDesk(t, store)
	got, err := h.Engine.AtRisk(context.Background(), 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(atRiskWant(t, 2*time.Hour), got, riskOpts); diff != "" {
		t.Errorf("AtRisk through JSON (-want +got):\n%s", diff)
	}
	for st, err := range store.Upcoming(context.Background(), monday(t, 13, 0)) {
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range st.Timers {
			if tm.Bound() {
				t.Errorf("AtRisk bound the stored state of %s: it must bind a copy", st.ID)
			}
		}
	}
}

// TestAtRiskFilters: on a store whose Upcoming yields every ticket,
// whenever due, in no order and twice, AtRisk still leaves out the paused,
// the resolved and the breached, lists each ticket once and sorts them.
func TestAtRiskFilters(t *testing.T) {
	store := everything{escalation.NewMemoryStore()}
	h := atRiskDesk(t, store)
	// A resolved ticket whose clock still runs, as no engine leaves one:
	// resolved tickets are never at risk.
	running, err := sla.NewTimer(sla.Target{Metric: "first_response", Goal: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := running.Start(monday(t, 10, 30)); err != nil {
		t.Fatal(err)
	}
	odd := &escalation.State{ID: "odd", Policy: "v1", Opened: monday(t, 10, 30), Resolved: true, Priority: "P1", Tier: "frontline",
		Timers: []*sla.Timer{running}, Due: monday(t, 11, 30)}
	if err := store.Save(context.Background(), odd, nil); err != nil {
		t.Fatal(err)
	}
	got, err := h.Engine.AtRisk(context.Background(), 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(atRiskWant(t, 2*time.Hour), got, riskOpts); diff != "" {
		t.Errorf("AtRisk (-want +got):\n%s", diff)
	}
}

// everything is a store whose Upcoming yields every ticket, in the order
// they opened, and then every ticket again, as a store reading in pages
// may yield a ticket that moved meanwhile.
type everything struct{ escalation.Store }

func (s everything) Upcoming(ctx context.Context, _ time.Time) iter.Seq2[*escalation.State, error] {
	return func(yield func(*escalation.State, error) bool) {
		for range 2 {
			for h, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
				if !yield(h.State, err) || err != nil {
					return
				}
			}
		}
	}
}

func TestAtRiskErrors(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	for _, within := range []time.Duration{0, -time.Hour} {
		_, err := h.Engine.AtRisk(context.Background(), within)
		if want := "escalation: AtRisk: within is " + within.String() + ": it must be positive"; err == nil || err.Error() != want {
			t.Errorf("AtRisk(%v): %v, want %q", within, err, want)
		}
	}
	var zero escalation.Engine
	if _, err := zero.AtRisk(context.Background(), time.Hour); !errors.Is(err, escalation.ErrNoEngine) {
		t.Errorf("AtRisk on the zero Engine: %v, want ErrNoEngine", err)
	}
	down := escalationtest.NewWithStore(t, downUpcoming{escalation.NewMemoryStore()}, testPolicy(), monday(t, 9, 0))
	if _, err := down.Engine.AtRisk(context.Background(), time.Hour); err == nil || err.Error() != "database is down" {
		t.Errorf("AtRisk on a store that fails: %v, want its error", err)
	}
}

// downUpcoming is a store whose Upcoming fails.
type downUpcoming struct{ escalation.Store }

func (downUpcoming) Upcoming(context.Context, time.Time) iter.Seq2[*escalation.State, error] {
	return func(yield func(*escalation.State, error) bool) { yield(nil, errors.New("database is down")) }
}

// TestRiskJSON: a risk writes its remaining time as a Go duration string,
// as a ticket's status does, and reads it back.
func TestRiskJSON(t *testing.T) {
	r := escalation.Risk{ID: "T-7", Metric: "resolution", Due: time.Date(2026, 11, 2, 16, 30, 0, 0, time.UTC),
		Remaining: 90 * time.Minute, Priority: "P1", Tier: "specialists", Team: "network"}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"T-7","metric":"resolution","due":"2026-11-02T16:30:00Z","remaining":"1h30m","priority":"P1","tier":"specialists","team":"network"}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", b, want)
	}
	var back escalation.Risk
	if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(back, r, riskOpts) {
		t.Errorf("read back %+v, %v; want %+v", back, err, r)
	}
}
