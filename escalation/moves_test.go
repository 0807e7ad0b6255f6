package escalation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// movesPolicy is the test policy with rules on moves that tell a
// person's from a rule's.
func movesPolicy() *escalation.Policy {
	p := testPolicy()
	p.Rules = append(p.Rules,
		escalation.Rule{Name: "manual-up", On: escalation.Trigger{Event: "escalated"}, When: "manual", Do: []escalation.Action{{Notify: []string{"team_lead"}}}},
		escalation.Rule{Name: "auto-up", On: escalation.Trigger{Event: "escalated"}, When: "!manual", Do: []escalation.Action{{Notify: []string{"duty_manager"}}}},
		escalation.Rule{Name: "down", On: escalation.Trigger{Event: "de_escalated"}, Do: []escalation.Action{{Notify: []string{"team_lead"}}}},
		escalation.Rule{Name: "handed", On: escalation.Trigger{Event: "handed_off"}, When: "manual", Do: []escalation.Action{{Notify: []string{"dispatcher"}}}},
	)
	return p
}

// TestManualMoves: a person escalates (skipping a tier, with a new team),
// de-escalates and hands off; the history says who, why and that a person
// did it; the rules on each move run and tell a person's move from the
// matrix's; the counters count each kind apart.
func TestManualMoves(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, movesPolicy(), monday(t, 10, 0))
	h.Open("M-1", nil, "high", "low") // P2: the matrix moves it to specialists after 8 business hours
	h.Advance(5 * time.Minute)
	h.Report(escalation.Event{Ticket: "M-1", Kind: escalation.AgentReplied})
	h.Advance(5 * time.Minute)
	h.Report(escalation.Event{Ticket: "M-1", Kind: escalation.Escalated, Tier: "engineering", Team: "network", Actor: "ana", Reason: "needs a network engineer"})
	h.Advance(20 * time.Minute)
	h.Report(escalation.Event{Ticket: "M-1", Kind: escalation.DeEscalated, Tier: "frontline", Actor: "bo", Reason: "workaround found"})
	h.Advance(10 * time.Minute)
	h.Report(escalation.Event{Ticket: "M-1", Kind: escalation.FieldsChanged, Team: "billing", Actor: "cy"})
	h.AdvanceTo(monday(t, 10, 0).AddDate(0, 0, 1).Add(time.Hour)) // Tuesday 11:00

	hist, err := h.Engine.History(context.Background(), "M-1")
	if err != nil {
		t.Fatal(err)
	}
	type move struct {
		What     escalation.What
		By       escalation.By
		Rule     string
		From, To string
		Actor    string
		Note     string
	}
	var moves []move
	for _, e := range hist {
		switch e.What {
		case escalation.WhatEscalated, escalation.WhatDeEscalated, escalation.WhatHandedOff, escalation.WhatStarted:
			moves = append(moves, move{e.What, e.By, e.Rule, e.From, e.To, e.Actor, e.Note})
		}
	}
	want := []move{
		{escalation.WhatEscalated, escalation.ByPerson, "", "tier:frontline team:billing", "tier:engineering team:network", "ana", "needs a network engineer"},
		{escalation.WhatDeEscalated, escalation.ByPerson, "", "tier:engineering", "tier:frontline", "bo", "workaround found"},
		{escalation.WhatHandedOff, escalation.ByPerson, "", "team:network", "team:billing", "cy", ""},
		// P2's level: 8 business hours after opening, Tuesday 10:00.
		{escalation.WhatEscalated, escalation.ByMatrix, "matrix:P2[0]", "tier:frontline", "tier:specialists", "", ""},
	}
	if diff := cmp.Diff(want, moves); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	wantNotes := []string{
		"Mon 10:10 M-1 manual-up -> team_lead",
		"Mon 10:30 M-1 down -> team_lead",
		"Mon 10:40 M-1 handed -> dispatcher",
		"Tue 10:00 M-1 matrix:P2[0] -> team_lead",
		"Tue 10:00 M-1 auto-up -> duty_manager",
	}
	if diff := cmp.Diff(wantNotes, h.Notes.Summary(ny)); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	st, err := h.Engine.Status(context.Background(), "M-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Escalations != 2 || st.DeEscalations != 1 || st.Handoffs != 1 {
		t.Errorf("counters: %d escalations, %d de-escalations, %d hand-offs; want 2, 1, 1", st.Escalations, st.DeEscalations, st.Handoffs)
	}
}

