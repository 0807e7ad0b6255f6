package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// The tickets of the example week are closed on Friday; a month later the
// store prunes them, and Folder adds them to the rollup of the week they
// opened first. A report adds the rollups and the histories still kept:
// its figures are those of all the tickets, resolution attainment
// included.
func ExampleFolder() {
	ctx := context.Background()
	p, store, end := exWeek()
	opts := report.Options{Policies: []*escalation.Policy{p}, By: []string{"priority", "week"}, End: end}
	friday := end.AddDate(0, 0, 4)
	e, err := escalation.New(p, escalation.WithClock(escalation.NewSimClock(friday)), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"A", "C"} { // B stays open
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Closed, At: friday}); err != nil {
			panic(err)
		}
	}
	fold := report.Folder(func(tenant string) report.Options { return opts })
	n, err := store.Prune(ctx, friday.AddDate(0, 0, 1), 500, fold)
	fmt.Println("pruned", n, err)

	a, err := report.New(opts)
	if err != nil {
		panic(err)
	}
	for r, err := range store.Rollups(ctx, "") {
		if err != nil {
			panic(err)
		}
		fmt.Println("rollup of week", r.Key)
		if err := a.AddRollup(r.Data); err != nil {
			panic(err)
		}
	}
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		if err := a.Add(h); err != nil {
			panic(err)
		}
	}
	r := a.Report()
	res, _ := r.Groups[0].Metric("resolution")
	fmt.Printf("%d tickets, %d resolved, resolution attainment %.2f\n", r.Tickets, r.Groups[0].Resolved, res.Attainment.Attainment)
	// Output:
	// pruned 2 <nil>
	// rollup of week 2026-W10
	// 3 tickets, 3 resolved, resolution attainment 0.67
}
