package escalation

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// checkInstant refuses an event whose instant the ticket st cannot take;
// latest is the latest instant an event may have.
func checkInstant(st *State, ev Event, latest time.Time) error {
	switch {
	case ev.At.IsZero():
		return ErrNoInstant
	case ev.At.Before(st.LastEvent):
		return fmt.Errorf("%w: %s is before %s", ErrOutOfOrder, ev.At.Format(time.RFC3339Nano), st.LastEvent.Format(time.RFC3339Nano))
	case ev.At.After(latest):
		return fmt.Errorf("%w: %s is after %s", ErrFuture, ev.At.Format(time.RFC3339Nano), latest.Format(time.RFC3339Nano))
	}
	return nil
}

// check refuses an event the ticket st, brought up to the event's instant,
// cannot take. It returns every problem of the event, joined.
func (pol *compiled) check(st *State, ev Event) error {
	var errs []error
	moving := ev.Kind == Escalated || ev.Kind == DeEscalated || (ev.Kind != Opened && ev.Team != "" && ev.Team != st.Team)
	switch {
	case st.Closed && (ev.Kind != Reopened || pol.policy.FinalClose):
		errs = append(errs, ErrClosed)
	case ev.Kind == Reopened && !st.Closed && !st.Resolved:
		errs = append(errs, ErrNotResolved)
	case st.Resolved && ev.Kind != Reopened && moving:
		errs = append(errs, ErrResolved)
	}
	if names := pol.unknownNames(ev); len(names) > 0 {
		errs = append(errs, fmt.Errorf("%w:\n%s", ErrUnknownName, strings.Join(names, "\n")))
	}
	if err := pol.checkMove(st, ev); err != nil {
		errs = append(errs, err)
	}
	m := &pol.policy.Matrix
	knownInputs := (ev.Impact == "" || slices.Contains(m.Impacts, ev.Impact)) && (ev.Urgency == "" || slices.Contains(m.Urgencies, ev.Urgency))
	if knownInputs && (ev.Kind == Opened || ev.Impact != "" || ev.Urgency != "") {
		if _, _, _, problems := pol.priorityInputs(st, ev.Impact, ev.Urgency, ev.Priority, ev.Kind == Opened); len(problems) > 0 {
			errs = append(errs, fmt.Errorf("%w:\n%s", ErrIncomplete, strings.Join(problems, "\n")))
		}
	}
	if ev.Attrs != nil && pol.policy.Schema != nil {
		if err := pol.policy.Schema.Check(ev.Attrs); err != nil {
			errs = append(errs, fmt.Errorf("%w:\n%v", ErrAttrs, err))
		}
	}
	return errors.Join(errs...)
}

// checkMove refuses a tier that does not go with the event's kind: a move
// a person reports needs a tier above (escalated) or below (de_escalated)
// the ticket's; an opened event may name its start tier; other kinds name
// none.
func (pol *compiled) checkMove(st *State, ev Event) error {
	to, known := pol.tierIndex[ev.Tier]
	from := pol.tierIndex[st.Tier]
	switch {
	case ev.Kind == Escalated || ev.Kind == DeEscalated:
		if ev.Tier == "" {
			return fmt.Errorf("%w: tier is required on %s", ErrIncomplete, ev.Kind)
		}
		if !known {
			return nil // an unknown name
		}
		if ev.Kind == Escalated && to <= from {
			return fmt.Errorf("%w: tier %s is not above %s", ErrMove, ev.Tier, st.Tier)
		}
		if ev.Kind == DeEscalated && to >= from {
			return fmt.Errorf("%w: tier %s is not below %s", ErrMove, ev.Tier, st.Tier)
		}
	case ev.Tier != "" && ev.Kind != Opened:
		return fmt.Errorf("%w: tier %s on %s: only opened, escalated and de_escalated name a tier", ErrMove, ev.Tier, ev.Kind)
	}
	return nil
}

