package matrix_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/matrix"
)

func TestLevel(t *testing.T) {
	// P1 of the documented matrix: since_open 15m, since_open 30m,
	// 50% of resolution, 90% of resolution.
	// P2: 100% of first_response, since_open 2h, in_tier 4h.
	m := classic(t)
	const none = -1
	tests := []struct {
		name     string
		priority string
		progress matrix.Progress
		want     matrix.Status
	}{
		{
			name:     "just opened",
			priority: "P1",
			want:     matrix.Status{Current: none, Next: 0, Clock: matrix.ClockSinceOpen, Remaining: 15 * time.Minute},
		},
		{
			name:     "a level is reached at its time exactly",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: 15 * time.Minute},
			want:     matrix.Status{Current: 0, Next: 1, Clock: matrix.ClockSinceOpen, Remaining: 15 * time.Minute},
		},
		{
			name:     "one nanosecond before",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: 15*time.Minute - 1},
			want:     matrix.Status{Current: none, Next: 0, Clock: matrix.ClockSinceOpen, Remaining: 1},
		},
		{
			name:     "next level on a percent clock",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: 45 * time.Minute, Percent: map[string]float64{"resolution": 20, "first_response": 99}},
			want:     matrix.Status{Current: 1, Next: 2, Clock: matrix.ClockPercent, Metric: "resolution", RemainingPercent: 30},
		},
		{
			name:     "several levels at once",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: time.Hour, Percent: map[string]float64{"resolution": 60}},
			want:     matrix.Status{Current: 2, Next: 3, Clock: matrix.ClockPercent, Metric: "resolution", RemainingPercent: 30},
		},
		{
			name:     "top of the ladder",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: 3 * time.Hour, Percent: map[string]float64{"resolution": 95}},
			want:     matrix.Status{Current: 3, Next: none},
		},
		{
			name:     "a later level waits for the earlier ones",
			priority: "P1",
			progress: matrix.Progress{SinceOpen: 10 * time.Minute, Percent: map[string]float64{"resolution": 95}},
			want:     matrix.Status{Current: none, Next: 0, Clock: matrix.ClockSinceOpen, Remaining: 5 * time.Minute},
		},
		{
			name:     "levels already reached count whatever their clocks",
			priority: "P1",
			progress: matrix.Progress{Reached: 2, SinceOpen: 5 * time.Minute, Percent: map[string]float64{"resolution": 60}},
			want:     matrix.Status{Current: 2, Next: 3, Clock: matrix.ClockPercent, Metric: "resolution", RemainingPercent: 30},
		},
		{
			name:     "reached, next not yet",
			priority: "P1",
			progress: matrix.Progress{Reached: 2, SinceOpen: 5 * time.Minute},
			want:     matrix.Status{Current: 1, Next: 2, Clock: matrix.ClockPercent, Metric: "resolution", RemainingPercent: 50},
		},
		{
			name:     "reached beyond the ladder",
			priority: "P1",
			progress: matrix.Progress{Reached: 9},
			want:     matrix.Status{Current: 3, Next: none},
		},
		{
			name:     "negative reached counts as zero",
			priority: "P1",
			progress: matrix.Progress{Reached: -4},
			want:     matrix.Status{Current: none, Next: 0, Clock: matrix.ClockSinceOpen, Remaining: 15 * time.Minute},
		},
		{
			name:     "in_tier level after a level reached in the same call waits its whole time",
			priority: "P2",
			progress: matrix.Progress{SinceOpen: 3 * time.Hour, InTier: 5 * time.Hour, Percent: map[string]float64{"first_response": 100}},
			want:     matrix.Status{Current: 1, Next: 2, Clock: matrix.ClockInTier, Remaining: 4 * time.Hour},
		},
		{
			name:     "in_tier level next to apply counts the time in tier",
			priority: "P2",
			progress: matrix.Progress{Reached: 2, SinceOpen: 3 * time.Hour, InTier: 3 * time.Hour},
			want:     matrix.Status{Current: 1, Next: 2, Clock: matrix.ClockInTier, Remaining: time.Hour},
		},
		{
			name:     "in_tier level reached",
			priority: "P2",
			progress: matrix.Progress{Reached: 2, InTier: 4 * time.Hour},
			want:     matrix.Status{Current: 2, Next: none},
		},
		{
			name:     "percent clock of a metric missing from the progress",
			priority: "P2",
			progress: matrix.Progress{SinceOpen: 3 * time.Hour, Percent: map[string]float64{"resolution": 80}},
			want:     matrix.Status{Current: none, Next: 0, Clock: matrix.ClockPercent, Metric: "first_response", RemainingPercent: 100},
		},
		{
			name:     "priority without levels",
			priority: "P4",
			progress: matrix.Progress{SinceOpen: 100 * time.Hour},
			want:     matrix.Status{Current: none, Next: none},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Level(tt.priority, tt.progress)
			if !ok {
				t.Fatalf("Level(%q): unknown priority", tt.priority)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Level(%q, %+v) (-want +got):\n%s", tt.priority, tt.progress, diff)
			}
		})
	}
}

