package sla_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/sla"
)

// timerCal is New York, Monday to Friday 09:00-17:00, with the US federal
// holidays of 2026-2027.
func timerCal(t testing.TB) (*sla.Calendar, *time.Location) {
	c := mustCalendar(t, loadSpec(t, "newyork-office.json"))
	return c, c.Location()
}

func mustTimer(t testing.TB, target sla.Target, cal *sla.Calendar) *sla.Timer {
	t.Helper()
	tm, err := sla.NewTimer(target, cal)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestTimerFirstResponseWithPause(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "first_response", Goal: 4 * time.Hour, Calendar: "office", WarnPercent: []float64{50, 75}, WarnBefore: []time.Duration{30 * time.Minute}}, cal)

	if st := tm.Status(at("2026-10-30 16:00")); st.State != sla.NotStarted || st.Remaining != 4*time.Hour || !st.Due.IsZero() {
		t.Errorf("before the start: %+v", st)
	}
	must(t, tm.Start(at("2026-10-30 16:30"))) // Friday, before the clocks go back
	want := []struct {
		now       string
		state     sla.State
		elapsed   time.Duration
		due       string
		breached  bool
		percentAt float64
	}{
		{"2026-10-30 17:00", sla.Running, 30 * time.Minute, "2026-11-02 12:30", false, 12.5},
		{"2026-10-31 12:00", sla.Running, 30 * time.Minute, "2026-11-02 12:30", false, 12.5}, // Saturday: nothing counts
		{"2026-11-02 10:30", sla.Running, 2 * time.Hour, "2026-11-02 12:30", false, 50},
	}
	for _, w := range want {
		st := tm.Status(at(w.now))
		if st.State != w.state || st.Elapsed != w.elapsed || st.Remaining != 4*time.Hour-w.elapsed || !st.Due.Equal(at(w.due)) || st.Breached != w.breached || st.Percent != w.percentAt {
			t.Errorf("at %s: %+v, want %v elapsed %v due %s", w.now, st, w.state, w.elapsed, w.due)
		}
	}

	// The customer is asked for details on Monday 10:30 and answers on
	// Tuesday 10:30: 8h of business time pass paused, and the due time
	// moves by exactly that.
	must(t, tm.Pause(at("2026-11-02 10:30")))
	if st := tm.Status(at("2026-11-02 15:00")); st.State != sla.Paused || st.Elapsed != 2*time.Hour || !st.Due.Equal(at("2026-11-02 17:00")) {
		t.Errorf("paused: %+v (due moves with now while paused)", st)
	}
	if _, ok := tm.Next(at("2026-11-02 15:00")); ok {
		t.Errorf("a paused timer reports a next threshold")
	}
	var upcoming []string
	for _, c := range tm.Thresholds(at("2026-11-02 15:00")) {
		upcoming = append(upcoming, c.String()+"@"+c.At.In(ny).Format("Mon 15:04"))
	}
	if fmt.Sprint(upcoming) != "[75%@Mon 16:00 30m0s before due@Mon 16:30 breach@Mon 17:00]" {
		t.Errorf("Thresholds while paused, as if resumed at 15:00: %v", upcoming)
	}
	must(t, tm.Resume(at("2026-11-03 10:30")))
	if st := tm.Status(at("2026-11-03 10:30")); !st.Due.Equal(at("2026-11-03 12:30")) || st.Elapsed != 2*time.Hour {
		t.Errorf("after resuming: %+v, want due Tuesday 12:30", st)
	}
	next, ok := tm.Next(at("2026-11-03 10:30"))
	if !ok || next.Percent != 75 || !next.At.Equal(at("2026-11-03 11:30")) {
		t.Errorf("Next = %+v %v, want 75%% at 11:30", next, ok)
	}
	got := tm.Crossed(at("2026-11-03 10:30"), at("2026-11-03 13:00"))
	var names []string
	for _, c := range got {
		names = append(names, c.String()+"@"+c.At.In(ny).Format("15:04"))
	}
	if fmt.Sprint(names) != "[75%@11:30 30m0s before due@12:00 breach@12:30]" {
		t.Errorf("Crossed = %v", names)
	}
	if st := tm.Status(at("2026-11-03 13:00")); st.State != sla.Breached || !st.Breached || st.Remaining != -30*time.Minute {
		t.Errorf("past due: %+v", st)
	}
	must(t, tm.Stop(at("2026-11-03 14:00")))
	st := tm.Status(at("2026-11-04 09:00"))
	if st.State != sla.Met || !st.Breached || st.Elapsed != 5*time.Hour+30*time.Minute || !st.Due.Equal(at("2026-11-03 12:30")) {
		t.Errorf("met late: %+v", st)
	}
	if tm.Pauses() != 1 {
		t.Errorf("Pauses = %d", tm.Pauses())
	}
}

