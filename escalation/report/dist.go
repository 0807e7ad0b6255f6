package report

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// exactValues is how many values a distribution keeps exactly; beyond it
// the values go into log-spaced buckets, so that a group's memory does not
// grow with its tickets.
const exactValues = 1 << 14

// subBuckets is the buckets per power of two of a sketch: a value is
// reported within 1/512 of itself (half a bucket's width).
const subBuckets = 1 << 8

// sample collects durations for their percentiles and mean: exactly up to
// exactValues values, then in a sketch of log-spaced buckets.
type sample struct {
	n      int
	secs   int64 // the sum, in whole seconds and nanoseconds apart, so that
	nanos  int64 // a million tickets' months do not overflow
	exact  []time.Duration
	sorted bool
	sketch *sketch
}

func (s *sample) add(d time.Duration) {
	s.n++
	s.secs += int64(d / time.Second)
	s.nanos += int64(d % time.Second)
	if s.sketch == nil {
		if len(s.exact) < exactValues {
			s.exact, s.sorted = append(s.exact, d), false
			return
		}
		s.sketch = &sketch{}
		for _, v := range s.exact {
			s.sketch.add(v)
		}
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
// power of two, below zero and above apart.
type sketch struct {
	neg, pos []uint32 // by bucket index
	zero     int
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
		k.pos = grow(k.pos, bucket(uint64(d)))
	default:
		k.neg = grow(k.neg, bucket(uint64(-d)))
	}
}

func grow(b []uint32, i int) []uint32 {
	if i >= len(b) {
		b = append(b, make([]uint32, i+1-len(b))...)
	}
	b[i]++
	return b
}

// rank returns the value of the rank-th smallest (from 1).
func (k *sketch) rank(rank int) time.Duration {
	for i := len(k.neg) - 1; i >= 0; i-- {
		if rank -= int(k.neg[i]); rank <= 0 {
			return -bucketValue(i)
		}
	}
	if rank -= k.zero; rank <= 0 {
		return 0
	}
	for i, c := range k.pos {
		if rank -= int(c); rank <= 0 {
			return bucketValue(i)
		}
	}
	return bucketValue(len(k.pos) - 1)
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