// unknownNames lists the names in ev that the policy does not declare.
func (pol *compiled) unknownNames(ev Event) []string {
	var out []string
	p := pol.policy
	known := func(field, name string, names []string) {
		if name != "" && !slices.Contains(names, name) {
			out = append(out, fmt.Sprintf("%s %q is not one of %s", field, name, strings.Join(names, ", ")))
		}
	}
	known("impact", ev.Impact, p.Matrix.Impacts)
	known("urgency", ev.Urgency, p.Matrix.Urgencies)
	if _, ok := pol.ladders[ev.Priority]; ev.Priority != "" && !ok {
		known("priority", ev.Priority, pol.priorities)
	}
	if _, ok := pol.tierIndex[ev.Tier]; ev.Tier != "" && !ok {
		known("tier", ev.Tier, p.Tiers)
	}
	if _, ok := p.Teams[ev.Team]; ev.Team != "" && !ok && !p.OpenTeams {
		known("team", ev.Team, slices.Sorted(maps.Keys(p.Teams)))
	}
	if len(p.Statuses) > 0 {
		known("status", ev.Status, p.Statuses)
	}
	return out
}

// apply applies a reported event at its instant: the event's entry, what
// it changes (lifecycle, place, priority and contract, status, clocks),
// the rules it triggers, and the points a change of goals left behind.
func (r *run) apply(ev Event) {
	st, at := r.st, ev.At
	st.LastEvent = at
	if ev.ID != "" {
		ids := st.EventIDs
		if len(ids) >= EventIDWindow {
			ids = ids[len(ids)-EventIDWindow+1:]
		}
		st.EventIDs = append(slices.Clip(ids), ev.ID) // a new array: the stored state may share the old
	}
	if ev.Attrs != nil {
		st.Attrs = ev.Attrs
	}
	r.manual, r.event = true, string(ev.Kind)
	var moved moves
	if ev.Kind == Opened {
		r.open(ev)
	} else {
		moved = r.change(ev)
	}
	r.runRules(ev.Kind, at, 0)
	r.cascade(moved&^movedBy(ev.Kind), at, 0) // a hand-off that came with another event
	r.opening, r.manual, r.event = false, false, ""
	if r.regoaled {
		r.catchUp(at)
	}
	r.changed()
}

// open sets up a new ticket: where it starts, its priority and goals, its
// clocks and status. Rules on opened then run while it still opens, so
// their moves are start decisions too.
func (r *run) open(ev Event) {
	st, pol, at := r.st, r.pol, ev.At
	st.Opened, st.TierSince, st.Checked = at, at, at
	st.Impact, st.Urgency, st.Priority, _ = pol.priorityInputs(st, ev.Impact, ev.Urgency, ev.Priority, true)
	st.Tier, st.Team = pol.policy.Tiers[0], ev.Team
	if ev.Tier != "" {
		st.Tier = ev.Tier
	}
	if st.Team == "" {
		st.Team = pol.policy.DefaultTeam
	}
	st.Status = ev.Status
	r.record(Entry{At: at, What: WhatOpened, By: ByPerson, Actor: ev.Actor, To: pol.place(st.Tier, st.Team, true, st.Team != ""), Status: ev.Status, Note: ev.Reason})
	r.chooseContract(at)
	r.retarget(at)
	r.regoaled = false // new clocks have nothing behind them
	r.opening = true
	if start := r.ladder().start; ev.Tier == "" && pol.tierIndex[start] > pol.tierIndex[st.Tier] {
		r.move(start, st.Team, Entry{At: at, By: ByMatrix, Rule: "matrix:" + st.Priority, Trigger: "start_tier"})
	}
	r.pauseFor(st.Status, nil, at)
}

