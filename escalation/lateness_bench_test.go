package escalation_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/matrix"
)

// latenessPolicy has one priority whose resolution goal is a second on
// the 24x7 calendar, and a rule that notifies on its breach: each ticket
// has two time points at its breach (the breach, the rule), and one
// notification to deliver then.
func latenessPolicy() *escalation.Policy {
	return &escalation.Policy{
		Name: "lateness", Version: "v1",
		Tiers: []string{"frontline", "specialists"},
		Matrix: matrix.Spec{
			Impacts: []string{"high"}, Urgencies: []string{"high"}, Grid: [][]string{{"P1"}},
			Priorities: []matrix.PrioritySpec{{Name: "P1", Goals: []matrix.Goal{{Metric: "resolution", Target: matrix.Duration(time.Second), Calendar: "24x7"}}}},
		},
		Rules: []escalation.Rule{{Name: "breached", On: escalation.Trigger{Metric: "resolution", Breach: true},
			Do: []escalation.Action{{Notify: []string{"duty_manager"}}}}},
	}
}

// BenchmarkRunLateness runs Engine.Run on the real clock over the
// in-memory store: 10,000 tickets whose breaches fall evenly over 3
// seconds, two time points each. It reports how late the points fired
// (by the engine's clock, after the ticket was saved): p50, p99 and max.
func BenchmarkRunLateness(b *testing.B) {
	lateness(b, func(testing.TB) escalation.Store { return escalation.NewMemoryStore() }, time.Second)
}

// lateness opens 10,000 tickets with a store from newStore on the real
// clock, at instants that put their breaches evenly over 3 seconds
// starting lead plus a second after now (lead must cover opening them),
// then runs Engine.Run until every time point was observed, and reports
// the nearest-rank percentiles of the lateness observed.
func lateness(b *testing.B, newStore func(testing.TB) escalation.Store, lead time.Duration, opts ...escalation.Option) {
	const (
		n       = 10_000
		points  = 2 * n // the breach and the rule on it
		spread  = 3 * time.Second
		timeout = 2 * time.Minute
	)
	var all []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		clk := clock.New()
		var mu sync.Mutex
		late := make([]time.Duration, 0, points)
		done := make(chan struct{})
		obs := escalation.ObserverFunc(func(o escalation.Observation) {
			if o.Kind != escalation.ObservedLateness {
				return
			}
			mu.Lock()
			late = append(late, o.Lateness)
			if len(late) == points {
				close(done)
			}
			mu.Unlock()
		})
		e, err := escalation.New(latenessPolicy(), append([]escalation.Option{escalation.WithClock(clk), escalation.WithStore(newStore(b)),
			escalation.WithObserver(obs)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		start := clk.Now().Add(lead) // the first ticket opens then, in the future (within the skew)
		for i := range n {
			at := start.Add(time.Duration(i) * spread / n)
			if err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: at, Impact: "high", Urgency: "high"}); err != nil {
				b.Fatal(err)
			}
		}
		if ready := clk.Now(); !ready.Before(start.Add(time.Second)) {
			b.Fatalf("opening %d tickets took %v, more than the lead %v: the first breaches passed before Run", n, ready.Sub(start.Add(-lead)), lead)
		}
		runtime.GC() // the garbage of opening the tickets is not Run's to collect
		b.StartTimer()
		ran := make(chan error, 1)
		go func() { ran <- e.Run(ctx) }()
		select {
		case <-done:
		case err := <-ran:
			b.Fatalf("Run returned early: %v", err)
		case <-clk.After(lead + time.Second + spread + timeout):
			mu.Lock()
			b.Fatalf("%d of %d time points fired within the timeout", len(late), points)
		}
		b.StopTimer()
		cancel()
		<-ran
		mu.Lock()
		all = append(all, late...)
		mu.Unlock()
		b.StartTimer()
	}
	slices.Sort(all)
	rank := func(p float64) time.Duration { // nearest rank
		i := int(p*float64(len(all))+0.999999) - 1
		return all[max(i, 0)]
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(rank(0.50)), "p50-ms")
	b.ReportMetric(ms(rank(0.99)), "p99-ms")
	b.ReportMetric(ms(all[len(all)-1]), "max-ms")
}