func TestTimerEventErrors(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	target := sla.Target{Metric: "resolution", Goal: 24 * time.Hour, Calendar: "office"}
	type step struct {
		op   string
		at   string
		want error
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"pause before start", []step{{"pause", "2026-03-02 10:00", sla.ErrNotRunning}}},
		{"start twice", []step{{"start", "2026-03-02 10:00", nil}, {"start", "2026-03-02 11:00", sla.ErrStarted}}},
		{"pause while paused", []step{{"start", "2026-03-02 10:00", nil}, {"pause", "2026-03-02 11:00", nil}, {"pause", "2026-03-02 12:00", sla.ErrPaused}}},
		{"resume while running", []step{{"start", "2026-03-02 10:00", nil}, {"resume", "2026-03-02 11:00", sla.ErrNotPaused}}},
		{"stop twice", []step{{"start", "2026-03-02 10:00", nil}, {"stop", "2026-03-02 11:00", nil}, {"stop", "2026-03-02 12:00", sla.ErrStopped}}},
		{"pause after stop", []step{{"start", "2026-03-02 10:00", nil}, {"stop", "2026-03-02 11:00", nil}, {"pause", "2026-03-02 12:00", sla.ErrStopped}}},
		{"event out of order", []step{{"start", "2026-03-02 10:00", nil}, {"pause", "2026-03-02 09:59", sla.ErrOutOfOrder}}},
		{"new cycle while running", []step{{"start", "2026-03-02 10:00", nil}, {"cycle", "2026-03-02 11:00", sla.ErrNotStopped}}},
		{"reopen while running", []step{{"start", "2026-03-02 10:00", nil}, {"reopen", "2026-03-02 11:00", sla.ErrNotStopped}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tm := mustTimer(t, target, cal)
			for _, s := range tc.steps {
				before, _ := json.Marshal(tm)
				var err error
				switch s.op {
				case "start":
					err = tm.Start(at(s.at))
				case "pause":
					err = tm.Pause(at(s.at))
				case "resume":
					err = tm.Resume(at(s.at))
				case "stop":
					err = tm.Stop(at(s.at))
				case "cycle":
					err = tm.NewCycle(at(s.at))
				case "reopen":
					err = tm.Reopen(at(s.at))
				}
				if !errors.Is(err, s.want) || (s.want == nil) != (err == nil) {
					t.Fatalf("%s at %s: error %v, want %v", s.op, s.at, err, s.want)
				}
				if err == nil {
					continue
				}
				var te *sla.TimerError
				if !errors.As(err, &te) || te.Metric != "resolution" || te.Op == "" {
					t.Errorf("error %v is not a *TimerError naming the metric and event", err)
				}
				if after, _ := json.Marshal(tm); string(after) != string(before) {
					t.Errorf("a failed %s changed the timer:\n%s\n%s", s.op, before, after)
				}
			}
		})
	}
}

func TestTargetErrors(t *testing.T) {
	_, err := sla.NewTimer(sla.Target{Metric: "resolution", Goal: 0, WarnPercent: []float64{50, 0, 101}, WarnBefore: []time.Duration{-time.Minute}}, nil)
	want := `sla: invalid target "resolution":
	goal: "0s": must be positive
	warn_percent[1]: "0": must be in (0, 100]
	warn_percent[2]: "101": must be in (0, 100]
	warn_before[0]: "-1m0s": must be positive and shorter than the goal`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	if !errors.Is(err, sla.ErrInvalidTarget) {
		t.Errorf("errors.Is(err, ErrInvalidTarget) is false")
	}
	if _, err := sla.NewTimer(sla.Target{Goal: time.Hour}, nil); err == nil || err.Error() != "sla: invalid target \"\":\n\tmetric: a target needs a metric name" {
		t.Errorf("a target without a metric: %v", err)
	}
}

