// Command quickstart runs ladder's main job: a realistic escalation policy
// over one simulated week of a helpdesk, on an escalation.SimClock. It
// prints every SLA warning, escalation and notification as it happens,
// who made each move and why (a P1 that starts on specialists, an agent
// escalating by hand and an engineer sending the ticket back down, levels
// of the matrix), then where each ticket stands.
//
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/sla"
)

// policy.json is the policy as a helpdesk would keep it: New York office
// hours and 24x7, an impact x urgency matrix, four tiers, two teams, a VIP
// fast lane, a pause while waiting on the customer, warnings at 75%.
//
//go:embed policy.json
var policyJSON []byte

func main() {
	charts := flag.String("charts", "", "write the week's report charts as SVG files into this directory")
	flag.Parse()
	if err := run(os.Stdout, *charts); err != nil {
		log.Fatal(err)
	}
}

// step is one thing the helpdesk reports: what happened to which ticket,
// on which day of the week at what time in New York.
type step struct {
	day, hh, mm int // day 0 is Monday 2026-11-02
	ev          escalation.Event
}

// week is what the helpdesk reports over the week, in time order.
func week() []step {
	vip := map[string]any{"customer": map[string]any{"vip": true, "name": "Initech"}, "product": "mail"}
	globex := map[string]any{"customer": map[string]any{"name": "Globex"}, "product": "billing"}
	outage := map[string]any{"customer": map[string]any{"name": "Umbrella"}, "product": "network"}
	open := func(id string, attrs map[string]any, impact, urgency string) escalation.Event {
		return escalation.Event{Ticket: id, Kind: escalation.Opened, Attrs: attrs, Impact: impact, Urgency: urgency, Status: "open"}
	}
	ev := func(id string, kind escalation.EventKind, status, actor string) escalation.Event {
		return escalation.Event{Ticket: id, Kind: kind, Status: status, Actor: actor}
	}
	move := func(id string, kind escalation.EventKind, tier, actor, reason string) escalation.Event {
		return escalation.Event{Ticket: id, Kind: kind, Tier: tier, Actor: actor, Reason: reason}
	}
	return []step{
		{0, 9, 0, open("VIP-1", vip, "high", "high")},               // P1 on the 24x7 clock
		{0, 9, 30, open("DUP-5", globex, "low", "high")},            // opened twice by mistake
		{0, 9, 40, ev("VIP-1", escalation.AgentReplied, "", "ana")}, // late: 15m was the goal
		{0, 9, 45, ev("DUP-5", escalation.Closed, "closed", "bob")}, // closed early
		{0, 10, 0, open("T-2", globex, "medium", "medium")},         // P3: a normal ticket
		{0, 11, 30, ev("T-2", escalation.AgentReplied, "", "bob")},  // in time
		{0, 12, 30, ev("VIP-1", escalation.Resolved, "resolved", "ana")},
		{0, 14, 0, open("WAIT-3", globex, "high", "medium")}, // P2
		{0, 14, 20, ev("WAIT-3", escalation.AgentReplied, "pending_customer", "cy")},
		{1, 9, 0, open("RE-4", globex, "low", "low")}, // P4
		{1, 10, 0, ev("RE-4", escalation.AgentReplied, "", "bob")},
		{1, 10, 30, ev("RE-4", escalation.Resolved, "resolved", "bob")},
		{1, 11, 0, ev("WAIT-3", escalation.CustomerReplied, "open", "")}, // the clock runs again
		{1, 13, 0, open("ESC-7", globex, "medium", "medium")},            // P3: wrong invoices
		{1, 13, 30, ev("ESC-7", escalation.AgentReplied, "", "bob")},
		{1, 14, 0, move("ESC-7", escalation.Escalated, "engineering", "bob", "invoice totals wrong in the database")}, // by hand, past specialists
		{2, 9, 30, ev("WAIT-3", escalation.Resolved, "resolved", "cy")},
		{2, 11, 0, move("ESC-7", escalation.DeEscalated, "specialists", "eve", "data fixed; specialists confirm with the customer")},
		{2, 15, 0, ev("T-2", escalation.Resolved, "resolved", "bob")},
		{3, 9, 0, ev("RE-4", escalation.Reopened, "open", "")}, // "it broke again"
		{3, 11, 0, ev("RE-4", escalation.AgentReplied, "", "bob")},
		{3, 11, 5, ev("RE-4", escalation.Resolved, "resolved", "bob")},
		{3, 14, 0, ev("ESC-7", escalation.Resolved, "resolved", "cy")},
		{4, 16, 0, open("NET-6", outage, "high", "medium")}, // P2, late on a Friday
	}
}

