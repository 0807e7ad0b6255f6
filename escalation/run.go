package escalation

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// run is the work on one ticket's state under one policy: bringing its
// time triggers up to an instant, applying an event, firing rules.
type run struct {
	pol     *compiled
	st      *State
	dry     bool    // planning: record what would happen, deliver nothing
	limit   int     // planning: stop after this many planned entries (0: no limit)
	planned int     // planning: how many so far
	entries []Entry // what happened, to append to the history
	key     []byte  // scratch for fire-once keys
	best    []byte  // the fire-once key of the point next returned

	// The environment of the last condition evaluated, while nothing has
	// changed since: rules triggered together share it.
	envAt    time.Time
	envEvent string
	envCache *rules.Env // nil or &envBuf
	envBuf   rules.Env

	// The last answer of next, while nothing has changed since.
	peek      point
	peekOK    bool
	peekValid bool
}

// runs recycles runs, whose buffers and rule environment would otherwise
// be made anew for every event and every due ticket.
var runs = sync.Pool{New: func() any { return new(run) }}

// newRun returns a run of the ticket st under pol; free gives it back.
func newRun(pol *compiled, st *State) *run {
	r := runs.Get().(*run)
	r.pol, r.st = pol, st
	return r
}

// free returns r to the pool. The state it ran on is the caller's (a store
// may keep it); its entries buffer, whose contents a store has copied, is
// kept with the other scratch.
func (r *run) free() {
	clear(r.entries)
	clear(r.envBuf.SLA)
	*r = run{entries: r.entries[:0], key: r.key[:0], best: r.best[:0], envBuf: rules.Env{SLA: r.envBuf.SLA}}
	runs.Put(r)
}

// maxCascade bounds rules that trigger on escalated and escalate again.
const maxCascade = 8

// check refuses an event the ticket cannot take.
func (pol *compiled) check(st *State, ev Event) error {
	switch {
	case ev.At.Before(st.LastEvent):
		return ErrOutOfOrder
	case st.Closed && ev.Kind != Reopened:
		return ErrClosed
	case ev.Kind == Reopened && !st.Closed && !st.met("resolution"):
		return ErrNotResolved
	}
	var errs []error
	if names := pol.unknownNames(ev); len(names) > 0 {
		errs = append(errs, fmt.Errorf("%w:\n%s", ErrUnknownName, strings.Join(names, "\n")))
	}
	if ev.Attrs != nil && pol.policy.Schema != nil {
		if err := pol.policy.Schema.Check(ev.Attrs); err != nil {
			errs = append(errs, fmt.Errorf("%w:\n%v", ErrAttrs, err))
		}
	}
	return errors.Join(errs...)
}

// unknownNames lists the names in ev that the policy does not declare.
func (pol *compiled) unknownNames(ev Event) []string {
	var out []string
	m := pol.policy.Matrix
	known := func(field, name string, names []string) {
		if name != "" && !slices.Contains(names, name) {
			out = append(out, fmt.Sprintf("%s %q is not one of %s", field, name, strings.Join(names, ", ")))
		}
	}
	known("impact", ev.Impact, m.Impacts)
	known("urgency", ev.Urgency, m.Urgencies)
	if _, ok := pol.ladders[ev.Priority]; ev.Priority != "" && !ok {
		known("priority", ev.Priority, pol.priorities)
	}
	if _, ok := pol.policy.Teams[ev.Team]; ev.Team != "" && !ok {
		known("team", ev.Team, slices.Sorted(maps.Keys(pol.policy.Teams)))
	}
	return out
}

// met reports whether the ticket's timer of metric has met its cycle.
func (st *State) met(metric string) bool {
	t := st.timer(metric)
	return t != nil && t.Met()
}

// point is a time trigger and the instant it falls.
type point struct {
	at     time.Time
	kind   pointKind
	rule   *compiledRule // rulePoint, repeatPoint
	level  int           // levelPoint: the matrix level's index
	metric string        // slaPoint
	th     sla.Threshold // slaPoint
}

type pointKind uint8

const (
	slaPoint    pointKind = iota // a timer's warning or breach
	rulePoint                    // a rule's time trigger
	repeatPoint                  // a repeating rule fires again
	levelPoint                   // the next matrix level
)

