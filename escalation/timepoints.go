package escalation

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
)

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
	levelPoint                   // a matrix level
)

// maxPoints bounds the points one run handles at once: a bound, not a
// limit any policy reaches.
const maxPoints = 10_000

// trigger describes the point for people: "resolution:75%", "in_tier:30m".
func (p point) trigger(r *run) string {
	switch p.kind {
	case slaPoint:
		return p.metric + ":" + p.th.String()
	case repeatPoint:
		return p.rule.repeatTrigger
	case levelPoint:
		return r.ladder().triggers[p.level]
	}
	return p.rule.trigger
}

// advance handles the ticket's time points up to until, each at its own
// instant and in order, so what one point does (an escalation resets the
// time in tier) shapes the points after it. Points at the same instant go
// in this order: SLA warnings and breaches, rules in the policy's order,
// matrix levels in the ladder's order. inclusive says whether points at
// until itself are handled; an event at until handles them after it. A
// resolved or closed ticket has no time points: the instants it passes
// are handled, and nothing falls.
func (r *run) advance(until time.Time, inclusive bool) {
	st := r.st
	if st.Opened.IsZero() { // not opened yet
		return
	}
	for i := 0; ; i++ {
		if !st.active() {
			break
		}
		p, ok := r.next()
		if !ok || p.at.After(until) || (!inclusive && !p.at.Before(until)) {
			break
		}
		if i == maxPoints {
			r.truncate(p.at, until, inclusive)
			break
		}
		at := p.at
		if at.Before(st.Checked) {
			at = st.Checked // a point that could not fall earlier falls now
		}
		st.Checked = at
		r.fire(p, at)
		if r.regoaled {
			r.catchUp(at)
		}
		if r.limit > 0 && r.planned >= r.limit {
			return
		}
	}
	if until.After(st.Checked) {
		st.Checked = until
	}
}

// truncate passes, without firing them, the time points from first up to
// until (inclusive says whether until's own), which a run that has fired
// maxPoints points leaves: the ticket's clock goes on from until, and the
// history says what was passed.
func (r *run) truncate(first, until time.Time, inclusive bool) {
	end := until
	if inclusive {
		end = until.Add(time.Nanosecond)
	}
	passed := r.skipStale(end)
	r.truncated = true
	r.record(Entry{At: until, What: WhatPointsPassed, Trigger: first.UTC().Format(time.RFC3339Nano),
		Note: fmt.Sprintf("%d time points fired in one run, the most one run fires; %d more from %s to %s passed without firing",
			maxPoints, passed, first.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339))})
}

// catchUp fires, at instant at, the points that a change of the ticket's
// goals left behind: a breach or warning of a shorter goal already used,
// a rule or level whose threshold the new goals put in the past. Each
// fires once, as it would have on its own instant, in the order of points
// at one instant. A resolved or closed ticket has no time points: it
// catches up when it reopens, on what its goals have put behind its
// clocks meanwhile; what fell while it was done was passed by skipStale.
func (r *run) catchUp(at time.Time) {
	r.regoaled = false
	if !r.st.active() {
		return
	}
	r.passed = at
	r.changed()
	for range maxPoints {
		p, ok := r.next()
		if !ok || p.at.After(at) {
			break
		}
		r.fire(p, at)
		if r.limit > 0 && r.planned >= r.limit {
			break
		}
	}
	r.passed = time.Time{}
	r.changed()
}

