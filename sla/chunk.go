package sla

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// A calendar answers every question from chunks: the open intervals of one
// stretch of the instant timeline, computed once and kept. Chunks are
// 365.2425 days long, so 400 of them make one Gregorian cycle of
// 146,097 days (exactly 20,871 weeks). Beyond the dates a calendar's data
// names, and beyond the zone rules that change, a calendar repeats every
// cycle: its weekdays and dates repeat and the zone's daylight-saving rule
// repeats. So only the chunks of the band in between and one cycle on each
// side are ever built, and no answer walks more chunks than that.
const (
	secondsPerDay = 24 * 3600
	chunkSeconds  = 31_556_952 // 365.2425 days
	chunkNanos    = chunkSeconds * int64(time.Second)
	cycleChunks   = 400           // one Gregorian cycle
	epochSeconds  = 946_684_800   // 2000-01-01T00:00:00Z, the start of chunk 0
	minDay        = math.MinInt64 // sentinels for "no date named"
	maxDay        = math.MaxInt64
)

// The calendar data and the zone's changes are assumed to repeat every
// cycle before bandStartYear and from bandEndYear on. Zone rules before
// 1800 are constant (local mean time) and after 2200 follow a yearly rule.
const (
	bandStartYear = 1800
	bandEndYear   = 2200
)

// chunk holds the open intervals of one chunk as nanoseconds from its start,
// sorted and disjoint. cum[j] is the open time before interval j, and
// cum[len(starts)] the chunk's total.
type chunk struct {
	starts, ends []int64
	cum          []int64
}

func (ch *chunk) total() int64 { return ch.cum[len(ch.cum)-1] }