// change applies a reported event other than opened; it returns the moves
// it made.
func (r *run) change(ev Event) moves {
	st, at := r.st, ev.At
	e := Entry{At: at, What: What(ev.Kind), By: ByPerson, Actor: ev.Actor, Note: ev.Reason}
	if ev.Status != st.Status {
		e.Status = ev.Status
	}
	var moved moves
	switch ev.Kind {
	case Escalated, DeEscalated:
		team := ev.Team
		if team == "" {
			team = st.Team
		}
		moved = r.move(ev.Tier, team, e)
	case Reopened:
		r.record(e)
		r.skipStale(at) // before the clocks run again: nothing that fell meanwhile fires
		st.Closed, st.Resolved = false, false
		if t := st.timer("resolution"); t != nil && t.Reopen(at) == nil {
			r.record(Entry{At: at, What: WhatSLAReopened, To: "resolution"})
		}
		r.regoaled = true // goals changed while it was resolved have not caught up yet
	default:
		r.record(e)
	}
	if ev.Kind != Escalated && ev.Kind != DeEscalated && ev.Team != "" && ev.Team != st.Team {
		moved |= r.move(st.Tier, ev.Team, Entry{At: at, By: ByPerson, Actor: ev.Actor, Trigger: ev.Kind.trigger(), Note: ev.Reason})
	}
	impact, urgency, priority, _ := r.pol.priorityInputs(st, ev.Impact, ev.Urgency, ev.Priority, false)
	if !r.setPriority(impact, urgency, priority, Entry{At: at, By: ByPerson, Actor: ev.Actor}) && r.chooseContract(at) {
		r.retarget(at) // the attributes chose another contract
	}
	if old := st.Status; ev.Status != "" && ev.Status != old {
		st.Status = ev.Status
		r.resumeFor(old, st.Status, at)
		r.pauseFor(st.Status, r.pol.pause[old], at)
	}
	rearmed := ev.Kind == Reopened // clocks that run again in a waiting status pause at once
	switch ev.Kind {
	case AgentReplied:
		st.Replied, st.LastReply = true, at
		r.stop("first_response", at)
		r.stop("next_response", at)
	case CustomerReplied:
		st.LastReply = at
		if !st.Replied || !st.active() { // the clocks of a resolved ticket stand still
			break
		}
		if t := r.nextResponse(); t != nil && t.NewCycle(at) == nil {
			r.record(Entry{At: at, What: WhatSLAStarted, To: "next_response"})
			rearmed = true
		}
	case Resolved:
		st.Resolved = true
		for _, t := range st.Timers {
			r.stop(t.Metric(), at)
		}
	case Closed:
		st.Closed = true
		for _, t := range st.Timers {
			r.stop(t.Metric(), at)
		}
	}
	if rearmed {
		r.pauseFor(st.Status, nil, at)
	}
	return moved
}

// pauseFor pauses the running clocks of the metrics that status pauses,
// but for those already paused by the status before (was).
func (r *run) pauseFor(status string, was []string, at time.Time) {
	for _, m := range r.pol.pause[status] {
		if t := r.st.timer(m); t != nil && t.State() == sla.Running && !slices.Contains(was, m) && t.Pause(at) == nil {
			r.record(Entry{At: at, What: WhatSLAPaused, To: m, Note: "status " + status})
		}
	}
}

// resumeFor resumes the clocks of the metrics the old status paused and
// the new one does not.
func (r *run) resumeFor(old, status string, at time.Time) {
	now := r.pol.pause[status]
	for _, m := range r.pol.pause[old] {
		if t := r.st.timer(m); t != nil && t.State() == sla.Paused && !slices.Contains(now, m) && t.Resume(at) == nil {
			r.record(Entry{At: at, What: WhatSLAResumed, To: m, Note: "status " + status})
		}
	}
}

// stop meets a metric's running or paused timer.
func (r *run) stop(metric string, at time.Time) {
	t := r.st.timer(metric)
	if t == nil || (t.State() != sla.Running && t.State() != sla.Paused) || t.Stop(at) != nil {
		return
	}
	c, _ := t.Ended()
	what := WhatSLAMet
	if c.Late {
		what = WhatSLAMetLate
	}
	r.record(Entry{At: at, What: what, To: metric, Cycle: &c})
}
