package notify_test

import (
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
)

// monday is 10:00 UTC on Monday 2 November 2026, when the tests start.
var monday = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// policy opens tickets on tier l1 with a 4-hour resolution goal; the rule
// "page" notifies to when a ticket opens, and the matrix moves it to l2
// after an hour, notifying the lead.
func policy(to ...string) *escalation.Policy {
	hour := escalation.Duration(time.Hour)
	return &escalation.Policy{
		Name: "notify", Version: "v1",
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

// notification is a notification as the engine makes it for ticket T-1
// an hour after it opened.
func notification() escalation.Notification {
	return escalation.Notification{
		Key: "T-1/matrix:P1[0]/3", Ticket: "T-1", At: monday.Add(time.Hour), To: []string{"lead", "pager"},
		Rule: "matrix:P1[0]", Trigger: "since_open:1h",
		Why:      []escalation.Clause{{Text: "ticket.customer.vip", Value: true}},
		FromTier: "l1", ToTier: "l2", ToTeam: "network", Priority: "P1", Status: "open", Policy: "v1", Attempt: 1,
	}
}

// slaStatuses are a ticket's clocks an hour after it opened: first
// response (30m) breached, resolution (4h) a quarter used.
func slaStatuses() []sla.Status {
	return []sla.Status{
		{Metric: "first_response", State: sla.Breached, Cycle: 1, Goal: 30 * time.Minute, Elapsed: time.Hour, Remaining: -30 * time.Minute,
			Percent: 200, Due: monday.Add(30 * time.Minute), Breached: true},
		{Metric: "resolution", State: sla.Running, Cycle: 1, Goal: 4 * time.Hour, Elapsed: time.Hour, Remaining: 3 * time.Hour,
			Percent: 25, Due: monday.Add(4 * time.Hour)},
	}
}
