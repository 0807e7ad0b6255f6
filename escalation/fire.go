package escalation

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// maxCascade bounds rules that trigger on moves and move again.
const maxCascade = 8

// fire handles one time point at instant at.
func (r *run) fire(p point, at time.Time) {
	r.changed()
	if r.observe { // observer.go
		r.fired = append(r.fired, at)
	}
	st := r.st
	key := r.best // the point's fire-once key, from next
	trigger := p.trigger(r)
	switch p.kind {
	case slaPoint:
		st.Fired.set(key, Fire{At: at, Times: 1})
		t := st.timer(p.metric)
		ths := t.Marks()
		if !r.passed.IsZero() { // catching up: the thresholds below it pass with it
			for _, th := range ths {
				if th.Elapsed < p.th.Elapsed {
					r.key = appendKey(r.key[:0], "sla/", p.metric, t.Cycle(), "/", int64(th.Elapsed))
					if !st.Fired.has(r.key) {
						st.Fired.set(r.key, Fire{At: at, Done: true})
					}
				}
			}
		}
		// Every warning at this elapsed time, and the breach if it is one.
		for _, th := range ths {
			if th.Elapsed == p.th.Elapsed {
				what := WhatSLAWarning
				if th.Breach {
					what = WhatSLABreached
				}
				r.record(Entry{At: at, What: what, Trigger: p.metric + ":" + th.String()})
			}
		}
	case levelPoint:
		st.Fired.set(key, Fire{At: at, Times: 1})
		r.reachLevel(p.level, trigger, at)
	default:
		base := key
		if p.kind == repeatPoint {
			base = base[:bytes.LastIndexByte(base, '#')] // counted on the first firing's key
		}
		f := st.Fired.get(base)
		f.At, f.Times = at, f.Times+1
		f.Done = !r.runRule(p.rule, trigger, trigger, at, 0)
		st.Fired.set(base, f)
	}
}

// reachLevel applies matrix level i of the ticket's priority: the move up
// to its tier (and team), and its notifications. A ticket already on the
// level's tier or above skips the level: it neither moves nor notifies.
func (r *run) reachLevel(i int, trigger string, at time.Time) {
	st := r.st
	lv := r.ladder().levels[i]
	name := r.ladder().names[i]
	if r.pol.tierIndex[lv.Tier] <= r.pol.tierIndex[st.Tier] {
		r.record(Entry{At: at, What: WhatSkipped, By: ByMatrix, Rule: name, Trigger: trigger, To: "tier:" + lv.Tier,
			Note: "already on tier " + st.Tier})
		return
	}
	team := st.Team
	if lv.Team != "" {
		team = lv.Team
	}
	moved := r.move(lv.Tier, team, Entry{At: at, By: ByMatrix, Rule: name, Trigger: trigger})
	if len(lv.Notify) > 0 {
		r.notify(lv.Notify, ByMatrix, name, trigger, nil, at)
	}
	r.cascade(moved, at, 0)
}

// env is what the condition cond sees at instant at, handling event (or a
// time point, its trigger). What costs calendar work (the SLA statuses,
// time in tier, idle time) is worked out only for a condition that reads
// it, once for the conditions evaluated together.
func (r *run) env(cond *rules.Rule, event string, at time.Time) *rules.Env {
	st := r.st
	env := &r.envBuf
	if r.envCache == nil || r.envEvent != event || !r.envAt.Equal(at) || r.envManual != r.manual {
		slas := env.SLA
		if slas == nil {
			slas = make(map[string]rules.SLA, len(r.pol.metrics))
		}
		clear(slas)
		*env = rules.Env{
			Ticket: st.Attrs, Priority: st.Priority, Impact: st.Impact, Urgency: st.Urgency,
			Tier: r.pol.tierIndex[st.Tier] + 1, Team: st.Team, Status: st.Status, Event: event, Manual: r.manual,
			Escalations: st.Escalations, Now: at, Calendar: r.pol.calendar, SLA: slas,
		}
		r.envCache, r.envEvent, r.envAt, r.envManual, r.envHas = env, event, at, r.manual, 0
	}
	if need := r.envNeeds(cond) &^ r.envHas; need != 0 {
		r.fillEnv(env, need, at)
		r.envHas |= need
	}
	return env
}

