package replay_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// A CSVWriter streams the canonical log row by row, for an export too
// large to hold: the attribute columns are named up front. A row it
// cannot write is refused, and the writer goes on.
func ExampleNewCSVWriter() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	w := replay.NewCSVWriter(os.Stdout, []string{"customer.vip", "product"})
	rows := []replay.Row{
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Priority: "P1",
			Attrs: map[string]any{"customer": map[string]any{"vip": true}, "product": "mail"}}},
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: at.Add(time.Hour)}}, // no tier
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Resolved, At: at.Add(2 * time.Hour), Actor: "bo"}},
	}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			fmt.Println("refused:", err)
		}
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	// Output:
	// refused: replay: row 2 (ticket "T-1"): tier: empty: escalated names the tier the ticket moves to
	// ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason,attr.customer.vip,attr.product
	// T-1,2026-03-02T09:00:00Z,opened,,,,,,P1,,,true,mail
	// T-1,2026-03-02T11:00:00Z,resolved,,,,,,,bo,,,
}

// A replay's Result streams the histories the engine wrote, for a report
// of what the policy would have done to last quarter's tickets.
func ExampleResult_Histories() {
	ctx := context.Background()
	res := exReplay(exDesk("v2", exHalfway))
	for h, err := range res.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(h.State.ID, "on", res.Policy().Version+":", len(h.Entries), "entries, ends on", h.State.Tier)
	}
	r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}), report.Options{Policies: []*escalation.Policy{res.Policy()}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("escalated %.0f%%\n", r.Groups[0].Escalated*100)
	// Output:
	// A on v2: 7 entries, ends on specialists
	// escalated 100%
}

// A comparison written as Markdown: the figures of both policies side by
// side, their rules, and the tickets that changed most.
func ExampleComparison_WriteMarkdown() {
	c, err := replay.Compare(context.Background(), exReplay(exDesk("v1", "")), exReplay(exDesk("v2", exHalfway)), report.Options{}, 5)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := c.WriteMarkdown(&buf); err != nil {
		panic(err)
	}
	fmt.Print(buf.String())
	// Output:
	// | figure | desk v1 | desk v2 | difference |
	// | --- | ---: | ---: | ---: |
	// | tickets | 1 | 1 | +0 |
	// | resolution attainment | 0.0% | 0.0% | +0.0 pt |
	// | resolution breached | 1 | 1 | +0 |
	// | escalated | 0.0% | 100.0% | +100.0 pt |
	// | escalated by hand | 0.0% | 0.0% | +0.0 pt |
	// | escalated automatically | 0.0% | 100.0% | +100.0 pt |
	// | over-escalated | 0.0% | 0.0% | +0.0 pt |
	// | under-escalated | 100.0% | 0.0% | -100.0 pt |
	// | notifications | 0 | 1 | +1 |
	//
	// | rule or level | fired | escalations | fired | escalations |
	// | --- | ---: | ---: | ---: | ---: |
	// | matrix:P1[0] | 0 | 0 | 1 | 1 |
	//
	// The tickets whose outcome changed most:
	//
	// | ticket | escalations | breaches | highest tier | notifications |
	// | --- | --- | --- | --- | --- |
	// | A | 0 → 1 | 1 → 1 | frontline → specialists | 0 → 1 |
}