func TestTimerCycles(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "next_response", Goal: 2 * time.Hour, Calendar: "office"}, cal)
	// Three customer messages, each answered: in time, late, in time.
	for _, c := range [][2]string{
		{"2026-03-02 10:00", "2026-03-02 11:00"},
		{"2026-03-02 16:00", "2026-03-03 10:30"},
		{"2026-03-04 09:00", "2026-03-04 09:15"},
	} {
		must(t, tm.NewCycle(at(c[0])))
		must(t, tm.Stop(at(c[1])))
	}
	want := []sla.Cycle{
		{Start: at("2026-03-02 10:00"), End: at("2026-03-02 11:00"), Goal: 2 * time.Hour, Elapsed: time.Hour, Due: at("2026-03-02 12:00")},
		{Start: at("2026-03-02 16:00"), End: at("2026-03-03 10:30"), Goal: 2 * time.Hour, Elapsed: 2*time.Hour + 30*time.Minute, Due: at("2026-03-03 10:00"), Late: true},
	}
	if diff := cmp.Diff(want, tm.Cycles()); diff != "" {
		t.Errorf("finished cycles (-want +got):\n%s", diff)
	}
	if st := tm.Status(at("2026-03-04 12:00")); tm.Cycle() != 3 || st.State != sla.Met || st.Breached || st.Elapsed != 15*time.Minute {
		t.Errorf("third cycle: cycle %d %+v", tm.Cycle(), st)
	}
}

func TestTimerReopen(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	for _, restart := range []bool{false, true} {
		tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 8 * time.Hour, Calendar: "office", RestartOnReopen: restart}, cal)
		must(t, tm.Start(at("2026-03-02 09:00")))
		must(t, tm.Stop(at("2026-03-02 15:00")))   // resolved after 6h
		must(t, tm.Reopen(at("2026-03-03 10:00"))) // reopened the next morning
		st := tm.Status(at("2026-03-03 11:00"))
		switch {
		case !restart && (st.Elapsed != 7*time.Hour || !st.Due.Equal(at("2026-03-03 12:00")) || st.Cycle != 1):
			t.Errorf("continue: %+v, want 7h used, due 12:00 (the closed night moves due, as resolved time)", st)
		case restart && (st.Elapsed != time.Hour || !st.Due.Equal(at("2026-03-04 10:00")) || st.Cycle != 2 || len(tm.Cycles()) != 1):
			t.Errorf("restart: %+v, want a fresh 8h cycle due the next day 10:00", st)
		}
	}
}

func TestTimerRetarget(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 24 * time.Hour, Calendar: "office"}, cal)
	must(t, tm.Start(at("2026-03-02 09:00")))
	must(t, tm.Pause(at("2026-03-02 11:00")))
	must(t, tm.Resume(at("2026-03-02 13:00")))
	// Raised to P1 at 14:00: 3h used, the new goal is 4h, on 24x7.
	must(t, tm.Retarget(sla.Target{Metric: "resolution", Goal: 4 * time.Hour}, nil, at("2026-03-02 14:00")))
	if st := tm.Status(at("2026-03-02 14:00")); st.Elapsed != 3*time.Hour || !st.Due.Equal(at("2026-03-02 15:00")) || tm.Pauses() != 1 {
		t.Errorf("after retarget: %+v", st)
	}
	if st := tm.Status(at("2026-03-02 20:00")); st.Elapsed != 9*time.Hour {
		t.Errorf("the new target's 24x7 calendar does not count the evening: %+v", st)
	}
	// Lowered below the time used: breached since this stretch used it up.
	must(t, tm.Retarget(sla.Target{Metric: "resolution", Goal: 5 * time.Hour}, nil, at("2026-03-02 20:00")))
	if st := tm.Status(at("2026-03-02 20:00")); !st.Breached || !st.Due.Equal(at("2026-03-02 16:00")) {
		t.Errorf("lowered goal: %+v, want breached at 16:00", st)
	}
}

