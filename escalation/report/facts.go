package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Facts are what one ticket's history says about it, as the package doc
// defines each. Durations are wall-clock time unless they say they are
// on the SLA clock.
type Facts struct {
	ID       string
	Policy   string    // the policy version it opened on
	Priority string    // its priority when it opened
	Opened   time.Time // when it opened
	End      time.Time // the end of its data: Options.End, else its last entry

	// Where it started (after the start decisions) and the highest tier it
	// reached; the tier indices count from 0 on its policy's tiers.
	StartTier, StartTeam string
	StartIndex           int
	HighestTier          string
	HighestIndex         int
	// Stays are its stretches on one tier and team, in order; the last
	// lasts until its last resolution or closing, else until End.
	Stays []Stay
	// Moves are its moves after it opened: up, down and across teams.
	Moves []Move

	Escalations       int  // moves up the tiers
	ManualEscalations int  // of those, by a person
	DeEscalations     int  // moves down the tiers
	Handoffs          int  // moves to another team on the same tier
	TierSkips         int  // moves up of two tiers or more
	PingPong          bool // its team sequence returned to a team it had left

	// Waited is the time spent, before the first resolution, in statuses
	// that pause the resolution clock.
	Waited time.Duration

	FirstResponse   Milestone // the first agent reply
	FirstResolution Milestone // the first resolved (or closed) event
	// Cycles are the SLA cycles that were met or breached, in the order
	// they ended or breached; a running unbreached cycle is not one.
	Cycles  []Cycle
	Reopens int

	// Where the first resolution happened; "" when it has none.
	ResolvedTier, ResolvedTeam string
	// ResolvedOnStart says it was first resolved with no tier move before.
	ResolvedOnStart bool
	// Open says it was neither resolved nor closed at End: the backlog.
	Open bool

	Feedback []float64 // the scores found under Options.Feedback

	Notifications int // notifications saved for delivery (notified entries)

	OverEscalated  bool
	UnderEscalated bool

	// Rules are the rules that fired or failed on it, in order.
	Rules []Firing
}

// Stay is a stretch of a ticket on one tier and team.
type Stay struct {
	Tier, Team  string
	From, Until time.Time
}

// Duration is how long the stay lasted.
func (s Stay) Duration() time.Duration { return s.Until.Sub(s.From) }

// Move is one move of a ticket after it opened.
type Move struct {
	At               time.Time
	What             escalation.What // escalated, de_escalated or handed_off
	By               escalation.By
	Rule             string // the rule or matrix level; "" for a person
	Actor            string // the person, when By is a person
	Note             string
	FromTier, ToTier string
	FromTeam, ToTeam string
	Tiers            int // tiers climbed (negative: descended)
}

// Milestone is when a ticket first reached a point, and how long it took.
type Milestone struct {
	At    time.Time     // zero when it never did
	Wall  time.Duration // from opened, wall-clock time
	Clock time.Duration // on the SLA clock, pauses left out
	// Clocked says Clock is known: the history holds the met cycle of the
	// metric (first_response, resolution) that ended there.
	Clocked bool
}

// Reached says whether the ticket reached the milestone.
func (m Milestone) Reached() bool { return !m.At.IsZero() }

// Outcome is how an SLA cycle ended.
type Outcome string

const (
	Met      Outcome = "met"      // ended without breaching
	Breached Outcome = "breached" // breached, whether it ended late or runs on
)

// Cycle is one SLA cycle of a metric that was met or breached.
type Cycle struct {
	Metric  string
	N       int // the metric's cycles count from 1; a reopen's resumption is a new one
	Outcome Outcome
	Start   time.Time
	// Ended is when the cycle was met (in time or late); zero while it
	// runs on. Goal and Elapsed are known once it ended (Measured).
	Ended         time.Time
	Goal, Elapsed time.Duration
	Measured      bool
	// BreachedAt is when it breached, and BreachTier and BreachTeam where
	// the ticket was then; zero for a met cycle.
	BreachedAt             time.Time
	BreachTier, BreachTeam string
}

// Margin is the goal left when the cycle ended: negative by how late it
// was. Only a Measured cycle has one.
func (c Cycle) Margin() time.Duration { return c.Goal - c.Elapsed }

// Firing is a rule that fired, or failed, or a matrix level skipped, on a
// ticket. A matrix level that moved the ticket is its Move.
type Firing struct {
	At      time.Time
	Rule    string
	Trigger string
	Failed  bool // the rule failed: Note says why
	Skipped bool // a matrix level the ticket had already reached
	Why     []escalation.Clause
	Note    string
}

// reset empties f, keeping its slices' room.
func (f *Facts) reset() {
	*f = Facts{Stays: f.Stays[:0], Moves: f.Moves[:0], Cycles: f.Cycles[:0], Feedback: f.Feedback[:0], Rules: f.Rules[:0]}
}

