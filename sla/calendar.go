package sla

import (
	"cmp"
	"iter"
	"maps"
	"math"
	"slices"
	"sync/atomic"
	"time"
)

// Calendar is a compiled business calendar: the open times of a weekly
// schedule of local wall-clock windows in one time zone, less holidays,
// with per-date overrides.
//
// An instant t is open iff the local wall clock at t lies inside a window of
// a date that is not closed. Durations are real elapsed time while open: a
// 09:00-17:00 day is 8h even on a DST day, a 00:00-24:00 day is 23h or 25h
// on one, and wall times in a spring-forward gap count nothing. Results
// depend only on the instants given, never on their time.Location.
//
// A *Calendar is immutable and safe for concurrent use. It computes the
// open intervals of each year the first time an answer needs them and
// keeps them; this cache is race-free.
type Calendar struct {
	spec  CalendarSpec
	p     *parsed
	plain bool // open at every instant: answers are plain time arithmetic

	lo, hi  int64 // chunks [lo, hi) are built from the data; others repeat
	base    int64 // the chunk held in cache[0]
	cache   []atomicChunk
	cycleLo atomicUint64 // open time of one cycle below lo, plus one
	cycleHi atomicUint64 // open time of one cycle from hi on, plus one
}

type (
	atomicChunk  = atomic.Pointer[chunk]
	atomicUint64 = atomic.Uint64
)

// Always is the calendar that is open at every instant (24x7). On it,
// Add(t, d) is t.Add(d) and Between(a, b) is b.Sub(a).
var Always = mustCalendar(CalendarSpec{Week: map[string][]string{"mon-sun": {"00:00-24:00"}}})

func mustCalendar(spec CalendarSpec) *Calendar {
	c, err := NewCalendar(spec)
	if err != nil {
		panic(err)
	}
	return c
}

// NewCalendar checks spec and compiles it. A spec with mistakes is rejected
// whole with a *SpecError that lists every problem, each with its field and
// the offending value.
//
// Equal specs give one calendar while it is in use: its open intervals
// are computed once for every caller, so a thousand policies with the
// same office hours cost what one does.
func NewCalendar(spec CalendarSpec) (*Calendar, error) {
	key := specKey(spec)
	if c := sharedCalendar(key); c != nil {
		return c, nil
	}
	c, err := compile(spec)
	if err != nil {
		return nil, err
	}
	return share(key, c), nil
}

// compile is NewCalendar without sharing: a new calendar of its own.
func compile(spec CalendarSpec) (*Calendar, error) {
	p, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	c := &Calendar{spec: cloneSpec(spec), p: p}
	c.plain = len(p.holidays) == 0 && len(p.overrides) == 0
	for _, ws := range p.week {
		c.plain = c.plain && coversDay(ws)
	}
	c.chunkBand()
	return c, nil
}

// coversDay reports whether windows cover a whole day from its midnight.
func coversDay(ws []window) bool {
	ws = slices.Clone(ws)
	slices.SortFunc(ws, func(a, b window) int { return cmp.Compare(a.start, b.start) })
	var reach int64
	for _, w := range ws {
		if w.start > reach {
			break
		}
		reach = max(reach, w.end)
	}
	return reach >= secondsPerDay
}

func cloneSpec(s CalendarSpec) CalendarSpec {
	s.Week = cloneLists(s.Week)
	s.Holidays = slices.Clone(s.Holidays)
	s.Overrides = cloneLists(s.Overrides)
	return s
}

func cloneLists(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}

// Spec returns a copy of the spec the calendar was made from.
func (c *Calendar) Spec() CalendarSpec { return cloneSpec(c.spec) }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.p.loc }

// IsOpen reports whether t is open.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.plain {
		return true
	}
	i, x := locate(t)
	return c.chunk(i).isOpen(x)
}

// NextOpen returns t when t is open, and otherwise the next instant at which
// the calendar opens, in t's location.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.plain {
		return t
	}
	i, x := locate(t)
	ch := c.chunk(i)
	if ch.isOpen(x) {
		return t
	}
	if j := ch.find(x); j < len(ch.starts) {
		return instant(t, i, ch.starts[j])
	}
	// Every cycle has open time, so the search ends within the band and a
	// cycle past it.
	for n := c.hi - c.lo + 2*cycleChunks; n > 0; n-- {
		i++
		if ch := c.chunk(i); len(ch.starts) > 0 {
			return instant(t, i, ch.starts[0])
		}
	}
	return t
}

