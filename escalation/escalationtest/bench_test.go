package escalationtest_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// BenchmarkHarnessAdvance runs a week of a helpdesk through a Harness
// under the quickstart's policy: tickets open over the Monday (New York),
// at distinct instants, with every impact and urgency, some of them VIPs
// or network outages; agents answer most of them, late or in time, some
// wait on the customer, some are resolved, some are never answered (their
// first-response breach repeats every 30 minutes). Then the harness
// advances to the next Monday. One op is the whole week.
//
// steps/op counts the due tickets the engine handled: the ticket ids the
// store's Due gave to Step. steps/s is that rate.
//
// "sim" runs on the harness's default *escalation.SimClock. "mock" runs on
// a *clock.Mock for comparison, on fewer tickets because each of its
// moves sleeps a millisecond of real time (half a second an op, where the
// SimClock takes about 10ms); "sim" on as few tickets is beside it.
func BenchmarkHarnessAdvance(b *testing.B) {
	data, err := os.ReadFile("../../examples/quickstart/policy.json")
	if err != nil {
		b.Fatal(err)
	}
	p, err := escalation.ParsePolicy(data)
	if err != nil {
		b.Fatalf("the quickstart policy: %v", err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	monday := time.Date(2026, 11, 2, 0, 0, 0, 0, ny)
	for _, c := range []struct {
		name    string
		tickets int
		clock   func(start time.Time) escalationtest.Clock
	}{
		{"sim/tickets=1000", 1000, func(start time.Time) escalationtest.Clock { return escalation.NewSimClock(start) }},
		{"sim/tickets=50", 50, func(start time.Time) escalationtest.Clock { return escalation.NewSimClock(start) }},
		{"mock/tickets=50", 50, func(start time.Time) escalationtest.Clock {
			m := clock.NewMock()
			m.Set(start)
			return m
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			events := helpdeskWeek(monday, c.tickets)
			end := monday.AddDate(0, 0, 7)
			steps := 0
			b.ReportAllocs()
			for b.Loop() {
				store := &countingStore{Store: escalation.NewMemoryStore()}
				h := escalationtest.NewWithClock(b, c.clock(monday), store, p)
				for _, ev := range events {
					h.AdvanceTo(ev.At)
					h.Report(ev)
				}
				h.AdvanceTo(end)
				steps += store.due
			}
			b.ReportMetric(float64(steps)/float64(b.N), "steps/op")
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// helpdeskWeek returns the events of n tickets that open over the day
// that starts at monday, in time order.
func helpdeskWeek(monday time.Time, n int) []escalation.Event {
	levels := []string{"high", "medium", "low"}
	products := []string{"mail", "billing", "network", "portal"}
	var events []escalation.Event
	add := func(id string, at time.Time, kind escalation.EventKind, status string) {
		events = append(events, escalation.Event{Ticket: id, Kind: kind, At: at, Status: status, Actor: "agent"})
	}
	for i := range n {
		id := fmt.Sprintf("T-%04d", i)
		opened := monday.Add(time.Duration(i) * 24 * time.Hour / time.Duration(n))
		attrs := map[string]any{
			"customer": map[string]any{"vip": i%10 == 0, "name": fmt.Sprint("customer ", i%37)},
			"product":  products[i%len(products)],
		}
		events = append(events, escalation.Event{Ticket: id, Kind: escalation.Opened, At: opened, Attrs: attrs,
			Impact: levels[i%3], Urgency: levels[i/3%3], Status: "open"})
		switch i % 6 {
		case 0, 1: // answered in time, resolved the next day
			add(id, opened.Add(10*time.Minute), escalation.AgentReplied, "")
			add(id, opened.Add(26*time.Hour), escalation.Resolved, "resolved")
		case 2: // answered late, never resolved
			add(id, opened.Add(5*time.Hour), escalation.AgentReplied, "")
		case 3: // waits on the customer for a day, then is resolved
			add(id, opened.Add(30*time.Minute), escalation.AgentReplied, "pending_customer")
			add(id, opened.Add(25*time.Hour), escalation.CustomerReplied, "open")
			add(id, opened.Add(50*time.Hour), escalation.Resolved, "resolved")
		case 4: // answered, then left alone
			add(id, opened.Add(2*time.Hour), escalation.AgentReplied, "")
		case 5: // never answered
		}
	}
	slices.SortStableFunc(events, func(a, b escalation.Event) int { return cmp.Compare(a.At.UnixNano(), b.At.UnixNano()) })
	return events
}

// countingStore counts the due tickets its Due returns.
type countingStore struct {
	escalation.Store
	due int
}

func (s *countingStore) Due(ctx context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	ids, next, err := s.Store.Due(ctx, now, limit)
	s.due += len(ids)
	return ids, next, err
}
