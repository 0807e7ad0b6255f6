package escalation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/matrix"
)

// outboxStart is 10:00 UTC on Monday 2 November 2026.
var outboxStart = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// outboxPolicy opens tickets on tier l1 with a 4-hour resolution goal; the
// rule "page" notifies to when a ticket opens, and the matrix moves it to
// l2 after an hour, notifying the lead.
func outboxPolicy(to ...string) *escalation.Policy {
	hour := escalation.Duration(time.Hour)
	return &escalation.Policy{
		Name: "outbox", Version: "v1",
		Tiers: []string{"l1", "l2"},
		Matrix: matrix.Spec{
			Impacts: []string{"any"}, Urgencies: []string{"any"}, Grid: [][]string{{"P1"}},
			Priorities: []matrix.PrioritySpec{{
				Name:   "P1",
				Goals:  []matrix.Goal{{Metric: "resolution", Target: 4 * hour}},
				Levels: []matrix.Level{{Clock: matrix.ClockSinceOpen, After: hour, Tier: "l2", Notify: []string{"lead"}}},
			}},
		},
		Rules: []escalation.Rule{{Name: "page", On: escalation.Trigger{Event: "opened"}, Do: []escalation.Action{{Notify: to}}}},
	}
}

// TestNotificationHistoryTail: a notification carries the last entries of
// the history at its delivery, 20 unless the engine says otherwise, and
// counts them all in HistoryTotal.
func TestNotificationHistoryTail(t *testing.T) {
	cases := []struct {
		name string
		opts []escalation.Option
		want int
	}{
		{"default", nil, 20},
		{"zero is the default", []escalation.Option{escalation.WithNotificationHistory(0)}, 20},
		{"three", []escalation.Option{escalation.WithNotificationHistory(3)}, 3},
		{"all", []escalation.Option{escalation.WithNotificationHistory(-1)}, 38},
		{"more than there are", []escalation.Option{escalation.WithNotificationHistory(100)}, 38},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := escalationtest.New(t, outboxPolicy("ops"), outboxStart, tc.opts...)
			h.Open("T-1", nil, "any", "any") // opened, rule_fired, notified, then delivered
			for i := range 32 {
				h.Advance(time.Minute)
				h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.FieldsChanged, Actor: fmt.Sprint("agent", i)})
			}
			h.AdvanceTo(outboxStart.Add(time.Hour)) // escalated, notified: 38 entries
			notes := h.Notes.Delivered()
			if len(notes) != 2 {
				t.Fatalf("%d notifications, want 2", len(notes))
			}
			first, last := notes[0], notes[1]
			if first.HistoryTotal != 3 || len(first.History) != 3 {
				t.Errorf("the first notification carries %d of %d entries, want 3 of 3", len(first.History), first.HistoryTotal)
			}
			hist, _ := h.Engine.History(context.Background(), "T-1")
			if len(hist) != 39 || hist[38].What != escalation.WhatDelivered {
				t.Fatalf("history of %d entries, want 38 and the last delivery", len(hist))
			}
			if last.HistoryTotal != 38 {
				t.Errorf("HistoryTotal %d, want 38", last.HistoryTotal)
			}
			if diff := cmp.Diff(hist[38-tc.want:38], last.History); diff != "" {
				t.Errorf("history carried (-want +got):\n%s", diff)
			}
		})
	}
}
