package escalation_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// exDeskJSON is the policy of the examples: three tiers on a 24x7
// calendar; P1 tickets have 30 minutes to a first reply and 4 hours to a
// resolution, and go to the specialists after 1 hour open (the matrix's
// one level, telling the team lead); a rule tells the account manager
// when a VIP ticket has used half of its first-response goal; a ticket
// pending the customer pauses its resolution clock.
const exDeskJSON = `{
  "name": "desk", "version": "v1",
  "tiers": ["frontline", "specialists", "engineering"],
  "matrix": {
    "impacts": ["high", "low"], "urgencies": ["high", "low"],
    "grid": [["P1", "P2"], ["P2", "P3"]],
    "priorities": [
      {"name": "P1",
       "goals": [{"metric": "first_response", "target": "30m"}, {"metric": "resolution", "target": "4h"}],
       "levels": [{"clock": "since_open", "after": "1h", "tier": "specialists", "notify": ["team_lead"]}]},
      {"name": "P2", "goals": [{"metric": "first_response", "target": "1h"}, {"metric": "resolution", "target": "8h"}]},
      {"name": "P3", "goals": [{"metric": "first_response", "target": "4h"}, {"metric": "resolution", "target": "24h"}]}
    ]
  },
  "targets": {"resolution": {"warn_percent": [75]}},
  "pause": {"pending_customer": ["resolution"]},
  "rules": [{
    "name": "vip-first-response",
    "on": {"metric": "first_response", "percent": 50},
    "when": "ticket.customer.vip == true",
    "do": [{"notify": ["account_manager"]}]
  }]
}`

// exDesk parses exDeskJSON.
func exDesk() *escalation.Policy {
	p, err := escalation.ParsePolicy([]byte(exDeskJSON))
	if err != nil {
		panic(err)
	}
	return p
}

// exMonday is the instant the examples start: Monday 2 March 2026, 09:00 UTC.
var exMonday = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// An engine on a simulated clock and the in-memory store: a VIP's P1
// ticket opens at 09:00, nobody replies, and Step, called as the clock
// moves, fires each time point at its instant: the VIP rule at 15 minutes
// (half of the 30-minute first-response goal), the breach at 30 minutes,
// the matrix's level at 1 hour. Notifications go to the notifier.
func ExampleNew() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	notify := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		fmt.Printf("%s notify %v about %s (%s, %s), on %s\n",
			n.At.Format("15:04"), n.To, n.Ticket, n.Priority, n.Rule, n.ToTier)
		return nil
	})
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithNotifier(notify))
	if err != nil {
		panic(err)
	}
	err = e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(),
		Impact: "high", Urgency: "high", Attrs: map[string]any{"customer": map[string]any{"vip": true}}})
	if err != nil {
		panic(err)
	}
	for range 4 {
		clk.Add(15 * time.Minute)
		if err := e.Step(ctx); err != nil {
			panic(err)
		}
	}
	st, err := e.Status(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	fmt.Println("T-1 is on", st.Tier, "after", st.Escalations, "escalation")
	// Output:
	// 09:15 notify [account_manager] about T-1 (P1, vip-first-response), on frontline
	// 10:00 notify [team_lead] about T-1 (P1, matrix:P1[0]), on specialists
	// T-1 is on specialists after 1 escalation
}

// Report takes one event of one ticket. An event the ticket's phase or the
// policy refuses changes nothing and returns an *EventError; errors.Is
// finds each of its problems.
func ExampleEngine_Report() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	report := func(ev escalation.Event) {
		ev.Ticket = "T-1"
		if ev.At.IsZero() {
			ev.At = clk.Now()
		}
		err := e.Report(ctx, ev)
		fmt.Printf("%s: %v\n", ev.Kind, err)
	}
	report(escalation.Event{Kind: escalation.Opened, Impact: "low", Urgency: "high", Actor: "ana"})
	clk.Add(20 * time.Minute)
	report(escalation.Event{Kind: escalation.Escalated, Tier: "engineering", Actor: "ana", Reason: "a database is corrupt"})
	report(escalation.Event{Kind: escalation.Escalated, Tier: "specialists", Actor: "ana"}) // down is not up
	report(escalation.Event{Kind: escalation.AgentReplied, At: exMonday.Add(10 * time.Minute)})
	clk.Add(time.Hour)
	report(escalation.Event{Kind: escalation.Resolved, Actor: "bo"})
	report(escalation.Event{Kind: escalation.DeEscalated, Tier: "frontline"})
	// Output:
	// opened: <nil>
	// escalated: <nil>
	// escalated: escalation: ticket "T-1": escalated: escalation: the move does not go the way its kind says: tier specialists is not above engineering
	// agent_replied: escalation: ticket "T-1": agent_replied: escalation: event before the ticket's last event: 2026-03-02T09:10:00Z is before 2026-03-02T09:20:00Z
	// resolved: <nil>
	// de_escalated: escalation: ticket "T-1": de_escalated: escalation: ticket is resolved
}

