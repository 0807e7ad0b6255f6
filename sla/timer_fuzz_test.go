package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// FuzzTimerEvents drives a timer with random events at random instants
// and checks its invariants against a ledger kept here: elapsed never
// decreases within a cycle, elapsed + remaining is the goal, the due time
// is the cycle's start plus the goal plus exactly the business time the
// clock stood still (paused, or stopped before a reopen), which Status
// reports apart as PausedFor and ResolvedFor, and a failed event changes
// nothing.
func FuzzTimerEvents(f *testing.F) {
	f.Add([]byte{0, 10, 1, 20, 2, 30, 3, 5, 5, 40, 4, 7, 6, 9, 1, 2, 2, 3, 3, 1})
	f.Add([]byte{0, 255, 1, 255, 1, 0, 2, 0, 2, 255, 3, 0, 3, 0, 4, 0, 5, 0})
	f.Fuzz(func(t *testing.T, script []byte) {
		cal, ny := timerCal(t)
		goals := []time.Duration{time.Hour, 4 * time.Hour, 24 * time.Hour}
		target := sla.Target{Metric: "resolution", Goal: 4 * time.Hour, Calendar: "office", WarnPercent: []float64{50, 90}, WarnBefore: []time.Duration{30 * time.Minute}}
		tm := mustTimer(t, target, cal)
		now := time.Date(2026, 3, 6, 8, 0, 0, 0, ny)
		var (
			cycleStart   time.Time
			stoodStill   time.Duration // business time paused or stopped-then-reopened in this cycle
			stillSince   time.Time     // when the clock last stood still, if it does now
			lastElapsed  time.Duration
			lastCycle    int
			retargetedAt time.Time // the due formula holds only for retargets that keep the calendar
		)
		for i := 0; i+1 < len(script); i += 2 {
			op, step := script[i]%8, time.Duration(script[i+1])*7*time.Minute
			if op == 7 { // an event in the past
				step = -step - time.Nanosecond
			}
			at := now.Add(step)
			before, _ := json.Marshal(tm)
			state := tm.Status(now).State
			var err error
			switch op {
			case 0:
				err = tm.Start(at)
			case 1:
				err = tm.Pause(at)
			case 2:
				err = tm.Resume(at)
			case 3:
				err = tm.Stop(at)
			case 4:
				err = tm.NewCycle(at)
			case 5:
				err = tm.Reopen(at)
			case 6:
				target.Goal = goals[int(script[i+1])%len(goals)]
				err = tm.Retarget(target, cal, at)
				retargetedAt = at
			case 7:
				err = tm.Pause(at)
			}
			if err != nil {
				if after, _ := json.Marshal(tm); string(after) != string(before) {
					t.Fatalf("op %d failed (%v) and changed the timer", op, err)
				}
				continue
			}
			now = at
			switch {
			case op == 0 || op == 4 || (op == 5 && target.RestartOnReopen):
				cycleStart, stoodStill, stillSince, lastElapsed, retargetedAt = at, 0, time.Time{}, 0, time.Time{}
			case op == 1 || op == 3:
				if state != sla.Paused {
					stillSince = at
				}
			case op == 2 || op == 5:
				stoodStill += cal.Between(stillSince, at)
				stillSince = time.Time{}
			}
			if tm.Cycle() != lastCycle {
				lastCycle, lastElapsed = tm.Cycle(), 0
			}
			if e := tm.Elapsed(now); e < lastElapsed {
				t.Fatalf("elapsed went back from %v to %v", lastElapsed, e)
			} else {
				lastElapsed = e
			}
			ahead := lastElapsed
			for _, q := range []time.Time{now, now.Add(3 * time.Hour), now.Add(50 * time.Hour)} {
				st := tm.Status(q)
				if st.Elapsed+st.Remaining != st.Goal {
					t.Fatalf("elapsed %v + remaining %v != goal %v", st.Elapsed, st.Remaining, st.Goal)
				}
				if st.Elapsed < ahead {
					t.Fatalf("elapsed goes back ahead of now, from %v to %v", ahead, st.Elapsed)
				}
				ahead = st.Elapsed
				if st.State == sla.Running && retargetedAt.IsZero() {
					if want := cal.Add(cycleStart, st.Goal+stoodStill); !st.Due.Equal(want) {
						t.Fatalf("due %v, want start %v + goal %v + paused %v = %v", st.Due, cycleStart, st.Goal, stoodStill, want)
					}
				}
				// The clock stood still paused or resolved, reported apart.
				still := stoodStill
				if st.State == sla.Paused {
					still += cal.Between(stillSince, q)
				}
				if st.State != sla.Met && st.PausedFor+st.ResolvedFor != still {
					t.Fatalf("%v: paused for %v + resolved for %v, want %v", st.State, st.PausedFor, st.ResolvedFor, still)
				}
				if st.State != sla.Running && st.State != sla.Breached {
					break // questions ahead of a stopped clock see the same answer
				}
			}
		}
	})
}
