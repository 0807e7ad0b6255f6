package escalationtest_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/benbjohnson/clock"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// exT stands in for the *testing.T a test passes to the harness: an
// Example has none. It panics where a test would stop, and prints where a
// test would fail.
type exT struct{ testing.TB }

func (exT) Helper()                           {}
func (exT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (exT) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }

// exOfficeJSON runs on New York office hours, Monday to Friday 09:00-17:00.
// A P2 ticket has 2 business hours to a first reply and 8 to a
// resolution; at half of its resolution goal the matrix moves it to the
// specialists and tells the team lead; a late first reply tells the duty
// manager, again every 30 business minutes until an agent replies.
const exOfficeJSON = `{
  "name": "office", "version": "1",
  "calendars": {"office": {"location": "America/New_York", "week": {"mon-fri": ["09:00-17:00"]}}},
  "calendar": "office",
  "tiers": ["frontline", "specialists"],
  "matrix": {
    "impacts": ["high"], "urgencies": ["medium"], "grid": [["P2"]],
    "priorities": [{
      "name": "P2",
      "goals": [{"metric": "first_response", "target": "2h"}, {"metric": "resolution", "target": "8h"}],
      "levels": [{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists", "notify": ["team_lead"]}]
    }]
  },
  "rules": [{
    "name": "first-response-breached",
    "on": {"metric": "first_response", "breach": true},
    "when": "!sla.first_response.met",
    "repeat": "30m",
    "do": [{"notify": ["duty_manager"]}]
  }]
}`

func exOffice() *escalation.Policy {
	p, err := escalation.ParsePolicy([]byte(exOfficeJSON))
	if err != nil {
		panic(err)
	}
	return p
}

// A test of a policy: a ticket opened late on Friday afternoon. Its clocks
// stop for the weekend, so its first reply is due on Monday at 10:00; the
// harness's clock never sleeps, and Advance stops at every instant
// something falls due. In a test, t is the test's *testing.T.
func ExampleNew() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	var t testing.TB = exT{} // func TestOffice(t *testing.T) {
	friday := time.Date(2026, 11, 6, 16, 0, 0, 0, newYork)
	h := escalationtest.New(t, exOffice(), friday)
	h.Open("T-1", nil, "high", "medium")
	h.AdvanceTo(time.Date(2026, 11, 9, 11, 10, 0, 0, newYork)) // Monday
	h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, Actor: "ana"})
	h.Advance(4 * time.Hour)
	for _, line := range h.Notes.Summary(newYork) {
		fmt.Println(line)
	}
	hist, err := h.Engine.History(context.Background(), "T-1")
	if err != nil {
		panic(err)
	}
	for _, e := range hist {
		if e.What == escalation.WhatDelivered {
			fmt.Println("delivered at", e.At.In(newYork).Format("15:04:05"))
		}
	}
	// Output:
	// Mon 10:00 T-1 first-response-breached -> duty_manager
	// Mon 10:30 T-1 first-response-breached -> duty_manager
	// Mon 11:00 T-1 first-response-breached -> duty_manager
	// Mon 12:00 T-1 matrix:P2[0] -> team_lead
	// delivered at 10:00:00
	// delivered at 10:30:00
	// delivered at 11:00:00
	// delivered at 12:00:00
}

// Timeline is the ticket's history, one line an entry, ready to compare
// with what the policy's author expects: here the first reply is late,
// the duty manager is told at 10:00 and 10:30, and the matrix's level
// falls at noon, half of the 8 business hours of the resolution goal.
func ExampleHarness_Timeline() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	h := escalationtest.New(exT{}, exOffice(), time.Date(2026, 11, 6, 16, 0, 0, 0, newYork))
	h.Open("T-1", nil, "high", "medium")
	h.AdvanceTo(time.Date(2026, 11, 9, 10, 45, 0, 0, newYork)) // Monday
	h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, Actor: "ana"})
	h.AdvanceTo(time.Date(2026, 11, 9, 12, 0, 0, 0, newYork))
	for _, line := range h.Timeline("T-1", newYork) {
		fmt.Println(line)
	}
	// Output:
	// Fri 16:00 opened tier:frontline
	// Mon 10:00 sla_breached (first_response:breach)
	// Mon 10:00 rule_fired first-response-breached (first_response:breach)
	// Mon 10:00 notified first-response-breached (first_response:breach) duty_manager
	// Mon 10:00 delivered first-response-breached (first_response:breach) duty_manager
	// Mon 10:30 rule_fired first-response-breached (first_response:breach (repeat))
	// Mon 10:30 notified first-response-breached (first_response:breach (repeat)) duty_manager
	// Mon 10:30 delivered first-response-breached (first_response:breach (repeat)) duty_manager
	// Mon 10:45 agent_replied
	// Mon 10:45 sla_met_late first_response
	// Mon 12:00 escalated matrix:P2[0] (resolution:50%) tier:frontline -> tier:specialists
	// Mon 12:00 notified matrix:P2[0] (resolution:50%) team_lead
	// Mon 12:00 delivered matrix:P2[0] (resolution:50%) team_lead
}

