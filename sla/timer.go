package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/ladder-go/ladder/internal/duration"
)

// State is where a timer stands at an instant.
type State int

const (
	NotStarted State = iota // Start has not been called, or a new cycle is awaited
	Running                 // the clock counts business time, and the goal is not used up
	Paused                  // the clock is stopped until Resume
	Breached                // the clock counts, and the goal is used up
	Met                     // Stop ended the cycle; Status.Breached tells met late from met in time
)

var stateNames = [...]string{"not_started", "running", "paused", "breached", "met"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// MarshalText writes the state's name.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	i := slices.Index(stateNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("sla: unknown timer state %q", b)
	}
	*s = State(i)
	return nil
}

// The errors a timer's events return, matched with errors.Is. A failed
// event leaves the timer unchanged.
var (
	ErrOutOfOrder = errors.New("event before the timer's last event")
	ErrNotRunning = errors.New("timer is not running")
	ErrPaused     = errors.New("timer is already paused")
	ErrNotPaused  = errors.New("timer is not paused")
	ErrStarted    = errors.New("timer has already started")
	ErrStopped    = errors.New("timer has already stopped")
	ErrNotStopped = errors.New("timer's cycle is still open")
	ErrUnbound    = errors.New("timer has no calendar: call Bind")
)

// TimerError is the error of a timer event: which metric, which event, at
// which instant, and why (one of the Err values, reached by errors.Is).
type TimerError struct {
	Metric string
	Op     string
	At     time.Time
	Err    error
}

func (e *TimerError) Error() string {
	return fmt.Sprintf("sla: %s: %s at %s: %v", e.Metric, e.Op, e.At.Format(time.RFC3339Nano), e.Err)
}

func (e *TimerError) Unwrap() error { return e.Err }

// Cycle is a finished cycle of a timer, kept with its outcome.
type Cycle struct {
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end"`
	Goal    time.Duration `json:"goal"`
	Elapsed time.Duration `json:"elapsed"`
	Due     time.Time     `json:"due"`
	Late    bool          `json:"late"` // met after the goal was used up
}

// Timer is the SLA clock of one metric of one ticket. It is a plain value
// with no clock inside: every event and every question takes its instant.
//
// The clock counts business time on its calendar while running, from Start
// until Stop, except between Pause and Resume. Due is the instant the goal
// is used up, moved later by exactly the business time the clock stood
// still: the business time pauses overlapped, and, for a resolution clock
// that continues on Reopen, the business time it stood stopped before the
// reopen. Status reports the two apart (PausedFor, ResolvedFor). From Due
// on the target is breached, so a stop at or after Due is met late. A
// next_response timer closes each cycle with Stop and opens the next with
// NewCycle; every finished cycle is kept.
//
// Questions are answered for instants at or after the timer's last event;
// an earlier instant is answered as of the last event. Each costs a few
// calendar operations however many pauses the timer has had. A Timer is
// not safe for concurrent mutation; concurrent questions are safe.
//
// A Timer marshals to JSON and back losslessly. Its calendar is not part
// of the JSON (a calendar is shared by many timers): after unmarshalling,
// Bind gives it back, except for a target on Always (Calendar ""), which
// binds itself.
type Timer struct {
	target *goal // shared by clones: never written after it is set
	cal    *Calendar

	state    State     // NotStarted, Running, Paused or Met
	cycle    int       // the current cycle, from 1; 0 before the first start
	start    time.Time // the current cycle's start
	since    time.Time // running: the start of this stretch; paused, met: when it paused or stopped
	base     time.Duration
	paused   time.Duration // business time the cycle's finished pauses overlapped
	resolved time.Duration // business time the cycle stood stopped before a Reopen
	pauses   int
	breachAt time.Time // when the cycle used up its goal, once it is known
	last     time.Time // the latest event
	finished []Cycle
}

// NewTimer returns a timer for target on cal, not started. cal nil means
// Always. It fails with a *TargetError for an invalid target.
func NewTimer(target Target, cal *Calendar) (*Timer, error) {
	if err := target.Validate(); err != nil {
		return nil, err
	}
	t := &Timer{target: newGoal(target)}
	t.Bind(cal)
	return t, nil
}

// goal is a timer's target, copied from the caller's, with its thresholds
// worked out once.
type goal struct {
	Target
	thresholds []Threshold
}

