package sla_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// refCal is a deliberately naive calendar that states the semantics
// directly: an instant is open iff its local wall clock lies in a window of
// its own date or an overnight window of the day before, on dates that are
// not closed. The fast calendar is held against it minute by minute.
type refCal struct {
	loc       *time.Location
	week      [7][][2]int // minutes from midnight; end may pass 24:00
	holidays  map[string]bool
	overrides map[string][][2]int
}

func (r *refCal) windows(date time.Time) [][2]int {
	key := date.Format(time.DateOnly)
	if ws, ok := r.overrides[key]; ok {
		return ws
	}
	if r.holidays[key] {
		return nil
	}
	return r.week[date.Weekday()]
}

func (r *refCal) open(t time.Time) bool {
	lt := t.In(r.loc)
	minute := lt.Hour()*60 + lt.Minute()
	today := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	for back, date := range []time.Time{today, today.AddDate(0, 0, -1)} {
		m := minute + back*24*60
		for _, w := range r.windows(date) {
			if w[0] <= m && m < w[1] {
				return true
			}
		}
	}
	return false
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// randomCalendar draws a calendar in zone with windows on a 15-minute grid
// (overnight ones and 24:00 ends included) and holidays and overrides on
// the days around around.
func randomCalendar(rng *rand.Rand, zone string, around time.Time) (sla.CalendarSpec, *refCal) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	spec := sla.CalendarSpec{Location: zone, Week: map[string][]string{}, Overrides: map[string][]string{}}
	ref := &refCal{loc: loc, holidays: map[string]bool{}, overrides: map[string][][2]int{}}
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	windows := func() ([]string, [][2]int) {
		var texts []string
		var ws [][2]int
		for range rng.IntN(4) {
			start := rng.IntN(96) * 15
			end := rng.IntN(97) * 15 // 24:00 included
			if rng.IntN(6) == 0 {
				end = 24 * 60
			}
			texts = append(texts, hhmm(start)+"-"+hhmm(end))
			if end <= start {
				end += 24 * 60
			}
			ws = append(ws, [2]int{start, end})
		}
		return texts, ws
	}
	for d, name := range days {
		texts, ws := windows()
		if d == 1 && len(ws) == 0 { // the week must open somewhere
			texts, ws = []string{"09:00-17:00"}, [][2]int{{540, 1020}}
		}
		spec.Week[name] = texts
		ref.week[d] = ws
	}
	for range rng.IntN(4) {
		key := around.AddDate(0, 0, rng.IntN(7)-3).Format(time.DateOnly)
		spec.Holidays = append(spec.Holidays, key)
		ref.holidays[key] = true
	}
	for range rng.IntN(3) {
		key := around.AddDate(0, 0, rng.IntN(7)-3).Format(time.DateOnly)
		texts, ws := windows()
		spec.Overrides[key] = texts
		ref.overrides[key] = ws
	}
	return spec, ref
}

// referenceDays are the dates whose neighbourhood the reference test walks:
// each zone's 2026 changes, and ordinary days for zones without any.
var referenceDays = map[string][]string{
	"America/New_York":    {"2026-03-08", "2026-11-01"},
	"Europe/London":       {"2026-03-29", "2026-10-25"},
	"Australia/Lord_Howe": {"2026-04-05", "2026-10-04"},
	"Asia/Kathmandu":      {"2026-06-15"},
	"America/Santiago":    {"2026-04-05", "2026-09-06"},
	"America/Havana":      {"2026-03-08", "2026-11-01"},
	"Africa/Casablanca":   {"2026-02-15", "2026-03-22"},
	"Asia/Gaza":           {"2026-03-28", "2026-10-24"},
	"UTC":                 {"2026-01-01"},
	"Asia/Tokyo":          {"2026-12-31"},
}

func TestCalendarAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	for zone, dates := range referenceDays {
		for _, date := range dates {
			around, _ := time.Parse(time.DateOnly, date)
			for round := range rounds {
				spec, ref := randomCalendar(rng, zone, around)
				t.Run(fmt.Sprintf("%s/%s/%d", zone, date, round), func(t *testing.T) {
					c, err := sla.NewCalendar(spec)
					if err != nil {
						t.Fatalf("NewCalendar(%+v): %v", spec, err)
					}
					checkAgainstReference(t, rng, c, ref, around.Add(-4*24*time.Hour), 8*24*60)
				})
			}
		}
	}
}

// checkAgainstReference walks n minutes from start and compares IsOpen,
// NextOpen, Between and Add with what the reference says.
func checkAgainstReference(t *testing.T, rng *rand.Rand, c *sla.Calendar, ref *refCal, start time.Time, n int) {
	t.Helper()
	// Walk the wall clock's minutes: local mean time offsets have seconds.
	start = start.Add(-time.Duration(start.In(ref.loc).Second()) * time.Second)
	minute := func(i int) time.Time { return start.Add(time.Duration(i) * time.Minute) }
	cum := make([]int, n+1) // cum[i]: open minutes in [start, minute(i))
	for i := range n {
		open := ref.open(minute(i))
		if got := c.IsOpen(minute(i)); got != open {
			t.Fatalf("IsOpen(%v) = %v, reference %v", minute(i).In(ref.loc), got, open)
		}
		cum[i+1] = cum[i]
		if open {
			cum[i+1]++
		}
	}
	for i := 0; i < n; i += 37 {
		want := -1
		for j := i; j < n; j++ {
			if cum[j+1] > cum[j] {
				want = j
				break
			}
		}
		if got := c.NextOpen(minute(i)); want >= 0 && !got.Equal(minute(want)) {
			t.Fatalf("NextOpen(%v) = %v, reference %v", minute(i).In(ref.loc), got.In(ref.loc), minute(want).In(ref.loc))
		}
	}
	for range 300 {
		a, b := rng.IntN(n+1), rng.IntN(n+1)
		if got, want := c.Between(minute(a), minute(b)), time.Duration(cum[b]-cum[a])*time.Minute; got != want {
			t.Fatalf("Between(%v, %v) = %v, reference %v", minute(a).In(ref.loc), minute(b).In(ref.loc), got, want)
		}
	}
	for range 300 {
		a := rng.IntN(n + 1)
		// forward: the earliest minute boundary at which k open minutes have passed
		if left := cum[n] - cum[a]; left > 0 {
			k := 1 + rng.IntN(left)
			b := a
			for cum[b]-cum[a] < k {
				b++
			}
			if got := c.Add(minute(a), time.Duration(k)*time.Minute); !got.Equal(minute(b)) {
				t.Fatalf("Add(%v, %dm) = %v, reference %v", minute(a).In(ref.loc), k, got.In(ref.loc), minute(b).In(ref.loc))
			}
		}
		// backward: the latest minute boundary with k open minutes before a
		if cum[a] > 0 {
			k := 1 + rng.IntN(cum[a])
			b := a
			for cum[a]-cum[b] < k {
				b--
			}
			if got := c.Add(minute(a), -time.Duration(k)*time.Minute); !got.Equal(minute(b)) {
				t.Fatalf("Add(%v, -%dm) = %v, reference %v", minute(a).In(ref.loc), k, got.In(ref.loc), minute(b).In(ref.loc))
			}
		}
	}
}