// Status says where a ticket stands at the clock's now: its tier, each SLA
// clock, and the next thing that will happen to it if nothing else does.
func ExampleEngine_Status() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		panic(err)
	}
	clk.Add(20 * time.Minute)
	if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, At: clk.Now(), Actor: "ana"}); err != nil {
		panic(err)
	}
	clk.Add(10 * time.Minute)
	st, err := e.Status(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(st.ID, st.Priority, st.Phase, "on", st.Tier)
	for _, s := range st.SLA {
		fmt.Printf("%s: %s, %s left, due %s\n", s.Metric, s.State, s.Remaining, s.Due.Format("15:04"))
	}
	if st.HasNext {
		fmt.Println("next:", st.Next.At.Format("15:04"), st.Next.What, st.Next.Rule, st.Next.To)
	}
	// Output:
	// T-1 P1 open on frontline
	// first_response: met, 10m0s left, due 09:30
	// resolution: running, 3h30m0s left, due 13:00
	// next: 10:00 escalated matrix:P1[0] tier:specialists
}

// History is the ticket's audit trail: every decision, who took it, why,
// and on which policy version.
func ExampleEngine_History() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	report := func(ev escalation.Event) {
		ev.Ticket, ev.At = "T-1", clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			panic(err)
		}
	}
	report(escalation.Event{Kind: escalation.Opened, Impact: "high", Urgency: "high", Actor: "portal"})
	clk.Add(10 * time.Minute)
	report(escalation.Event{Kind: escalation.AgentReplied, Actor: "ana"})
	clk.Add(20 * time.Minute)
	report(escalation.Event{Kind: escalation.Escalated, Tier: "engineering", Actor: "ana", Reason: "a database is corrupt"})
	clk.Add(time.Hour)
	if err := e.Step(ctx); err != nil {
		panic(err)
	}
	h, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	for _, en := range h {
		line := en.At.Format("15:04") + " " + string(en.What)
		if en.By != "" {
			line += " by " + string(en.By) + " " + en.Actor + en.Rule // a person's name, or the rule or level
		}
		if en.From != "" || en.To != "" {
			line += " [" + en.From + " -> " + en.To + "]"
		}
		if en.Note != "" {
			line += ": " + en.Note
		}
		fmt.Println(line)
	}
	// Output:
	// 09:00 opened by person portal [ -> tier:frontline]
	// 09:10 agent_replied by person ana
	// 09:10 sla_met [ -> first_response]
	// 09:30 escalated by person ana [tier:frontline -> tier:engineering]: a database is corrupt
	// 10:00 skipped by matrix matrix:P1[0] [ -> tier:specialists]: already on tier engineering
}

// Plan answers "what happens to this ticket next?": the escalations and
// notifications to come if nothing else happens, with their instants.
func ExampleEngine_Plan() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	err = e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(),
		Impact: "high", Urgency: "high", Attrs: map[string]any{"customer": map[string]any{"vip": true}}})
	if err != nil {
		panic(err)
	}
	plan, err := e.Plan(ctx, "T-1", exMonday.Add(8*time.Hour))
	if err != nil {
		panic(err)
	}
	for _, en := range plan {
		fmt.Printf("%s %s by %s (%s): %s\n", en.At.Format("15:04"), en.What, en.Rule, en.Trigger, en.To)
	}
	// Output:
	// 09:15 notified by vip-first-response (first_response:50%): account_manager
	// 10:00 escalated by matrix:P1[0] (since_open:1h): tier:specialists
	// 10:00 notified by matrix:P1[0] (since_open:1h): team_lead
}