// noGoal is the goal of the zero Timer, which has none.
var noGoal goal

// goal returns the timer's goal; the zero Timer has noGoal.
func (t *Timer) goal() *goal {
	if t.target == nil {
		return &noGoal
	}
	return t.target
}

func newGoal(t Target) *goal {
	t = cloneTarget(t)
	return &goal{t, t.Thresholds()}
}

func cloneTarget(t Target) Target {
	t.WarnPercent = slices.Clone(t.WarnPercent)
	t.WarnBefore = slices.Clone(t.WarnBefore)
	return t
}

// Clone returns a copy of the timer that shares nothing mutable with it:
// its target and thresholds are never written after they are set, and its
// finished cycles are only appended to (the copy's capacity is clipped).
func (t *Timer) Clone() *Timer {
	c := *t
	c.finished = slices.Clip(t.finished)
	return &c
}

// Bind sets the calendar the timer runs on, as named by its target; nil
// means Always.
func (t *Timer) Bind(cal *Calendar) {
	if cal == nil {
		cal = Always
	}
	t.cal = cal
}

// State is where the timer's cycle stands, without working out the time:
// NotStarted, Running (breached or not), Paused or Met. An event a timer
// in the wrong state cannot take fails with an error; asking first spares
// making one.
func (t *Timer) State() State { return t.state }

// Met reports whether the current cycle was met (stopped), in time or late:
// Status(now).Met() at any now, without working out the rest.
func (t *Timer) Met() bool { return t.state == Met }

// Bound reports whether the timer has a calendar: a timer unmarshalled
// from JSON has none until Bind, unless its target is on Always.
func (t *Timer) Bound() bool { return t.cal != nil }

// Metric is the name of the timer's metric.
func (t *Timer) Metric() string { return t.goal().Metric }

// Goal is the business time the timer's target allows.
func (t *Timer) Goal() time.Duration { return t.goal().Goal }

// Target returns the timer's target.
func (t *Timer) Target() Target { return cloneTarget(t.goal().Target) }

// Cycle is the number of the current cycle, from 1; 0 before the first
// start.
func (t *Timer) Cycle() int { return t.cycle }

// Cycles returns the finished cycles, oldest first.
func (t *Timer) Cycles() []Cycle { return slices.Clone(t.finished) }

// Pauses is how many times the current cycle was paused.
func (t *Timer) Pauses() int { return t.pauses }

// Start starts the first cycle at at.
func (t *Timer) Start(at time.Time) error {
	if err := t.check("start", at, t.state == NotStarted, ErrStarted); err != nil {
		return err
	}
	t.begin(at)
	return nil
}

// NewCycle closes a met cycle, keeping it, and starts the next one at at
// with the whole goal: a next_response timer calls it for each customer
// message after an agent reply. It also starts a timer that never started.
func (t *Timer) NewCycle(at time.Time) error {
	if err := t.check("new cycle", at, t.state == NotStarted || t.state == Met, ErrNotStopped); err != nil {
		return err
	}
	t.archive()
	t.begin(at)
	return nil
}

// Pause stops the clock at at until Resume.
func (t *Timer) Pause(at time.Time) error {
	if err := t.check("pause", at, t.state == Running, t.notRunning()); err != nil {
		return err
	}
	t.halt(at)
	t.state = Paused
	t.pauses++
	return nil
}

// Resume restarts the clock at at after a Pause.
func (t *Timer) Resume(at time.Time) error {
	if err := t.check("resume", at, t.state == Paused, ErrNotPaused); err != nil {
		return err
	}
	t.paused += t.cal.Between(t.since, at)
	t.since, t.state, t.last = at, Running, at
	return nil
}

// Stop ends the cycle at at: the target is met, in time or late. Stopping
// a paused timer ends its pause at at.
func (t *Timer) Stop(at time.Time) error {
	if err := t.check("stop", at, t.state == Running || t.state == Paused, t.notRunning()); err != nil {
		return err
	}
	if t.state == Running {
		t.halt(at)
	} else {
		t.paused += t.cal.Between(t.since, at)
	}
	t.since, t.state, t.last = at, Met, at
	return nil
}