func TestTimerJSONRoundTrip(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "next_response", Goal: 2 * time.Hour, Calendar: "office", WarnPercent: []float64{75}, WarnBefore: []time.Duration{10 * time.Minute}}, cal)
	must(t, tm.NewCycle(at("2026-03-02 16:00")))
	must(t, tm.Stop(at("2026-03-03 10:30")))
	must(t, tm.NewCycle(at("2026-03-03 11:00")))
	must(t, tm.Pause(at("2026-03-03 11:30")))
	data, err := json.Marshal(tm)
	if err != nil {
		t.Fatal(err)
	}
	var back sla.Timer
	must(t, json.Unmarshal(data, &back))
	if err := back.Resume(at("2026-03-03 12:00")); !errors.Is(err, sla.ErrUnbound) {
		t.Errorf("an unbound timer resumed: %v", err)
	}
	back.Bind(cal)
	again, _ := json.Marshal(&back)
	if string(again) != string(data) {
		t.Errorf("JSON changed on a round trip:\n%s\n%s", data, again)
	}
	now := at("2026-03-03 15:00")
	if diff := cmp.Diff(tm.Status(now), back.Status(now)); diff != "" {
		t.Errorf("status after a round trip (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(tm.Cycles(), back.Cycles()); diff != "" {
		t.Errorf("cycles after a round trip (-before +after):\n%s", diff)
	}
	must(t, tm.Resume(now))
	must(t, back.Resume(now))
	if diff := cmp.Diff(tm.Status(now.Add(time.Hour)), back.Status(now.Add(time.Hour))); diff != "" {
		t.Errorf("status after resuming both (-before +after):\n%s", diff)
	}
	for _, bad := range []string{`{"target":{"metric":"x","goal":0}}`, `{"target":{"metric":"x","goal":1},"state":"breached"}`, `{"target":{"metric":"x","goal":1},"state":"nonsense"}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal accepted %s", bad)
		}
	}
}

// TestCrossedOnce walks a timer through pauses in small steps and checks
// that each threshold is reported exactly once, at the instant Next said.
func TestCrossedOnce(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 8 * time.Hour, Calendar: "office", WarnPercent: []float64{25, 50, 75, 90}, WarnBefore: []time.Duration{time.Hour}}, cal)
	must(t, tm.Start(at("2026-03-02 09:00")))
	events := map[time.Time]func(time.Time) error{
		at("2026-03-02 10:00"): tm.Pause, at("2026-03-02 14:00"): tm.Resume,
		at("2026-03-03 09:30"): tm.Pause, at("2026-03-03 09:45"): tm.Resume,
	}
	seen := map[string]int{}
	last := at("2026-03-02 09:00")
	expectNext, _ := tm.Next(last)
	for now := last.Add(5 * time.Minute); now.Before(at("2026-03-05 00:00")); now = now.Add(5 * time.Minute) {
		for _, c := range tm.Crossed(last, now) {
			seen[c.String()]++
			if !c.At.Equal(expectNext.At) || c.String() != expectNext.String() {
				t.Errorf("crossed %v at %v, Next had said %v at %v", c, c.At, expectNext, expectNext.At)
			}
			expectNext, _ = tm.Next(c.At)
		}
		last = now
		if ev, ok := events[now]; ok {
			must(t, ev(now))
			expectNext, _ = tm.Next(now)
		}
	}
	want := map[string]int{"25%": 1, "50%": 1, "75%": 1, "90%": 1, "1h0m0s before due": 1, "breach": 1}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("thresholds crossed (-want +got):\n%s", diff)
	}
}

// TestZeroTimer checks that the zero Timer answers every question as a
// timer that never started, and refuses events for want of a calendar.
func TestZeroTimer(t *testing.T) {
	var z sla.Timer
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if got := z.Status(at); got.State != sla.NotStarted || got.Elapsed != 0 || got.Remaining != 0 {
		t.Errorf("Status = %+v, want a timer not started", got)
	}
	if _, ok := z.Next(at); ok {
		t.Error("Next found a threshold on the zero timer")
	}
	if got := z.Thresholds(at); got != nil {
		t.Errorf("Thresholds = %v, want nil", got)
	}
	if got := z.Crossed(at, at.Add(time.Hour)); got != nil {
		t.Errorf("Crossed = %v, want nil", got)
	}
	if z.Metric() != "" || z.Goal() != 0 || z.Elapsed(at) != 0 {
		t.Errorf("Metric, Goal, Elapsed = %q, %v, %v", z.Metric(), z.Goal(), z.Elapsed(at))
	}
	if err := z.Start(at); err == nil {
		t.Error("Start on the zero timer succeeded; it has no calendar")
	}
	if _, err := json.Marshal(&z); err != nil {
		t.Errorf("MarshalJSON: %v", err)
	}
}

// TestTimerPausedAndResolvedFor walks timers through pauses, stops and
// reopens and checks, at fixed instants, the business time reported as
// paused and as resolved apart, with the elapsed time and the due instant
// they move.
func TestTimerPausedAndResolvedFor(t *testing.T) {
	office, ny := timerCal(t)
	type event struct{ op, at string }
	type check struct {
		now                 string
		state               sla.State
		cycle               int
		elapsed             time.Duration
		pausedFor, resolved time.Duration
		due                 string
	}
	cases := []struct {
		name    string
		cal     *sla.Calendar // nil: office
		goal    time.Duration
		restart bool
		events  []event
		checks  []check
	}{
		{
			name: "pause, stop, reopen continues", goal: 16 * time.Hour,
			events: []event{{"start", "2026-03-02 09:00"}, {"pause", "2026-03-02 11:00"}, {"resume", "2026-03-02 14:00"}, {"stop", "2026-03-02 16:00"}, {"reopen", "2026-03-03 10:00"}},
			checks: []check{
				{"2026-03-02 10:00", sla.Running, 1, time.Hour, 0, 0, "2026-03-03 17:00"},
				{"2026-03-02 12:30", sla.Paused, 1, 2 * time.Hour, 90 * time.Minute, 0, "2026-03-04 10:30"}, // the pause so far
				{"2026-03-02 15:00", sla.Running, 1, 3 * time.Hour, 3 * time.Hour, 0, "2026-03-04 12:00"},
				{"2026-03-02 16:30", sla.Met, 1, 4 * time.Hour, 3 * time.Hour, 0, "2026-03-04 12:00"}, // a stop not reopened counts nothing
				// Resolved Monday 16:00 to Tuesday 10:00: 1h + 1h of business time.
				{"2026-03-03 11:00", sla.Running, 1, 5 * time.Hour, 3 * time.Hour, 2 * time.Hour, "2026-03-04 14:00"},
			},
		},
		{
			name: "pause, stop, reopen restarts", goal: 16 * time.Hour, restart: true,
			events: []event{{"start", "2026-03-02 09:00"}, {"pause", "2026-03-02 11:00"}, {"resume", "2026-03-02 14:00"}, {"stop", "2026-03-02 16:00"}, {"reopen", "2026-03-03 10:00"}, {"pause", "2026-03-03 12:00"}},
			checks: []check{
				{"2026-03-02 16:30", sla.Met, 1, 4 * time.Hour, 3 * time.Hour, 0, "2026-03-04 12:00"},
				{"2026-03-03 11:00", sla.Running, 2, time.Hour, 0, 0, "2026-03-05 10:00"}, // a new cycle starts from nothing
				{"2026-03-03 13:00", sla.Paused, 2, 2 * time.Hour, time.Hour, 0, "2026-03-05 11:00"},
			},
		},
		{
			// Paused over a weekend with a DST change, stopped while paused,
			// reopened the next morning.
			name: "stop while paused, then reopen", goal: 8 * time.Hour,
			events: []event{{"start", "2026-03-06 15:00"}, {"pause", "2026-03-06 16:00"}, {"stop", "2026-03-09 11:00"}, {"reopen", "2026-03-10 09:30"}},
			checks: []check{
				{"2026-03-09 10:00", sla.Paused, 1, time.Hour, 2 * time.Hour, 0, "2026-03-09 17:00"},
				{"2026-03-09 12:00", sla.Met, 1, time.Hour, 3 * time.Hour, 0, "2026-03-10 10:00"}, // the pause ended at the stop
				{"2026-03-10 10:00", sla.Running, 1, 90 * time.Minute, 3 * time.Hour, 6*time.Hour + 30*time.Minute, "2026-03-10 16:30"},
			},
		},
		{
			// Resolved over Memorial Day (a holiday), then paused, stopped and
			// reopened again: both kinds add up over the cycle.
			name: "two reopens around a holiday", goal: 4 * time.Hour,
			events: []event{{"start", "2026-05-22 16:00"}, {"stop", "2026-05-22 16:30"}, {"reopen", "2026-05-26 09:30"}, {"pause", "2026-05-26 11:00"}, {"stop", "2026-05-26 12:30"}, {"reopen", "2026-05-26 13:00"}},
			checks: []check{
				{"2026-05-26 10:00", sla.Running, 1, time.Hour, 0, time.Hour, "2026-05-26 13:00"},
				{"2026-05-26 12:00", sla.Paused, 1, 2 * time.Hour, time.Hour, time.Hour, "2026-05-26 14:00"},
				{"2026-05-26 13:00", sla.Running, 1, 2 * time.Hour, 90 * time.Minute, 90 * time.Minute, "2026-05-26 15:00"},
				{"2026-05-26 16:00", sla.Breached, 1, 5 * time.Hour, 90 * time.Minute, 90 * time.Minute, "2026-05-26 15:00"},
			},
		},
		{
			name: "around the clock", cal: sla.Always, goal: 8 * time.Hour,
			events: []event{{"start", "2026-03-07 00:00"}, {"pause", "2026-03-07 01:00"}, {"resume", "2026-03-07 02:00"}, {"stop", "2026-03-07 03:00"}, {"reopen", "2026-03-07 05:00"}},
			checks: []check{
				{"2026-03-07 04:00", sla.Met, 1, 2 * time.Hour, time.Hour, 0, "2026-03-07 09:00"},
				{"2026-03-07 06:00", sla.Running, 1, 3 * time.Hour, time.Hour, 2 * time.Hour, "2026-03-07 11:00"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil {
				cal = office
			}
			at := func(s string) time.Time { return wall(t, ny, s) }
			tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: tc.goal, Calendar: "office", RestartOnReopen: tc.restart}, cal)
			events := tc.events
			for _, c := range tc.checks {
				now := at(c.now)
				for ; len(events) > 0 && !at(events[0].at).After(now); events = events[1:] {
					must(t, timerEvent(tm, events[0].op, at(events[0].at)))
				}
				st := tm.Status(now)
				got := check{c.now, st.State, st.Cycle, st.Elapsed, st.PausedFor, st.ResolvedFor, st.Due.In(ny).Format("2006-01-02 15:04")}
				if got != c {
					t.Errorf("at %s:\n got %+v\nwant %+v", c.now, got, c)
				}
				if st.Remaining != tc.goal-st.Elapsed {
					t.Errorf("at %s: remaining %v, want %v", c.now, st.Remaining, tc.goal-st.Elapsed)
				}
			}
		})
	}
}

// timerEvent applies the event op to tm at at.
func timerEvent(tm *sla.Timer, op string, at time.Time) error {
	switch op {
	case "start":
		return tm.Start(at)
	case "pause":
		return tm.Pause(at)
	case "resume":
		return tm.Resume(at)
	case "stop":
		return tm.Stop(at)
	case "cycle":
		return tm.NewCycle(at)
	case "reopen":
		return tm.Reopen(at)
	}
	return fmt.Errorf("unknown event %q", op)
}

// TestTimerResolvedForKeepsDue checks that reporting the time a continuing
// clock stood resolved as ResolvedFor rather than as paused time changes
// nothing else: a timer read from JSON written before resolved_for was
// kept (that time in "paused", no "resolved_for") answers every question
// as the timer does, with the two durations added up in PausedFor.
func TestTimerResolvedForKeepsDue(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 16 * time.Hour, Calendar: "office", WarnPercent: []float64{50, 75}, WarnBefore: []time.Duration{time.Hour}}, cal)
	must(t, tm.Start(at("2026-03-02 09:00")))
	must(t, tm.Pause(at("2026-03-02 11:00")))
	must(t, tm.Resume(at("2026-03-02 14:00")))
	must(t, tm.Stop(at("2026-03-02 16:00")))
	must(t, tm.Reopen(at("2026-03-03 10:00")))

	data, err := json.Marshal(tm)
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	must(t, json.Unmarshal(data, &j))
	if j["paused"] != float64(3*time.Hour) || j["resolved_for"] != float64(2*time.Hour) {
		t.Fatalf("timer JSON paused %v, resolved_for %v; want 3h and 2h in nanoseconds:\n%s", j["paused"], j["resolved_for"], data)
	}
	j["paused"] = float64(5 * time.Hour) // as Reopen kept it before
	delete(j, "resolved_for")
	old, _ := json.Marshal(j)
	var back sla.Timer
	must(t, json.Unmarshal(old, &back))
	back.Bind(cal)

	for _, now := range []string{"2026-03-03 10:00", "2026-03-03 15:00", "2026-03-04 13:30", "2026-03-05 09:00"} {
		a, b := tm.Status(at(now)), back.Status(at(now))
		if a.PausedFor != 3*time.Hour || a.ResolvedFor != 2*time.Hour || b.PausedFor != 5*time.Hour || b.ResolvedFor != 0 {
			t.Errorf("at %s: paused/resolved %v/%v, old JSON %v/%v; want 3h/2h and 5h/0s", now, a.PausedFor, a.ResolvedFor, b.PausedFor, b.ResolvedFor)
		}
		a.PausedFor, a.ResolvedFor, b.PausedFor, b.ResolvedFor = 0, 0, 0, 0
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("at %s: status (-timer +old JSON):\n%s", now, diff)
		}
		if diff := cmp.Diff(tm.Thresholds(at(now)), back.Thresholds(at(now))); diff != "" {
			t.Errorf("at %s: thresholds (-timer +old JSON):\n%s", now, diff)
		}
	}
	// Due is the start plus the goal plus both durations, in business time.
	if st := tm.Status(at("2026-03-03 15:00")); !st.Due.Equal(cal.Add(at("2026-03-02 09:00"), st.Goal+st.PausedFor+st.ResolvedFor)) || !st.Due.Equal(at("2026-03-04 14:00")) {
		t.Errorf("due %v, want Wednesday 14:00", st.Due.In(ny))
	}

	// Written again, the old timer keeps what it read.
	again, _ := json.Marshal(&back)
	var k map[string]any
	must(t, json.Unmarshal(again, &k))
	if k["paused"] != float64(5*time.Hour) || k["resolved_for"] != float64(0) {
		t.Errorf("old timer written again: paused %v, resolved_for %v", k["paused"], k["resolved_for"])
	}
}

// TestTimerStopSetsLast checks that events before a stop are refused as
// out of order, also when the timer was paused when it stopped.
func TestTimerStopSetsLast(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	for _, pausedFirst := range []bool{false, true} {
		tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 8 * time.Hour, Calendar: "office"}, cal)
		must(t, tm.Start(at("2026-03-02 09:00")))
		if pausedFirst {
			must(t, tm.Pause(at("2026-03-02 10:00")))
		}
		must(t, tm.Stop(at("2026-03-02 12:00")))
		if err := tm.Reopen(at("2026-03-02 11:00")); !errors.Is(err, sla.ErrOutOfOrder) {
			t.Errorf("paused first %v: a reopen before the stop: %v, want ErrOutOfOrder", pausedFirst, err)
		}
	}
}

// TestTimerState: State follows the events without the time; a breached
// running timer is Running (its Status says Breached).
func TestTimerState(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: time.Hour}, nil)
	steps := []struct {
		do   func() error
		want sla.State
	}{
		{func() error { return nil }, sla.NotStarted},
		{func() error { return tm.Start(at) }, sla.Running},
		{func() error { return tm.Pause(at.Add(time.Minute)) }, sla.Paused},
		{func() error { return tm.Resume(at.Add(2 * time.Minute)) }, sla.Running},
		{func() error { return nil }, sla.Running}, // past the goal: breached, still running
		{func() error { return tm.Stop(at.Add(3 * time.Hour)) }, sla.Met},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := tm.State(); got != s.want {
			t.Errorf("step %d: State %s, want %s", i, got, s.want)
		}
	}
	if st := tm.Status(at.Add(3 * time.Hour)); !st.Breached {
		t.Errorf("met after its goal, the timer is not breached: %+v", st)
	}
}
