package report_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

const (
	up   = escalation.WhatEscalated
	down = escalation.WhatDeEscalated
	hand = escalation.WhatHandedOff
)

func newAggregator(t *testing.T, opts report.Options) *report.Aggregator {
	t.Helper()
	if opts.Policies == nil {
		opts.Policies = []*escalation.Policy{policy()}
	}
	a, err := report.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestFacts checks each definition of the package doc on a handmade
// history, the expected facts worked out by hand in the comments.
func TestFacts(t *testing.T) {
	tests := []struct {
		name string
		t    *ticket
		want report.Facts // only the fields compared below
	}{{
		// Opened on frontline, replied at 10m, resolved at 60m, never moved.
		name: "resolved on the start tier",
		t: open("A", "P2", 0, "tier:frontline team:billing").
			event(10, escalation.WhatAgentReplied, "").met(10, "first_response", 0, mins(30), mins(10)).
			event(60, escalation.WhatResolved, "solved").met(60, "resolution", 0, mins(240), mins(60)),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", StartTeam: "billing", HighestTier: "frontline",
			Stays:           []report.Stay{{Tier: "frontline", Team: "billing", From: at(0), Until: at(60)}},
			FirstResponse:   report.Milestone{At: at(10), Wall: mins(10), Clock: mins(10), Clocked: true},
			FirstResolution: report.Milestone{At: at(60), Wall: mins(60), Clock: mins(60), Clocked: true},
			ResolvedTier:    "frontline", ResolvedTeam: "billing", ResolvedOnStart: true,
			Cycles: []report.Cycle{
				{Metric: "first_response", N: 1, Outcome: report.Met, Start: at(0), Ended: at(10), Goal: mins(30), Elapsed: mins(10), Measured: true},
				{Metric: "resolution", N: 1, Outcome: report.Met, Start: at(0), Ended: at(60), Goal: mins(240), Elapsed: mins(60), Measured: true},
			},
		},
	}, {
		// A rule jumps frontline -> engineering (two tiers: a skip), a person
		// sends it down to specialists, where it is first resolved: below
		// the highest tier it reached, so over-escalated.
		name: "over-escalated with a tier skip",
		t: open("B", "P1", 0, "tier:frontline team:network").
			move(20, up, escalation.ByRule, "vip", "tier:frontline", "tier:engineering").
			move(50, down, escalation.ByPerson, "", "tier:engineering", "tier:specialists").
			event(90, escalation.WhatResolved, ""),
		want: report.Facts{
			Priority: "P1", StartTier: "frontline", StartTeam: "network", HighestTier: "engineering", HighestIndex: 2,
			Stays: []report.Stay{
				{Tier: "frontline", Team: "network", From: at(0), Until: at(20)},
				{Tier: "engineering", Team: "network", From: at(20), Until: at(50)},
				{Tier: "specialists", Team: "network", From: at(50), Until: at(90)},
			},
			Escalations: 1, DeEscalations: 1, TierSkips: 1,
			FirstResolution: report.Milestone{At: at(90), Wall: mins(90)},
			ResolvedTier:    "specialists", ResolvedTeam: "network",
			OverEscalated: true,
		},
	}, {
		// The resolution goal breaches at 240m on the start tier; the matrix
		// level moves it at the same instant, after the breach: too late,
		// so under-escalated. Resolved at 300m, 5h used of 4h: margin -1h.
		name: "under-escalated: breached before any tier move",
		t: open("C", "P2", 0, "tier:frontline").
			breach(240, "resolution").
			move(240, up, escalation.ByMatrix, "matrix:P2[0]", "tier:frontline", "tier:specialists").
			event(300, escalation.WhatResolved, "").met(300, "resolution", 0, mins(240), mins(300)),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", HighestTier: "specialists", HighestIndex: 1,
			Stays: []report.Stay{
				{Tier: "frontline", From: at(0), Until: at(240)},
				{Tier: "specialists", From: at(240), Until: at(300)},
			},
			Escalations:     1,
			FirstResolution: report.Milestone{At: at(300), Wall: mins(300), Clock: mins(300), Clocked: true},
			ResolvedTier:    "specialists",
			UnderEscalated:  true,
			Cycles: []report.Cycle{{Metric: "resolution", N: 1, Outcome: report.Breached, Start: at(0), Ended: at(300),
				Goal: mins(240), Elapsed: mins(300), Measured: true, BreachedAt: at(240), BreachTier: "frontline"}},
		},
	}, {
		// A person escalates at 100m; the goal breaches at 240m on
		// specialists: not under-escalated. Never resolved: in the backlog,
		// its last stay lasting to its last entry.
		name: "breached after an escalation, still open",
		t: open("D", "P2", 0, "tier:frontline").
			move(100, up, escalation.ByPerson, "", "tier:frontline", "tier:specialists").
			breach(240, "resolution"),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", HighestTier: "specialists", HighestIndex: 1,
			Stays: []report.Stay{
				{Tier: "frontline", From: at(0), Until: at(100)},
				{Tier: "specialists", From: at(100), Until: at(240)},
			},
			Escalations: 1, ManualEscalations: 1, Open: true,
			Cycles: []report.Cycle{{Metric: "resolution", N: 1, Outcome: report.Breached, Start: at(0),
				BreachedAt: at(240), BreachTier: "specialists"}},
		},
	}, {
		// The matrix starts a P1 on specialists: a start decision, not an
		// escalation. It started above the first tier and made no tier move.
		name: "start by gravity",
		t: open("E", "P1", 0, "tier:frontline team:network").
			move(0, escalation.WhatStarted, escalation.ByMatrix, "matrix:P1", "tier:frontline", "tier:specialists").
			event(30, escalation.WhatResolved, ""),
		want: report.Facts{
			Priority: "P1", StartTier: "specialists", StartTeam: "network", StartIndex: 1, HighestTier: "specialists", HighestIndex: 1,
			Stays:           []report.Stay{{Tier: "specialists", Team: "network", From: at(0), Until: at(30)}},
			FirstResolution: report.Milestone{At: at(30), Wall: mins(30)},
			ResolvedTier:    "specialists", ResolvedTeam: "network", ResolvedOnStart: true,
		},
	}, {
		// Teams a -> b -> (tier move, still b) -> a: returns to a.
		name: "team ping-pong",
		t: open("F", "P2", 0, "tier:frontline team:a").
			move(10, hand, escalation.ByPerson, "", "team:a", "team:b").
			move(20, up, escalation.ByPerson, "", "tier:frontline", "tier:specialists").
			move(30, hand, escalation.ByRule, "idle", "team:b", "team:a"),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", StartTeam: "a", HighestTier: "specialists", HighestIndex: 1,
			Stays: []report.Stay{
				{Tier: "frontline", Team: "a", From: at(0), Until: at(10)},
				{Tier: "frontline", Team: "b", From: at(10), Until: at(20)},
				{Tier: "specialists", Team: "b", From: at(20), Until: at(30)},
				{Tier: "specialists", Team: "a", From: at(30), Until: at(30)},
			},
			Escalations: 1, ManualEscalations: 1, Handoffs: 2, PingPong: true, Open: true,
		},
	}, {
		// Teams a -> b -> c never return.
		name: "hand-offs without ping-pong",
		t: open("G", "P2", 0, "tier:frontline team:a").
			move(10, hand, escalation.ByPerson, "", "team:a", "team:b").
			move(20, hand, escalation.ByPerson, "", "team:b", "team:c").
			event(40, escalation.WhatClosed, ""),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", StartTeam: "a", HighestTier: "frontline",
			Stays: []report.Stay{
				{Tier: "frontline", Team: "a", From: at(0), Until: at(10)},
				{Tier: "frontline", Team: "b", From: at(10), Until: at(20)},
				{Tier: "frontline", Team: "c", From: at(20), Until: at(40)},
			},
			Handoffs: 2, FirstResolution: report.Milestone{At: at(40), Wall: mins(40)},
			ResolvedTier: "frontline", ResolvedTeam: "c", ResolvedOnStart: true,
		},
	}, {
		// pending_customer pauses resolution: 30m-90m and 120m-150m before
		// the first resolution at 150m, 90m in all. on_hold pauses only
		// first_response: no wait. The wait after the reopen at 200m
		// comes after the first resolution: not counted.
		name: "waited before the first resolution",
		t: open("H", "P2", 0, "tier:frontline").
			event(20, escalation.WhatStatusChanged, "on_hold").
			event(30, escalation.WhatStatusChanged, "pending_customer").
			event(90, escalation.WhatCustomerReplied, "open").
			event(120, escalation.WhatStatusChanged, "pending_customer").
			event(150, escalation.WhatResolved, "solved").
			event(200, escalation.WhatReopened, "pending_customer").
			event(260, escalation.WhatResolved, "solved"),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", HighestTier: "frontline",
			Stays:           []report.Stay{{Tier: "frontline", From: at(0), Until: at(260)}},
			Waited:          mins(90),
			FirstResolution: report.Milestone{At: at(150), Wall: mins(150)},
			ResolvedTier:    "frontline", ResolvedOnStart: true, Reopens: 1,
		},
	}, {
		// Opened waiting at 0m, resumed at 45m: a wait from the opening.
		name: "opened waiting",
		t: func() *ticket {
			t := open("I", "P2", 0, "tier:frontline")
			t.es[0].Status = "pending_customer"
			return t.event(45, escalation.WhatCustomerReplied, "open")
		}(),
		want: report.Facts{
			Priority: "P2", StartTier: "frontline", HighestTier: "frontline",
			Stays:  []report.Stay{{Tier: "frontline", From: at(0), Until: at(45)}},
			Waited: mins(45), Open: true,
		},
	}, {
		// Opened as P3, later raised to P1: it is a P3 ticket by its
		// opening. A reopen after the first resolution starts a second
		// resolution cycle (N 2), breached; the first was met.
		name: "priority at opening, reopened",
		t: func() *ticket {
			t := open("J", "P1", 0, "tier:frontline").
				add(escalation.Entry{At: at(5), What: escalation.WhatPriorityChanged, From: "P3", To: "P1"}).
				event(60, escalation.WhatResolved, "").met(60, "resolution", 0, mins(240), mins(60)).
				event(100, escalation.WhatReopened, "").
				add(escalation.Entry{At: at(100), What: escalation.WhatSLAReopened, To: "resolution"}).
				breach(280, "resolution")
			return t
		}(),
		want: report.Facts{
			Priority: "P3", StartTier: "frontline", HighestTier: "frontline", Reopens: 1, Open: true,
			Stays:           []report.Stay{{Tier: "frontline", From: at(0), Until: at(280)}},
			FirstResolution: report.Milestone{At: at(60), Wall: mins(60), Clock: mins(60), Clocked: true},
			ResolvedTier:    "frontline", ResolvedOnStart: true,
			Cycles: []report.Cycle{
				{Metric: "resolution", N: 1, Outcome: report.Met, Start: at(0), Ended: at(60), Goal: mins(240), Elapsed: mins(60), Measured: true},
				{Metric: "resolution", N: 2, Outcome: report.Breached, Start: at(100), BreachedAt: at(280), BreachTier: "frontline"},
			},
		},
	}}
	a := newAggregator(t, report.Options{})
	ignore := cmpopts.IgnoreFields(report.Facts{}, "ID", "Policy", "Opened", "End", "Moves", "Rules", "Feedback")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.Facts(tt.t.history())
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.t.st.ID || got.Policy != "v1" || !got.Opened.Equal(tt.t.es[0].At) {
				t.Errorf("ID, Policy, Opened = %s, %s, %s", got.ID, got.Policy, got.Opened)
			}
			if diff := cmp.Diff(tt.want, got, ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFactsMoves checks the moves and the rules a history records.
func TestFactsMoves(t *testing.T) {
	h := open("K", "P1", 0, "tier:frontline team:a").
		add(escalation.Entry{At: at(1), What: escalation.WhatRuleFired, By: escalation.ByRule, Rule: "vip", Trigger: "event:opened",
			Why: []escalation.Clause{{Text: "ticket.vip", Value: true}}}).
		move(1, up, escalation.ByRule, "vip", "tier:frontline team:a", "tier:specialists team:b").
		add(escalation.Entry{At: at(60), What: escalation.WhatSkipped, By: escalation.ByMatrix, Rule: "matrix:P1[0]", To: "tier:specialists", Note: "already on tier specialists"}).
		add(escalation.Entry{At: at(70), What: escalation.WhatRuleFailed, By: escalation.ByRule, Rule: "idle", Note: "boom"})
	a := newAggregator(t, report.Options{})
	f, err := a.Facts(h.history())
	if err != nil {
		t.Fatal(err)
	}
	wantMoves := []report.Move{{At: at(1), What: up, By: escalation.ByRule, Rule: "vip", FromTier: "frontline", ToTier: "specialists", FromTeam: "a", ToTeam: "b", Tiers: 1}}
	if diff := cmp.Diff(wantMoves, f.Moves); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	wantRules := []report.Firing{
		{At: at(1), Rule: "vip", Trigger: "event:opened", Why: []escalation.Clause{{Text: "ticket.vip", Value: true}}},
		{At: at(60), Rule: "matrix:P1[0]", Skipped: true, Note: "already on tier specialists"},
		{At: at(70), Rule: "idle", Failed: true, Note: "boom"},
	}
	if diff := cmp.Diff(wantRules, f.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

// TestFactsBadHistory checks that a history the report cannot read is an
// error naming the ticket and the problem.
func TestFactsBadHistory(t *testing.T) {
	a := newAggregator(t, report.Options{})
	unknown := open("X", "P1", 0, "tier:frontline")
	unknown.es[0].Policy = "v9"
	for _, tt := range []struct {
		name string
		h    escalation.History
		want string
	}{
		{"no state", escalation.History{Entries: open("X", "P1", 0, "").es}, "report: a history without its state"},
		{"empty", escalation.History{State: &escalation.State{ID: "X"}}, `report: ticket "X": its history does not start with opened`},
		{"not opened first", escalation.History{State: &escalation.State{ID: "X"}, Entries: []escalation.Entry{{At: t0, What: escalation.WhatResolved}}},
			`report: ticket "X": its history does not start with opened`},
		{"unknown policy", unknown.history(), `report: ticket "X": policy version "v9" is not among Options.Policies`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Facts(tt.h)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
			if err := a.Add(tt.h); err == nil {
				t.Error("Add took it")
			}
		})
	}
	if got := a.Report().Groups[0].Tickets; got != 0 {
		t.Errorf("%d tickets counted, want none", got)
	}
}

// TestNewBadOptions checks that every problem of the options is reported
// at once.
func TestNewBadOptions(t *testing.T) {
	p := policy()
	_, err := report.New(report.Options{Policies: []*escalation.Policy{p, nil, p}, By: []string{"priority", "", "priority", "customer..vip", "all"}})
	want := []string{
		"report: Policies[1]: nil",
		`report: Policies[2]: version "v1" given twice`,
		`report: By[1]: "" is neither a grouping (all, priority, start_team, resolving_team, start_tier, policy, tenant, week, month) nor an attribute path`,
		`report: By[2]: "priority" given twice`,
		`report: By[3]: "customer..vip" is neither a grouping (all, priority, start_team, resolving_team, start_tier, policy, tenant, week, month) nor an attribute path`,
		`report: By[4]: "all" is always reported; leave it out`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if _, err := report.New(report.Options{}); err == nil || !strings.Contains(err.Error(), "Policies: none given") {
		t.Errorf("no policies: %v", err)
	}
}