// Reopen runs a met timer again from at: the clock continues where it
// stopped, or, when the target says RestartOnReopen, a new cycle starts
// with the whole goal. A continuing clock moves its due time by the
// business time it stood stopped, which Status reports as ResolvedFor
// (not as paused time).
func (t *Timer) Reopen(at time.Time) error {
	if err := t.check("reopen", at, t.state == Met, ErrNotStopped); err != nil {
		return err
	}
	if t.goal().RestartOnReopen {
		t.archive()
		t.begin(at)
		return nil
	}
	t.resolved += t.cal.Between(t.since, at)
	t.since, t.state, t.last = at, Running, at
	return nil
}

// Retarget changes the target at at, keeping the business time used and
// the pauses: the new goal applies to what is left, on the calendar given
// (nil means Always). A goal lowered to the time already used breaches the
// timer: at the instant the new goal was used up if that was since the
// timer last ran on, else at at.
func (t *Timer) Retarget(target Target, cal *Calendar, at time.Time) error {
	if err := target.Validate(); err != nil {
		return err
	}
	if err := t.check("retarget", at, true, nil); err != nil {
		return err
	}
	var breach time.Time // when this stretch used up the new goal, if it did
	if t.state == Running {
		if t.base < target.Goal && t.Elapsed(at) >= target.Goal {
			breach = t.cal.Add(t.since, target.Goal-t.base)
		}
		t.halt(at)
	}
	if t.state != NotStarted {
		t.last = at
		switch {
		case t.base < target.Goal:
			t.breachAt = time.Time{}
		case !breach.IsZero():
			t.breachAt = breach
		case target.Goal != t.goal().Goal || t.breachAt.IsZero():
			t.breachAt = at
		}
	}
	t.target = newGoal(target)
	t.Bind(cal)
	return nil
}

// check validates an event: a bound timer, at not before the last event,
// and ok (else the error why).
func (t *Timer) check(op string, at time.Time, ok bool, why error) error {
	var err error
	switch {
	case t.cal == nil:
		err = ErrUnbound
	case at.Before(t.last):
		err = ErrOutOfOrder
	case !ok:
		err = why
	default:
		return nil
	}
	return &TimerError{Metric: t.goal().Metric, Op: op, At: at, Err: err}
}

// notRunning is why an event that needs a running timer cannot happen.
func (t *Timer) notRunning() error {
	switch t.state {
	case Paused:
		return ErrPaused
	case Met:
		return ErrStopped
	}
	return ErrNotRunning
}

// begin starts a fresh cycle at at.
func (t *Timer) begin(at time.Time) {
	t.cycle++
	t.state, t.start, t.since, t.last = Running, at, at, at
	t.base, t.paused, t.resolved, t.pauses, t.breachAt = 0, 0, 0, 0, time.Time{}
}

// halt ends the running stretch at at, folding its business time into base
// and noting the breach if the stretch used up the goal.
func (t *Timer) halt(at time.Time) {
	used := t.base + t.cal.Between(t.since, at)
	if t.base < t.goal().Goal && used >= t.goal().Goal {
		t.breachAt = t.cal.Add(t.since, t.goal().Goal-t.base)
	}
	t.base, t.since, t.last = used, at, at
}

// archive keeps the current cycle, if it was met, as a finished cycle.
func (t *Timer) archive() {
	if c, ok := t.Ended(); ok {
		t.finished = append(t.finished, c)
	}
}

// Ended returns the cycle Stop ended, while the timer stands met (until a
// Reopen or a new cycle); false in any other state.
func (t *Timer) Ended() (Cycle, bool) {
	if t.state != Met {
		return Cycle{}, false
	}
	st := t.Status(t.since)
	return Cycle{Start: t.start, End: t.since, Goal: t.goal().Goal, Elapsed: t.base, Due: st.Due, Late: st.Breached}, true
}

// Status is a timer's answer at one instant. It is a plain value, safe to
// copy and to read concurrently. Its JSON writes durations as Go duration
// strings (see MarshalJSON).
type Status struct {
	Metric    string        `json:"metric"`
	State     State         `json:"state"`
	Cycle     int           `json:"cycle"`
	Goal      time.Duration `json:"goal"`
	Elapsed   time.Duration `json:"elapsed"`   // business time used
	Remaining time.Duration `json:"remaining"` // Goal - Elapsed; negative once breached
	// PausedFor is the business time the cycle's pauses overlapped up to
	// the instant asked about, a pause still going on included.
	PausedFor time.Duration `json:"paused_for"`
	// ResolvedFor is the business time the cycle stood stopped before a
	// Reopen that continued it; a stop not reopened yet counts nothing.
	// Both move Due later, as Timer says.
	ResolvedFor time.Duration `json:"resolved_for"`
	Percent     float64       `json:"percent"`  // Elapsed as a percentage of Goal; above 100 once breached
	Due         time.Time     `json:"due"`      // when the goal is (or was) used up; zero before the start
	Breached    bool          `json:"breached"` // the goal is used up: running past Due, paused past it, or met late
}