// AtRisk is the list a duty manager watches: open tickets whose next
// breach falls within the window, soonest first.
func ExampleEngine_AtRisk() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	open := func(id, impact, urgency string) {
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: clk.Now(), Impact: impact, Urgency: urgency}); err != nil {
			panic(err)
		}
	}
	open("P3-a", "low", "low") // first response due 13:00
	clk.Add(30 * time.Minute)
	open("P2-b", "high", "low") // first response due 10:30
	clk.Add(15 * time.Minute)
	open("P1-c", "high", "high") // first response due 10:15
	clk.Add(15 * time.Minute)    // 10:00
	if err := e.Step(ctx); err != nil {
		panic(err)
	}
	risks, err := e.AtRisk(ctx, time.Hour)
	if err != nil {
		panic(err)
	}
	for _, r := range risks {
		fmt.Println(r.ID, r.Priority, r.Metric, "due", r.Due.Format("15:04"), r.Remaining, "left on", r.Tier)
	}
	out, err := json.Marshal(risks[0])
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// P1-c P1 first_response due 10:15 15m0s left on frontline
	// P2-b P2 first_response due 10:30 30m0s left on frontline
	// {"id":"P1-c","metric":"first_response","due":"2026-03-02T10:15:00Z","remaining":"15m","priority":"P1","tier":"frontline"}
}

// Step handles everything due up to the clock's now, each time point at
// its own instant: what a test or a simulation calls after moving the
// clock. Next says when something is next due (here the VIP rule's point,
// whose condition will not hold). The clock jumps over the whole morning
// at once: the breaches, the level and the warning are still recorded at
// their instants, and the level's notification is delivered when Step
// runs, at 13:00.
func ExampleEngine_Step() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		panic(err)
	}
	next, err := e.Next(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("next due", next.Format("15:04"))

	// One move over the whole morning: the 10:00 notification is more than
	// an hour old when Step handles it, so it is caught up and sent as one
	// summary (WithStaleness; a Harness stops at every due instant instead).
	clk.Set(exMonday.Add(4 * time.Hour))
	if err := e.Step(ctx); err != nil {
		panic(err)
	}
	h, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	for _, en := range h {
		fmt.Println(en.At.Format("15:04"), en.What, strings.TrimSpace(en.Trigger+" "+en.To))
	}
	// Output:
	// next due 09:15
	// 09:00 opened tier:frontline
	// 09:30 sla_breached first_response:breach
	// 10:00 escalated since_open:1h tier:specialists
	// 10:00 caught_up since_open:1h team_lead
	// 12:00 sla_warning resolution:75%
	// 13:00 sla_breached resolution:breach
	// 13:00 notified stale:1 team_lead
	// 13:00 delivered stale:1 team_lead
}

// A policy change never rewrites running tickets: after Use, new tickets
// open on the new version while T-1 stays on v1 until Migrate moves it.
// The new version has no "specialists" tier, so Migrate refuses T-1 until
// the call maps it; T-1 keeps its elapsed time and takes the new goals.
func ExampleEngine_Migrate() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	v1 := exDesk()
	v2 := exDesk()
	v2.Version = "v2"
	v2.Tiers = []string{"frontline", "experts", "engineering"}
	v2.Matrix.Priorities[0].Levels[0].Tier = "experts"
	v2.Matrix.Priorities[0].Goals[1].Target = escalation.Duration(2 * time.Hour) // resolution

	e, err := escalation.New(v1, escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	report := func(ev escalation.Event) {
		ev.At = clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			panic(err)
		}
	}
	report(escalation.Event{Ticket: "T-1", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	clk.Add(10 * time.Minute)
	report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied})
	report(escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, Tier: "specialists", Actor: "ana"})
	clk.Add(time.Hour)

	if err := e.Use(v2); err != nil {
		panic(err)
	}
	report(escalation.Event{Ticket: "T-2", Kind: escalation.Opened, Impact: "high", Urgency: "high"})

	err = e.Migrate(ctx, "T-1", "v2")
	var me *escalation.MigrationError
	if errors.As(err, &me) {
		fmt.Println("refused:", me.Missing)
	}
	if err := e.Migrate(ctx, "T-1", "v2", escalation.MapTiers(map[string]string{"specialists": "experts"})); err != nil {
		panic(err)
	}
	for _, id := range []string{"T-1", "T-2"} {
		st, err := e.Status(ctx, id)
		if err != nil {
			panic(err)
		}
		res := st.SLA[1]
		fmt.Println(id, st.Policy, st.Tier, res.Metric, res.Elapsed, "of", res.Goal)
	}
	h, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	last := h[len(h)-1]
	fmt.Println(last.What, last.From, "->", last.To, last.Note)
	// Output:
	// refused: [tier "specialists"]
	// T-1 v2 experts resolution 1h10m0s of 2h0m0s
	// T-2 v2 frontline resolution 0s of 2h0m0s
	// migrated v1 -> v2 tier specialists -> experts
}

