package escalation

import (
	"fmt"
	"time"

	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
)

// priorityInputs returns the impact, urgency and priority that a change
// (from an event or an action; "" keeps each) leaves the ticket st with,
// or the problems that stop it. A priority named wins. An impact without
// an urgency known (or the reverse) takes the matrix's default for the
// other, and is a problem when the matrix names none. opening says the
// ticket opens: without impact and urgency it gets the grid's cell of the
// matrix's defaults when the matrix names both, else its lowest priority.
func (pol *compiled) priorityInputs(st *State, impact, urgency, priority string, opening bool) (string, string, string, []string) {
	changed := impact != "" || urgency != ""
	if impact == "" {
		impact = st.Impact
	}
	if urgency == "" {
		urgency = st.Urgency
	}
	if priority != "" {
		return impact, urgency, priority, nil
	}
	if !changed && !opening {
		return impact, urgency, st.Priority, nil
	}
	m := &pol.policy.Matrix
	defImpact, defUrgency := pol.matrix.Defaults()
	if impact == "" && urgency == "" { // opening with neither
		if defImpact == "" || defUrgency == "" {
			ps := m.Priorities
			return "", "", ps[len(ps)-1].Name, nil
		}
		impact, urgency = defImpact, defUrgency
	}
	var problems []string
	if impact == "" {
		if impact = defImpact; impact == "" {
			problems = append(problems, fmt.Sprintf("impact is required with urgency %q: the matrix names no default_impact", urgency))
		}
	}
	if urgency == "" {
		if urgency = defUrgency; urgency == "" {
			problems = append(problems, fmt.Sprintf("urgency is required with impact %q: the matrix names no default_urgency", impact))
		}
	}
	if len(problems) > 0 {
		return "", "", "", problems
	}
	p, ok := pol.matrix.Priority(impact, urgency)
	if !ok { // an unknown name, which the event's check reports
		return "", "", "", []string{fmt.Sprintf("no priority for impact %q and urgency %q", impact, urgency)}
	}
	return impact, urgency, p, nil
}

// setPriority sets impact, urgency and priority, recording a change of
// priority in an entry made from e; the SLA goals follow the new priority
// (under the contract it now chooses) without losing elapsed time, and
// what they leave behind catches up. It reports whether the priority
// changed.
func (r *run) setPriority(impact, urgency, priority string, e Entry) bool {
	st := r.st
	st.Impact, st.Urgency = impact, urgency
	if priority == st.Priority {
		return false
	}
	e.What, e.From, e.To = WhatPriorityChanged, st.Priority, priority
	r.record(e)
	st.Priority = priority
	r.changed()
	r.chooseContract(e.At)
	r.retarget(e.At)
	return true
}

// chooseContract finds the contract whose goals the ticket runs on: the
// first whose condition holds, or none for the matrix's goals. A change is
// recorded and the goals follow it; it reports whether it changed.
func (r *run) chooseContract(at time.Time) bool {
	if len(r.pol.contracts) == 0 {
		return false
	}
	st := r.st
	r.changed()
	name := ""
	for _, c := range r.pol.contracts {
		ok, err := c.when.Eval(r.env(c.when, r.event, at))
		if err != nil {
			r.record(Entry{At: at, What: WhatRuleFailed, Rule: "contract:" + c.name, Note: err.Error()})
			continue
		}
		if ok {
			name = c.name
			break
		}
	}
	if name == st.Contract {
		return false
	}
	r.record(Entry{At: at, What: WhatContractApplied, From: st.Contract, To: name})
	st.Contract = name
	r.changed()
	return true
}

// retarget gives every timer its goal under the ticket's priority,
// contract and policy, keeping elapsed time and pauses. A metric without a
// timer gets one, started at at unless the ticket is resolved or closed;
// next_response gets its timer only with the first customer message after
// an agent reply. Points the new goals leave behind catch up.
func (r *run) retarget(at time.Time) {
	l := r.ladder()
	for i, g := range l.goals {
		if t := r.st.timer(g.Metric); t != nil {
			target := l.timers[i].Target()
			t.Retarget(target, r.pol.calendars[target.Calendar], at)
			continue
		}
		if g.Metric == "next_response" {
			continue
		}
		t := l.timers[i].Clone()
		if r.st.active() {
			t.Start(at)
		}
		if r.st.Timers == nil {
			r.st.Timers = make([]*sla.Timer, 0, len(l.goals))
		}
		r.st.Timers = append(r.st.Timers, t)
	}
	r.regoaled = true
	r.changed()
}

// nextResponse returns the ticket's next_response timer, made on first
// use, or nil when its priority has no such goal.
func (r *run) nextResponse() *sla.Timer {
	if t := r.st.timer("next_response"); t != nil {
		return t
	}
	l := r.ladder()
	for i, g := range l.goals {
		if g.Metric == "next_response" {
			t := l.timers[i].Clone()
			r.st.Timers = append(r.st.Timers, t)
			return t
		}
	}
	return nil
}

// defaultCalendar is the name of the policy's default calendar.
func (pol *compiled) defaultCalendar() string {
	if pol.policy.Calendar == "" {
		return Always24x7
	}
	return pol.policy.Calendar
}

// target is the sla target of a goal under this policy.
func (pol *compiled) target(g matrix.Goal) sla.Target {
	ts := pol.targets[g.Metric]
	t := sla.Target{Metric: g.Metric, Goal: time.Duration(g.Target), Calendar: g.Calendar, WarnPercent: ts.WarnPercent, RestartOnReopen: ts.RestartOnReopen}
	if t.Calendar == "" {
		t.Calendar = pol.defaultCalendar()
	}
	for _, d := range ts.WarnBefore {
		if time.Duration(d) < t.Goal {
			t.WarnBefore = append(t.WarnBefore, time.Duration(d))
		}
	}
	return t
}