// Paused reports whether the timer was paused.
func (s Status) Paused() bool { return s.State == Paused }

// Met reports whether the cycle was met, in time or late.
func (s Status) Met() bool { return s.State == Met }

// statusJSON is a Status's JSON shape; the durations are kept raw so that
// UnmarshalJSON reads both of their forms.
type statusJSON struct {
	Metric      string          `json:"metric"`
	State       State           `json:"state"`
	Cycle       int             `json:"cycle"`
	Goal        json.RawMessage `json:"goal"`
	Elapsed     json.RawMessage `json:"elapsed"`
	Remaining   json.RawMessage `json:"remaining"`
	PausedFor   json.RawMessage `json:"paused_for"`
	ResolvedFor json.RawMessage `json:"resolved_for"`
	Percent     float64         `json:"percent"`
	Due         time.Time       `json:"due"`
	Breached    bool            `json:"breached"`
}

// MarshalJSON writes the status with its durations as Go duration strings
// without zero units, as policy files write them:
//
//	{"metric": "resolution", "state": "running", "cycle": 1, "goal": "8h",
//	 "elapsed": "2h30m", "remaining": "5h30m", "paused_for": "1h15m",
//	 "resolved_for": "0s", "percent": 31.25,
//	 "due": "2026-03-03T10:45:00-05:00", "breached": false}
//
// The state is its name and due is RFC 3339 (the zero time before the start).
func (s Status) MarshalJSON() ([]byte, error) {
	return json.Marshal(statusJSON{
		Metric: s.Metric, State: s.State, Cycle: s.Cycle,
		Goal: durationJSON(s.Goal), Elapsed: durationJSON(s.Elapsed), Remaining: durationJSON(s.Remaining),
		PausedFor: durationJSON(s.PausedFor), ResolvedFor: durationJSON(s.ResolvedFor),
		Percent: s.Percent, Due: s.Due, Breached: s.Breached,
	})
}

// UnmarshalJSON reads a status. A duration is a Go duration string
// ("1h30m", as MarshalJSON writes it) or integer nanoseconds (as versions
// before the strings wrote it); anything else fails with an error naming
// the field. As with encoding/json, fields absent from data and fields
// that are null keep their values, and JSON null as a whole changes
// nothing. A failed UnmarshalJSON leaves s unchanged.
func (s *Status) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	j := statusJSON{Metric: s.Metric, State: s.State, Cycle: s.Cycle, Percent: s.Percent, Due: s.Due, Breached: s.Breached}
	if err := json.Unmarshal(data, &j); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) { // name the type the caller knows
			if te.Struct == "statusJSON" {
				te.Struct = "Status"
			}
			if te.Type == reflect.TypeFor[statusJSON]() {
				te.Type = reflect.TypeFor[Status]()
			}
		}
		return err
	}
	out := Status{Metric: j.Metric, State: j.State, Cycle: j.Cycle, Percent: j.Percent, Due: j.Due, Breached: j.Breached,
		Goal: s.Goal, Elapsed: s.Elapsed, Remaining: s.Remaining, PausedFor: s.PausedFor, ResolvedFor: s.ResolvedFor}
	for _, f := range [...]struct {
		name string
		raw  json.RawMessage
		d    *time.Duration
	}{
		{"goal", j.Goal, &out.Goal},
		{"elapsed", j.Elapsed, &out.Elapsed},
		{"remaining", j.Remaining, &out.Remaining},
		{"paused_for", j.PausedFor, &out.PausedFor},
		{"resolved_for", j.ResolvedFor, &out.ResolvedFor},
	} {
		if err := readDuration(f.raw, f.d); err != nil {
			return fmt.Errorf("sla: status field %q: %w", f.name, err)
		}
	}
	*s = out
	return nil
}