// Use makes a new policy version the one new tickets open on; the engine
// keeps the versions its running tickets need.
func ExampleEngine_Use() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	v2 := exDesk()
	v2.Version = "v2"
	v2.Matrix.Priorities[0].Goals[0].Target = escalation.Duration(15 * time.Minute) // first response

	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	open := func(id string) {
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
			panic(err)
		}
	}
	open("before")
	if err := e.Use(v2); err != nil {
		panic(err)
	}
	open("after")
	for _, id := range []string{"before", "after"} {
		st, err := e.Status(ctx, id)
		if err != nil {
			panic(err)
		}
		fmt.Println(id, st.Policy, st.SLA[0].Metric, st.SLA[0].Goal)
	}
	// Output:
	// before v1 first_response 30m0s
	// after v2 first_response 15m0s
}

// A policy with mistakes is refused whole: the *PolicyError lists every
// problem with its path, and a condition's problem with its line, column
// and a caret under it.
func ExampleParsePolicy_mistakes() {
	_, err := escalation.ParsePolicy([]byte(`{
	  "name": "desk", "version": "1",
	  "tiers": ["frontline", "specialists"],
	  "calendars": {"office": {"location": "Europe/Lodnon", "week": {"mon-fri": ["09:00-17:60"]}}},
	  "matrix": {
	    "impacts": ["high"], "urgencies": ["high"], "grid": [["P1"]],
	    "priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4 hours"}]}]
	  },
	  "rules": [{
	    "name": "vip",
	    "on": {"metric": "resolution", "percent": 150},
	    "when": "ticket.customer.vip && priorty == \"P1\"",
	    "do": [{"escalate": "managers"}]
	  }]
	}`))
	fmt.Println(err)
	// Output:
	// escalation: invalid policy:
	// 	calendars.office.location: "Europe/Lodnon": unknown time zone
	// 	calendars.office.week.mon-fri[0]: "09:00-17:60": minute 60 out of range in "17:60"
	// 	matrix.priorities[0].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")
	// 	rules[0].on.percent: 150 is not in (0, 100]
	// 	rules[0].when: 1:24: unknown name "priorty"
	// 	 | ticket.customer.vip && priorty == "P1"
	// 	 |                        ^
	// 	rules[0].do[0].escalate: unknown tier "managers"; want one of "next", "frontline", "specialists"
}

// Validate checks a policy built in Go as New would.
func ExamplePolicy_Validate() {
	p := &escalation.Policy{
		Name:  "desk",
		Tiers: []string{"frontline", "frontline"},
	}
	var pe *escalation.PolicyError
	if errors.As(p.Validate(), &pe) {
		for _, pr := range pe.Problems {
			fmt.Printf("%s: %s\n", pr.Path, pr.Msg)
		}
	}
	// Output:
	// version: required
	// tiers[1]: duplicate tier "frontline", first at tiers[0]
	// matrix.impacts: empty; want at least one impact
	// matrix.urgencies: empty; want at least one urgency
	// matrix.priorities: empty; want at least one priority
}

