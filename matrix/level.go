package matrix

import (
	"cmp"
	"slices"
	"time"
)

// Progress is where a ticket stands on the clocks of its escalation ladder,
// as the caller measures them (business time, on the calendar the caller
// chooses). The zero Progress is a ticket that has just opened, has reached
// no level and has used none of its goals.
// A Progress is plain data: Level only reads it, and it may be read
// concurrently, not written.
type Progress struct {
	// Reached is how many levels the ticket has already reached: levels 0
	// to Reached-1 count as reached whatever their clocks say. Below 0 means
	// 0; above the number of levels means all of them.
	Reached int
	// SinceOpen is the business time since the ticket opened.
	SinceOpen time.Duration
	// InTier is the time since the ticket entered its current tier.
	InTier time.Duration
	// Percent is the percentage used of each metric's goal, by metric name;
	// a metric that is missing counts as 0.
	Percent map[string]float64
}

// Status is where a ticket stands on its priority's escalation ladder, as
// Level returns it. Indexes are those of Matrix.Levels.
// A Status is a plain value, safe to copy and to read concurrently.
type Status struct {
	// Current is the last level reached, -1 when none is.
	Current int
	// Next is the next level to reach, -1 when every level is reached;
	// the fields below are zero then.
	Next int
	// Clock and Metric are those of the Next level.
	Clock  Clock
	Metric string
	// Remaining is, on a since_open or in_tier clock, how much more time
	// the Next level's clock must run.
	Remaining time.Duration
	// RemainingPercent is, on a percent clock, how many more percentage
	// points of the Metric's goal the Next level waits for.
	RemainingPercent float64
}

// Level returns where a ticket of the given priority stands on the
// escalation ladder, given its progress, and false when the matrix has no
// such priority.
//
// The levels are climbed in order, from the first level not yet reached
// (p.Reached): each level is reached once its clock reaches its threshold,
// and Level climbs on while the next level's clock has reached its own.
// A since_open level is reached when p.SinceOpen reaches its After, a
// percent level when p.Percent of its metric reaches its Percent.
// An in_tier level is reached when p.InTier reaches its After, but only
// while it is the first level not yet reached: reaching a level may move
// the ticket to another tier, where the time in tier starts again. So
// Level stops before an in_tier level that comes after a level reached in
// this call, and reports the in_tier level's whole After as Remaining,
// counted from the moment the levels before it apply; once the caller has
// applied them, it calls Level again with the new Reached and InTier.
//
// Level takes O(c log n) time for a priority with n levels on c distinct
// clocks (since_open, in_tier, and percent of each metric), and does not
// allocate.
func (m *Matrix) Level(priority string, p Progress) (Status, bool) {
	l, ok := m.priorities[priority]
	if !ok {
		return Status{Current: -1, Next: -1}, false
	}
	return l.status(p), true
}

// ladder is one priority, indexed for Level: its start tier, its goals and
// levels, and the levels of each clock, in the order of the ladder.
type ladder struct {
	startTier string
	goals     []Goal
	levels    []Level
	sinceOpen steps[time.Duration]
	inTier    steps[time.Duration]
	percent   []metricSteps
}

// steps lists the levels on one clock: index[k] is a level's position in
// the ladder, ascending, and at[k] its threshold. On the since_open and
// percent clocks the thresholds ascend too, as New checks.
type steps[T cmp.Ordered] struct {
	index []int
	at    []T
}

// metricSteps are the levels on the percent clock of one metric.
type metricSteps struct {
	metric string
	steps[float64]
}

// newLadder indexes the levels of the checked priority p.
func newLadder(p PrioritySpec) *ladder {
	l := &ladder{startTier: p.StartTier, goals: p.Goals, levels: p.Levels}
	for i, lv := range p.Levels {
		switch lv.Clock {
		case ClockSinceOpen:
			l.sinceOpen.add(i, time.Duration(lv.After))
		case ClockInTier:
			l.inTier.add(i, time.Duration(lv.After))
		case ClockPercent:
			k := slices.IndexFunc(l.percent, func(s metricSteps) bool { return s.metric == lv.Metric })
			if k < 0 {
				k = len(l.percent)
				l.percent = append(l.percent, metricSteps{metric: lv.Metric})
			}
			l.percent[k].add(i, lv.Percent)
		}
	}
	return l
}

// add appends the level at index with threshold at.
func (s *steps[T]) add(index int, at T) {
	s.index = append(s.index, index)
	s.at = append(s.at, at)
}

// from returns the position in s of the first level at index i or later.
func (s steps[T]) from(i int) int {
	k, _ := slices.BinarySearch(s.index, i)
	return k
}

// firstAbove returns the first level, at index i or later, whose threshold
// is above v, or none when there is no such level. The thresholds of s
// must ascend.
func (s steps[T]) firstAbove(v T, i, none int) int {
	k, equal := slices.BinarySearch(s.at, v)
	if equal {
		k++
	}
	return s.level(max(k, s.from(i)), none)
}

// level returns the ladder index of the level at position k in s, or none
// past the end.
func (s steps[T]) level(k, none int) int {
	if k == len(s.index) {
		return none
	}
	return s.index[k]
}

// status implements Level.
func (l *ladder) status(p Progress) Status {
	n := len(l.levels)
	first := min(max(p.Reached, 0), n)
	next := l.sinceOpen.firstAbove(p.SinceOpen, first, n)
	for _, s := range l.percent {
		next = min(next, s.firstAbove(p.Percent[s.metric], first, n))
	}
	k := l.inTier.from(first)
	if k < len(l.inTier.index) && l.inTier.index[k] == first && p.InTier >= l.inTier.at[k] {
		k++
	}
	next = min(next, l.inTier.level(k, n))

	st := Status{Current: next - 1, Next: -1}
	if next == n {
		return st
	}
	lv := &l.levels[next]
	st.Next, st.Clock, st.Metric = next, lv.Clock, lv.Metric
	switch lv.Clock {
	case ClockSinceOpen:
		st.Remaining = time.Duration(lv.After) - p.SinceOpen
	case ClockInTier:
		st.Remaining = time.Duration(lv.After)
		if next == first {
			st.Remaining -= p.InTier
		}
	case ClockPercent:
		st.RemainingPercent = lv.Percent - p.Percent[lv.Metric]
	}
	return st
}
