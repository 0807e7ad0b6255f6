package escalation

import (
	"strings"
	"time"
)

// moves is a set of the kinds of move a run made: escalated, de_escalated,
// handed_off.
type moves uint8

// moveKinds are the kinds of move, in the order their rules run.
var moveKinds = [...]EventKind{Escalated, DeEscalated, HandedOff}

// movedBy is the set holding the kind of move k.
func movedBy(k EventKind) moves {
	for i, m := range moveKinds {
		if m == k {
			return 1 << i
		}
	}
	return 0
}

// place names where a ticket is for the history: "tier:t", "team:x", or
// "tier:t team:x", with the parts asked for. The names of the policy's
// tiers and teams are made once, in places.
func (pol *compiled) place(tier, team string, withTier, withTeam bool) string {
	switch {
	case withTier && withTeam:
		if s, ok := pol.places[[2]string{tier, team}]; ok {
			return s
		}
		return "tier:" + tier + " team:" + team
	case withTeam:
		if s, ok := pol.places[[2]string{"", team}]; ok {
			return s
		}
		return "team:" + team
	}
	if s, ok := pol.places[[2]string{tier, ""}]; ok {
		return s
	}
	return "tier:" + tier
}

// Place reads a place as an entry's From and To write it: "tier:T",
// "team:X" or "tier:T team:X". A part left out is "". A string of
// another form (a priority, a version) is no place: both are "".
func Place(s string) (tier, team string) {
	if rest, ok := strings.CutPrefix(s, "tier:"); ok {
		tier, team, _ = strings.Cut(rest, " team:")
		return tier, team
	}
	if rest, ok := strings.CutPrefix(s, "team:"); ok {
		return "", rest
	}
	return "", ""
}

// places returns the names place gives the tiers and teams of p, by tier
// and team ("" for the part left out).
func places(p *Policy) map[[2]string]string {
	m := make(map[[2]string]string, (len(p.Tiers)+1)*(len(p.Teams)+1))
	for _, tier := range p.Tiers {
		m[[2]string{tier, ""}] = "tier:" + tier
		for team := range p.Teams {
			m[[2]string{tier, team}] = "tier:" + tier + " team:" + team
		}
	}
	for team := range p.Teams {
		m[[2]string{"", team}] = "team:" + team
	}
	return m
}

// move puts the ticket on tier and team, starting a new stay, and records
// it in an entry made from e (which says when, by whom and why). A move up
// the tiers is an escalation, down a de-escalation, and a change of team
// at the same tier a hand-off; each has its counter. While the ticket
// opens, a move is a start decision instead, which no counter counts. It
// returns the kind of move made, none for a start decision or no move.
func (r *run) move(tier, team string, e Entry) moves {
	st := r.st
	if tier == st.Tier && team == st.Team {
		return 0
	}
	from, to := r.pol.tierIndex[st.Tier], r.pol.tierIndex[tier]
	kind := HandedOff
	switch {
	case to > from:
		kind = Escalated
	case to < from:
		kind = DeEscalated
	}
	e.What = What(kind)
	if r.opening {
		e.What = WhatStarted
	}
	tierMoved, teamMoved := tier != st.Tier, team != st.Team
	e.From = r.pol.place(st.Tier, st.Team, tierMoved, teamMoved)
	e.To = r.pol.place(tier, team, tierMoved, teamMoved)
	r.record(e)
	st.PrevTier, st.PrevTeam = "", ""
	if tierMoved {
		st.PrevTier = st.Tier
	}
	if teamMoved {
		st.PrevTeam = st.Team
	}
	st.Tier, st.Team, st.TierSince = tier, team, e.At
	st.Moves++
	if r.opening {
		return 0
	}
	switch kind {
	case Escalated:
		st.Escalations++
	case DeEscalated:
		st.DeEscalations++
	default:
		st.Handoffs++
	}
	return movedBy(kind)
}

// refuse records a rule's move that cannot be made, and why.
func (r *run) refuse(what What, rule, trigger, why string, at time.Time) moves {
	r.record(Entry{At: at, What: what, By: ByRule, Rule: rule, Trigger: trigger, Note: why})
	return 0
}
