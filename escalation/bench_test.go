package escalation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/rules"
)

func benchEngine(b *testing.B, p *escalation.Policy) (*escalation.Engine, *escalation.SimClock, *escalation.MemoryStore) {
	clk := escalation.NewSimClock(monday(b, 10, 0))
	store := escalation.NewMemoryStore()
	e, err := escalation.New(p, escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		b.Fatal(err)
	}
	return e, clk, store
}

var benchAttrs = map[string]any{"customer": map[string]any{"vip": false}, "product": "mail"}

// BenchmarkEngineOpen opens a ticket under the quickstart's policy.
func BenchmarkEngineOpen(b *testing.B) {
	e, clk, _ := benchEngine(b, acmePolicy(b))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		ev := escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: clk.Now(), Attrs: benchAttrs, Impact: "high", Urgency: "low"}
		if err := e.Report(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineEvent is an agent reply on an open ticket under the
// quickstart's policy.
func BenchmarkEngineEvent(b *testing.B) {
	e, clk, _ := benchEngine(b, acmePolicy(b))
	ctx := context.Background()
	at := clk.Now()
	if err := e.Report(ctx, escalation.Event{Ticket: "T", Kind: escalation.Opened, At: at, Attrs: benchAttrs, Impact: "high", Urgency: "low"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		// The same instant each time: an agent reply on an open ticket.
		if err := e.Report(ctx, escalation.Event{Ticket: "T", Kind: escalation.AgentReplied, At: at}); err != nil {
			b.Fatal(err)
		}
	}
}

// tenRules is the test policy with ten rules, seven on time points.
func tenRules() *escalation.Policy {
	p := testPolicy()
	for _, pct := range []float64{10, 20, 30, 40, 50, 60, 70} {
		p.Rules = append(p.Rules, escalation.Rule{Name: fmt.Sprint("resolution-", pct), On: escalation.Trigger{Metric: "resolution", Percent: pct},
			When: `priority in ["P1", "P2"] && !sla.resolution.met`, Do: []escalation.Action{{Notify: []string{"team_lead"}}}})
	}
	return p
}

// BenchmarkEngineFire is one due time point per op: b.N tickets whose
// rule "resolution-10" falls at the same instant fire in one Step; each
// evaluates its condition, saves a notification and delivers it to a
// notifier that returns nil.
func BenchmarkEngineFire(b *testing.B) {
	e, clk, store := benchEngine(b, tenRules())
	ctx := context.Background()
	for i := range b.N {
		if err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: clk.Now(), Impact: "low", Urgency: "high"}); err != nil {
			b.Fatal(err)
		}
	}
	_, next, _ := store.Due(ctx, clk.Now(), 0)
	clk.Set(next) // 10% of a P2 resolution: 1h36m of business time
	runtime.GC()  // the garbage of opening the tickets is not the Step's to collect
	b.ReportAllocs()
	b.ResetTimer()
	if err := e.Step(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	for i := range b.N {
		if h, _ := e.History(ctx, fmt.Sprint("T-", i)); h[len(h)-1].What != "delivered" {
			b.Fatalf("T-%d: the rule did not fire: %v", i, h[len(h)-1])
		}
	}
}

// BenchmarkEngineTrack100k opens 100,000 tickets in the in-memory store
// and reports the heap they take, per ticket.
func BenchmarkEngineTrack100k(b *testing.B) { benchTrack(b, 100_000) }

// BenchmarkEngineTrack1M is BenchmarkEngineTrack100k with 1,000,000
// tickets.
func BenchmarkEngineTrack1M(b *testing.B) { benchTrack(b, 1_000_000) }

// benchTrack opens n tickets in the in-memory store and reports the heap
// they take, per ticket.
func benchTrack(b *testing.B, n int) {
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e, clk, store := benchEngine(b, acmePolicy(b))
		ctx := context.Background()
		start := clk.Now()
		for i := range n {
			clk.Set(start.Add(time.Duration(i) * time.Second))
			ev := escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: clk.Now(), Attrs: map[string]any{"product": "mail"}, Impact: "low", Urgency: "low"}
			if err := e.Report(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if store.Len() != n {
			b.Fatal("tickets lost")
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/ticket")
		runtime.KeepAlive(e)
	}
}

// parse100Conditions are the conditions of BenchmarkParse100Rules: rules
// of the kinds a desk writes, and some with the largest pattern allowed.
var parse100Conditions = []string{
	`ticket.customer.vip == true && priority in ["P1", "P2"] && sla.first_response.remaining < duration("30m") && tier < 3`,
	`sla.resolution.breached && tier < 3 && status != "pending_customer"`,
	`sla.first_response.percent >= 75 && !sla.first_response.met`,
	`priority == "P1" && idle > duration("2h") && escalations < 2`,
	`event == "customer_replied" && team == "network" && time_in_tier > duration("4h")`,
	`any(ticket.tags, # startsWith "vip-") || "outage" in ticket.tags`,
	`lower(ticket.subject) contains "outage" && business_between(ticket.created_at, now) > duration("8h")`,
	`ticket.subject matches "(?i)(down|outage|not working|broken|unreachable)"`,
	`priority == "P2" ? idle > duration("4h") : idle > duration("8h")`,
	`ticket.subject matches "(?:[a-z]?){330}c"`, // the largest pattern allowed
}

// BenchmarkParse100Rules parses and validates a policy of 100 rules,
// compiling each condition: the goal is 100 ms at most.
func BenchmarkParse100Rules(b *testing.B) {
	p := testPolicy()
	p.Rules = nil
	p.Schema["subject"], p.Schema["tags"], p.Schema["created_at"] = rules.String, rules.Strings, rules.Time
	for i := range 100 {
		p.Rules = append(p.Rules, escalation.Rule{
			Name: fmt.Sprint("rule-", i),
			On:   escalation.Trigger{Event: "customer_replied"},
			When: fmt.Sprintf("%s && escalations < %d", parse100Conditions[i%len(parse100Conditions)], i+1),
			Do:   []escalation.Action{{Notify: []string{"team_lead"}}},
		})
	}
	doc, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := escalation.ParsePolicy(doc); err != nil {
			b.Fatal(err)
		}
	}
}