// The parts of an environment worked out on demand.
const (
	envSLA uint8 = 1 << iota
	envTimeInTier
	envIdle
)

// envNeeds is what cond reads of the parts worked out on demand.
func (r *run) envNeeds(cond *rules.Rule) uint8 {
	var need uint8
	if cond.Reads("sla") {
		need |= envSLA
	}
	if cond.Reads("time_in_tier") {
		need |= envTimeInTier
	}
	if cond.Reads("idle") {
		need |= envIdle
	}
	return need
}

// fillEnv works out the parts need of env at instant at.
func (r *run) fillEnv(env *rules.Env, need uint8, at time.Time) {
	st := r.st
	if need&envTimeInTier != 0 {
		env.TimeInTier = r.pol.calendar.Between(st.TierSince, at)
	}
	if need&envIdle != 0 {
		idleSince := st.LastReply
		if idleSince.IsZero() {
			idleSince = st.Opened
		}
		env.Idle = r.pol.calendar.Between(idleSince, at)
	}
	if need&envSLA == 0 {
		return
	}
	for _, t := range st.Timers {
		s := t.Status(at)
		env.SLA[s.Metric] = rules.SLA{Elapsed: s.Elapsed, Remaining: s.Remaining, Percent: s.Percent, Due: s.Due, Paused: s.Paused(), Breached: s.Breached, Met: s.Met()}
	}
	// A goal without a timer yet (next_response before its first cycle)
	// has all of its time left.
	for _, g := range r.ladder().goals {
		if _, ok := env.SLA[g.Metric]; !ok {
			env.SLA[g.Metric] = rules.SLA{Remaining: time.Duration(g.Target)}
		}
	}
}

// runRule evaluates a rule that triggered at at and, when its condition
// holds, runs its actions. It reports whether the condition held.
func (r *run) runRule(cr *compiledRule, trigger, event string, at time.Time, depth int) bool {
	var why []Clause
	if cr.when != nil {
		env := r.env(cr.when, event, at)
		ok, err := cr.when.Eval(env)
		if err == nil && !ok {
			return false
		}
		why = cr.when.Explain(env)
		if err != nil {
			r.record(Entry{At: at, What: WhatRuleFailed, By: ByRule, Rule: cr.Name, Trigger: trigger, Why: why, Note: err.Error()})
			return false
		}
	}
	r.record(Entry{At: at, What: WhatRuleFired, By: ByRule, Rule: cr.Name, Trigger: trigger, Why: why})
	var moved moves
	for _, a := range cr.Do {
		moved |= r.act(a, cr.Name, trigger, why, at)
	}
	manual := r.manual
	r.manual = false // the moves are the rule's
	r.cascade(moved, at, depth)
	r.manual = manual
	return true
}

// runRules runs the rules that trigger on the event kind, in the policy's
// order.
func (r *run) runRules(kind EventKind, at time.Time, depth int) {
	for i := range r.pol.rules {
		if cr := &r.pol.rules[i]; cr.On.Event == string(kind) {
			r.runRule(cr, kind.trigger(), string(kind), at, depth)
		}
	}
}

// cascade runs the rules that trigger on the moves made, a bounded number
// of times in a row: escalated, then de_escalated, then handed_off.
func (r *run) cascade(moved moves, at time.Time, depth int) {
	if moved == 0 || r.opening {
		return
	}
	if depth >= maxCascade {
		r.record(Entry{At: at, What: WhatCascadeStopped, Note: fmt.Sprintf("more than %d moves in a row", maxCascade)})
		return
	}
	for _, kind := range moveKinds {
		if moved&movedBy(kind) != 0 {
			r.runRules(kind, at, depth+1)
		}
	}
}