// skipStale passes, without firing them, the points that fell before at
// while the ticket was resolved or closed, so that a reopen never fires
// what belongs to the time the ticket was done: nothing back-dated.
func (r *run) skipStale(at time.Time) (passed int) {
	st := r.st
	for range maxPoints {
		p, ok := r.next()
		if !ok || !p.at.Before(at) {
			return passed
		}
		passed++
		r.changed()
		key := r.best
		switch p.kind {
		case repeatPoint:
			// The repeats go on from the last one before at.
			base := key[:bytes.LastIndexByte(key, '#')]
			f := st.Fired.get(base)
			last := p.at
			for next := p.rule.calendar.Add(last, time.Duration(p.rule.Repeat)); next.Before(at); next = p.rule.calendar.Add(last, time.Duration(p.rule.Repeat)) {
				last = next
			}
			f.At = last
			st.Fired.set(base, f)
		default:
			st.Fired.set(key, Fire{At: p.at, Done: true})
		}
	}
	return passed
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

// scan is next without the cache. While catching up (r.passed is set), the
// points already passed at that instant are candidates too, falling at it.
// Each kind of point offers only candidates whose keys have not fired.
func (r *run) scan() (point, bool) {
	var best point
	found := false
	catching := !r.passed.IsZero()
	consider := func(p point) {
		if catching && p.at.Before(r.passed) {
			p.at = r.passed
		}
		if found && !p.at.Before(best.at) {
			return
		}
		r.best = append(r.best[:0], r.key...)
		best, found = p, true
	}
	st := r.st
	for _, t := range st.Timers {
		if catching {
			r.passedThreshold(t, consider)
		}
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
	// The levels on one since_open or percent clock fall in the ladder's
	// order (their thresholds ascend: matrix.New checks it), so of each such
	// clock only the first level that has not fallen can be next.
	var clocks [4]string
	seen := clocks[:0] // the since_open and percent clocks met: "" and metrics
	for i := range r.ladder().levels {
		lv := &r.ladder().levels[i]
		clock := lv.Metric // "" for since_open
		if lv.Clock != matrix.ClockInTier && slices.Contains(seen, clock) {
			continue
		}
		p, ok, fell := r.levelPoint(i)
		if fell {
			continue
		}
		if lv.Clock != matrix.ClockInTier {
			seen = append(seen, clock)
		}
		if ok {
			consider(p)
		}
	}
	return best, found
}

// passedThreshold offers, while catching up, the highest threshold of t's
// cycle that its elapsed time has reached and that has not fired: the one
// a change of goal put behind the clock. Firing it passes the lower ones.
func (r *run) passedThreshold(t *sla.Timer, consider func(point)) {
	if t.Cycle() == 0 || t.Met() {
		return
	}
	elapsed := t.Elapsed(r.passed)
	ths := t.Marks()
	for i := len(ths) - 1; i >= 0; i-- {
		if ths[i].Elapsed > elapsed {
			continue
		}
		r.key = appendKey(r.key[:0], "sla/", t.Metric(), t.Cycle(), "/", int64(ths[i].Elapsed))
		if !r.st.Fired.has(r.key) {
			consider(point{at: r.passed, kind: slaPoint, metric: t.Metric(), th: ths[i]})
		}
		return
	}
}

// reached returns when t's elapsed time reaches x: the instant, if the
// running clock is still short of it; the instant being caught up on, if
// the clock passed it; false otherwise.
func (r *run) reached(t *sla.Timer, x time.Duration) (time.Time, bool) {
	if at, ok := t.When(x); ok {
		return at, true
	}
	if !r.passed.IsZero() && t.Cycle() > 0 && !t.Met() && t.Elapsed(r.passed) >= x {
		return r.passed, true
	}
	return time.Time{}, false
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
		if !r.st.Fired.has(r.key) {
			consider(point{at: cr.calendar.Add(f.At, time.Duration(cr.Repeat)), kind: repeatPoint, rule: cr})
		}
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

// rulePoint is the next instant of a rule's time trigger, if it has one
// that has not fired; its key is left in r.key.
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
		r.key = appendKey(r.key[:0], "rule/", cr.Name, t.Cycle(), "", -1)
		if st.Fired.has(r.key) {
			return p, false
		}
		at, ok := r.reached(t, x)
		if !ok {
			return p, false
		}
		p.at = at
	case on.InTier > 0:
		r.key = appendKey(r.key[:0], "rule/", cr.Name, -1, "stay", int64(st.Moves))
		if st.Fired.has(r.key) {
			return p, false
		}
		p.at = cr.calendar.Add(st.TierSince, time.Duration(on.InTier))
	case on.Idle > 0:
		since := st.LastReply
		if since.IsZero() {
			since = st.Opened
		}
		r.key = appendKey(r.key[:0], "rule/", cr.Name, -1, "idle", since.UnixNano())
		if st.Fired.has(r.key) {
			return p, false
		}
		p.at = cr.calendar.Add(since, time.Duration(on.Idle))
	default:
		return p, false
	}
	return p, true
}

// levelPoint is when the matrix level i of the ticket's priority falls, on
// its own clock, and false when it cannot (its clock stands still); fell
// says it fell already: each level falls once per ticket and priority,
// whichever levels fell before it. Its key is left in r.key.
func (r *run) levelPoint(i int) (p point, ok, fell bool) {
	st := r.st
	lv := &r.ladder().levels[i]
	p = point{level: i, kind: levelPoint}
	r.key = appendKey(r.key[:0], "level/", st.Priority, i, "", -1)
	if st.Fired.has(r.key) {
		return p, false, true
	}
	switch lv.Clock {
	case matrix.ClockSinceOpen:
		p.at = r.pol.calendar.Add(st.Opened, time.Duration(lv.After))
	case matrix.ClockInTier:
		p.at = r.pol.calendar.Add(st.TierSince, time.Duration(lv.After))
	case matrix.ClockPercent:
		t := st.timer(lv.Metric)
		if t == nil {
			return p, false, false
		}
		if p.at, ok = r.reached(t, time.Duration(float64(t.Goal())*lv.Percent/100)); !ok {
			return p, false, false // paused, or stopped short of it
		}
	}
	return p, true, false
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
