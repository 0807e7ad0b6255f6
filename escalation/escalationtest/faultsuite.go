package escalationtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// faultPolicy is the policy of TestFaults: three tiers on a 24x7
// calendar; matrix levels that move tickets and notify one or two people;
// a rule that tells the duty manager every 20 minutes while a first reply
// is late, and one that tells the owner when a customer writes to an
// escalated ticket.
const faultPolicy = `{
  "name": "faults", "version": "v1",
  "tiers": ["frontline", "specialists", "engineering"],
  "matrix": {
    "impacts": ["high", "low"], "urgencies": ["high", "low"],
    "grid": [["P1", "P2"], ["P2", "P3"]],
    "priorities": [
      {"name": "P1", "goals": [{"metric": "first_response", "target": "30m"}, {"metric": "resolution", "target": "4h"}],
       "levels": [{"clock": "since_open", "after": "1h", "tier": "specialists", "notify": ["team_lead"]},
                  {"clock": "percent", "metric": "resolution", "percent": 90, "tier": "engineering", "notify": ["duty_manager", "team_lead"]}]},
      {"name": "P2", "goals": [{"metric": "first_response", "target": "1h"}, {"metric": "resolution", "target": "8h"}],
       "levels": [{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists", "notify": ["team_lead"]}]},
      {"name": "P3", "goals": [{"metric": "first_response", "target": "4h"}, {"metric": "resolution", "target": "24h"}]}
    ]
  },
  "targets": {"resolution": {"warn_percent": [75]}},
  "rules": [
    {"name": "late-reply", "on": {"metric": "first_response", "breach": true},
     "when": "!sla.first_response.met", "repeat": "20m", "do": [{"notify": ["duty_manager"]}]},
    {"name": "customer-waiting", "on": {"event": "customer_replied"},
     "when": "tier >= 2", "do": [{"notify": ["owner"]}]}
  ]
}`

// faultTickets is how many tickets TestFaults opens, one every two
// minutes.
const faultTickets = 150

// faultEvents are the events of ticket i, in the order of their instants:
// it opens; most get a reply, some never do; half hear from the
// customer; every seventh is escalated by hand; two thirds are resolved.
func faultEvents(i int) []escalation.Event {
	id := fmt.Sprintf("F-%03d", i)
	open := t0.Add(time.Duration(2*i) * time.Minute)
	grid := [][2]string{{"high", "high"}, {"high", "low"}, {"low", "high"}, {"low", "low"}}[i%4]
	evs := []escalation.Event{{Kind: escalation.Opened, At: open, Impact: grid[0], Urgency: grid[1]}}
	if i%5 != 0 {
		evs = append(evs, escalation.Event{Kind: escalation.AgentReplied, At: open.Add(time.Duration(10+i%45) * time.Minute)})
	}
	if i%7 == 0 {
		evs = append(evs, escalation.Event{Kind: escalation.Escalated, At: open.Add(56 * time.Minute), Tier: "engineering", Reason: "needs engineering"})
	}
	if i%2 == 0 {
		evs = append(evs, escalation.Event{Kind: escalation.CustomerReplied, At: open.Add(70 * time.Minute)})
	}
	if i%3 != 0 {
		evs = append(evs, escalation.Event{Kind: escalation.Resolved, At: open.Add(time.Duration(90+i%120) * time.Minute)})
	}
	for j := range evs {
		evs[j].Ticket, evs[j].ID, evs[j].Actor = id, fmt.Sprintf("%s/%d", id, j), "agent"
	}
	return evs
}

// recorder counts the deliveries of each notification key.
type recorder struct {
	mu  sync.Mutex
	got map[string]int
}

func (r *recorder) Notify(_ context.Context, n escalation.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[n.Key]++
	return nil
}

