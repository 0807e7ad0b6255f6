package escalation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// jsonStore keeps each state as JSON, the way a database does: what Load
// returns shares nothing with what was saved, and its timers come unbound.
type jsonStore struct {
	*escalation.MemoryStore
}

func (s jsonStore) Load(ctx context.Context, id string) (*escalation.State, error) {
	st, err := s.MemoryStore.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return roundTrip(st)
}

func (s jsonStore) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	cp, err := roundTrip(st)
	if err != nil {
		return err
	}
	if err := s.MemoryStore.Save(ctx, cp, entries); err != nil {
		return err
	}
	st.Version = cp.Version
	return nil
}

func roundTrip(st *escalation.State) (*escalation.State, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	var back escalation.State
	if err := json.Unmarshal(data, &back); err != nil {
		return nil, err
	}
	return &back, nil
}

// busyWeek drives tickets through most of what the engine does: a VIP
// fast lane, breaches with repeats, a pending-customer pause, a priority
// change, a reopen and a close.
func busyWeek(t *testing.T, h *escalationtest.Harness) {
	h.Open("A", map[string]any{"customer": map[string]any{"vip": true}}, "high", "high")
	h.Open("B", nil, "low", "low")
	h.Open("C", nil, "low", "high")
	h.Advance(100 * time.Minute)
	h.Report(escalation.Event{Ticket: "A", Kind: escalation.AgentReplied})
	h.Report(escalation.Event{Ticket: "B", Kind: escalation.AgentReplied, Status: "pending_customer"})
	h.Advance(26 * time.Hour)
	h.Report(escalation.Event{Ticket: "B", Kind: escalation.CustomerReplied, Status: "open"})
	h.Report(escalation.Event{Ticket: "C", Kind: escalation.FieldsChanged, Impact: "high"})
	h.Advance(5 * time.Hour)
	h.Report(escalation.Event{Ticket: "A", Kind: escalation.Resolved})
	h.Report(escalation.Event{Ticket: "C", Kind: escalation.Closed})
	h.Advance(time.Hour)
	h.Report(escalation.Event{Ticket: "A", Kind: escalation.Reopened})
	h.Advance(3 * 24 * time.Hour)
}

// TestStateSurvivesJSON runs the same week on the in-memory store and on
// one that keeps states as JSON: histories and statuses must agree.
func TestStateSurvivesJSON(t *testing.T) {
	start := monday(t, 10, 0)
	mem := escalationtest.New(t, testPolicy(), start)
	js := escalationtest.NewWithStore(t, jsonStore{escalation.NewMemoryStore()}, testPolicy(), start)
	busyWeek(t, mem)
	busyWeek(t, js)
	ctx := context.Background()
	for _, id := range []string{"A", "B", "C"} {
		want, _ := mem.Engine.History(ctx, id)
		got, err := js.Engine.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 5 {
			t.Fatalf("%s: only %d entries: the week did too little to compare", id, len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: history (-memory +json):\n%s", id, diff)
		}
		ws, _ := mem.Engine.Status(ctx, id)
		gs, err := js.Engine.Status(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ws, gs); diff != "" {
			t.Errorf("%s: status (-memory +json):\n%s", id, diff)
		}
	}
	if diff := cmp.Diff(mem.Notes.Summary(time.UTC), js.Notes.Summary(time.UTC)); diff != "" {
		t.Errorf("notifications (-memory +json):\n%s", diff)
	}
}