// MemoryStore.Histories streams the tickets opened in a window, each with
// its state and whole history: the input of package report.
func ExampleMemoryStore_Histories() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	store := escalation.NewMemoryStore()
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		panic(err)
	}
	for i, id := range []string{"A", "B", "C"} {
		clk.Set(exMonday.Add(time.Duration(i) * 24 * time.Hour))
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: clk.Now(), Impact: "low", Urgency: "low"}); err != nil {
			panic(err)
		}
	}
	// The tickets opened on Tuesday and Wednesday.
	for h, err := range store.Histories(ctx, exMonday.AddDate(0, 0, 1), exMonday.AddDate(0, 0, 3)) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s opened %s, %s, entries: %d\n", h.State.ID, h.State.Opened.Format("Mon 15:04"), h.State.Priority, len(h.Entries))
	}
	fmt.Println(store.Len(), "tickets in the store")
	// Output:
	// B opened Tue 09:00, P3, entries: 1
	// C opened Wed 09:00, P3, entries: 1
	// 3 tickets in the store
}

// NewSimClock makes a clock that moves only when told to, so that an
// engine on it goes through a simulated week in no time.
func ExampleNewSimClock() {
	clk := escalation.NewSimClock(exMonday)
	clk.Add(90 * time.Minute)
	fmt.Println(clk.Now().Format("Mon 15:04"))
	clk.Set(exMonday.AddDate(0, 0, 4).Add(8 * time.Hour))
	fmt.Println(clk.Now().Format("Mon 15:04"))
	// Output:
	// Mon 10:30
	// Fri 17:00
}

// A Notifier marks an error not worth retrying with Permanent: the
// engine records the failure and stops. Other errors are retried with
// backoff, RetryAfter asking for a longer wait.
func ExamplePermanent() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	notify := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		fmt.Println(clk.Now().Format("15:04"), "attempt", n.Attempt, "to", n.To)
		switch n.Attempt {
		case 1:
			return escalation.RetryAfter(errors.New("429 too many requests"), 10*time.Minute)
		default:
			return escalation.Permanent(errors.New("no such address"))
		}
	})
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithNotifier(notify),
		escalation.WithBackoff(func(int) time.Duration { return time.Minute }))
	if err != nil {
		panic(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		panic(err)
	}
	// Move to each instant something is due until nothing is before 11:00.
	for {
		if err := e.Step(ctx); err != nil {
			panic(err)
		}
		next, err := e.Next(ctx)
		if err != nil {
			panic(err)
		}
		if next.IsZero() || next.After(exMonday.Add(2*time.Hour)) {
			break
		}
		clk.Set(next)
	}
	h, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	for _, en := range h {
		if en.What == escalation.WhatNotified || en.What == escalation.WhatDelivered || en.What == escalation.WhatDeliveryFailed {
			fmt.Println(en.At.Format("15:04"), en.What, strings.TrimSpace(en.To+" "+en.Note))
		}
	}
	// Output:
	// 10:00 attempt 1 to [team_lead]
	// 10:10 attempt 2 to [team_lead]
	// 10:00 notified team_lead
	// 10:10 delivery_failed team_lead permanent: no such address
}

// Place reads where an entry's From and To say a ticket was.
func ExamplePlace() {
	for _, s := range []string{"tier:specialists team:network", "tier:frontline", "team:billing", "P1"} {
		tier, team := escalation.Place(s)
		fmt.Printf("%q: tier %q, team %q\n", s, tier, team)
	}
	// Output:
	// "tier:specialists team:network": tier "specialists", team "network"
	// "tier:frontline": tier "frontline", team ""
	// "team:billing": tier "", team "billing"
	// "P1": tier "", team ""
}

// LevelName is how the history names a level of the matrix in Entry.Rule.
func ExampleLevelName() {
	fmt.Println(escalation.LevelName("P1", 0), escalation.LevelName("P2", 2))
	// Output:
	// matrix:P1[0] matrix:P2[2]
}

// For is a notification as delivered to one of its recipients alone,
// with a key of its own.
func ExampleNotification_For() {
	n := escalation.Notification{Key: "T-1/matrix:P1[0]/1", Ticket: "T-1", To: []string{"team_lead", "duty_manager"}}
	for _, to := range n.To {
		m := n.For(to)
		fmt.Println(m.Key, m.To)
	}
	// Output:
	// T-1/matrix:P1[0]/1/team_lead [team_lead]
	// T-1/matrix:P1[0]/1/duty_manager [duty_manager]
}
