package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/escalation/sqlstore"
	_ "modernc.org/sqlite"
)

// An engine keeps its tickets in a SQLite file: a P1 ticket opens, and
// half an hour later its first escalation level moves it to the
// specialists and notifies the team lead.
func Example() {
	dir, err := os.MkdirTemp("", "ladder")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ladder.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := sqlstore.New(db, sqlstore.SQLite)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	policy := examplePolicy()
	opened := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := escalation.NewSimClock(opened)
	notifier := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		fmt.Printf("notify %v: %s moves to %s\n", n.To, n.Ticket, n.ToTier)
		return nil
	})
	engine, err := escalation.New(policy, escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(notifier))
	if err != nil {
		log.Fatal(err)
	}

	err = engine.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: opened, Impact: "high", Urgency: "high"})
	if err != nil {
		log.Fatal(err)
	}
	clk.Add(30 * time.Minute)
	if err := engine.Step(ctx); err != nil {
		log.Fatal(err)
	}

	history, err := store.History(ctx, "T-1")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range history {
		to := e.To
		if e.From != "" {
			to = e.From + " -> " + e.To
		}
		fmt.Println(e.At.Format("15:04"), e.What, to)
	}
	// Output:
	// notify [team_lead]: T-1 moves to specialists
	// 09:00 opened tier:frontline
	// 09:30 escalated tier:frontline -> tier:specialists
	// 09:30 notified team_lead
	// 09:30 delivered team_lead
}

// Import loads a helpdesk's open tickets at once, a thousand to a
// transaction: here 2,500 tickets of two tenants, due a minute apart.
// They are then claimed, updated and reported like tickets saved one by
// one.
func ExampleStore_Import() {
	store, done := exampleStore() // a migrated store in a new SQLite file, as in Example
	defer done()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tickets := func(yield func(escalation.History, error) bool) {
		for i := range 2500 {
			tenant := []string{"acme", "globex"}[i%2]
			st := &escalation.State{ID: escalation.TicketKey(tenant, fmt.Sprint("T-", i)), Policy: "v1",
				Opened: start, Tier: "frontline", Due: start.Add(time.Duration(i) * time.Minute)}
			opened := []escalation.Entry{{At: start, What: escalation.WhatOpened, Policy: "v1", To: "tier:frontline"}}
			if !yield(escalation.History{State: st, Entries: opened}, nil) {
				return
			}
		}
	}
	n, err := store.Import(ctx, tickets)
	fmt.Println("imported", n, err)
	due, next, err := store.Due(ctx, start.Add(2*time.Minute), 10)
	fmt.Println("due", due, "next", next.Format("15:04"), err)
	acme := 0
	for _, err := range store.TenantHistories(ctx, "acme", time.Time{}, time.Time{}) {
		if err != nil {
			log.Fatal(err)
		}
		acme++
	}
	fmt.Println("acme has", acme)
	// Output:
	// imported 2500 <nil>
	// due [acme/T-0 globex/T-1 acme/T-2] next 09:03 <nil>
	// acme has 1250
}

// Prune deletes the tickets closed before a retention instant, folding
// them into weekly rollups first (report.Folder) in the same
// transaction; a report adds the rollups and the tickets still kept.
func ExampleStore_Prune() {
	store, done := exampleStore() // a migrated store in a new SQLite file, as in Example
	defer done()
	ctx := context.Background()
	policy := examplePolicy()
	monday := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := escalation.NewSimClock(monday)
	e, err := escalation.New(policy, escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		log.Fatal(err)
	}
	for i, id := range []string{"acme/T-1", "acme/T-2", "acme/T-3"} {
		clk.Set(monday.Add(time.Duration(i) * time.Hour))
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
			log.Fatal(err)
		}
	}
	clk.Set(monday.Add(5 * time.Hour))
	for _, id := range []string{"acme/T-1", "acme/T-2"} {
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Closed, At: clk.Now()}); err != nil {
			log.Fatal(err)
		}
	}
	// The closings caught up the level at 30 minutes: its notifications
	// keep the tickets until Step delivers them.
	if err := e.Step(ctx); err != nil {
		log.Fatal(err)
	}
	opts := report.Options{Policies: []*escalation.Policy{policy}, By: []string{"priority"}, End: clk.Now()}
	n, err := store.Prune(ctx, monday.AddDate(0, 0, 1), 100, report.Folder(func(string) report.Options { return opts }))
	fmt.Println("pruned", n, err)
	a, err := report.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	for r, err := range store.Rollups(ctx, "acme") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("rollup", r.Key)
		if err := a.AddRollup(r.Data); err != nil {
			log.Fatal(err)
		}
	}
	for h, err := range store.TenantHistories(ctx, "acme", time.Time{}, time.Time{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("kept", h.State.ID)
		if err := a.Add(h); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("tickets in the report:", a.Report().Tickets)
	// Output:
	// pruned 2 <nil>
	// rollup 2026-W10
	// kept acme/T-3
	// tickets in the report: 3
}

// examplePolicy is the policy of the examples: a P1 ticket has 4 hours to
// a resolution and goes to the specialists after 30 minutes open.
func examplePolicy() *escalation.Policy {
	policy, err := escalation.ParsePolicy([]byte(`{
		"name": "example", "version": "v1",
		"tiers": ["frontline", "specialists"],
		"matrix": {
			"impacts": ["high"], "urgencies": ["high"], "grid": [["P1"]],
			"priorities": [{"name": "P1",
				"goals": [{"metric": "resolution", "target": "4h"}],
				"levels": [{"clock": "since_open", "after": "30m", "tier": "specialists", "notify": ["team_lead"]}]}]
		}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	return policy
}

// exampleStore returns a migrated store in a new SQLite file, and the
// function that closes and removes it.
func exampleStore() (*sqlstore.Store, func()) {
	dir, err := os.MkdirTemp("", "ladder")
	if err != nil {
		log.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "ladder.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		log.Fatal(err)
	}
	done := func() { db.Close(); os.RemoveAll(dir) }
	store, err := sqlstore.New(db, sqlstore.SQLite)
	if err == nil {
		err = store.Migrate(context.Background())
	}
	if err != nil {
		done()
		log.Fatal(err)
	}
	return store, done
}