// factsError is a history the package cannot read.
func factsError(id, format string, args ...any) error {
	return fmt.Errorf("report: ticket %q: %s", id, fmt.Sprintf(format, args...))
}

// scan works out the facts of h into f, reusing f's room. The walk
// below is the single place where the definitions of the package doc
// become code.
func (a *Aggregator) scan(h escalation.History, f *Facts) error {
	f.reset()
	if h.State == nil {
		return fmt.Errorf("report: a history without its state")
	}
	f.ID = h.State.ID
	es := h.Entries
	if len(es) == 0 || es[0].What != escalation.WhatOpened {
		return factsError(f.ID, "its history does not start with opened")
	}
	open := es[0]
	pol, err := a.policy(f.ID, open.Policy)
	if err != nil {
		return err
	}
	f.Policy, f.Opened, f.End = open.Policy, open.At, a.opts.End
	if f.End.IsZero() {
		f.End = es[len(es)-1].At
	}
	f.Priority = h.State.Priority
	for _, e := range es {
		if e.What == escalation.WhatPriorityChanged {
			f.Priority = e.From // the first change says what it opened with
			break
		}
	}
	tier, team := escalation.Place(open.To)
	if tier == "" {
		tier = h.State.Tier // a history from before the opened entry named its place
	}
	f.Stays = append(f.Stays, Stay{Tier: tier, Team: team, From: open.At})

	var (
		status    = open.Status
		waitSince time.Time // when the current wait began; zero when not waiting
		tierMoves int       // escalated and de_escalated entries so far
		resolved  bool      // resolved or closed now
		pending   [4]startMark
		npending  int // sla_started instants of metrics with no record yet
	)
	f.StartIndex = pol.tier(tier)
	highest := f.StartIndex // before the first resolution
	f.HighestTier, f.HighestIndex = tier, f.StartIndex
	reach := func(tier string) {
		i := pol.tier(tier)
		if !f.FirstResolution.Reached() {
			highest = max(highest, i)
		}
		if i > f.HighestIndex {
			f.HighestTier, f.HighestIndex = tier, i
		}
	}
	if pol.waits(status) {
		waitSince = open.At
	}
	endWait := func(at time.Time) {
		if !waitSince.IsZero() && !f.FirstResolution.Reached() {
			f.Waited += at.Sub(waitSince)
		}
		waitSince = time.Time{}
	}
	// record returns the record of metric's current cycle, making one.
	record := func(metric string) *Cycle {
		n := 1
		for i := len(f.Cycles) - 1; i >= 0; i-- {
			if c := &f.Cycles[i]; c.Metric == metric {
				if c.Ended.IsZero() {
					return c
				}
				n = c.N + 1
				break
			}
		}
		start := f.Opened
		for i := range npending {
			if pending[i].metric == metric {
				start = pending[i].at
				npending--
				pending[i] = pending[npending]
				break
			}
		}
		f.Cycles = append(f.Cycles, Cycle{Metric: metric, N: n, Start: start})
		return &f.Cycles[len(f.Cycles)-1]
	}
	breach := func(c *Cycle, at time.Time) {
		if c.Outcome == Breached {
			return
		}
		c.Outcome, c.BreachedAt = Breached, at
		last := f.Stays[len(f.Stays)-1]
		c.BreachTier, c.BreachTeam = last.Tier, last.Team
		if c.Metric == "resolution" && c.N == 1 && tierMoves == 0 {
			f.UnderEscalated = true
		}
	}

	for _, e := range es[1:] {
		if e.Status != "" && e.Status != status {
			if !pol.waits(e.Status) {
				endWait(e.At)
			} else if waitSince.IsZero() && !resolved {
				waitSince = e.At
			}
			status = e.Status
		}
		switch e.What {
		case escalation.WhatStarted:
			s := &f.Stays[len(f.Stays)-1]
			to, toTeam := escalation.Place(e.To)
			if to != "" {
				s.Tier = to
				f.StartIndex = pol.tier(to)
				highest, f.HighestTier, f.HighestIndex = f.StartIndex, to, f.StartIndex
			}
			if toTeam != "" {
				s.Team = toTeam
			}
		case escalation.WhatEscalated, escalation.WhatDeEscalated, escalation.WhatHandedOff:
			s := &f.Stays[len(f.Stays)-1]
			m := Move{At: e.At, What: e.What, By: e.By, Rule: e.Rule, Actor: e.Actor, Note: e.Note,
				FromTier: s.Tier, ToTier: s.Tier, FromTeam: s.Team, ToTeam: s.Team}
			to, toTeam := escalation.Place(e.To)
			if to != "" {
				m.ToTier = to
			}
			if toTeam != "" {
				m.ToTeam = toTeam
			}
			m.Tiers = pol.tier(m.ToTier) - pol.tier(m.FromTier)
			f.Moves = append(f.Moves, m)
			s.Until = e.At
			f.Stays = append(f.Stays, Stay{Tier: m.ToTier, Team: m.ToTeam, From: e.At})
			switch e.What {
			case escalation.WhatEscalated:
				f.Escalations++
				if e.By == escalation.ByPerson {
					f.ManualEscalations++
				}
				if m.Tiers >= 2 {
					f.TierSkips++
				}
				tierMoves++
			case escalation.WhatDeEscalated:
				f.DeEscalations++
				tierMoves++
			default:
				f.Handoffs++
			}
			reach(m.ToTier)
		case escalation.WhatMigrated:
			if p, err := a.policy(f.ID, e.To); err == nil {
				pol = p
			}
		case escalation.WhatAgentReplied:
			if !f.FirstResponse.Reached() {
				f.FirstResponse = Milestone{At: e.At, Wall: e.At.Sub(f.Opened)}
			}
		case escalation.WhatResolved, escalation.WhatClosed:
			if resolved {
				break
			}
			endWait(e.At)
			resolved = true
			last := &f.Stays[len(f.Stays)-1]
			last.Until = e.At
			if !f.FirstResolution.Reached() {
				f.FirstResolution = Milestone{At: e.At, Wall: e.At.Sub(f.Opened)}
				f.ResolvedTier, f.ResolvedTeam = last.Tier, last.Team
				f.OverEscalated = f.Escalations > 0 && pol.tier(last.Tier) < highest
				f.ResolvedOnStart = tierMoves == 0
			}
		case escalation.WhatReopened:
			f.Reopens++
			resolved = false
			f.Stays[len(f.Stays)-1].Until = time.Time{}
			if pol.waits(status) {
				waitSince = e.At
			}
		case escalation.WhatSLAStarted, escalation.WhatSLAReopened:
			if npending < len(pending) {
				pending[npending] = startMark{e.To, e.At}
				npending++
			}
		case escalation.WhatSLABreached:
			metric, _ := strings.CutSuffix(e.Trigger, ":breach")
			breach(record(metric), e.At)
		case escalation.WhatSLAMet, escalation.WhatSLAMetLate:
			c := record(e.To)
			c.Ended = e.At
			if e.Cycle != nil {
				c.Start, c.Goal, c.Elapsed, c.Measured = e.Cycle.Start, e.Cycle.Goal, e.Cycle.Elapsed, true
			}
			if e.What == escalation.WhatSLAMetLate {
				at := e.At
				if e.Cycle != nil {
					at = e.Cycle.Due
				}
				breach(c, at)
			} else if c.Outcome == "" {
				c.Outcome = Met
			}
			if c.N == 1 && c.Measured {
				switch {
				case c.Metric == "first_response" && f.FirstResponse.At.Equal(e.At):
					f.FirstResponse.Clock, f.FirstResponse.Clocked = c.Elapsed, true
				case c.Metric == "resolution" && f.FirstResolution.At.Equal(e.At):
					f.FirstResolution.Clock, f.FirstResolution.Clocked = c.Elapsed, true
				}
			}
		case escalation.WhatNotified:
			f.Notifications++
		case escalation.WhatSkipped:
			f.Rules = append(f.Rules, Firing{At: e.At, Rule: e.Rule, Trigger: e.Trigger, Skipped: true, Note: e.Note})
		case escalation.WhatRuleFired, escalation.WhatRuleFailed:
			if e.Rule != "" {
				f.Rules = append(f.Rules, Firing{At: e.At, Rule: e.Rule, Trigger: e.Trigger,
					Failed: e.What == escalation.WhatRuleFailed, Why: e.Why, Note: e.Note})
			}
		}
	}
	if !resolved {
		endWait(f.End)
		f.Open = true
	}
	if last := &f.Stays[len(f.Stays)-1]; last.Until.IsZero() {
		last.Until = f.End
	}
	f.StartTier, f.StartTeam = f.Stays[0].Tier, f.Stays[0].Team
	f.PingPong = pingPong(f.Stays)
	f.Feedback = appendScores(f.Feedback, lookup(h.State.Attrs, a.feedback))
	return nil
}

// startMark is when a metric's next cycle started.
type startMark struct {
	metric string
	at     time.Time
}

// pingPong reports whether the team sequence of stays, consecutive
// repeats merged, returns to a team it had left: A, B, A.
func pingPong(stays []Stay) bool {
	for i := 1; i < len(stays); i++ {
		if stays[i].Team == stays[i-1].Team {
			continue
		}
		for _, s := range stays[:i-1] {
			if s.Team == stays[i].Team {
				return true
			}
		}
	}
	return false
}
