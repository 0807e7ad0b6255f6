package escalation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
)

// recorder keeps what an engine observed, one line each.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Observe(o escalation.Observation) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", o.Kind, o.Ticket, o.Priority)
	switch o.Kind {
	case escalation.ObservedEvent:
		fmt.Fprintf(&b, " %s", o.Event)
	case escalation.ObservedMove:
		fmt.Fprintf(&b, " %s tier=%s team=%s by=%s manual=%t", o.Event, o.Tier, o.Team, o.By, o.Manual())
	case escalation.ObservedBreach:
		fmt.Fprintf(&b, " %s", o.Metric)
	case escalation.ObservedDelivery:
		fmt.Fprintf(&b, " %s %s", o.Rule, o.Outcome)
	case escalation.ObservedOpenTickets:
		fmt.Fprintf(&b, " %+d", o.Delta)
	case escalation.ObservedLateness:
		fmt.Fprintf(&b, " due %s late %s", o.Due.Format("15:04"), o.Lateness)
	}
	r.mu.Lock()
	r.lines = append(r.lines, b.String())
	r.mu.Unlock()
}

// take returns the lines observed since the last take.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.lines
	r.lines = nil
	return l
}

func TestObserver(t *testing.T) {
	ctx := context.Background()
	clk := escalation.NewSimClock(monday(t, 10, 0))
	rec := &recorder{}
	failedOnce := false
	notifier := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		switch {
		case n.Rule == "matrix:P1[0]" && !failedOnce:
			failedOnce = true
			return errors.New("mail server down")
		case n.Rule == "first-response-breached":
			return escalation.Permanent(errors.New("no such pager"))
		}
		return nil
	})
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithNotifier(notifier), escalation.WithObserver(rec))
	if err != nil {
		t.Fatal(err)
	}
	report := func(hh, mm int, ev escalation.Event) {
		t.Helper()
		clk.Set(monday(t, hh, mm))
		ev.Ticket, ev.At = "T-1", clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	step := func(hh, mm int) {
		t.Helper()
		clk.Set(monday(t, hh, mm))
		if err := e.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"open", func() { report(10, 0, escalation.Event{Kind: escalation.Opened, Impact: "high", Urgency: "high"}) }, []string{
			"event T-1 P1 opened",
			"open_tickets T-1 P1 +1",
		}},
		{"late step", func() { step(10, 50) }, []string{
			"lateness T-1 P1 due 10:30 late 20m0s", // matrix level in_tier:30m
			"lateness T-1 P1 due 10:45 late 5m0s",  // first_response:75%
			"move T-1 P1 escalated tier=specialists team=billing by=matrix manual=false",
			"delivery T-1 P1 matrix:P1[0] retried",
		}},
		{"breach", func() { step(11, 0) }, []string{
			"lateness T-1 P1 due 11:00 late 0s", // first_response:breach
			"lateness T-1 P1 due 11:00 late 0s", // the rule on it
			"breach T-1 P1 first_response",
			"delivery T-1 P1 matrix:P1[0] delivered",
			"delivery T-1 P1 first-response-breached failed",
		}},
		{"de-escalated", func() {
			report(11, 10, escalation.Event{Kind: escalation.DeEscalated, Tier: "frontline", Actor: "ana"})
		}, []string{
			"event T-1 P1 de_escalated",
			"move T-1 P1 de_escalated tier=frontline team=billing by=person manual=true",
		}},
		{"handed off", func() { report(11, 20, escalation.Event{Kind: escalation.AgentReplied, Team: "network"}) }, []string{
			"event T-1 P1 agent_replied",
			"move T-1 P1 handed_off tier=frontline team=network by=person manual=true",
		}},
		{"resolved", func() { report(11, 25, escalation.Event{Kind: escalation.Resolved}) }, []string{
			"event T-1 P1 resolved",
			"open_tickets T-1 P1 -1",
		}},
		{"closed", func() { report(11, 26, escalation.Event{Kind: escalation.Closed}) }, []string{
			"event T-1 P1 closed", // it was not open
		}},
		{"reopened", func() { report(11, 27, escalation.Event{Kind: escalation.Reopened}) }, []string{
			"event T-1 P1 reopened",
			"open_tickets T-1 P1 +1",
		}},
		{"after the reopen", func() { step(13, 5) }, []string{
			"lateness T-1 P1 due 13:02 late 3m0s", // resolution:75%, 2 minutes later for the time resolved
			"lateness T-1 P1 due 13:02 late 3m0s", // the matrix's level on it
			"move T-1 P1 escalated tier=engineering team=network by=matrix manual=false",
			"delivery T-1 P1 matrix:P1[1] delivered",
		}},
		{"refused", func() {
			clk.Set(monday(t, 13, 6))
			if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now()}); err == nil {
				t.Fatal("a second opened event was accepted")
			}
		}, nil},
		{"nothing due", func() { step(13, 10) }, nil},
	}
	for _, s := range steps {
		s.do()
		if diff := cmp.Diff(s.want, rec.take()); diff != "" {
			t.Errorf("%s: observations (-want +got):\n%s", s.name, diff)
		}
	}
}

// TestObserverBreachOnEvent observes a breach that an event's instant
// passed, and the priority the ticket had then.
func TestObserverBreachOnEvent(t *testing.T) {
	ctx := context.Background()
	clk := escalation.NewSimClock(monday(t, 10, 0))
	rec := &recorder{}
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithObserver(rec))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "T-2", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(monday(t, 11, 5)) // no Step: the event passes the breach at 11:00
	if err := e.Report(ctx, escalation.Event{Ticket: "T-2", Kind: escalation.FieldsChanged, At: clk.Now(), Impact: "low", Urgency: "low"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"event T-2 P1 opened",
		"open_tickets T-2 P1 +1",
		"event T-2 P3 fields_changed",
		"move T-2 P1 escalated tier=specialists team=billing by=matrix manual=false",
		"breach T-2 P1 first_response",
	}
	if diff := cmp.Diff(want, rec.take()); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
}

// TestObserverConcurrent observes many tickets fired by Run on several
// goroutines' events at once: every firing is observed once.
func TestObserverConcurrent(t *testing.T) {
	ctx := context.Background()
	clk := escalation.NewSimClock(monday(t, 10, 0))
	var mu sync.Mutex
	counts := map[escalation.ObservationKind]int{}
	open := 0
	obs := escalation.ObserverFunc(func(o escalation.Observation) {
		mu.Lock()
		defer mu.Unlock()
		counts[o.Kind]++
		open += o.Delta
	})
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				if err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	clk.Set(monday(t, 10, 30)) // the matrix's level 0 of every ticket
	var steps sync.WaitGroup
	for range 2 {
		steps.Go(func() {
			if err := e.Step(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	steps.Wait()
	mu.Lock()
	defer mu.Unlock()
	want := map[escalation.ObservationKind]int{
		escalation.ObservedEvent: n, escalation.ObservedOpenTickets: n,
		escalation.ObservedLateness: n, escalation.ObservedMove: n, escalation.ObservedDelivery: n,
	}
	if diff := cmp.Diff(want, counts); diff != "" || open != n {
		t.Errorf("observed %d open, counts (-want +got):\n%s", open, diff)
	}
}

func TestObservationKindString(t *testing.T) {
	var got []string
	for k := escalation.ObservedEvent; k <= escalation.ObservedPanic+1; k++ {
		got = append(got, k.String())
	}
	want := []string{"event", "move", "breach", "delivery", "open_tickets", "lateness", "panic", "unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}
