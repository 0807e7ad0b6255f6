package sla_test

import (
	"archive/zip"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

type change struct {
	at       time.Time
	from, to int
}

// changes lists the offset changes of loc in [from, to).
func changes(loc *time.Location, from, to time.Time) []change {
	var out []change
	for t := from; t.Before(to); {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		if !end.After(t) { // ZoneBounds ends some leap years' last period early
			t = t.Add(time.Hour)
			continue
		}
		_, a := end.Add(-time.Second).In(loc).Zone()
		_, b := end.In(loc).Zone()
		if a != b {
			out = append(out, change{end.UTC(), a, b})
		}
		t = end
	}
	return out
}

// TestZonesRepeatOutsideTheBand checks, for every zone Go knows, what the
// calendar's answers before 1800 and from 2200 on rely on: there the zone's
// offset changes repeat every Gregorian cycle.
func TestZonesRepeatOutsideTheBand(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every zone")
	}
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zone list: %v", err)
	}
	defer zr.Close()
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	// One Gregorian cycle, 400 years, is 146,097 days: exactly 20,871 weeks.
	cycle := func(t time.Time) time.Time { return t.UTC().AddDate(400, 0, 0) }
	shift := func(cs []change) []change {
		out := slices.Clone(cs)
		for i := range out {
			out[i].at = cycle(out[i].at)
		}
		return out
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		loc, err := time.LoadLocation(f.Name)
		if err != nil {
			continue
		}
		for _, band := range [][2]int{{1000, 1400}, {2200, 2600}} {
			here := changes(loc, year(band[0]), year(band[1]))
			next := changes(loc, cycle(year(band[0])), cycle(year(band[1])))
			if fmt.Sprint(shift(here)) != fmt.Sprint(next) {
				t.Errorf("%s: offset changes in %d-%d do not repeat 400 years later", f.Name, band[0], band[1])
			}
		}
	}
}

// TestCalendarFarFromItsData holds the calendar against the reference around
// the clock changes of years far from the dates it names: years under a
// zone's yearly rule, and years before 1800 and after 2200 where its answers
// come from the repeating cycle.
func TestCalendarFarFromItsData(t *testing.T) {
	rng := rand.New(rand.NewPCG(400, 146097))
	for _, zone := range []string{"America/New_York", "Australia/Lord_Howe", "America/Santiago", "Europe/London"} {
		loc := mustZone(t, zone)
		// 2045, 2049: the zone's bounds are misreported around the leap
		// years' last days before them.
		for _, y := range []int{1650, 1799, 2045, 2049, 2201, 2426, 2826, 9100} {
			around := time.Date(y, 6, 15, 0, 0, 0, 0, time.UTC)
			if cs := changes(loc, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)); len(cs) > 0 {
				around = cs[0].at.UTC().Truncate(24 * time.Hour)
			}
			spec, ref := randomCalendar(rng, zone, time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC))
			t.Run(fmt.Sprintf("%s/%d", zone, y), func(t *testing.T) {
				c, err := sla.NewCalendar(spec)
				if err != nil {
					t.Fatal(err)
				}
				checkAgainstReference(t, rng, c, ref, around.Add(-4*24*time.Hour), 8*24*60)
			})
		}
	}
}