func TestLevelUnknownPriority(t *testing.T) {
	got, ok := classic(t).Level("P9", matrix.Progress{SinceOpen: time.Hour})
	if want := (matrix.Status{Current: -1, Next: -1}); ok || got != want {
		t.Errorf(`Level("P9") = %+v, %v; want %+v, false`, got, ok, want)
	}
}

// climb is the reading of Level's contract that is easiest to check: one
// level after the other, from Reached, while the level's clock has reached
// its threshold; an in_tier level counts only as the first level climbed.
func climb(levels []matrix.Level, p matrix.Progress) matrix.Status {
	first := min(max(p.Reached, 0), len(levels))
	i := first
	for ; i < len(levels); i++ {
		l := levels[i]
		reached := false
		switch l.Clock {
		case matrix.ClockSinceOpen:
			reached = p.SinceOpen >= time.Duration(l.After)
		case matrix.ClockPercent:
			reached = p.Percent[l.Metric] >= l.Percent
		case matrix.ClockInTier:
			reached = i == first && p.InTier >= time.Duration(l.After)
		}
		if !reached {
			break
		}
	}
	st := matrix.Status{Current: i - 1, Next: -1}
	if i == len(levels) {
		return st
	}
	l := levels[i]
	st.Next, st.Clock, st.Metric = i, l.Clock, l.Metric
	switch l.Clock {
	case matrix.ClockSinceOpen:
		st.Remaining = time.Duration(l.After) - p.SinceOpen
	case matrix.ClockPercent:
		st.RemainingPercent = l.Percent - p.Percent[l.Metric]
	case matrix.ClockInTier:
		st.Remaining = time.Duration(l.After)
		if i == first {
			st.Remaining -= p.InTier
		}
	}
	return st
}

// TestLevelClimbs checks Level's indexed search against climb on random
// valid ladders (a fixed seed, so every run checks the same cases).
func TestLevelClimbs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	metrics := []string{"first_response", "resolution", "next_response"}
	for ladder := range 300 {
		spec := base()
		spec.Priorities[0].Goals = []matrix.Goal{
			{Metric: "first_response", Target: dur("1h")},
			{Metric: "resolution", Target: dur("8h")},
			{Metric: "next_response", Target: dur("2h")},
		}
		// Thresholds grow on every clock, so the ladder is valid whatever
		// the order of clocks.
		var after time.Duration
		var percent float64
		var levels []matrix.Level
		for range r.IntN(12) {
			after += time.Duration(1+r.IntN(4)) * 10 * time.Minute
			percent += float64(1 + r.IntN(15))
			switch r.IntN(3) {
			case 0:
				levels = append(levels, matrix.Level{Clock: matrix.ClockSinceOpen, After: matrix.Duration(after), Tier: "frontline"})
			case 1:
				levels = append(levels, matrix.Level{Clock: matrix.ClockInTier, After: matrix.Duration(after), Tier: "frontline"})
			default:
				levels = append(levels, matrix.Level{Clock: matrix.ClockPercent, Metric: metrics[r.IntN(3)], Percent: min(percent, 100), Tier: "frontline"})
			}
			if percent >= 100 {
				break
			}
		}
		spec.Priorities[0].Levels = levels
		m, err := matrix.New(spec, tiers)
		if err != nil {
			t.Fatalf("ladder %d: %v", ladder, err)
		}
		for range 50 {
			p := matrix.Progress{
				Reached:   r.IntN(len(levels)+3) - 1,
				SinceOpen: time.Duration(r.IntN(12*6)) * 10 * time.Minute,
				InTier:    time.Duration(r.IntN(12*6)) * 10 * time.Minute,
				Percent:   map[string]float64{},
			}
			for _, metric := range metrics[:r.IntN(4)] {
				p.Percent[metric] = float64(r.IntN(110))
			}
			got, _ := m.Level("P1", p)
			if want := climb(levels, p); got != want {
				t.Fatalf("ladder %d: %+v\nLevel(%+v) = %+v\nwant %+v", ladder, levels, p, got, want)
			}
		}
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	m := classic(t)
	p := matrix.Progress{SinceOpen: 45 * time.Minute, Percent: map[string]float64{"resolution": 20}}
	if n := testing.AllocsPerRun(100, func() { m.Level("P1", p) }); n != 0 {
		t.Errorf("Level allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { m.Priority("Medium", "High") }); n != 0 {
		t.Errorf("Priority allocates %v times per call", n)
	}
}