// run runs the week and prints it; with charts not "", it writes the
// week's report charts there.
func run(w io.Writer, charts string) error {
	ctx := context.Background()
	p, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		return err
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return err
	}
	monday := time.Date(2026, 11, 2, 0, 0, 0, 0, ny)
	clk := escalation.NewSimClock(monday.Add(8 * time.Hour))
	store := escalation.NewMemoryStore()
	e, err := escalation.New(p, escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		return err
	}

	var ids []string
	for _, s := range week() {
		at := time.Date(2026, 11, 2+s.day, s.hh, s.mm, 0, 0, ny)
		if err := advance(ctx, e, clk, at); err != nil {
			return err
		}
		s.ev.At = at
		if err := e.Report(ctx, s.ev); err != nil {
			return err
		}
		if s.ev.Kind == escalation.Opened {
			ids = append(ids, s.ev.Ticket)
		}
	}
	end := monday.AddDate(0, 0, 7).Add(9 * time.Hour)
	if err := advance(ctx, e, clk, end); err != nil {
		return err
	}

	fmt.Fprintf(w, "Policy %s %s: one week in New York, %s to %s\n\n", p.Name, p.Version, monday.Format("Mon 2006-01-02"), end.Format("Mon 2006-01-02"))
	if err := timeline(ctx, w, e, ids, ny); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWhere the tickets stand on %s\n\n", end.Format("Mon 2006-01-02 15:04"))
	if err := table(ctx, w, e, ids, ny); err != nil {
		return err
	}

	// The week's report: what a support lead reads on Monday morning.
	r, err := report.Collect(ctx, store.Histories(ctx, monday, end), report.Options{
		Policies: []*escalation.Policy{p}, By: []string{"priority", "week"}, End: end, Location: ny,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe week's report\n\n")
	if err := r.WriteMarkdown(w); err != nil {
		return err
	}
	if charts != "" {
		return writeCharts(r, charts)
	}
	return nil
}

// writeCharts writes the report's four charts into dir.
func writeCharts(r *report.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, draw := range map[string]func(io.Writer) error{
		"attainment.svg": r.AttainmentChart,
		"flow.svg":       r.FlowChart,
		"resolution.svg": r.ResolutionChart,
		"trend.svg":      r.TrendChart,
	} {
		var b bytes.Buffer
		if err := draw(&b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// timeline prints the tickets' histories merged in time order.
func timeline(ctx context.Context, w io.Writer, e *escalation.Engine, ids []string, ny *time.Location) error {
	type item struct {
		ticket string
		escalation.Entry
	}
	var items []item
	for _, id := range ids {
		h, err := e.History(ctx, id)
		if err != nil {
			return err
		}
		for _, en := range h {
			items = append(items, item{id, en})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.At.Compare(b.At) })
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for _, it := range items {
		text := line(it.Entry)
		if text == "" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.At.In(ny).Format("Mon 15:04"), it.ticket, text, why(it.Entry))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for l := range strings.Lines(buf.String()) {
		fmt.Fprintln(w, strings.TrimRight(l, " \n"))
	}
	return nil
}

// advance moves the clock to t, stopping at every instant at which
// something falls due to handle it there, as Run would in real time.
func advance(ctx context.Context, e *escalation.Engine, clk *escalation.SimClock, t time.Time) error {
	for {
		next, err := e.Next(ctx)
		if err != nil {
			return err
		}
		if next.IsZero() || next.After(t) {
			break
		}
		if next.After(clk.Now()) {
			clk.Set(next)
		}
		if err := e.Step(ctx); err != nil {
			return err
		}
	}
	clk.Set(t)
	return e.Step(ctx)
}

// line says what a history entry means for people, or "" for the entries
// the timeline leaves out (rules that fired say so in what they did).
func line(en escalation.Entry) string {
	switch en.What {
	case escalation.WhatOpened, escalation.WhatStarted, escalation.WhatEscalated, escalation.WhatDeEscalated, escalation.WhatHandedOff:
		return strings.ReplaceAll(string(en.What), "_", "-") + " " + strings.NewReplacer("tier:", "", "team:", "").Replace(arrow(en))
	case escalation.WhatSkipped:
		return "level skipped: " + en.Note
	case escalation.WhatNotified:
		return "notify " + en.To
	case escalation.WhatSLAWarning:
		return "SLA warning " + en.Trigger
	case escalation.WhatSLABreached:
		return "SLA BREACHED " + strings.TrimSuffix(en.Trigger, ":breach")
	case escalation.WhatSLAMet, escalation.WhatSLAMetLate, escalation.WhatSLAPaused, escalation.WhatSLAResumed, escalation.WhatSLAReopened:
		return strings.ReplaceAll(strings.TrimPrefix(string(en.What), "sla_"), "_", " ") + " " + en.To
	case escalation.WhatAgentReplied, escalation.WhatCustomerReplied, escalation.WhatResolved, escalation.WhatReopened, escalation.WhatClosed:
		return strings.ReplaceAll(string(en.What), "_", " ")
	}
	return ""
}

// why says who decided: the rule or matrix level and what triggered it,
// or the person and the reason they gave.
func why(en escalation.Entry) string {
	switch {
	case en.Rule != "":
		return en.Rule + " (" + en.Trigger + ")"
	case en.By == escalation.ByPerson && en.What != escalation.WhatOpened && en.Note != "":
		return "by " + en.Actor + ": " + en.Note
	}
	return ""
}

func arrow(en escalation.Entry) string {
	if en.From == "" {
		return en.To
	}
	return en.From + " -> " + en.To
}

// table prints each ticket's status.
func table(ctx context.Context, w io.Writer, e *escalation.Engine, ids []string, ny *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ticket\tpriority\ttier\tteam\tstatus\tmoves\tfirst response\tresolution\tnext")
	for _, id := range ids {
		st, err := e.Status(ctx, id)
		if err != nil {
			return err
		}
		next := "-"
		if st.HasNext {
			next = st.Next.At.In(ny).Format("Mon 15:04") + " " + line(st.Next)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, st.Priority, st.Tier, st.Team, st.Status, sayMoves(st),
			sayStatus(st.SLA, "first_response", ny), sayStatus(st.SLA, "resolution", ny), next)
	}
	return tw.Flush()
}

// sayMoves counts a ticket's moves: "1 up, 1 down", "-" for none.
func sayMoves(st escalation.TicketStatus) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{st.Escalations, "up"}, {st.DeEscalations, "down"}, {st.Handoffs, "hand-off"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// sayStatus tells how a metric's clock stands: "met, 25m of 4h",
// "breached Fri 17:00", "running, 3h left".
func sayStatus(all []sla.Status, metric string, ny *time.Location) string {
	short := func(d time.Duration) string { return escalation.Duration(d.Truncate(time.Minute)).String() }
	for _, s := range all {
		if s.Metric != metric {
			continue
		}
		switch {
		case s.State == sla.Met && s.Breached:
			return fmt.Sprintf("met late, %s of %s", short(s.Elapsed), short(s.Goal))
		case s.State == sla.Met:
			return fmt.Sprintf("met, %s of %s", short(s.Elapsed), short(s.Goal))
		case s.Breached:
			return fmt.Sprintf("breached %s", s.Due.In(ny).Format("Mon 15:04"))
		}
		return fmt.Sprintf("%s, %s left", s.State, short(s.Remaining))
	}
	return "-"
}