// Between returns the open time in [from, to); for to before from it is
// -Between(to, from). It saturates at the limits of time.Duration.
func (c *Calendar) Between(from, to time.Time) time.Duration {
	if c.plain {
		return to.Sub(from)
	}
	if to.Before(from) {
		return -c.Between(to, from)
	}
	i0, x0 := locate(from)
	i1, x1 := locate(to)
	ch0 := c.chunk(i0)
	if i0 == i1 {
		return time.Duration(ch0.cumAt(x1) - ch0.cumAt(x0))
	}
	sum := ch0.total() - ch0.cumAt(x0)
	sum = addSat(sum, c.openBetween(i0+1, i1))
	return time.Duration(addSat(sum, c.chunk(i1).cumAt(x1)))
}

// Add returns the instant at which d of open time has passed since t, in
// t's location. For d > 0 it is the earliest u with Between(t, u) == d, so a
// deadline that falls on a closing time is that closing time. Add(t, 0) is
// t. For d < 0 it is the latest u with Between(u, t) == -d.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	switch {
	case c.plain || d == 0:
		return t.Add(d)
	case d > 0:
		i, x := c.forward(t, int64(d))
		return instant(t, i, x)
	case d == math.MinInt64:
		// -d does not fit; one nanosecond less is as far as a Duration reaches.
		d++
	}
	i, x := c.backward(t, -int64(d))
	return instant(t, i, x)
}

// forward finds the earliest position with rem > 0 of open time after t.
func (c *Calendar) forward(t time.Time, rem int64) (int64, int64) {
	i, x := locate(t)
	ch := c.chunk(i)
	have := ch.cumAt(x)
	if rem <= ch.total()-have {
		return i, ch.forward(have + rem)
	}
	rem -= ch.total() - have
	for {
		i++
		if cyc, n := c.cycle(i, true); n > 0 && cyc > 0 && uint64(rem) > cyc {
			k := min(n, int64((uint64(rem)-1)/cyc))
			rem -= int64(uint64(k) * cyc)
			i += k * cycleChunks
		}
		ch = c.chunk(i)
		if rem <= ch.total() {
			return i, ch.forward(rem)
		}
		rem -= ch.total()
	}
}

// backward finds the latest position with rem > 0 of open time before t.
func (c *Calendar) backward(t time.Time, rem int64) (int64, int64) {
	i, x := locate(t)
	ch := c.chunk(i)
	have := ch.cumAt(x)
	if rem <= have {
		return i, ch.backward(have - rem)
	}
	rem -= have
	for {
		i--
		if cyc, n := c.cycle(i, false); n > 0 && cyc > 0 && uint64(rem) > cyc {
			k := min(n, int64((uint64(rem)-1)/cyc))
			rem -= int64(uint64(k) * cyc)
			i -= k * cycleChunks
		}
		ch = c.chunk(i)
		if rem <= ch.total() {
			return i, ch.backward(ch.total() - rem)
		}
		rem -= ch.total()
	}
}

// Intervals yields the open intervals [start, end) within [from, to), in
// order, clipped to [from, to) and in the calendar's location. Adjacent
// open time is yielded as one interval.
func (c *Calendar) Intervals(from, to time.Time) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) {
		if !from.Before(to) {
			return
		}
		from, to := from.Round(0).In(c.p.loc), to.Round(0).In(c.p.loc)
		if c.plain {
			yield(from, to)
			return
		}
		i0, x0 := locate(from)
		i1, x1 := locate(to)
		var (
			open     bool // an interval is pending
			pi, px   int64
			startsAt time.Time
		)
		for i := i0; i <= i1; i++ {
			ch := c.chunk(i)
			lo, hi := int64(0), chunkNanos
			if i == i0 {
				lo = x0
			}
			if i == i1 {
				hi = x1
			}
			for j := max(ch.find(lo)-1, 0); j < len(ch.starts) && ch.starts[j] < hi; j++ {
				s, e := max(ch.starts[j], lo), min(ch.ends[j], hi)
				if s >= e {
					continue
				}
				if open && !(pi == i-1 && px == chunkNanos && s == 0) {
					if !yield(startsAt, instant(from, pi, px)) {
						return
					}
					open = false
				}
				if !open {
					open, startsAt = true, instant(from, i, s)
				}
				pi, px = i, e
			}
		}
		if open {
			yield(startsAt, instant(from, pi, px))
		}
	}
}