// trigger describes the point for people: "resolution:75%", "in_tier:30m".
func (p point) trigger(r *run) string {
	switch p.kind {
	case slaPoint:
		return p.metric + ":" + p.th.String()
	case repeatPoint:
		return p.rule.trigger + " (repeat)"
	case levelPoint:
		levels, _ := r.pol.levels(r.st.Priority)
		return levelTrigger(levels[p.level])
	}
	return p.rule.trigger
}

// advance handles the ticket's time points up to until, each at its own
// instant and in order, so what one point does (an escalation resets the
// time in tier) shapes the points after it. Points at the same instant go
// in this order: SLA warnings and breaches, rules in the policy's order,
// the matrix level. inclusive says whether points
// at until itself are handled; an event at until handles them after it.
func (r *run) advance(until time.Time, inclusive bool) {
	if r.st.Closed || r.st.Opened.IsZero() { // closed, or not opened yet
		return
	}
	for range 10_000 { // a bound, not a limit any policy reaches
		p, ok := r.next()
		if !ok || p.at.After(until) || (!inclusive && !p.at.Before(until)) {
			break
		}
		at := p.at
		if at.Before(r.st.Checked) {
			at = r.st.Checked // a point that could not fall earlier falls now
		}
		r.st.Checked = at
		r.fire(p, at)
		if r.limit > 0 && r.planned >= r.limit {
			return
		}
	}
	if until.After(r.st.Checked) {
		r.st.Checked = until
	}
}

// next returns the earliest time point that has not fired. Each
// candidate's fire-once key is built in r.key; a key becomes a string only
// for a candidate that is the earliest so far.
func (r *run) next() (point, bool) {
	if r.peekValid {
		return r.peek, r.peekOK
	}
	p, ok := r.scan()
	r.peek, r.peekOK, r.peekValid = p, ok, true
	return p, ok
}

// scan is next without the cache.
func (r *run) scan() (point, bool) {
	var best point
	found := false
	consider := func(p point) {
		if found && !p.at.Before(best.at) {
			return
		}
		if r.st.Fired.has(r.key) {
			return
		}
		r.best = append(r.best[:0], r.key...)
		best, found = p, true
	}
	st := r.st
	for _, t := range st.Timers {
		// The timer's warnings and breach from the instant handled last on,
		// itself included: an event at an instant handles the points at that
		// instant after it.
		from := st.Checked.Add(-time.Nanosecond)
		for {
			c, ok := t.Next(from)
			if !ok || (found && !c.At.Before(best.at)) {
				break
			}
			metric := t.Metric()
			r.key = appendKey(r.key[:0], "sla/", metric, t.Cycle(), "/", int64(c.Elapsed))
			if !st.Fired.has(r.key) {
				consider(point{at: c.At, kind: slaPoint, metric: metric, th: c.Threshold})
				break
			}
			from = c.At
		}
	}
	for i := range r.pol.rules {
		cr := &r.pol.rules[i]
		if p, ok := r.rulePoint(cr); ok {
			consider(p)
		}
		if cr.Repeat > 0 {
			r.repeats(cr, consider)
		}
	}
	if p, ok := r.levelPoint(); ok {
		consider(p)
	}
	return best, found
}

// repeats offers the next repetition of each firing of a repeating rule
// whose condition still held. A metric trigger repeats only while its
// cycle runs.
func (r *run) repeats(cr *compiledRule, consider func(point)) {
	prefix := cr.firedPrefix
	current := -1
	if cr.On.Metric != "" {
		t := r.st.timer(cr.On.Metric)
		if t == nil || t.Met() {
			return
		}
		current = t.Cycle()
	}
	for _, fd := range r.st.Fired {
		key, f := fd.Key, fd.Fire
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || f.Done || strings.ContainsAny(rest, "/#") || (current >= 0 && rest != strconv.Itoa(current)) {
			continue
		}
		r.key = strconv.AppendInt(append(append(r.key[:0], key...), '#'), int64(f.Times+1), 10)
		consider(point{at: cr.calendar.Add(f.At, time.Duration(cr.Repeat)), kind: repeatPoint, rule: cr})
	}
}

// appendKey appends a fire-once key: kind, name, "/" and the cycle if it is
// not negative, then "/", tag and n if n is not negative.
func appendKey(b []byte, kind, name string, cycle int, tag string, n int64) []byte {
	b = append(append(b, kind...), name...)
	if cycle >= 0 {
		b = strconv.AppendInt(append(b, '/'), int64(cycle), 10)
	}
	if n >= 0 {
		b = strconv.AppendInt(append(append(b, '/'), tag...), n, 10)
	}
	return b
}