// TestRefusedMoves: a move the wrong way, to an unknown tier, to the same
// tier, without a tier, a tier on an event that does not move, and a move
// of a resolved or closed ticket are refused with typed errors and change
// nothing.
func TestRefusedMoves(t *testing.T) {
	h := escalationtest.New(t, movesPolicy(), monday(t, 10, 0))
	h.Open("M-2", nil, "high", "low")
	h.Report(escalation.Event{Ticket: "M-2", Kind: escalation.Escalated, Tier: "specialists"})
	h.Open("M-3", nil, "high", "low")
	h.Report(escalation.Event{Ticket: "M-3", Kind: escalation.Resolved})
	h.Open("M-4", nil, "high", "low")
	h.Report(escalation.Event{Ticket: "M-4", Kind: escalation.Closed})
	at := h.Now()
	cases := []struct {
		name string
		ev   escalation.Event
		want []error
	}{
		{"escalated down", escalation.Event{Ticket: "M-2", Kind: escalation.Escalated, Tier: "frontline"}, []error{escalation.ErrMove}},
		{"escalated to the same tier", escalation.Event{Ticket: "M-2", Kind: escalation.Escalated, Tier: "specialists", Team: "network"}, []error{escalation.ErrMove}},
		{"de-escalated up", escalation.Event{Ticket: "M-2", Kind: escalation.DeEscalated, Tier: "engineering"}, []error{escalation.ErrMove}},
		{"de-escalated to the same tier", escalation.Event{Ticket: "M-2", Kind: escalation.DeEscalated, Tier: "specialists"}, []error{escalation.ErrMove}},
		{"unknown tier", escalation.Event{Ticket: "M-2", Kind: escalation.Escalated, Tier: "heaven"}, []error{escalation.ErrUnknownName}},
		{"no tier", escalation.Event{Ticket: "M-2", Kind: escalation.Escalated}, []error{escalation.ErrIncomplete}},
		{"a tier on a reply", escalation.Event{Ticket: "M-2", Kind: escalation.AgentReplied, Tier: "engineering"}, []error{escalation.ErrMove}},
		{"escalated while resolved", escalation.Event{Ticket: "M-3", Kind: escalation.Escalated, Tier: "engineering"}, []error{escalation.ErrResolved}},
		{"handed off while resolved", escalation.Event{Ticket: "M-3", Kind: escalation.FieldsChanged, Team: "network"}, []error{escalation.ErrResolved}},
		{"escalated while closed", escalation.Event{Ticket: "M-4", Kind: escalation.Escalated, Tier: "engineering"}, []error{escalation.ErrClosed}},
		{"every problem at once", escalation.Event{Ticket: "M-3", Kind: escalation.DeEscalated, Tier: "heaven", Team: "sales"}, []error{escalation.ErrResolved, escalation.ErrUnknownName}},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := h.Engine.History(ctx, tc.ev.Ticket)
			tc.ev.At = at
			err := h.Engine.Report(ctx, tc.ev)
			var ee *escalation.EventError
			if !errors.As(err, &ee) {
				t.Fatalf("got %v, want an *EventError", err)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("got %v, want it to wrap %v", err, w)
				}
			}
			if after, _ := h.Engine.History(ctx, tc.ev.Ticket); len(after) != len(before) {
				t.Errorf("the refused move changed the history")
			}
		})
	}
}

