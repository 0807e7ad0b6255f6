package escalation_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// One engine hosts two desks: acme has a policy of its own, whose P1
// tickets go to the specialists after 20 minutes; globex runs on the
// engine's, after an hour. Replacing acme's policy while tickets run
// opens its new tickets on the new version; the others keep theirs.
func ExampleEngine_UseTenant() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	acme := exDesk()
	acme.Version = "acme-1"
	acme.Matrix.Priorities[0].Levels[0].After = escalation.Duration(20 * time.Minute)
	if err := e.UseTenant("acme", acme); err != nil {
		panic(err)
	}
	open := func(tenant, ticket string) {
		err := e.Report(ctx, escalation.Event{Ticket: escalation.TicketKey(tenant, ticket), Kind: escalation.Opened,
			At: clk.Now(), Impact: "high", Urgency: "high"})
		if err != nil {
			panic(err)
		}
	}
	open("acme", "T-1")
	open("globex", "T-1")
	acme2 := exDesk()
	acme2.Version = "acme-2"
	if err := e.UseTenant("acme", acme2); err != nil {
		panic(err)
	}
	open("acme", "T-2")
	clk.Set(exMonday.Add(30 * time.Minute))
	if err := e.Step(ctx); err != nil {
		panic(err)
	}
	for _, id := range []string{"acme/T-1", "acme/T-2", "globex/T-1"} {
		st, err := e.Status(ctx, id)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s %-6s %s\n", id, st.Policy, st.Tier)
	}
	fmt.Println("acme opens on", e.TenantPolicy("acme"), "and globex on", e.TenantPolicy("globex"))
	// Output:
	// acme/T-1   acme-1 specialists
	// acme/T-2   acme-2 frontline
	// globex/T-1 v1     frontline
	// acme opens on acme-2 and globex on v1
}

// A tenant's report reads its tickets alone.
func ExampleTenantHistories() {
	ctx := context.Background()
	store := escalation.NewMemoryStore()
	e, err := escalation.New(exDesk(), escalation.WithClock(escalation.NewSimClock(exMonday)), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"acme/T-1", "globex/T-1", "acme/T-2", "T-9"} {
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: exMonday, Impact: "low", Urgency: "low"}); err != nil {
			panic(err)
		}
	}
	for h, err := range escalation.TenantHistories(ctx, store, "acme", time.Time{}, time.Time{}) {
		if err != nil {
			panic(err)
		}
		tenant, ticket := escalation.SplitKey(h.State.ID)
		fmt.Println(tenant, ticket, h.State.Priority)
	}
	// Output:
	// acme T-1 P3
	// acme T-2 P3
}

// Prune deletes the tickets closed before a retention instant, after its
// fold has seen them; package report's Folder adds them to weekly
// rollups. Here the fold only counts them.
func ExampleMemoryStore_Prune() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	store := escalation.NewMemoryStore()
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	report := func(id string, kind escalation.EventKind, at time.Time) {
		clk.Set(at)
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: kind, At: at, Impact: "low", Urgency: "low"}); err != nil {
			panic(err)
		}
	}
	report("T-1", escalation.Opened, exMonday)
	report("T-2", escalation.Opened, exMonday)
	report("T-3", escalation.Opened, exMonday)
	report("T-1", escalation.Closed, exMonday.Add(time.Hour))
	report("T-2", escalation.Closed, exMonday.AddDate(0, 1, 0))
	fold := func(batch []escalation.History, _ escalation.Rollups) error {
		for _, h := range batch {
			fmt.Println("folded", h.State.ID, "closed", escalation.ClosedAt(h.State).Format("2006-01-02 15:04"))
			for _, e := range h.Entries {
				fmt.Println("  ", strings.TrimSpace(fmt.Sprint(e.At.Format("15:04"), " ", e.What, " ", e.To)))
			}
		}
		return nil
	}
	retention := exMonday.AddDate(0, 0, 7) // a week before a "now" of two weeks later
	n, err := store.Prune(ctx, retention, 100, fold)
	fmt.Println(n, err, store.Len(), "kept")
	// Output:
	// folded T-1 closed 2026-03-02 10:00
	//    09:00 opened tier:frontline
	//    10:00 closed
	//    10:00 sla_met first_response
	//    10:00 sla_met resolution
	// 1 <nil> 2 kept
}

// A ticket key holds its tenant; a key without the separator belongs to
// no tenant, and the ticket part may hold the separator itself.
func ExampleSplitKey() {
	key := escalation.TicketKey("acme", "INC/2026/7")
	fmt.Println(key)
	for _, k := range []string{key, "T-1"} {
		tenant, ticket := escalation.SplitKey(k)
		fmt.Printf("%q %q\n", tenant, ticket)
	}
	fmt.Println(escalation.CheckTenant("acme corp"))
	// Output:
	// acme/INC/2026/7
	// "acme" "INC/2026/7"
	// "" "T-1"
	// escalation: invalid tenant name "acme corp": holds a space or a control character
}
