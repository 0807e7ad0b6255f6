package policytest_test

import (
	"context"
	_ "embed"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

//go:embed policy.json
var policyJSON []byte

func policy(t *testing.T) *escalation.Policy {
	t.Helper()
	p, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var newYork = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Monday 2026-11-02, a normal working day in New York.
func monday(hour, minute int) time.Time {
	return time.Date(2026, 11, 2, hour, minute, 0, 0, newYork)
}

func TestVIPCustomersGoStraightToSpecialists(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(10, 0))
	h.Open("VIP-1", map[string]any{"customer": map[string]any{"vip": true, "name": "Initech"}, "product": "mail"}, "medium", "medium")
	h.Advance(time.Minute)

	st, err := h.Engine.Status(context.Background(), "VIP-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Priority != "P3" || st.Tier != "specialists" || st.Team != "billing" {
		t.Errorf("a VIP ticket is on %s/%s at %s, want P3 with the billing specialists", st.Team, st.Tier, st.Priority)
	}
	want := []string{"Mon 10:00 VIP-1 vip-fast-lane -> account_manager"}
	if diff := cmp.Diff(want, h.Notes.Summary(newYork)); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
}

func TestNetworkTicketsGoToTheNetworkTeam(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(10, 0))
	h.Open("NET-1", map[string]any{"product": "network"}, "low", "low")
	st, _ := h.Engine.Status(context.Background(), "NET-1")
	if st.Team != "network" || st.Tier != "frontline" {
		t.Errorf("a network ticket is on %s/%s, want network/frontline", st.Team, st.Tier)
	}
}

// A P2 ticket (high impact, medium urgency) has one business hour for its
// first response; once it is missed the duty manager hears of it every 30
// minutes until somebody answers, and the ticket goes to specialists.
func TestMissedFirstResponseNagsUntilAnswered(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(10, 0))
	h.Open("P2-1", map[string]any{"product": "mail"}, "high", "medium")
	h.AdvanceTo(monday(12, 10))
	h.Report(escalation.Event{Ticket: "P2-1", Kind: escalation.AgentReplied, Actor: "sam"})
	h.AdvanceTo(monday(14, 0))

	want := []string{
		"Mon 11:00 P2-1 first-response-breached -> duty_manager",
		"Mon 11:00 P2-1 matrix:P2[0] -> team_lead",
		"Mon 11:30 P2-1 first-response-breached -> duty_manager",
		"Mon 12:00 P2-1 first-response-breached -> duty_manager",
	}
	if diff := cmp.Diff(want, h.Notes.Summary(newYork)); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	st, _ := h.Engine.Status(context.Background(), "P2-1")
	if st.Tier != "specialists" {
		t.Errorf("after a missed first response the ticket is on %s, want specialists", st.Tier)
	}
}

// Waiting on the customer stops the resolution clock: a P4 ticket (40
// business hours) that waits a whole day loses nothing.
func TestWaitingOnTheCustomerStopsTheResolutionClock(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(9, 0))
	h.Open("P4-1", map[string]any{"product": "mail"}, "low", "low")
	h.AdvanceTo(monday(10, 0))
	h.Report(escalation.Event{Ticket: "P4-1", Kind: escalation.AgentReplied, Status: "pending_customer"})
	h.AdvanceTo(monday(10, 0).AddDate(0, 0, 1))
	h.Report(escalation.Event{Ticket: "P4-1", Kind: escalation.CustomerReplied, Status: "open"})

	st, _ := h.Engine.Status(context.Background(), "P4-1")
	for _, s := range st.SLA {
		if s.Metric == "resolution" && (s.Elapsed != time.Hour || s.Remaining != 39*time.Hour) {
			t.Errorf("resolution after a day pending the customer: %v used, %v left; want 1h and 39h", s.Elapsed, s.Remaining)
		}
	}
}

// A closed ticket never escalates, however long nobody looks at it.
func TestClosedTicketsStayQuiet(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(10, 0))
	h.Open("P1-1", map[string]any{"product": "mail"}, "high", "high")
	h.Advance(5 * time.Minute)
	h.Report(escalation.Event{Ticket: "P1-1", Kind: escalation.Closed})
	h.Advance(14 * 24 * time.Hour)
	if got := h.Notes.Summary(newYork); len(got) != 0 {
		t.Errorf("a ticket closed after five minutes notified: %v", got)
	}
}

// An agent who sees the problem is the database's sends the ticket
// straight to engineering, skipping specialists. The history says who did
// it and why; the matrix's levels, which fall later (75% and 100% of 24
// business hours: Wednesday 11:00 and 17:00), find the ticket on their
// tiers or above and are skipped, so nobody is told twice.
func TestAgentsEscalateByHand(t *testing.T) {
	h := escalationtest.New(t, policy(t), monday(9, 0))
	h.Open("P3-1", map[string]any{"product": "billing"}, "medium", "medium") // P3: 24 business hours
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "P3-1", Kind: escalation.AgentReplied, Actor: "sam"})
	h.Report(escalation.Event{Ticket: "P3-1", Kind: escalation.Escalated, Tier: "engineering", Actor: "sam", Reason: "invoice totals wrong in the database"})
	h.AdvanceTo(monday(9, 0).AddDate(0, 0, 3)) // Thursday: past 75% of the resolution goal

	var moves []string
	hist, _ := h.Engine.History(context.Background(), "P3-1")
	for _, e := range hist {
		switch e.What {
		case escalation.WhatEscalated, escalation.WhatSkipped:
			moves = append(moves, escalationtest.Line(e, newYork)+" by "+string(e.By)+" "+e.Actor+" "+e.Note)
		}
	}
	want := []string{
		"Mon 09:30 escalated tier:frontline -> tier:engineering by person sam invoice totals wrong in the database",
		"Wed 11:00 skipped matrix:P3[0] (resolution:75%) tier:specialists by matrix  already on tier engineering",
		"Wed 17:00 skipped matrix:P3[1] (resolution:100%) tier:engineering by matrix  already on tier engineering",
	}
	if diff := cmp.Diff(want, moves); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
}