// TestFaults runs a day of a desk (150 tickets, their events, SLA
// breaches, matrix levels, repeating rules and notifications) on an
// engine whose store and notifier fail all the time: errors, panics,
// saves that commit and then fail, deliveries that arrive and then fail,
// deliveries refused for good, and a store so slow that the clock moves
// during its calls. The host reports every event with an ID and retries
// what failed, as a host must. Then the faults stop, the engine catches
// up, and TestFaults checks, in the store the factory opened:
//
//   - every notification saved was delivered at least once or failed for
//     good, and each is recorded once, delivered or failed: no outbox is
//     left, and the recipients of each rule's and level's notified entries
//     are those of its delivered and delivery_failed entries;
//   - every notification the notifier took has its delivered entry, and
//     every one it refused for good its delivery_failed entry;
//   - no decision is recorded twice: no two entries of a ticket record
//     the same rule, trigger and instant;
//   - no event is applied twice: each event the engine accepted is in the
//     history once, each it refused not at all;
//   - each state's entry count is its history's length.
//
// It logs the figures of the run: the faults injected, the events and
// their retries, the notifications, and those delivered more than once.
// It fails if no fault of some kind was injected, since it then tests
// nothing.
func TestFaults(t *testing.T, open StoreFactory) {
	ctx := context.Background()
	inner := openOne(t, open)
	clk := escalation.NewSimClock(t0)
	policy, err := escalation.ParsePolicy([]byte(faultPolicy))
	if err != nil {
		t.Fatal(err)
	}
	slow := 0
	store := NewFaultyStore(inner, StoreFaults{ErrorEvery: 13, PanicEvery: 37, CommitThenErrorEvery: 7,
		Delay: func(string) {
			if slow++; slow%17 == 0 {
				clk.Add(time.Second) // a slow call: time passes while it runs
			}
		}})
	got := &recorder{got: map[string]int{}}
	notifier := NewFaultyNotifier(got, NotifierFaults{ErrorEvery: 5, PanicEvery: 11, DeliveredThenErrorEvery: 7, PermanentEvery: 23})
	last := map[string]error{} // what the last attempt of each key returned
	outer := escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) (err error) {
		defer func() { last[n.Key] = err }()
		return notifier.Notify(ctx, n)
	})
	e, err := escalation.New(policy, escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(outer),
		escalation.WithLogger(slog.New(slog.DiscardHandler)), escalation.WithBackoff(func(int) time.Duration { return 30 * time.Second }))
	if err != nil {
		t.Fatal(err)
	}

	step := func() {
		t.Helper()
		for try := 0; ; try++ {
			err := e.Step(ctx)
			if err == nil {
				return
			}
			if !errors.Is(err, ErrInjected) || try == 100 {
				t.Fatalf("Step at %s: %v", clk.Now().Format(time.TimeOnly), err)
			}
		}
	}
	// The events by minute, and what became of each.
	byMinute := map[int][]escalation.Event{}
	for i := range faultTickets {
		for _, ev := range faultEvents(i) {
			m := int(ev.At.Sub(t0) / time.Minute)
			byMinute[m] = append(byMinute[m], ev)
		}
	}
	accepted := map[string]map[escalation.What]int{} // by ticket
	events, retries, rejected := 0, 0, 0
	report := func(ev escalation.Event) {
		t.Helper()
		events++
		for try := 0; ; try++ {
			err := e.Report(ctx, ev)
			switch {
			case err == nil:
				if accepted[ev.Ticket] == nil {
					accepted[ev.Ticket] = map[escalation.What]int{}
				}
				accepted[ev.Ticket][escalation.What(ev.Kind)]++
				return
			case errors.Is(err, ErrInjected) && try < 100:
				retries++ // the outcome is unknown: report it again, with its ID
			case errors.Is(err, ErrInjected):
				t.Fatalf("%s %s: still failing after %d tries: %v", ev.Ticket, ev.Kind, try, err)
			default:
				rejected++ // refused: the host does not retry
				return
			}
		}
	}

	const faulty, quiet = 10 * 60, 11 * 60 // minutes: with faults, then without
	for m := 0; m <= quiet; m++ {
		if m == faulty {
			store.SetFaults(StoreFaults{})
			notifier.SetFaults(NotifierFaults{})
		}
		if now := t0.Add(time.Duration(m) * time.Minute); now.After(clk.Now()) {
			clk.Set(now)
		}
		step()
		for _, ev := range byMinute[m] {
			report(ev)
		}
		step()
	}

	storeFaults, notifierFaults := store.Injected(), notifier.Injected()
	if storeFaults.Errors == 0 || storeFaults.Panics == 0 || storeFaults.CommitThenErrors == 0 ||
		notifierFaults.Errors == 0 || notifierFaults.Panics == 0 || notifierFaults.DeliveredThenError == 0 || notifierFaults.Permanent == 0 {
		t.Fatalf("a kind of fault was never injected (store %+v, notifier %+v): the suite tests nothing", storeFaults, notifierFaults)
	}

	notified, delivered, failed, twice := 0, 0, 0, 0
	for i := range faultTickets {
		id := fmt.Sprintf("F-%03d", i)
		st, err := inner.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load(%s): %v", id, err)
		}
		h, err := inner.History(ctx, id)
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		if st.Entries != len(h) {
			t.Errorf("%s: the state counts %d entries, the history has %d", id, st.Entries, len(h))
		}
		if len(st.Outbox) > 0 {
			t.Errorf("%s: %d notifications left in the outbox after the faults stopped", id, len(st.Outbox))
		}
		sent, done := map[string]int{}, map[string]int{} // recipients by rule and trigger
		decisions := map[string]bool{}
		applied := map[escalation.What]int{}
		for _, en := range h {
			recipients := strings.Split(en.To, ", ")
			switch en.What {
			case escalation.WhatNotified:
				notified++
				sent[en.Rule+" "+en.Trigger] += len(recipients)
			case escalation.WhatDelivered:
				delivered++
				done[en.Rule+" "+en.Trigger] += len(recipients)
			case escalation.WhatDeliveryFailed:
				failed++
				done[en.Rule+" "+en.Trigger] += len(recipients)
			}
			if en.By == escalation.ByPerson {
				applied[en.What]++
			}
			switch en.What {
			case escalation.WhatNotified, escalation.WhatRuleFired, escalation.WhatSLABreached, escalation.WhatSLAWarning,
				escalation.WhatEscalated, escalation.WhatSkipped:
				if en.By == escalation.ByPerson {
					break
				}
				key := fmt.Sprint(en.What, " ", en.Rule, " ", en.Trigger, " ", en.At.Format(time.RFC3339Nano))
				if decisions[key] {
					t.Errorf("%s: recorded twice: %s", id, key)
				}
				decisions[key] = true
			}
		}
		for k, n := range sent {
			if done[k] != n {
				t.Errorf("%s: %s: %d recipients notified, %d delivered or failed", id, k, n, done[k])
			}
		}
		for k, n := range done {
			if sent[k] == 0 {
				t.Errorf("%s: %s: %d recipients delivered or failed, none notified", id, k, n)
			}
		}
		for what, n := range accepted[id] {
			if applied[what] != n {
				t.Errorf("%s: %d %s events accepted, %d in the history", id, n, what, applied[what])
			}
		}
		for what, n := range applied {
			if accepted[id][what] == 0 {
				t.Errorf("%s: %d %s entries by a person, none accepted", id, n, what)
			}
		}
	}
	// The last attempt of each notification decides what is recorded: a
	// notification delivered and then refused for good on a later attempt
	// is recorded as failed, one refused for good whose record was lost
	// and then delivered as delivered.
	took, refused := 0, 0
	for key, err := range last {
		switch {
		case err == nil:
			took++
		case escalation.IsPermanent(err):
			refused++
		default:
			t.Errorf("notification %s: its last attempt failed (%v), and it was not tried again", key, err)
		}
	}
	if took != delivered || refused != failed {
		t.Errorf("the notifier's last attempts delivered %d notifications and refused %d for good; %d delivered and %d delivery_failed entries record them",
			took, refused, delivered, failed)
	}
	for _, n := range got.got {
		if n > 1 {
			twice++
		}
	}
	if notified == 0 || events == 0 {
		t.Fatalf("%d events, %d notifications: the workload did nothing", events, notified)
	}
	t.Logf("%d tickets, %d events (%d retries after faults, %d refused); %d notifications: %d delivered (%d of them more than once), %d failed for good",
		faultTickets, events, retries, rejected, notified, delivered, twice, failed)
	t.Logf("store faults: %d calls, %d errors, %d panics, %d commits then errors; notifier faults: %d calls, %d errors, %d panics, %d delivered then errors, %d permanent",
		storeFaults.Calls, storeFaults.Errors, storeFaults.Panics, storeFaults.CommitThenErrors,
		notifierFaults.Calls, notifierFaults.Errors, notifierFaults.Panics, notifierFaults.DeliveredThenError, notifierFaults.Permanent)
}
