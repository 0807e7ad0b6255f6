package escalationtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// TestFaultsMemory runs the fault suite on the in-memory store.
func TestFaultsMemory(t *testing.T) {
	escalationtest.TestFaults(t, func(t *testing.T, replicas int) []escalation.Store {
		return []escalation.Store{escalation.NewMemoryStore()}
	})
}

// A store whose every second Save commits and then fails, as a database
// whose reply is lost does: the host cannot know the event was applied,
// reports it again with its ID, and the engine applies it once.
func ExampleNewFaultyStore() {
	store := escalationtest.NewFaultyStore(escalation.NewMemoryStore(), escalationtest.StoreFaults{CommitThenErrorEvery: 2})
	h := escalationtest.NewWithStore(exT{}, store, exOffice(), time.Date(2026, 11, 9, 14, 0, 0, 0, time.UTC))
	h.Open("T-1", nil, "high", "medium")
	ev := escalation.Event{ID: "webhook-41", Ticket: "T-1", Kind: escalation.AgentReplied, At: h.Now(), Actor: "ana"}
	for {
		err := h.Engine.Report(context.Background(), ev)
		fmt.Println("report:", err)
		if err == nil {
			break
		}
	}
	for _, line := range h.Timeline("T-1", time.UTC) {
		fmt.Println(line)
	}
	fmt.Printf("%+v\n", store.Injected())
	// Output:
	// report: escalation: ticket "T-1": agent_replied: escalationtest: injected fault: Save committed, and its reply was lost
	// report: <nil>
	// Mon 14:00 opened tier:frontline
	// Mon 14:00 agent_replied
	// Mon 14:00 sla_met first_response
	// {Calls:6 Errors:0 Panics:0 CommitThenErrors:1 DeliveredThenError:0 Permanent:0}
}

// A notifier whose receiver takes every notification and whose reply is
// lost every other time: the engine tries the 16:30 one again after its
// backoff, so the receiver gets it twice (at least once), and the
// history records one delivery of it, when the engine learnt of it.
func ExampleNewFaultyNotifier() {
	h := escalationtest.New(exT{}, exOffice(), time.Date(2026, 11, 9, 14, 0, 0, 0, time.UTC))
	faulty := escalationtest.NewFaultyNotifier(h.Notes, escalationtest.NotifierFaults{DeliveredThenErrorEvery: 2})
	e, err := escalation.New(exOffice(), escalation.WithClock(h.Clock), escalation.WithNotifier(faulty))
	if err != nil {
		panic(err)
	}
	h.Engine = e
	h.Open("T-1", nil, "high", "medium")
	h.Advance(2*time.Hour + 35*time.Minute)
	for _, line := range h.Notes.Summary(time.UTC) {
		fmt.Println(line)
	}
	for _, line := range h.Timeline("T-1", time.UTC) {
		fmt.Println(line)
	}
	fmt.Printf("%+v\n", faulty.Injected())
	// Output:
	// Mon 16:00 T-1 first-response-breached -> duty_manager
	// Mon 16:30 T-1 first-response-breached -> duty_manager
	// Mon 16:30 T-1 first-response-breached -> duty_manager
	// Mon 14:00 opened tier:frontline
	// Mon 16:00 sla_breached (first_response:breach)
	// Mon 16:00 rule_fired first-response-breached (first_response:breach)
	// Mon 16:00 notified first-response-breached (first_response:breach) duty_manager
	// Mon 16:00 delivered first-response-breached (first_response:breach) duty_manager
	// Mon 16:30 rule_fired first-response-breached (first_response:breach (repeat))
	// Mon 16:30 notified first-response-breached (first_response:breach (repeat)) duty_manager
	// Mon 16:30 delivered first-response-breached (first_response:breach (repeat)) duty_manager
	// {Calls:3 Errors:0 Panics:0 CommitThenErrors:0 DeliveredThenError:1 Permanent:0}
}