// durationJSON is d as a JSON string, see duration.Format.
func durationJSON(d time.Duration) json.RawMessage {
	return strconv.AppendQuote(nil, duration.Format(d))
}

// readDuration reads a JSON duration into d: a Go duration string or
// integer nanoseconds. Absent (nil) and null leave d unchanged.
func readDuration(raw json.RawMessage, d *time.Duration) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var (
		v   time.Duration
		err error
	)
	switch c := raw[0]; {
	case c == '"':
		var str string
		if err = json.Unmarshal(raw, &str); err == nil {
			v, err = time.ParseDuration(str)
		}
	case c == '-' || '0' <= c && c <= '9':
		var n int64
		n, err = strconv.ParseInt(string(raw), 10, 64)
		v = time.Duration(n)
	default:
		err = errors.New("not a string or a number")
	}
	if err != nil {
		what := string(raw)
		switch raw[0] {
		case '{':
			what = "an object"
		case '[':
			what = "an array"
		}
		return fmt.Errorf("%s is not a duration: want a Go duration string such as \"1h30m\" or integer nanoseconds", what)
	}
	*d = v
	return nil
}

// Status answers every question about the timer at now.
func (t *Timer) Status(now time.Time) Status {
	st := Status{Metric: t.goal().Metric, Cycle: t.cycle, Goal: t.goal().Goal, State: t.state}
	if t.state == NotStarted {
		st.Remaining = t.goal().Goal
		return st
	}
	st.Elapsed = t.Elapsed(now)
	st.Remaining = t.goal().Goal - st.Elapsed
	st.PausedFor, st.ResolvedFor = t.paused, t.resolved
	if t.state == Paused && t.cal != nil && now.After(t.since) {
		st.PausedFor += t.cal.Between(t.since, now)
	}
	st.Percent = float64(st.Elapsed) / float64(t.goal().Goal) * 100
	st.Due = t.Due(now)
	st.Breached = st.Remaining <= 0
	if st.Breached && t.state == Running {
		st.State = Breached
	}
	return st
}

// Elapsed is the business time used by now.
func (t *Timer) Elapsed(now time.Time) time.Duration {
	if t.state != Running || t.cal == nil || !now.After(t.since) {
		return t.base
	}
	return t.base + t.cal.Between(t.since, now)
}

// Remaining is the business time left at now; negative once breached.
func (t *Timer) Remaining(now time.Time) time.Duration {
	if t.state == NotStarted {
		return t.goal().Goal
	}
	return t.goal().Goal - t.Elapsed(now)
}

// Due is the instant the goal is used up: for a running timer, when it
// will be; for a paused one, when it would be if resumed at now; for a
// breached or met-late one, when it was. It is zero before the start and
// for an unbound timer.
func (t *Timer) Due(now time.Time) time.Time {
	switch {
	case t.state == NotStarted || t.cal == nil:
		return time.Time{}
	case t.base >= t.goal().Goal:
		return t.breachAt
	case t.state == Paused && now.After(t.since):
		return t.cal.Add(now, t.goal().Goal-t.base)
	}
	return t.cal.Add(t.since, t.goal().Goal-t.base)
}

// When returns the instant at which the running timer's elapsed business
// time reaches elapsed, and false when the timer is not running or has
// already passed it in an earlier stretch.
func (t *Timer) When(elapsed time.Duration) (time.Time, bool) {
	if t.state != Running || t.cal == nil || elapsed <= t.base {
		return time.Time{}, false
	}
	return t.cal.Add(t.since, elapsed-t.base), true
}

// Crossing is a threshold and the instant it falls.
type Crossing struct {
	Threshold
	At time.Time `json:"at"`
}

// Next returns the next threshold the running timer reaches after now, and
// false when it reaches none (it is not running, or is past its breach).
// A scheduler sleeps until its instant.
func (t *Timer) Next(now time.Time) (Crossing, bool) {
	if t.state != Running || t.cal == nil {
		return Crossing{}, false
	}
	e := t.Elapsed(now)
	th, ok := t.goal().after(e)
	if !ok {
		return Crossing{}, false
	}
	at, _ := t.When(th.Elapsed)
	return Crossing{th, at}, true
}

// Marks returns the thresholds of the timer's target, in order: its
// warnings and its breach, as Target().Thresholds() does, without copying
// them. The caller must not change them.
func (t *Timer) Marks() []Threshold { return t.goal().thresholds }

