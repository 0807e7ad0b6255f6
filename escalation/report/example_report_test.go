package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// exDeskJSON: three tiers on a 24x7 calendar; P1 has 1h to a first
// reply and 4h to a resolution, P2 4h and 24h; a P1 goes to the
// specialists after 2h open.
const exDeskJSON = `{
  "name": "desk", "version": "v1",
  "tiers": ["frontline", "specialists", "engineering"],
  "matrix": {
    "impacts": ["high", "low"], "urgencies": ["high"], "grid": [["P1"], ["P2"]],
    "priorities": [
      {"name": "P1", "goals": [{"metric": "first_response", "target": "1h"}, {"metric": "resolution", "target": "4h"}],
       "levels": [{"clock": "since_open", "after": "2h", "tier": "specialists", "notify": ["team_lead"]}]},
      {"name": "P2", "goals": [{"metric": "first_response", "target": "4h"}, {"metric": "resolution", "target": "24h"}]}
    ]
  }
}`

var exMonday = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// exWeek runs three tickets through an engine on a Monday and returns its
// policy, its store and the end of the data. By hand:
//
//	A  P1 opened 09:00, replied 09:30 (30m early), escalated by ana to
//	   engineering 10:00; the matrix's level at 11:00 finds it there
//	   (skipped); de-escalated to specialists 11:00, resolved there at
//	   12:00 (3h: 1h early). Over-escalated.
//	B  P1 opened 09:10, first response breached 10:10, replied 10:30
//	   (20m late), moved to the specialists by the matrix at 11:10,
//	   resolution breached 13:10, resolved 14:00 (4h50m: 50m late). Not
//	   under-escalated: it moved before its resolution breached.
//	C  P2 opened 10:00, replied 10:20, resolved 11:00 on the frontline.
func exWeek() (*escalation.Policy, *escalation.MemoryStore, time.Time) {
	ctx := context.Background()
	p, err := escalation.ParsePolicy([]byte(exDeskJSON))
	if err != nil {
		panic(err)
	}
	clk := escalation.NewSimClock(exMonday)
	store := escalation.NewMemoryStore()
	e, err := escalation.New(p, escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	at := func(hh, mm int, ev escalation.Event) {
		clk.Set(time.Date(2026, 3, 2, hh, mm, 0, 0, time.UTC))
		if err := e.Step(ctx); err != nil {
			panic(err)
		}
		ev.At = clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			panic(err)
		}
	}
	at(9, 0, escalation.Event{Ticket: "A", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	at(9, 10, escalation.Event{Ticket: "B", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	at(9, 30, escalation.Event{Ticket: "A", Kind: escalation.AgentReplied, Actor: "ana"})
	at(10, 0, escalation.Event{Ticket: "A", Kind: escalation.Escalated, Tier: "engineering", Actor: "ana", Reason: "looks like a bug"})
	at(10, 0, escalation.Event{Ticket: "C", Kind: escalation.Opened, Impact: "low", Urgency: "high"})
	at(10, 20, escalation.Event{Ticket: "C", Kind: escalation.AgentReplied, Actor: "bo"})
	at(10, 30, escalation.Event{Ticket: "B", Kind: escalation.AgentReplied, Actor: "bo"})
	at(11, 0, escalation.Event{Ticket: "A", Kind: escalation.DeEscalated, Tier: "specialists", Actor: "cy", Reason: "a known issue"})
	at(11, 0, escalation.Event{Ticket: "C", Kind: escalation.Resolved, Actor: "bo"})
	at(12, 0, escalation.Event{Ticket: "A", Kind: escalation.Resolved, Actor: "cy"})
	at(14, 0, escalation.Event{Ticket: "B", Kind: escalation.Resolved, Actor: "dee"})
	return p, store, clk.Now()
}

// An Aggregator reads histories one at a time, from any source, and keeps
// only its groups' figures.
func ExampleNew() {
	ctx := context.Background()
	p, store, end := exWeek()
	agg, err := report.New(report.Options{Policies: []*escalation.Policy{p}, By: []string{"priority"}, End: end})
	if err != nil {
		panic(err)
	}
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		if err := agg.Add(h); err != nil {
			panic(err)
		}
	}
	for _, g := range agg.Report().Groups {
		res, _ := g.Metric("resolution")
		fmt.Printf("%s %s: %d tickets, escalated %d, over-escalated %d, resolution met %d breached %d\n",
			g.By, g.Key, g.Tickets, g.Counts.Escalated, g.Counts.OverEscalated, res.Attainment.Met, res.Attainment.Breached)
	}
	// Output:
	// all : 3 tickets, escalated 2, over-escalated 1, resolution met 2 breached 1
	// priority P1: 2 tickets, escalated 2, over-escalated 1, resolution met 1 breached 1
	// priority P2: 1 tickets, escalated 0, over-escalated 0, resolution met 1 breached 0
}

// Facts are what one history says about its ticket, as the package
// documentation defines each figure.
func ExampleAggregator_Facts() {
	ctx := context.Background()
	p, store, end := exWeek()
	agg, err := report.New(report.Options{Policies: []*escalation.Policy{p}, End: end})
	if err != nil {
		panic(err)
	}
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		f, err := agg.Facts(h)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s: %s -> highest %s, resolved on %s after %s; over %t under %t\n",
			f.ID, f.Priority, f.StartTier, f.HighestTier, f.ResolvedTier, f.FirstResolution.Wall, f.OverEscalated, f.UnderEscalated)
		for _, c := range f.Cycles {
			fmt.Printf("  %s %s margin %s\n", c.Metric, c.Outcome, c.Margin())
		}
	}
	// Output:
	// A P1: frontline -> highest engineering, resolved on specialists after 3h0m0s; over true under false
	//   first_response met margin 30m0s
	//   resolution met margin 1h0m0s
	// B P1: frontline -> highest specialists, resolved on specialists after 4h50m0s; over false under false
	//   first_response breached margin -20m0s
	//   resolution breached margin -50m0s
	// C P2: frontline -> highest frontline, resolved on frontline after 1h0m0s; over false under false
	//   first_response met margin 3h40m0s
	//   resolution met margin 23h0m0s
}

// Review is the post-resolution review of one ticket, in Markdown.
func ExampleReview() {
	ctx := context.Background()
	p, store, end := exWeek()
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		if h.State.ID != "A" {
			continue
		}
		if err := report.Review(os.Stdout, h, report.Options{Policies: []*escalation.Policy{p}, End: end}); err != nil {
			panic(err)
		}
	}
	// Output:
	// # Review of ticket A
	//
	// Opened 2026-03-02 09:00 UTC on tier frontline, priority P1, policy v1. First response after 30m 0s (30m 0s on the SLA clock). First resolved after 3h 0m (3h 0m on the SLA clock) on tier specialists.
	//
	// ## Timeline
	//
	// | from | until | tier | team | stayed | moved there by |
	// | --- | --- | --- | --- | ---: | --- |
	// | 2026-03-02 09:00 UTC | 2026-03-02 10:00 UTC | frontline |  | 1h 0m | opened |
	// | 2026-03-02 10:00 UTC | 2026-03-02 11:00 UTC | engineering |  | 1h 0m | escalated by person ana: looks like a bug |
	// | 2026-03-02 11:00 UTC | 2026-03-02 12:00 UTC | specialists |  | 1h 0m | de_escalated by person cy: a known issue |
	//
	// ## SLA clocks
	//
	// | metric | cycle | outcome | goal | used | margin | breached at | breached on |
	// | --- | ---: | --- | ---: | ---: | ---: | --- | --- |
	// | first_response | 1 | met | 1h 0m | 30m 0s | 30m 0s | - | - |
	// | resolution | 1 | met | 4h 0m | 3h 0m | 1h 0m | - | - |
	//
	// ## Rules
	//
	// | at | rule | trigger | result | why |
	// | --- | --- | --- | --- | --- |
	// | 2026-03-02 11:00 UTC | matrix:P1[0] | since_open:2h | skipped: already on tier engineering |  |
	//
	// ## Feedback
	//
	// No feedback.
	//
	// ## Verdict
	//
	// - Over-escalated: yes. It reached tier engineering and was first resolved on tier specialists, below it.
	// - Under-escalated: no. Its resolution goal did not breach.
}