// find returns the number of intervals that start at or before x.
func (ch *chunk) find(x int64) int {
	lo, hi := 0, len(ch.starts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ch.starts[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// cumAt is the open time in [0, x).
func (ch *chunk) cumAt(x int64) int64 {
	j := ch.find(x) - 1
	if j < 0 {
		return 0
	}
	return ch.cum[j] + min(x-ch.starts[j], ch.ends[j]-ch.starts[j])
}

// isOpen reports whether x lies inside an interval.
func (ch *chunk) isOpen(x int64) bool {
	j := ch.find(x) - 1
	return j >= 0 && x < ch.ends[j]
}

// forward is the earliest x with cumAt(x) == target, for 0 < target <= total.
func (ch *chunk) forward(target int64) int64 {
	lo, hi := 0, len(ch.starts)-1
	for lo < hi { // smallest j with cum[j+1] >= target
		m := int(uint(lo+hi) >> 1)
		if ch.cum[m+1] >= target {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return ch.ends[lo] - (ch.cum[lo+1] - target)
}

// backward is the latest x with cumAt(x) == target, for 0 <= target < total.
func (ch *chunk) backward(target int64) int64 {
	lo, hi := 0, len(ch.starts)-1
	for lo < hi { // largest j with cum[j] <= target
		m := int(uint(lo+hi+1) >> 1)
		if ch.cum[m] <= target {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return ch.starts[lo] + (target - ch.cum[lo])
}

// chunkBand sets the band of chunks that must be built from the data,
// [lo, hi), and allocates the cache for it and one cycle on either side.
func (c *Calendar) chunkBand() {
	startYear, endYear := bandStartYear, bandEndYear
	if c.p.minDay != minDay {
		startYear = min(startYear, yearOfDay(c.p.minDay))
		endYear = max(endYear, yearOfDay(c.p.maxDay)+1)
	}
	// Chunks below lo end before startYear and chunks from hi on begin after
	// the start of endYear, with days to spare for overnight windows and
	// zone offsets.
	c.lo = chunkOf(time.Date(startYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) - 1
	c.hi = chunkOf(time.Date(endYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) + 2
	c.base = c.lo - cycleChunks
	c.cache = make([]atomicChunk, c.hi+cycleChunks-c.base)
}

func yearOfDay(d int64) int { return time.Unix(d*secondsPerDay, 0).UTC().Year() }

// chunkOf is the chunk that holds the instant at unix second sec.
func chunkOf(sec int64) int64 { return floorDiv(sec-epochSeconds, chunkSeconds) }

// locate returns the chunk of t and t's offset in it in nanoseconds.
func locate(t time.Time) (int64, int64) {
	rel := t.Unix() - epochSeconds
	i := floorDiv(rel, chunkSeconds)
	return i, (rel-i*chunkSeconds)*int64(time.Second) + int64(t.Nanosecond())
}

// instant is the time at offset x of chunk i, in t's location and, when the
// distance allows, computed as t.Add so that t's monotonic reading carries.
func instant(t time.Time, i, x int64) time.Time {
	sec := epochSeconds + i*chunkSeconds + x/int64(time.Second)
	nsec := x % int64(time.Second)
	if dsec := sec - t.Unix(); dsec > -1<<33 && dsec < 1<<33 {
		return t.Add(time.Duration(dsec)*time.Second + time.Duration(nsec-int64(t.Nanosecond())))
	}
	return time.Unix(sec, nsec).In(t.Location())
}

// chunk returns chunk i, building and caching it on first use. Chunks
// outside the band are the chunks of the cycle next to it. Concurrent
// first uses may build a chunk twice; one copy wins and all see it.
func (c *Calendar) chunk(i int64) *chunk {
	switch {
	case i >= c.hi:
		i = c.hi + floorMod(i-c.hi, cycleChunks)
	case i < c.lo:
		i = c.lo - cycleChunks + floorMod(i-c.lo, cycleChunks)
	}
	slot := &c.cache[i-c.base]
	if ch := slot.Load(); ch != nil {
		return ch
	}
	ch := c.build(i)
	if slot.CompareAndSwap(nil, ch) {
		return ch
	}
	return slot.Load()
}

// cycle returns the open time of one cycle in the repeating region that
// chunk i belongs to, and how many whole cycles can be skipped from i in
// the given direction without leaving that region (0 inside the band).
func (c *Calendar) cycle(i int64, forward bool) (total uint64, skippable int64) {
	switch {
	case i >= c.hi:
		if forward {
			return c.cycleTotal(&c.cycleHi, c.hi), math.MaxInt64
		}
		return c.cycleTotal(&c.cycleHi, c.hi), (i - c.hi + 1) / cycleChunks
	case i < c.lo:
		if forward {
			return c.cycleTotal(&c.cycleLo, c.lo-cycleChunks), (c.lo - i) / cycleChunks
		}
		return c.cycleTotal(&c.cycleLo, c.lo-cycleChunks), math.MaxInt64
	}
	return 0, 0
}

// cycleTotal is the open time of chunks [from, from+cycleChunks), cached
// in *cached as total+1 (0 means not yet computed).
func (c *Calendar) cycleTotal(cached *atomicUint64, from int64) uint64 {
	if v := cached.Load(); v != 0 {
		return v - 1
	}
	var sum uint64 // at most 400 * chunkNanos, which fits in a uint64
	for i := from; i < from+cycleChunks; i++ {
		sum += uint64(c.chunk(i).total())
	}
	cached.Store(sum + 1)
	return sum
}

// openBetween is the open time of the whole chunks [i0, i1), saturating at
// the largest time.Duration.
func (c *Calendar) openBetween(i0, i1 int64) int64 {
	var sum int64
	for i := i0; i < i1; {
		if cyc, n := c.cycle(i, true); n > 0 && (i1-i)/cycleChunks > 0 {
			k := min(n, (i1-i)/cycleChunks)
			sum = addSat(sum, mulSat(k, cyc))
			i += k * cycleChunks
			continue
		}
		sum = addSat(sum, c.chunk(i).total())
		i++
	}
	return sum
}

// build computes chunk i: the instants whose local wall clock lies in a
// window of a date that is not closed.
func (c *Calendar) build(i int64) *chunk {
	start := epochSeconds + i*chunkSeconds
	end := start + chunkSeconds

	// The wall-clock open spans, in seconds of local time counted as if it
	// were UTC, of every date whose windows can reach the chunk: windows end
	// at most 48h after their date begins and zone offsets stay within 16h.
	var wall []window
	for d := floorDiv(start, secondsPerDay) - 4; d <= floorDiv(end, secondsPerDay)+2; d++ {
		for _, w := range c.windowsOn(d) {
			wall = append(wall, window{d*secondsPerDay + w.start, d*secondsPerDay + w.end})
		}
	}
	slices.SortFunc(wall, func(a, b window) int { return cmp.Compare(a.start, b.start) })
	wall = mergeWindows(wall)

	// Map the spans to instants one zone period at a time: within a period
	// the wall clock is the instant plus a fixed offset, so a span maps to
	// one interval. Wall times in a spring-forward gap belong to no period;
	// wall times repeated at a fall-back belong to two.
	ch := &chunk{}
	for t := start; t < end; {
		off, next := zoneAt(c.p.loc, t)
		next = min(next, end)
		lo, hi := t+off, next+off
		k, _ := slices.BinarySearchFunc(wall, lo, func(w window, x int64) int { return cmp.Compare(w.end, x+1) })
		for ; k < len(wall) && wall[k].start < hi; k++ {
			a, b := max(wall[k].start, lo)-off, min(wall[k].end, hi)-off
			ch.add((a-start)*int64(time.Second), (b-start)*int64(time.Second))
		}
		t = next
	}
	ch.cum = make([]int64, len(ch.starts)+1)
	for j := range ch.starts {
		ch.cum[j+1] = ch.cum[j] + ch.ends[j] - ch.starts[j]
	}
	return ch
}

// add appends [a, b), joining it to the last interval when they touch.
func (ch *chunk) add(a, b int64) {
	if a >= b {
		return
	}
	if n := len(ch.ends); n > 0 && ch.ends[n-1] >= a {
		ch.ends[n-1] = max(ch.ends[n-1], b)
		return
	}
	ch.starts = append(ch.starts, a)
	ch.ends = append(ch.ends, b)
}

// windowsOn returns the windows of day d: its override, none on a holiday,
// or its weekday's.
func (c *Calendar) windowsOn(d int64) []window {
	if ws, ok := c.p.overrides[d]; ok {
		return ws
	}
	if c.isHoliday(d) {
		return nil
	}
	return c.p.week[floorMod(d+4, 7)] // 1970-01-01 was a Thursday
}

func (c *Calendar) isHoliday(d int64) bool {
	hs := c.p.holidays
	j, _ := slices.BinarySearchFunc(hs, d, func(r dayRange, d int64) int { return cmp.Compare(r.to, d) })
	return j < len(hs) && hs[j].from <= d
}

// zoneAt returns the offset in seconds in effect at unix second t and the
// unix second at which it next changes (math.MaxInt64 for never).
func zoneAt(loc *time.Location, t int64) (off, next int64) {
	lt := time.Unix(t, 0).In(loc)
	_, o := lt.Zone()
	_, e := lt.ZoneBounds()
	switch {
	case e.IsZero():
		return int64(o), math.MaxInt64
	case e.Unix() > t:
		return int64(o), e.Unix()
	}
	// ZoneBounds reports some periods as ending at or before t itself (under
	// a zone's yearly rule, on the last day of leap years). Find the next
	// change from the offsets instead: no zone changes twice in a day.
	end := t + secondsPerDay
	if offsetAt(loc, end) != o {
		lo := t // offset o at lo, another at end
		for end-lo > 1 {
			if m := lo + (end-lo)/2; offsetAt(loc, m) == o {
				lo = m
			} else {
				end = m
			}
		}
	}
	return int64(o), end
}

func offsetAt(loc *time.Location, t int64) int {
	_, o := time.Unix(t, 0).In(loc).Zone()
	return o
}

// mergeWindows joins sorted windows that overlap or touch.
func mergeWindows(ws []window) []window {
	out := ws[:0]
	for _, w := range ws {
		if n := len(out); n > 0 && w.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, w.end)
			continue
		}
		out = append(out, w)
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func mulSat(k int64, v uint64) int64 {
	if v != 0 && uint64(k) > uint64(math.MaxInt64)/v {
		return math.MaxInt64
	}
	return int64(uint64(k) * v)
}