// TestStartByGravity: a ticket starts where its host says, or where the
// matrix's start tier for its priority or a rule on opened puts it. Each
// is a start, not an escalation: no counter counts it and no rule on
// escalated runs.
func TestStartByGravity(t *testing.T) {
	ny := newYork(t)
	p := movesPolicy()
	p.Matrix.Priorities[0].StartTier = "specialists" // P1 starts on specialists
	h := escalationtest.New(t, p, monday(t, 10, 0))
	vip := map[string]any{"customer": map[string]any{"vip": true}}
	h.Report(escalation.Event{Ticket: "G-host", Kind: escalation.Opened, Impact: "low", Urgency: "low", Tier: "engineering", Actor: "ana"})
	h.Open("G-matrix", nil, "high", "high")
	h.Open("G-rule", vip, "low", "low")
	h.Report(escalation.Event{Ticket: "G-both", Kind: escalation.Opened, Impact: "high", Urgency: "high", Tier: "frontline", Attrs: vip})
	cases := map[string][]string{
		"G-host": {"Mon 10:00 opened tier:engineering team:billing"},
		"G-matrix": {
			"Mon 10:00 opened tier:frontline team:billing",
			"Mon 10:00 started matrix:P1 (start_tier) tier:frontline -> tier:specialists",
		},
		"G-rule": {
			"Mon 10:00 opened tier:frontline team:billing",
			"Mon 10:00 rule_fired vip-fast-lane (event:opened)",
			"Mon 10:00 started vip-fast-lane (event:opened) tier:frontline -> tier:specialists",
			"Mon 10:00 notified vip-fast-lane (event:opened) account_manager",
		},
		// The host's tier wins over the matrix's; the rule still moves it.
		"G-both": {
			"Mon 10:00 opened tier:frontline team:billing",
			"Mon 10:00 rule_fired vip-fast-lane (event:opened)",
			"Mon 10:00 started vip-fast-lane (event:opened) tier:frontline -> tier:specialists",
			"Mon 10:00 notified vip-fast-lane (event:opened) account_manager",
		},
	}
	for id, want := range cases {
		if diff := cmp.Diff(want, h.Timeline(id, ny)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
		st, err := h.Engine.Status(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Escalations != 0 {
			t.Errorf("%s: %d escalations counted for a start", id, st.Escalations)
		}
	}
	for _, n := range h.Notes.Delivered() {
		if n.Rule == "manual-up" || n.Rule == "auto-up" {
			t.Errorf("a start ran the rules on escalated: %s", n.Rule)
		}
	}
}

// TestOpenTeams: a policy with open teams takes teams it does not declare,
// which hand off to any team; without the option they are refused.
func TestOpenTeams(t *testing.T) {
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "to-network", On: escalation.Trigger{Event: "fields_changed"}, When: `ticket.product == "vpn"`,
		Do: []escalation.Action{{Team: "network"}}})
	closed := escalationtest.New(t, p, monday(t, 10, 0))
	err := closed.Engine.Report(context.Background(), escalation.Event{Ticket: "O-1", Kind: escalation.Opened, At: closed.Now(), Team: "V13 2nd"})
	if !errors.Is(err, escalation.ErrUnknownName) {
		t.Errorf("an undeclared team without open_teams: %v, want ErrUnknownName", err)
	}

	p.OpenTeams = true
	h := escalationtest.New(t, p, monday(t, 10, 0))
	h.Report(escalation.Event{Ticket: "O-1", Kind: escalation.Opened, Team: "V13 2nd"})
	h.Report(escalation.Event{Ticket: "O-1", Kind: escalation.FieldsChanged, Team: "G97", Attrs: map[string]any{"product": "vpn"}})
	st, err := h.Engine.Status(context.Background(), "O-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Team != "network" || st.Handoffs != 2 {
		t.Errorf("on team %s after %d hand-offs; want network after 2 (a person's to G97, the rule's to network)", st.Team, st.Handoffs)
	}
}