// exReport is the report of exWeek by priority.
func exReport() *report.Report {
	ctx := context.Background()
	p, store, end := exWeek()
	r, err := report.Collect(ctx, store.Histories(ctx, time.Time{}, time.Time{}),
		report.Options{Policies: []*escalation.Policy{p}, By: []string{"priority"}, End: end})
	if err != nil {
		panic(err)
	}
	return r
}

// WriteCSV writes a row per group; here a few of its columns.
func ExampleReport_WriteCSV() {
	var buf bytes.Buffer
	if err := exReport().WriteCSV(&buf); err != nil {
		panic(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	header := strings.Split(lines[0], ",")
	fmt.Println(len(lines)-1, "rows of", len(header), "columns")
	want := map[string]bool{"by": true, "key": true, "tickets": true, "escalated": true, "resolution_met": true, "resolution_breached": true}
	for _, line := range lines {
		var cells []string
		for i, c := range strings.Split(line, ",") {
			if want[header[i]] {
				cells = append(cells, c)
			}
		}
		fmt.Println(strings.Join(cells, ","))
	}
	// Output:
	// 3 rows of 69 columns
	// by,key,tickets,escalated,resolution_met,resolution_breached
	// all,,3,0.6666666666666666,2,1
	// priority,P1,2,1,1,1
	// priority,P2,1,0,1,0
}

// WriteJSON writes the report as indented JSON; here read back into a map.
func ExampleReport_WriteJSON() {
	var buf bytes.Buffer
	if err := exReport().WriteJSON(&buf); err != nil {
		panic(err)
	}
	var doc struct {
		Tickets int              `json:"tickets"`
		Tiers   []string         `json:"tiers"`
		Groups  []map[string]any `json:"groups"`
		Rules   []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		panic(err)
	}
	fmt.Println(doc.Tickets, "tickets on", doc.Tiers)
	for _, g := range doc.Groups {
		fmt.Println(g["by"], g["key"], "resolution_attainment:", g["resolution_attainment"], "mttr_seconds:", g["mttr_seconds"])
	}
	for _, r := range doc.Rules {
		fmt.Println(r["rule"], "fired", r["fired"])
	}
	// Output:
	// 3 tickets on [frontline specialists engineering]
	// all  resolution_attainment: map[attainment:0.6666666666666666 breached:1 met:2] mttr_seconds: 10600
	// priority P1 resolution_attainment: map[attainment:0.5 breached:1 met:1] mttr_seconds: 14100
	// priority P2 resolution_attainment: map[attainment:1 breached:0 met:1] mttr_seconds: 3600
	// matrix:P1[0] fired 2
}

// AttainmentChart draws each metric's attainment by priority as an SVG
// image; it needs the "priority" grouping.
func ExampleReport_AttainmentChart() {
	var buf bytes.Buffer
	if err := exReport().AttainmentChart(&buf); err != nil {
		panic(err)
	}
	svg := buf.String()
	fmt.Println(strings.HasPrefix(svg, "<svg"), strings.HasSuffix(strings.TrimSpace(svg), "</svg>"))
	fmt.Println(strings.Contains(svg, "P1"), strings.Contains(svg, "P2"))
	// Output:
	// true true
	// true true
}