// rulePoint is the next instant of a rule's time trigger, if it has one;
// its key is left in r.key.
func (r *run) rulePoint(cr *compiledRule) (point, bool) {
	st, on := r.st, cr.On
	p := point{rule: cr, kind: rulePoint}
	switch {
	case on.Metric != "":
		t := st.timer(on.Metric)
		if t == nil {
			return p, false
		}
		goal := t.Goal()
		var x time.Duration
		switch {
		case on.Breach:
			x = goal
		case on.BeforeDue > 0:
			x = goal - time.Duration(on.BeforeDue)
		default:
			x = time.Duration(float64(goal) * on.Percent / 100)
		}
		at, ok := t.When(x)
		if !ok {
			return p, false
		}
		p.at = at
		r.key = appendKey(r.key[:0], "rule/", cr.Name, t.Cycle(), "", -1)
	case on.InTier > 0:
		p.at = cr.calendar.Add(st.TierSince, time.Duration(on.InTier))
		r.key = appendKey(r.key[:0], "rule/", cr.Name, -1, "stay", int64(st.Moves))
	case on.Idle > 0:
		since := st.LastReply
		if since.IsZero() {
			since = st.Opened
		}
		p.at = cr.calendar.Add(since, time.Duration(on.Idle))
		r.key = appendKey(r.key[:0], "rule/", cr.Name, -1, "idle", since.UnixNano())
	default:
		return p, false
	}
	return p, true
}

// levelPoint is when the first matrix level the ticket has not reached
// falls, on its clock: levels are climbed in order, so only that one can
// be next. A level whose clock passed it earlier falls now.
func (r *run) levelPoint() (point, bool) {
	st := r.st
	levels, _ := r.pol.levels(st.Priority)
	if st.Level >= len(levels) {
		return point{}, false
	}
	lv := levels[st.Level]
	p := point{level: st.Level, kind: levelPoint}
	r.key = appendKey(r.key[:0], "level/", st.Priority, st.Level, "", -1)
	switch lv.Clock {
	case matrix.ClockSinceOpen:
		p.at = r.pol.calendar.Add(st.Opened, time.Duration(lv.After))
	case matrix.ClockInTier:
		p.at = r.pol.calendar.Add(st.TierSince, time.Duration(lv.After))
	case matrix.ClockPercent:
		t := st.timer(lv.Metric)
		if t == nil {
			return p, false
		}
		x := time.Duration(float64(t.Goal()) * lv.Percent / 100)
		at, ok := t.When(x)
		switch {
		case ok:
			p.at = at
		case t.Elapsed(st.Checked) >= x:
			p.at = st.Checked // reached before the timer last paused
		default:
			return p, false // paused or stopped short of it
		}
	}
	return p, true
}

func levelTrigger(lv matrix.Level) string {
	if lv.Clock == matrix.ClockPercent {
		return fmt.Sprintf("%s:%g%%", lv.Metric, lv.Percent)
	}
	return fmt.Sprintf("%s:%s", lv.Clock, lv.After)
}

// triggerName names a rule's trigger for people: "event:opened",
// "resolution:75%", "in_tier:30m".
func triggerName(on Trigger) string {
	switch {
	case on.Event != "":
		return EventKind(on.Event).trigger()
	case on.Breach:
		return on.Metric + ":breach"
	case on.BeforeDue > 0:
		return fmt.Sprintf("%s:%s before due", on.Metric, on.BeforeDue)
	case on.Metric != "":
		return fmt.Sprintf("%s:%g%%", on.Metric, on.Percent)
	case on.InTier > 0:
		return fmt.Sprintf("in_tier:%s", on.InTier)
	}
	return fmt.Sprintf("idle:%s", on.Idle)
}