// ExpectTimeline fails the test, with a diff, unless the ticket's
// timeline is the one expected; here it is, and the test goes on.
func ExampleHarness_ExpectTimeline() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	var t testing.TB = exT{} // func TestQuickReply(t *testing.T) {
	h := escalationtest.New(t, exOffice(), time.Date(2026, 11, 9, 9, 0, 0, 0, newYork))
	h.Open("T-1", nil, "high", "medium")
	h.Advance(90 * time.Minute)
	h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, Actor: "ana"})
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.Resolved, Actor: "ana"})
	h.ExpectTimeline("T-1", newYork, []string{
		"Mon 09:00 opened tier:frontline",
		"Mon 10:30 agent_replied",
		"Mon 10:30 sla_met first_response",
		"Mon 11:00 resolved",
		"Mon 11:00 sla_met resolution",
	})
	fmt.Println("timeline as expected")
	// Output:
	// timeline as expected
}

// The harness's Recorder keeps what the engine delivered; FailNext makes
// the next deliveries fail, to test what a policy does when the mail
// server is down: the engine retries with backoff (30s, then 1m, ...), and
// the third attempt, at 11:01:30, goes through. A notification's At is when
// the decision was taken.
func ExampleRecorder() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	h := escalationtest.New(exT{}, exOffice(), time.Date(2026, 11, 9, 9, 0, 0, 0, newYork))
	h.Open("T-1", nil, "high", "medium")
	h.Notes.FailNext(errors.New("mail server down"), errors.New("mail server down"))
	h.Advance(2*time.Hour + 5*time.Minute)
	for _, n := range h.Notes.Delivered() {
		fmt.Println(n.At.In(newYork).Format("15:04"), n.Rule, n.To, "attempt", n.Attempt)
	}
	for _, line := range h.Notes.Summary(newYork) {
		fmt.Println(line)
	}
	hist, err := h.Engine.History(context.Background(), "T-1")
	if err != nil {
		panic(err)
	}
	for _, e := range hist {
		if e.What == escalation.WhatDelivered {
			fmt.Println("delivered at", e.At.In(newYork).Format("15:04:05"))
		}
	}
	// Output:
	// 11:00 first-response-breached [duty_manager] attempt 3
	// Mon 11:00 T-1 first-response-breached -> duty_manager
	// delivered at 11:01:30
}

// Line formats one history entry as Timeline does.
func ExampleLine() {
	e := escalation.Entry{
		At: time.Date(2026, 11, 9, 15, 0, 0, 0, time.UTC), What: escalation.WhatEscalated, By: escalation.ByMatrix,
		Rule: "matrix:P2[0]", Trigger: "resolution:50%", From: "tier:frontline", To: "tier:specialists",
	}
	fmt.Println(escalationtest.Line(e, time.UTC))
	// Output:
	// Mon 15:00 escalated matrix:P2[0] (resolution:50%) tier:frontline -> tier:specialists
}

// A test of a Store runs a policy on it through the harness, and then
// reads back what the engine saved: here the in-memory store, in a test
// of a SQL store the store under test. Nobody replied: the duty manager
// was told at 11:00, 11:30 and 12:00, and is due to be told again.
func ExampleNewWithStore() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	store := escalation.NewMemoryStore()
	h := escalationtest.NewWithStore(exT{}, store, exOffice(), time.Date(2026, 11, 9, 9, 0, 0, 0, newYork))
	h.Open("T-1", nil, "high", "medium")
	h.Advance(3 * time.Hour)
	st, err := store.Load(context.Background(), "T-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(store.Len(), "ticket;", st.ID, "on", st.Tier, "due", st.Due.In(newYork).Format("15:04"))
	// Output:
	// 1 ticket; T-1 on frontline due 12:30
}

// A *clock.Mock drives the harness as well as a SimClock does, for a test
// whose other code already runs on the mock's timers.
func ExampleNewWithClock() {
	mock := clock.NewMock()
	start := time.Date(2026, 11, 9, 14, 0, 0, 0, time.UTC) // 09:00 in New York
	mock.Set(start)
	h := escalationtest.NewWithClock(exT{}, mock, nil, exOffice())
	h.Open("T-1", nil, "high", "medium")
	h.Advance(4 * time.Hour)
	for _, line := range h.Notes.Summary(time.UTC) {
		fmt.Println(line)
	}
	fmt.Println("now", h.Now().Format("15:04"))
	// Output:
	// Mon 16:00 T-1 first-response-breached -> duty_manager
	// Mon 16:30 T-1 first-response-breached -> duty_manager
	// Mon 17:00 T-1 first-response-breached -> duty_manager
	// Mon 17:30 T-1 first-response-breached -> duty_manager
	// Mon 18:00 T-1 first-response-breached -> duty_manager
	// Mon 18:00 T-1 matrix:P2[0] -> team_lead
	// now 18:00
}