// Thresholds returns every threshold the timer has still to reach at now,
// in order, each with the instant it falls if the clock runs on from now
// without a pause: for a paused timer, as if it resumed at now. It is nil
// for a timer that is not started, met, or unbound.
func (t *Timer) Thresholds(now time.Time) []Crossing {
	if (t.state != Running && t.state != Paused) || t.cal == nil {
		return nil
	}
	from, used := t.since, t.base // where the clock runs on from, and what it used by then
	if now.After(t.since) {
		from, used = now, t.Elapsed(now)
	}
	var out []Crossing
	for _, th := range t.goal().thresholds {
		if th.Elapsed > used {
			out = append(out, Crossing{th, t.cal.Add(from, th.Elapsed-used)})
		}
	}
	return out
}

// Crossed returns the thresholds the running timer reaches in (from, to],
// in order. Called over consecutive intervals, before each event, it
// reports every threshold once: thresholds reached before the timer was
// last paused, stopped or retargeted are not reported again.
func (t *Timer) Crossed(from, to time.Time) []Crossing {
	if t.state != Running || t.cal == nil || !to.After(from) {
		return nil
	}
	lo := t.base // elapsed at from, within this stretch
	if from.After(t.since) {
		lo = t.base + t.cal.Between(t.since, from)
	}
	hi := t.Elapsed(to)
	var out []Crossing
	for _, th := range t.goal().thresholds {
		if th.Elapsed > lo && th.Elapsed <= hi {
			at, _ := t.When(th.Elapsed)
			out = append(out, Crossing{th, at})
		}
	}
	return out
}

// timerJSON is a timer's JSON shape; durations are integer nanoseconds.
type timerJSON struct {
	Target   Target        `json:"target"`
	State    State         `json:"state"`
	Cycle    int           `json:"cycle"`
	Start    time.Time     `json:"start,omitzero"`
	Since    time.Time     `json:"since,omitzero"`
	Elapsed  time.Duration `json:"elapsed"`
	Paused   time.Duration `json:"paused"`
	Resolved time.Duration `json:"resolved_for"` // absent before it was kept: 0
	Pauses   int           `json:"pauses"`
	BreachAt time.Time     `json:"breach_at,omitzero"`
	Last     time.Time     `json:"last,omitzero"`
	Cycles   []Cycle       `json:"cycles,omitempty"`
}

// MarshalJSON writes the timer's state. The shape, with durations in
// integer nanoseconds:
//
//	{"target": {"metric": "resolution", "goal": 86400000000000, "calendar": "office"},
//	 "state": "running", "cycle": 1, "start": "2026-03-02T10:30:00-05:00",
//	 "since": "...", "elapsed": 0, "paused": 0, "resolved_for": 0, "pauses": 0,
//	 "breach_at": "...", "last": "...", "cycles": [...]}
//
// "since" is the start of the running stretch, or when the timer paused or
// stopped; "elapsed" is the business time used at "since"; "paused" the
// business time the cycle's finished pauses overlapped; "resolved_for" the
// business time the cycle stood stopped before a Reopen that continued it
// (JSON written before it was kept has none, read as 0).
func (t *Timer) MarshalJSON() ([]byte, error) {
	return json.Marshal(timerJSON{t.goal().Target, t.state, t.cycle, t.start, t.since, t.base, t.paused, t.resolved, t.pauses, t.breachAt, t.last, t.finished})
}

// UnmarshalJSON reads a timer's state. The timer is bound to Always when
// its target names no calendar, and is otherwise unbound until Bind.
func (t *Timer) UnmarshalJSON(data []byte) error {
	var j timerJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if err := j.Target.Validate(); err != nil {
		return err
	}
	if j.State == Breached || j.State < NotStarted || j.State > Met {
		return fmt.Errorf("sla: timer state %q cannot be stored", j.State)
	}
	*t = Timer{target: &goal{j.Target, j.Target.Thresholds()}, state: j.State, cycle: j.Cycle, start: j.Start, since: j.Since,
		base: j.Elapsed, paused: j.Paused, resolved: j.Resolved, pauses: j.Pauses, breachAt: j.BreachAt, last: j.Last, finished: j.Cycles}
	if j.Target.Calendar == "" {
		t.cal = Always
	}
	return nil
}
