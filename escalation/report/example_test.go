package report_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// A week of three tickets on an engine, then the report of the tickets
// opened that week, read from the store one history at a time. By hand:
// A (P1) is escalated and resolved at 5h; B (P2) is resolved at 1h55m on
// its start tier; C (P2) is still open, its clocks running unbreached, so
// it counts in neither attainment.
func ExampleCollect() {
	ctx := context.Background()
	p, err := escalation.ParsePolicy([]byte(deskPolicy))
	if err != nil {
		panic(err)
	}
	monday := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := escalation.NewSimClock(monday)
	store := escalation.NewMemoryStore()
	e, err := escalation.New(p, escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	report1 := func(m int, ev escalation.Event) {
		clk.Set(monday.Add(time.Duration(m) * time.Minute))
		ev.At = clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			panic(err)
		}
	}
	report1(0, escalation.Event{Ticket: "A", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	report1(5, escalation.Event{Ticket: "B", Kind: escalation.Opened, Impact: "low", Urgency: "high"})
	report1(30, escalation.Event{Ticket: "A", Kind: escalation.AgentReplied, Actor: "ana"})
	report1(40, escalation.Event{Ticket: "A", Kind: escalation.Escalated, Tier: "specialists", Actor: "ana", Reason: "needs a DBA"})
	report1(90, escalation.Event{Ticket: "B", Kind: escalation.AgentReplied, Actor: "bo"})
	report1(120, escalation.Event{Ticket: "B", Kind: escalation.Resolved, Actor: "bo"})
	report1(200, escalation.Event{Ticket: "C", Kind: escalation.Opened, Impact: "low", Urgency: "high"})
	report1(300, escalation.Event{Ticket: "A", Kind: escalation.Resolved, Actor: "cy"})

	end := monday.AddDate(0, 0, 7)
	r, err := report.Collect(ctx, store.Histories(ctx, monday, end), report.Options{
		Policies: []*escalation.Policy{p}, By: []string{"priority"}, End: monday.Add(400 * time.Minute),
	})
	if err != nil {
		panic(err)
	}
	all := r.Groups[0]
	fmt.Printf("%d tickets, %d resolved, %d open; escalated %.0f%%; resolution p50 %.0fm\n",
		all.Tickets, all.Resolved, all.Backlog, all.Escalated*100, all.WallToFirstResolution.P50/60)
	if err := r.WriteMarkdown(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// 3 tickets, 2 resolved, 1 open; escalated 33%; resolution p50 115m
	// | group | tickets | resolved | backlog | resolution | first_response | resolve p50 | resolve p90 | escalated | over | under | first tier | reopened | CSAT |
	// | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
	// | all | 3 | 2 | 1 | 100.0% (2/2) | 100.0% (2/2) | 1h 55m | 5h 0m | 33.3% | 0.0% | 0.0% | 33.3% | 0.0% | - |
	// | priority P1 | 1 | 1 | 0 | 100.0% (1/1) | 100.0% (1/1) | 5h 0m | 5h 0m | 100.0% | 0.0% | 0.0% | 0.0% | 0.0% | - |
	// | priority P2 | 2 | 1 | 1 | 100.0% (1/1) | 100.0% (1/1) | 1h 55m | 1h 55m | 0.0% | 0.0% | 0.0% | 50.0% | 0.0% | - |
}