// fire handles one time point at instant at.
func (r *run) fire(p point, at time.Time) {
	r.peekValid = false
	st := r.st
	key := r.best // the point's fire-once key, from next
	trigger := p.trigger(r)
	switch p.kind {
	case slaPoint:
		st.Fired.set(key, Fire{At: at, Times: 1})
		// Every warning at this elapsed time, and the breach if it is one.
		t := st.timer(p.metric)
		for _, th := range t.Target().Thresholds() {
			if th.Elapsed == p.th.Elapsed {
				what := "sla_warning"
				if th.Breach {
					what = "sla_breached"
				}
				r.record(Entry{At: at, What: what, Trigger: p.metric + ":" + th.String()})
			}
		}
	case levelPoint:
		st.Fired.set(key, Fire{At: at, Times: 1})
		r.reachLevel(p, trigger, at)
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

// reachLevel applies a matrix level: the move to its tier and team, and
// its notifications.
func (r *run) reachLevel(p point, trigger string, at time.Time) {
	st := r.st
	levels, _ := r.pol.levels(st.Priority)
	lv := levels[p.level]
	st.Level = p.level + 1
	name := fmt.Sprintf("matrix:%s[%d]", st.Priority, p.level)
	moved := false
	if r.pol.tierIndex[lv.Tier] > r.pol.tierIndex[st.Tier] {
		moved = r.move(lv.Tier, st.Team, name, trigger, nil, at)
	}
	if lv.Team != "" && lv.Team != st.Team {
		moved = r.move(st.Tier, lv.Team, name, trigger, nil, at) || moved
	}
	if len(lv.Notify) > 0 {
		r.notify(lv.Notify, name, trigger, nil, at)
	}
	if moved {
		r.cascade(at, 0)
	}
}

// env is what a rule sees at instant at.
func (r *run) env(event string, at time.Time) *rules.Env {
	if r.envCache != nil && r.envEvent == event && r.envAt.Equal(at) {
		return r.envCache
	}
	st := r.st
	slas := r.envBuf.SLA
	if slas == nil {
		slas = make(map[string]rules.SLA, len(r.pol.metrics))
	}
	clear(slas)
	env := &r.envBuf
	*env = rules.Env{
		Ticket: st.Attrs, Priority: st.Priority, Impact: st.Impact, Urgency: st.Urgency,
		Tier: r.pol.tierIndex[st.Tier] + 1, Team: st.Team, Status: st.Status, Event: event,
		Escalations: st.Escalations, Now: at, Calendar: r.pol.calendar,
		TimeInTier: r.pol.calendar.Between(st.TierSince, at),
		SLA:        slas,
	}
	idleSince := st.LastReply
	if idleSince.IsZero() {
		idleSince = st.Opened
	}
	env.Idle = r.pol.calendar.Between(idleSince, at)
	for _, t := range st.Timers {
		s := t.Status(at)
		env.SLA[s.Metric] = rules.SLA{Elapsed: s.Elapsed, Remaining: s.Remaining, Percent: s.Percent, Due: s.Due, Paused: s.Paused(), Breached: s.Breached, Met: s.Met()}
	}
	// A goal without a timer yet (next_response before its first cycle)
	// has all of its time left.
	goals, _ := r.pol.goals(st.Priority)
	for _, g := range goals {
		if _, ok := env.SLA[g.Metric]; !ok {
			env.SLA[g.Metric] = rules.SLA{Remaining: time.Duration(g.Target)}
		}
	}
	r.envCache, r.envEvent, r.envAt = env, event, at
	return env
}

// runRule evaluates a rule that triggered at at and, when its condition
// holds, runs its actions. It reports whether the condition held.
func (r *run) runRule(cr *compiledRule, trigger, event string, at time.Time, depth int) bool {
	var why []Clause
	if cr.when != nil {
		env := r.env(event, at)
		ok, err := cr.when.Eval(env)
		if err == nil && !ok {
			return false
		}
		why = cr.when.Explain(env)
		if err != nil {
			r.record(Entry{At: at, What: "rule_failed", Rule: cr.Name, Trigger: trigger, Why: why, Note: err.Error()})
			return false
		}
	}
	r.record(Entry{At: at, What: "rule_fired", Rule: cr.Name, Trigger: trigger, Why: why})
	moved := false
	for _, a := range cr.Do {
		moved = r.act(a, cr.Name, trigger, why, at) || moved
	}
	if moved {
		r.cascade(at, depth)
	}
	return true
}

// cascade runs the rules that trigger on escalated, a bounded number of
// times in a row.
func (r *run) cascade(at time.Time, depth int) {
	if depth >= maxCascade {
		r.record(Entry{At: at, What: "cascade_stopped", Note: fmt.Sprintf("more than %d escalations in a row", maxCascade)})
		return
	}
	for i := range r.pol.rules {
		if cr := &r.pol.rules[i]; cr.On.Event == string(Escalated) {
			r.runRule(cr, "event:escalated", string(Escalated), at, depth+1)
		}
	}
}

// act runs one action; it reports whether the ticket moved.
func (r *run) act(a Action, rule, trigger string, why []Clause, at time.Time) bool {
	st, pol := r.st, r.pol
	switch {
	case a.Escalate != "":
		to := a.Escalate
		if to == "next" {
			i := pol.tierIndex[st.Tier] + 1
			if i >= len(pol.policy.Tiers) {
				r.record(Entry{At: at, What: "escalation_refused", Rule: rule, Trigger: trigger, Note: "already on the highest tier"})
				return false
			}
			to = pol.policy.Tiers[i]
		}
		if pol.tierIndex[to] <= pol.tierIndex[st.Tier] {
			r.record(Entry{At: at, What: "escalation_refused", Rule: rule, Trigger: trigger, Note: "tier " + to + " is not above " + st.Tier})
			return false
		}
		return r.move(to, st.Team, rule, trigger, why, at)
	case a.Deescalate:
		i := pol.tierIndex[st.Tier]
		if i == 0 {
			return false
		}
		return r.move(pol.policy.Tiers[i-1], st.Team, rule, trigger, why, at)
	case a.Team != "":
		if a.Team == st.Team {
			return false
		}
		if from, ok := pol.policy.Teams[st.Team]; ok && !slices.Contains(from.Handoff, a.Team) {
			r.record(Entry{At: at, What: "handoff_refused", Rule: rule, Trigger: trigger, Note: "team " + st.Team + " does not hand off to " + a.Team})
			return false
		}
		return r.move(st.Tier, a.Team, rule, trigger, why, at)
	case len(a.Notify) > 0:
		r.notify(a.Notify, rule, trigger, why, at)
	case a.SetPriority != "" || a.SetImpact != "" || a.SetUrgency != "":
		r.setPriority(a.SetImpact, a.SetUrgency, a.SetPriority, at, rule)
	case a.Pause != "":
		if t := st.timer(a.Pause); t != nil && t.Pause(at) == nil {
			r.record(Entry{At: at, What: "sla_paused", Rule: rule, Trigger: trigger, To: a.Pause})
		}
	case a.Resume != "":
		if t := st.timer(a.Resume); t != nil && t.Resume(at) == nil {
			r.record(Entry{At: at, What: "sla_resumed", Rule: rule, Trigger: trigger, To: a.Resume})
		}
	}
	return false
}

// move puts the ticket on tier and team, starting a new stay.
func (r *run) move(tier, team, rule, trigger string, why []Clause, at time.Time) bool {
	st := r.st
	if tier == st.Tier && team == st.Team {
		return false
	}
	e := Entry{At: at, Rule: rule, Trigger: trigger, Why: why}
	switch {
	case tier != st.Tier:
		e.What, e.From, e.To = "escalated", "tier:"+st.Tier, "tier:"+tier
		if r.pol.tierIndex[tier] < r.pol.tierIndex[st.Tier] {
			e.What = "deescalated"
		}
	default:
		e.What, e.From, e.To = "handed_off", "team:"+st.Team, "team:"+team
	}
	if tier != st.Tier && team != st.Team { // both: say so
		e.From += " team:" + st.Team
		e.To += " team:" + team
	}
	r.record(e)
	st.PrevTier, st.PrevTeam = "", ""
	if tier != st.Tier {
		st.PrevTier = st.Tier
	}
	if team != st.Team {
		st.PrevTeam = st.Team
	}
	st.Tier, st.Team, st.TierSince = tier, team, at
	st.Moves++
	st.Escalations++
	return true
}

// notify saves a notification for delivery.
func (r *run) notify(to []string, rule, trigger string, why []Clause, at time.Time) {
	st := r.st
	r.key = strconv.AppendInt(append(append(append(append(r.key[:0], st.ID...), '/'), rule...), '/'), int64(st.Entries), 10)
	n := Notification{
		Key:    string(r.key), // ticket/rule/position in the history
		Ticket: st.ID, At: at, To: to, Rule: rule, Trigger: trigger, Why: why,
		ToTier: st.Tier, ToTeam: st.Team, Priority: st.Priority, Status: st.Status,
		Attrs: st.Attrs, Policy: st.Policy,
	}
	n.FromTier, n.FromTeam = st.PrevTier, st.PrevTeam
	n.SLA = make([]sla.Status, 0, len(st.Timers))
	for _, t := range st.Timers {
		n.SLA = append(n.SLA, t.Status(at))
	}
	r.record(Entry{At: at, What: "notified", Rule: rule, Trigger: trigger, Why: why, To: join(to)})
	if !r.dry {
		st.Outbox = append(st.Outbox, Pending{Notification: n, NextAttempt: at})
	}
}

func join(to []string) string { return strings.Join(to, ", ") }

// record notes an entry for the history.
func (r *run) record(e Entry) {
	r.envCache, r.peekValid = nil, false // every change of the ticket is recorded
	e.Policy = r.st.Policy
	r.entries = append(r.entries, e)
	r.st.Entries++
	if r.dry && planned(e) {
		r.planned++
	}
}

// planned reports whether an entry belongs in a plan: a move or a
// notification.
func planned(e Entry) bool {
	switch e.What {
	case "escalated", "deescalated", "handed_off", "notified":
		return true
	}
	return false
}

// apply applies a reported event at its instant.
func (r *run) apply(ev Event) {
	st, at := r.st, ev.At
	st.LastEvent = at
	if ev.Attrs != nil {
		st.Attrs = ev.Attrs
	}
	if ev.Kind == Opened {
		r.open(ev)
	} else {
		if ev.Team != "" && ev.Team != st.Team {
			r.move(st.Tier, ev.Team, "", ev.Kind.trigger(), nil, at)
		}
		r.setPriority(ev.Impact, ev.Urgency, ev.Priority, at, "")
		r.record(Entry{At: at, What: string(ev.Kind), Actor: ev.Actor})
	}
	if ev.Status != "" && ev.Status != st.Status {
		r.setStatus(ev.Status, at)
	}
	switch ev.Kind {
	case AgentReplied:
		st.Replied, st.LastReply = true, at
		r.stop("first_response", at)
		r.stop("next_response", at)
	case CustomerReplied:
		st.LastReply = at
		if !st.Replied {
			break
		}
		if t := r.nextResponse(); t != nil && t.NewCycle(at) == nil {
			r.record(Entry{At: at, What: "sla_started", To: "next_response"})
		}
	case Resolved:
		for _, t := range st.Timers {
			r.stop(t.Metric(), at)
		}
	case Reopened:
		st.Closed = false
		if t := st.timer("resolution"); t != nil && t.Reopen(at) == nil {
			r.record(Entry{At: at, What: "sla_reopened", To: "resolution"})
		}
	case Closed:
		for _, t := range st.Timers {
			r.stop(t.Metric(), at)
		}
		st.Closed = true
	}
	for i := range r.pol.rules {
		if cr := &r.pol.rules[i]; cr.On.Event == string(ev.Kind) {
			r.runRule(cr, ev.Kind.trigger(), string(ev.Kind), at, 0)
		}
	}
	r.peekValid, r.envCache = false, nil
}

// open sets up a new ticket.
func (r *run) open(ev Event) {
	st, pol, at := r.st, r.pol, ev.At
	st.Opened, st.TierSince, st.Checked = at, at, at
	st.Tier, st.Team = pol.policy.Tiers[0], ev.Team
	if st.Team == "" {
		st.Team = pol.policy.DefaultTeam
	}
	st.Impact, st.Urgency, st.Priority = ev.Impact, ev.Urgency, r.priorityOf(ev.Impact, ev.Urgency, ev.Priority)
	r.record(Entry{At: at, What: "opened", Actor: ev.Actor, To: "tier:" + st.Tier})
	r.retarget(at)
}

// priorityOf is the priority named, or the matrix's for impact and
// urgency, or the lowest.
func (r *run) priorityOf(impact, urgency, priority string) string {
	if priority != "" {
		return priority
	}
	if p, ok := r.pol.matrix.Priority(impact, urgency); ok {
		return p
	}
	ps := r.pol.policy.Matrix.Priorities
	return ps[len(ps)-1].Name
}

// setPriority changes impact, urgency or priority ("" keeps each); the SLA
// goals follow the new priority without losing elapsed time.
func (r *run) setPriority(impact, urgency, priority string, at time.Time, rule string) {
	st := r.st
	if impact == "" {
		impact = st.Impact
	}
	if urgency == "" {
		urgency = st.Urgency
	}
	if priority == "" && (impact != st.Impact || urgency != st.Urgency) {
		priority = r.priorityOf(impact, urgency, "")
	}
	st.Impact, st.Urgency = impact, urgency
	if priority == "" || priority == st.Priority {
		return
	}
	r.record(Entry{At: at, What: "priority_changed", Rule: rule, From: st.Priority, To: priority})
	st.Priority, st.Level = priority, 0 // the new priority's ladder, from its first level
	r.retarget(at)
}

// retarget gives every timer its goal under the ticket's priority and
// policy, keeping elapsed time and pauses. A metric without a timer gets
// one, started at at unless the ticket is resolved; next_response gets its
// timer only with the first customer message after an agent reply.
func (r *run) retarget(at time.Time) {
	l := r.pol.ladders[r.st.Priority]
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
		if !r.st.met("resolution") {
			t.Start(at)
		}
		if r.st.Timers == nil {
			r.st.Timers = make([]*sla.Timer, 0, len(l.goals))
		}
		r.st.Timers = append(r.st.Timers, t)
	}
}

// nextResponse returns the ticket's next_response timer, made on first
// use, or nil when its priority has no such goal.
func (r *run) nextResponse() *sla.Timer {
	if t := r.st.timer("next_response"); t != nil {
		return t
	}
	l := r.pol.ladders[r.st.Priority]
	for i, g := range l.goals {
		if g.Metric == "next_response" {
			t := l.timers[i].Clone()
			r.st.Timers = append(r.st.Timers, t)
			return t
		}
	}
	return nil
}

// setStatus changes the status; metrics the new status pauses pause, and
// those the old one paused resume.
func (r *run) setStatus(status string, at time.Time) {
	st := r.st
	old := r.pol.pause[st.Status]
	now := r.pol.pause[status]
	st.Status = status
	for _, m := range old {
		if t := st.timer(m); t != nil && !slices.Contains(now, m) && t.Resume(at) == nil {
			r.record(Entry{At: at, What: "sla_resumed", To: m, Note: "status " + status})
		}
	}
	for _, m := range now {
		if t := st.timer(m); t != nil && !slices.Contains(old, m) && t.Pause(at) == nil {
			r.record(Entry{At: at, What: "sla_paused", To: m, Note: "status " + status})
		}
	}
}

// stop meets a metric's running or paused timer.
func (r *run) stop(metric string, at time.Time) {
	t := r.st.timer(metric)
	if t == nil || t.Stop(at) != nil {
		return
	}
	what := "sla_met"
	if t.Status(at).Breached {
		what = "sla_met_late"
	}
	r.record(Entry{At: at, What: what, To: metric})
}

// migrate moves the ticket to this run's policy from the one it ran on.
func (r *run) migrate(from *compiled, at time.Time) {
	r.record(Entry{At: at, What: "migrated", From: from.policy.Version, To: r.pol.policy.Version})
	r.st.Policy = r.pol.policy.Version
	if _, ok := r.pol.tierIndex[r.st.Tier]; !ok {
		r.st.Tier = r.pol.policy.Tiers[0]
	}
	if _, ok := r.pol.goals(r.st.Priority); !ok {
		r.st.Priority = r.priorityOf(r.st.Impact, r.st.Urgency, "")
	}
	r.retarget(at)
}

// schedule sets when the ticket is next due: its next time point, or a
// delivery.
func (r *run) schedule() {
	r.st.Due = time.Time{}
	if p, ok := r.next(); ok && !r.st.Closed {
		r.st.Due = p.at
	}
	r.scheduleOutbox()
}

func (r *run) scheduleOutbox() {
	for _, p := range r.st.Outbox {
		if r.st.Due.IsZero() || p.NextAttempt.Before(r.st.Due) {
			r.st.Due = p.NextAttempt
		}
	}
}

// planOf runs a copy of the ticket forward from now to until and returns
// what would happen: escalations and notifications. limit > 0 stops after
// that many.
func planOf(pol *compiled, st *State, now, until time.Time, limit int) []Entry {
	r := newRun(pol, st.Clone())
	defer r.free()
	r.dry = true
	if now.After(r.st.Checked) {
		r.advance(now, true)
	}
	r.entries, r.planned, r.limit = nil, 0, limit
	r.advance(until, true)
	var out []Entry
	for _, e := range r.entries {
		if planned(e) && (limit == 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out
}

// goals and levels are a priority's, and false for an unknown priority.
func (pol *compiled) goals(priority string) ([]matrix.Goal, bool) {
	l, ok := pol.ladders[priority]
	return l.goals, ok
}

func (pol *compiled) levels(priority string) ([]matrix.Level, bool) {
	l, ok := pol.ladders[priority]
	return l.levels, ok
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
