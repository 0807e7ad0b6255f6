package escalationtest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/matrix"
)

// policy notifies "lead" every hour on the clock after a ticket opens,
// through three matrix levels, and repeats nothing else.
func policy() *escalation.Policy {
	hour := escalation.Duration(time.Hour)
	return &escalation.Policy{
		Name: "harness", Version: "1",
		Tiers: []string{"l1", "l2", "l3", "l4"},
		Matrix: matrix.Spec{
			Impacts: []string{"any"}, Urgencies: []string{"any"}, Grid: [][]string{{"P"}},
			Priorities: []matrix.PrioritySpec{{
				Name:  "P",
				Goals: []matrix.Goal{{Metric: "resolution", Target: 10 * hour}},
				Levels: []matrix.Level{
					{Clock: matrix.ClockSinceOpen, After: hour, Tier: "l2", Notify: []string{"lead"}},
					{Clock: matrix.ClockSinceOpen, After: 2 * hour, Tier: "l3", Notify: []string{"lead"}},
					{Clock: matrix.ClockSinceOpen, After: 3 * hour, Tier: "l4", Notify: []string{"lead"}},
				},
			}},
		},
	}
}

var start = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func TestAdvanceStopsAtEachDueInstant(t *testing.T) {
	h := escalationtest.New(t, policy(), start)
	h.Open("A", nil, "any", "any")
	h.Open("B", nil, "any", "any")
	h.Advance(150 * time.Minute)
	if !h.Now().Equal(start.Add(150 * time.Minute)) {
		t.Errorf("clock at %v after Advance", h.Now())
	}
	// Each notification is delivered at the instant it fell, in order.
	want := []string{
		"Mon 09:00 A matrix:P[0] -> lead", "Mon 09:00 B matrix:P[0] -> lead",
		"Mon 10:00 A matrix:P[1] -> lead", "Mon 10:00 B matrix:P[1] -> lead",
	}
	if diff := cmp.Diff(want, h.Notes.Summary(time.UTC)); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	for _, n := range h.Notes.Delivered() {
		if n.Attempt != 1 {
			t.Errorf("%s delivered on attempt %d", n.Key, n.Attempt)
		}
	}
	h.ExpectTimeline("A", time.UTC, []string{
		"Mon 08:00 opened tier:l1",
		"Mon 09:00 escalated matrix:P[0] (since_open:1h) tier:l1 -> tier:l2",
		"Mon 09:00 notified matrix:P[0] (since_open:1h) lead",
		"Mon 09:00 delivered matrix:P[0] (since_open:1h) lead",
		"Mon 10:00 escalated matrix:P[1] (since_open:2h) tier:l2 -> tier:l3",
		"Mon 10:00 notified matrix:P[1] (since_open:2h) lead",
		"Mon 10:00 delivered matrix:P[1] (since_open:2h) lead",
	})
}

func TestRecorderFailures(t *testing.T) {
	h := escalationtest.New(t, policy(), start)
	h.Notes.FailNext(errors.New("busy"))
	h.Open("A", nil, "any", "any")
	h.Advance(61 * time.Minute)
	got := h.Notes.Delivered()
	if len(got) != 1 || got[0].Attempt != 2 || !got[0].At.Equal(start.Add(time.Hour)) {
		t.Fatalf("after one failure: %+v, want the 09:00 notification delivered on attempt 2", got)
	}
}
