package report

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// ExactValues is how many values an Aggregator keeps exactly by default,
// across all its groups' distributions (8 MiB): a report of up to about a
// hundred thousand tickets has exact percentiles. Beyond it a
// distribution that grows moves its values into a sketch of log-spaced
// buckets (giving its room back), so that memory is bounded by the
// groups, not by the tickets.
const ExactValues = 1 << 20

// subBuckets is the buckets per power of two of a sketch: a value is
// reported within 1/512 of itself (half a bucket's width).
const subBuckets = 1 << 8

// sample collects durations for their percentiles and mean: exactly while
// the budget lasts, then in a sketch.
type sample struct {
	n      int
	secs   int64 // the sum, in whole seconds and nanoseconds apart, so that
	nanos  int64 // a million tickets' months do not overflow
	exact  []time.Duration
	sorted bool
	sketch *sketch
}

// add adds d, taking room for an exact value from *budget.
func (s *sample) add(d time.Duration, budget *int) {
	s.n++
	s.secs += int64(d / time.Second)
	s.nanos += int64(d % time.Second)
	if s.sketch == nil {
		if len(s.exact) == cap(s.exact) && *budget > 0 {
			room := min(max(cap(s.exact), 8), *budget) // double, within the budget
			bigger := make([]time.Duration, len(s.exact), cap(s.exact)+room)
			copy(bigger, s.exact)
			s.exact, *budget = bigger, *budget-room
		}
		if len(s.exact) < cap(s.exact) {
			s.exact, s.sorted = append(s.exact, d), false
			return
		}
		s.sketch = &sketch{}
		for _, v := range s.exact {
			s.sketch.add(v)
		}
		*budget += cap(s.exact)
		s.exact = nil
	}
	s.sketch.add(d)
}

// Dist is a distribution of durations, in seconds: how many, the 50th and
// 90th percentiles (nearest rank) and the mean. With N 0 the others are 0.
type Dist struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	Mean float64 `json:"mean"`
}

// dist sums the sample up.
func (s *sample) dist() Dist {
	if s.n == 0 {
		return Dist{}
	}
	return Dist{N: s.n, P50: s.percentile(50).Seconds(), P90: s.percentile(90).Seconds(), Mean: s.mean()}
}

func (s *sample) mean() float64 {
	return (float64(s.secs) + float64(s.nanos)/1e9) / float64(s.n)
}

// percentile is the nearest-rank p-th percentile: with the values sorted
// ascending v[0..n-1], v[ceil(p/100*n)-1].
func (s *sample) percentile(p float64) time.Duration {
	rank := max(int(math.Ceil(p/100*float64(s.n))), 1)
	if s.sketch != nil {
		return s.sketch.rank(rank)
	}
	if !s.sorted {
		slices.Sort(s.exact)
		s.sorted = true
	}
	return s.exact[rank-1]
}

// sketch counts durations in buckets whose width is 1/subBuckets of their
// power of two, below zero and above apart. Each side keeps only the
// buckets from its smallest index seen to its largest.
type sketch struct {
	neg, pos counts
	zero     int
}

// counts are bucket counts from index lo on.
type counts struct {
	lo int
	c  []uint32
}

func (k *counts) add(i int) {
	switch {
	case len(k.c) == 0:
		k.lo, k.c = i, append(k.c, 0)
	case i < k.lo:
		k.c = append(make([]uint32, k.lo-i, k.lo-i+len(k.c)), k.c...)
		k.lo = i
	case i >= k.lo+len(k.c):
		k.c = append(k.c, make([]uint32, i+1-k.lo-len(k.c))...)
	}
	k.c[i-k.lo]++
}

// bucket is the index of v > 0's bucket: its power of two, and the next
// bits below the leading one.
func bucket(v uint64) int {
	n := bits.Len64(v) // v < 1<<n
	if n <= 9 {
		return int(v) // small values are exact
	}
	return (n-9)*subBuckets + int(v>>(n-9))
}

// bucketValue is the middle of bucket i's range.
func bucketValue(i int) time.Duration {
	if i < 1<<9 {
		return time.Duration(i)
	}
	shift := i/subBuckets - 1           // n-9 for the values' length n
	top := uint64(i - shift*subBuckets) // their top nine bits
	return time.Duration(top<<shift + 1<<shift/2)
}

func (k *sketch) add(d time.Duration) {
	switch {
	case d == 0:
		k.zero++
	case d > 0:
		k.pos.add(bucket(uint64(d)))
	default:
		k.neg.add(bucket(uint64(-d)))
	}
}

// rank returns the value of the rank-th smallest (from 1).
func (k *sketch) rank(rank int) time.Duration {
	for i := len(k.neg.c) - 1; i >= 0; i-- {
		if rank -= int(k.neg.c[i]); rank <= 0 {
			return -bucketValue(k.neg.lo + i)
		}
	}
	if rank -= k.zero; rank <= 0 {
		return 0
	}
	for i, c := range k.pos.c {
		if rank -= int(c); rank <= 0 {
			return bucketValue(k.pos.lo + i)
		}
	}
	return bucketValue(k.pos.lo + len(k.pos.c) - 1)
}

// Attainment is how many cycles of a metric were met and breached, and
// Met / (Met + Breached); 0 with none.
type Attainment struct {
	Met        int     `json:"met"`
	Breached   int     `json:"breached"`
	Attainment float64 `json:"attainment"`
}

// share is n / of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
