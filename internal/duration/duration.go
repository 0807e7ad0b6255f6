// Package duration writes durations the way ladder's files and JSON show
// them: as Go duration strings without zero units ("1h30m", not
// "1h30m0s"), which time.ParseDuration reads back to the same value.
package duration

import (
	"strconv"
	"time"
)

// Format writes d as a Go duration string that time.ParseDuration reads
// back to the same value. Whole seconds print without zero units: "0s",
// "15m", "1h30m", "-1h30m", "100h59m59s". A duration with a fraction of a
// second prints as time.Duration.String does ("1.5s", "1h0m0.5s").
// Format allocates only its result; it is safe for concurrent use.
func Format(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	if d%time.Second != 0 {
		return d.String()
	}
	var buf [32]byte // "-2562047h47m16s" at most
	b := buf[:0]
	if d < 0 {
		b = append(b, '-')
		d = -d // cannot overflow: the most negative Duration is not whole seconds
	}
	for _, u := range [...]struct {
		size time.Duration
		unit byte
	}{{time.Hour, 'h'}, {time.Minute, 'm'}, {time.Second, 's'}} {
		if n := d / u.size; n > 0 {
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, u.unit)
			d -= n * u.size
		}
	}
	return string(b)
}
