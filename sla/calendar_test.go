package sla_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

func mustCalendar(t testing.TB, spec sla.CalendarSpec) *sla.Calendar {
	t.Helper()
	c, err := sla.NewCalendar(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// wall reads "2026-03-08 09:00" as local wall time in loc. Where that wall
// time occurs twice it is the first occurrence; "+" after it ("01:30+")
// means the second. Wall times that do not occur fail the test.
func wall(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	second := s[len(s)-1] == '+'
	if second {
		s = s[:len(s)-1]
	}
	naive, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	// Try every instant whose wall clock could read s and keep those that do.
	var found []time.Time
	for off := -16 * time.Hour; off <= 16*time.Hour; off += 15 * time.Minute {
		u := naive.Add(-off).In(loc)
		if _, zoneOff := u.Zone(); u.Format("2006-01-02 15:04") == s && time.Duration(zoneOff)*time.Second == off {
			found = append(found, u)
		}
	}
	slices.SortFunc(found, time.Time.Compare)
	switch {
	case len(found) == 0:
		t.Fatalf("wall time %s does not occur in %s", s, loc)
	case second && len(found) < 2:
		t.Fatalf("wall time %s occurs only once in %s", s, loc)
	case second:
		return found[1]
	}
	return found[0]
}

func week(windows ...string) map[string][]string {
	return map[string][]string{"mon-sun": windows}
}

var officeHours = map[string][]string{"mon-fri": {"09:00-17:00"}}

// betweenCase asks for the open time between two local wall times.
type betweenCase struct {
	name     string
	spec     sla.CalendarSpec
	from, to string
	want     time.Duration
}

func TestBetweenOnChangeDays(t *testing.T) {
	z := func(zone string, w map[string][]string) sla.CalendarSpec {
		// The holiday keeps round-the-clock calendars off the plain-time shortcut.
		return sla.CalendarSpec{Location: zone, Week: w, Holidays: []string{"2000-01-01"}}
	}
	cases := []betweenCase{
		// America/New_York: spring forward 02:00 -> 03:00 on Mar 8, fall back 02:00 -> 01:00 on Nov 1.
		{"new york office day after spring forward", z("America/New_York", officeHours), "2026-03-09 00:00", "2026-03-10 00:00", 8 * time.Hour},
		{"new york office hours on the spring-forward sunday", z("America/New_York", week("09:00-17:00")), "2026-03-08 00:00", "2026-03-09 00:00", 8 * time.Hour},
		{"new york whole spring-forward day", z("America/New_York", week("00:00-24:00")), "2026-03-08 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{"new york whole fall-back day", z("America/New_York", week("00:00-24:00")), "2026-11-01 00:00", "2026-11-02 00:00", 25 * time.Hour},
		{"new york gap counts nothing", z("America/New_York", week("02:00-03:00")), "2026-03-08 00:00", "2026-03-09 00:00", 0},
		{"new york half in the gap", z("America/New_York", week("02:30-03:30")), "2026-03-08 00:00", "2026-03-09 00:00", 30 * time.Minute},
		{"new york repeated hour counts twice", z("America/New_York", week("01:00-02:00")), "2026-11-01 00:00", "2026-11-02 00:00", 2 * time.Hour},
		{"new york first pass of the repeated hour", z("America/New_York", week("01:00-02:00")), "2026-11-01 00:00", "2026-11-01 01:30", 30 * time.Minute},
		{"new york into the second pass", z("America/New_York", week("01:00-02:00")), "2026-11-01 00:00", "2026-11-01 01:30+", 90 * time.Minute},
		{"new york overnight across fall back", z("America/New_York", map[string][]string{"sat": {"22:00-06:00"}}), "2026-10-31 12:00", "2026-11-01 12:00", 9 * time.Hour},
		{"new york overnight across spring forward", z("America/New_York", map[string][]string{"sat": {"22:00-06:00"}}), "2026-03-07 12:00", "2026-03-08 12:00", 7 * time.Hour},
		// Europe/London: 01:00 -> 02:00 on Mar 29, 02:00 -> 01:00 on Oct 25.
		{"london whole spring-forward day", z("Europe/London", week("00:00-24:00")), "2026-03-29 00:00", "2026-03-30 00:00", 23 * time.Hour},
		{"london gap", z("Europe/London", week("01:00-02:00")), "2026-03-29 00:00", "2026-03-30 00:00", 0},
		{"london whole fall-back day", z("Europe/London", week("00:00-24:00")), "2026-10-25 00:00", "2026-10-26 00:00", 25 * time.Hour},
		{"london office week across the change", z("Europe/London", officeHours), "2026-03-27 00:00", "2026-04-03 00:00", 40 * time.Hour},
		// Australia/Lord_Howe: 02:00 -> 01:30 on Apr 5, 02:00 -> 02:30 on Oct 4.
		{"lord howe day of a half-hour fall back", z("Australia/Lord_Howe", week("00:00-24:00")), "2026-04-05 00:00", "2026-04-06 00:00", 24*time.Hour + 30*time.Minute},
		{"lord howe repeated half hour", z("Australia/Lord_Howe", week("01:30-02:00")), "2026-04-05 00:00", "2026-04-06 00:00", time.Hour},
		{"lord howe day of a half-hour spring forward", z("Australia/Lord_Howe", week("00:00-24:00")), "2026-10-04 00:00", "2026-10-05 00:00", 23*time.Hour + 30*time.Minute},
		{"lord howe half-hour gap", z("Australia/Lord_Howe", week("02:00-03:00")), "2026-10-04 00:00", "2026-10-05 00:00", 30 * time.Minute},
		// Asia/Kathmandu: +05:45 all year.
		{"kathmandu office week", z("Asia/Kathmandu", officeHours), "2026-06-15 00:00", "2026-06-22 00:00", 40 * time.Hour},
		{"kathmandu part of a day", z("Asia/Kathmandu", officeHours), "2026-06-15 08:00", "2026-06-15 09:45", 45 * time.Minute},
		// America/Santiago: 00:00 -> 23:00 the day before on Apr 5, 00:00 -> 01:00 on Sep 6.
		{"santiago day without midnight", z("America/Santiago", week("00:00-24:00")), "2026-09-06 01:00", "2026-09-07 00:00", 23 * time.Hour},
		{"santiago the missing first hour", z("America/Santiago", map[string][]string{"sun": {"00:00-01:00"}}), "2026-09-05 12:00", "2026-09-06 12:00", 0},
		{"santiago saturday with a repeated last hour", z("America/Santiago", week("00:00-24:00")), "2026-04-04 00:00", "2026-04-05 00:00", 25 * time.Hour},
		{"santiago repeated hour belongs to saturday", z("America/Santiago", map[string][]string{"sat": {"23:00-24:00"}}), "2026-04-04 12:00", "2026-04-05 12:00", 2 * time.Hour},
		// America/Havana: 00:00 -> 01:00 on Mar 8, 01:00 -> 00:00 on Nov 1.
		{"havana day without midnight", z("America/Havana", week("00:00-24:00")), "2026-03-07 12:00", "2026-03-08 12:00", 23 * time.Hour},
		{"havana missing first hour", z("America/Havana", map[string][]string{"sun": {"00:00-01:00"}}), "2026-03-07 12:00", "2026-03-09 12:00", 0},
		{"havana repeated first hour", z("America/Havana", map[string][]string{"sun": {"00:00-01:00"}}), "2026-10-31 12:00", "2026-11-02 12:00", 2 * time.Hour},
		// Africa/Casablanca: 03:00 -> 02:00 on Feb 15 (Ramadan), 02:00 -> 03:00 on Mar 22.
		{"casablanca ramadan fall back", z("Africa/Casablanca", week("02:00-03:00")), "2026-02-15 00:00", "2026-02-16 00:00", 2 * time.Hour},
		{"casablanca spring forward", z("Africa/Casablanca", week("00:00-24:00")), "2026-03-22 00:00", "2026-03-23 00:00", 23 * time.Hour},
		// Asia/Gaza: changes on Saturdays, 02:00 -> 03:00 on Mar 28, 02:00 -> 01:00 on Oct 24.
		{"gaza saturday spring forward", z("Asia/Gaza", map[string][]string{"sat": {"00:00-24:00"}}), "2026-03-27 00:00", "2026-03-30 00:00", 23 * time.Hour},
		{"gaza saturday fall back", z("Asia/Gaza", map[string][]string{"sat": {"00:00-24:00"}}), "2026-10-23 00:00", "2026-10-26 00:00", 25 * time.Hour},
		// UTC and Asia/Tokyo: no changes.
		{"utc office week", z("UTC", officeHours), "2026-03-02 00:00", "2026-03-09 00:00", 40 * time.Hour},
		{"tokyo office week", z("Asia/Tokyo", officeHours), "2026-03-02 00:00", "2026-03-09 00:00", 40 * time.Hour},
		{"tokyo weekend", z("Asia/Tokyo", officeHours), "2026-03-06 16:00", "2026-03-09 10:00", 2 * time.Hour},
		// Holidays and overrides next to change days.
		{"holiday before spring forward", sla.CalendarSpec{Location: "America/New_York", Week: week("00:00-24:00"), Holidays: []string{"2026-03-07"}}, "2026-03-07 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{"override on spring forward", sla.CalendarSpec{Location: "America/New_York", Week: week("00:00-24:00"), Overrides: map[string][]string{"2026-03-08": {"00:00-12:00"}}}, "2026-03-08 00:00", "2026-03-09 00:00", 11 * time.Hour},
		{"override opens a fall-back sunday", sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Overrides: map[string][]string{"2026-11-01": {"00:00-24:00"}}}, "2026-10-31 00:00", "2026-11-02 00:00", 25 * time.Hour},
		{"holiday does not cut the night before", sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"sat": {"22:00-06:00"}}, Holidays: []string{"2026-11-01"}}, "2026-10-31 12:00", "2026-11-01 12:00", 9 * time.Hour},
		{"holiday closes the night it starts", sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"sat": {"22:00-06:00"}}, Holidays: []string{"2026-10-31"}}, "2026-10-31 12:00", "2026-11-01 12:00", 0},
		{"override wins over holiday range", sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Holidays: []string{"2026-12-24..2026-12-26"}, Overrides: map[string][]string{"2026-12-24": {"09:00-13:00"}}}, "2026-12-24 00:00", "2026-12-29 00:00", 4*time.Hour + 8*time.Hour},
		{"empty override closes a day", sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Overrides: map[string][]string{"2026-03-09": {}}}, "2026-03-09 00:00", "2026-03-11 00:00", 8 * time.Hour},
		// Windows.
		{"lunch break", sla.CalendarSpec{Week: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}}}, "2026-03-02 00:00", "2026-03-03 00:00", 7 * time.Hour},
		{"overlapping windows are a union", sla.CalendarSpec{Week: map[string][]string{"mon": {"09:00-12:00", "11:00-14:00", "10:00-11:00"}}}, "2026-03-02 00:00", "2026-03-03 00:00", 5 * time.Hour},
		{"overnight overlaps the next morning", sla.CalendarSpec{Week: map[string][]string{"mon": {"20:00-08:00"}, "tue": {"06:00-10:00"}}}, "2026-03-02 00:00", "2026-03-04 00:00", 14 * time.Hour},
		{"a window ending at 24:00", sla.CalendarSpec{Week: map[string][]string{"fri": {"18:00-24:00"}}}, "2026-03-06 00:00", "2026-03-07 00:00", 6 * time.Hour},
		{"equal ends make a 24h window", sla.CalendarSpec{Week: map[string][]string{"wed": {"09:00-09:00"}}}, "2026-03-04 00:00", "2026-03-06 00:00", 24 * time.Hour},
		{"wrapping day range", sla.CalendarSpec{Week: map[string][]string{"sun-thu": {"08:00-16:00"}}}, "2026-03-01 00:00", "2026-03-08 00:00", 40 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCalendar(t, tc.spec)
			loc := c.Location()
			from, to := wall(t, loc, tc.from), wall(t, loc, tc.to)
			if got := c.Between(from, to); got != tc.want {
				t.Errorf("Between(%v, %v) = %v, want %v", from, to, got, tc.want)
			}
			if got := c.Between(to, from); got != -tc.want {
				t.Errorf("Between(%v, %v) = %v, want %v", to, from, got, -tc.want)
			}
			// Add lands no later than to, with exactly the open time asked for.
			if u := c.Add(from, tc.want); u.After(to) || c.Between(from, u) != tc.want {
				t.Errorf("Add(%v, %v) = %v: later than %v or off by %v", from, tc.want, u, to, c.Between(from, u)-tc.want)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	office := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Holidays: []string{"2026-07-03"}})
	lunch := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}}})
	night := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon": {"18:00-24:00"}, "tue": {"00:00-02:00"}}})
	cases := []struct {
		name string
		c    *sla.Calendar
		from string
		d    time.Duration
		want string
	}{
		{"within a day", office, "2026-03-02 10:30", 2 * time.Hour, "2026-03-02 12:30"},
		{"lands on closing time", office, "2026-03-02 16:00", time.Hour, "2026-03-02 17:00"},
		{"zero is the instant itself, closed or not", office, "2026-03-02 20:00", 0, "2026-03-02 20:00"},
		{"from closed time", office, "2026-03-02 18:00", time.Hour, "2026-03-03 10:00"},
		{"over a weekend", office, "2026-03-06 16:30", 4 * time.Hour, "2026-03-09 12:30"},
		{"over a holiday and a weekend", office, "2026-07-02 16:00", 2 * time.Hour, "2026-07-06 10:00"},
		{"across spring forward", office, "2026-03-06 13:00", 8 * time.Hour, "2026-03-09 13:00"},
		{"lunch is skipped", lunch, "2026-03-02 11:00", 2 * time.Hour, "2026-03-02 14:00"},
		{"lunch: ends at the break", lunch, "2026-03-02 11:00", time.Hour, "2026-03-02 12:00"},
		{"back: latest instant", office, "2026-03-03 10:00", -time.Hour, "2026-03-03 09:00"},
		{"back: over the night", office, "2026-03-03 09:00", -time.Hour, "2026-03-02 16:00"},
		{"back: from closed time", office, "2026-03-03 08:00", -30 * time.Minute, "2026-03-02 16:30"},
		{"back: over a weekend", office, "2026-03-09 10:00", -2 * time.Hour, "2026-03-06 16:00"},
		{"windows joined across midnight", night, "2026-03-02 23:00", 2 * time.Hour, "2026-03-03 01:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, want := wall(t, ny, tc.from), wall(t, ny, tc.want)
			got := tc.c.Add(from, tc.d)
			if !got.Equal(want) {
				t.Errorf("Add(%v, %v) = %v, want %v", from, tc.d, got, want)
			}
			if got.Location() != from.Location() {
				t.Errorf("Add returned location %v, want the argument's %v", got.Location(), from.Location())
			}
		})
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	c := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Holidays: []string{"2026-12-25"}})
	cases := []struct {
		at   string
		open bool
		next string
	}{
		{"2026-03-02 08:59", false, "2026-03-02 09:00"},
		{"2026-03-02 09:00", true, "2026-03-02 09:00"},
		{"2026-03-02 16:59", true, "2026-03-02 16:59"},
		{"2026-03-02 17:00", false, "2026-03-03 09:00"},
		{"2026-03-07 12:00", false, "2026-03-09 09:00"},
		{"2026-12-24 17:00", false, "2026-12-28 09:00"},
	}
	for _, tc := range cases {
		at := wall(t, ny, tc.at)
		if got := c.IsOpen(at); got != tc.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tc.at, got, tc.open)
		}
		if got, want := c.NextOpen(at), wall(t, ny, tc.next); !got.Equal(want) {
			t.Errorf("NextOpen(%s) = %v, want %v", tc.at, got, want)
		}
	}
	// One nanosecond of open time is one nanosecond of clock time.
	four := wall(t, ny, "2026-03-02 16:00")
	if got := c.Add(four, time.Nanosecond); !got.Equal(four.Add(time.Nanosecond)) {
		t.Errorf("Add(16:00, 1ns) = %v", got)
	}
	// The last nanosecond before opening is closed; the opening itself is open.
	nine := wall(t, ny, "2026-03-02 09:00")
	if c.IsOpen(nine.Add(-time.Nanosecond)) || !c.IsOpen(nine) {
		t.Errorf("the window [09:00, 17:00) does not start exactly at 09:00")
	}
}

func TestLocationOfArgumentsDoesNotMatter(t *testing.T) {
	c := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: officeHours})
	a := time.Date(2026, 3, 6, 20, 0, 0, 0, time.UTC) // Friday 15:00 in New York
	b := time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC) // Monday 11:00 in New York
	for _, zone := range []string{"UTC", "Asia/Tokyo", "Asia/Kathmandu", "America/Santiago"} {
		loc := mustZone(t, zone)
		if got := c.Between(a.In(loc), b.In(time.UTC)); got != 4*time.Hour {
			t.Errorf("Between in %s = %v, want 4h", zone, got)
		}
		got := c.Add(a.In(loc), 4*time.Hour)
		if !got.Equal(b) || got.Location() != loc {
			t.Errorf("Add in %s = %v, want %v in %s", zone, got, b, zone)
		}
		if !c.IsOpen(a.In(loc)) || !c.NextOpen(a.In(loc)).Equal(a) {
			t.Errorf("IsOpen/NextOpen in %s disagree with UTC", zone)
		}
	}
}

func TestAlwaysIsPlainTime(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	around := mustCalendar(t, sla.CalendarSpec{Location: "Australia/Lord_Howe", Week: week("00:00-24:00")})
	t0 := time.Date(2026, 11, 1, 0, 30, 0, 0, ny)
	for _, d := range []time.Duration{0, time.Nanosecond, 90 * time.Minute, 25 * time.Hour, -7 * 24 * time.Hour, 2000 * time.Hour} {
		for _, c := range []*sla.Calendar{sla.Always, around} {
			if got := c.Add(t0, d); got != t0.Add(d) {
				t.Errorf("Add(%v, %v) = %v, want exactly t.Add(d) = %v", t0, d, got, t0.Add(d))
			}
			if got := c.Between(t0, t0.Add(d)); got != d {
				t.Errorf("Between(t, t+%v) = %v", d, got)
			}
		}
	}
}

func TestLongSpans(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	c := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: officeHours, Holidays: []string{"2026-12-25"}})
	t0 := time.Date(2026, 3, 2, 10, 30, 0, 0, ny)
	for _, d := range []time.Duration{2000 * time.Hour, 100_000 * time.Hour, 1_000_000 * time.Hour, -1_000_000 * time.Hour, 1 << 62, -1 << 62} {
		u := c.Add(t0, d)
		if got := c.Between(t0, u); got != d {
			t.Errorf("Between(t, Add(t, %v)) = %v", d, got)
		}
	}
	// Spans longer than a time.Duration saturate.
	if got := c.Between(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); got != time.Duration(1<<63-1) {
		t.Errorf("Between over eight millennia = %v, want the largest Duration", got)
	}
	// The week repeats far from any data: 400 years later a Monday is still a Monday.
	far := time.Date(2426, 3, 2, 10, 30, 0, 0, ny)
	if got := c.Between(far, far.AddDate(0, 0, 7)); got != 40*time.Hour {
		t.Errorf("a week in 2426 has %v of office time, want 40h", got)
	}
}

func TestIntervals(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	c := mustCalendar(t, sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}, "sat": {"18:00-24:00"}, "sun": {"00:00-02:00"}}})
	var got []string
	for s, e := range c.Intervals(wall(t, ny, "2026-03-06 11:00"), wall(t, ny, "2026-03-09 10:00")) {
		got = append(got, s.Format("Mon 15:04 MST")+" - "+e.Format("Mon 15:04 MST"))
	}
	want := []string{
		"Fri 11:00 EST - Fri 12:00 EST",
		"Fri 13:00 EST - Fri 17:00 EST",
		"Sat 18:00 EST - Sun 03:00 EDT", // joined across midnight; 02:00 EST is 03:00 EDT
		"Mon 09:00 EDT - Mon 10:00 EDT",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Intervals =\n%q\nwant\n%q", got, want)
	}

	// Open time that runs through a year's end is one interval however the
	// calendar stores it, and the intervals add up to Between.
	holidays := mustCalendar(t, sla.CalendarSpec{Location: "Asia/Tokyo", Week: week("00:00-24:00"), Holidays: []string{"2025-06-01", "2026-06-01", "2027-06-01"}})
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	var n int
	var sum time.Duration
	for s, e := range holidays.Intervals(from, to) {
		n++
		sum += e.Sub(s)
	}
	if n != 4 || sum != holidays.Between(from, to) {
		t.Errorf("three holidays split three years into %d intervals of %v in all, want 4 of %v", n, sum, holidays.Between(from, to))
	}
	for range c.Intervals(to, from) {
		t.Errorf("Intervals over a reversed range yielded something")
	}
	for s := range holidays.Intervals(from, to) {
		if !s.Equal(from) {
			t.Errorf("first interval starts at %v, want %v", s, from)
		}
		break // stopping early must be safe
	}
}

// TestConcurrentFirstUse hits a fresh calendar from many goroutines, each in
// years nobody has asked about, so the lazily built cache is raced (run with
// -race).
func TestConcurrentFirstUse(t *testing.T) {
	c := mustCalendar(t, sla.CalendarSpec{Location: "Europe/London", Week: officeHours, Holidays: []string{"2026-12-25"}})
	want := mustCalendar(t, c.Spec())
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Go(func() {
			for y := range 20 {
				t0 := time.Date(2020+(g+y)%30, time.Month(1+y%12), 1+g, 10, 0, 0, 0, time.UTC)
				if got, w := c.Add(t0, 1000*time.Hour), want.Add(t0, 1000*time.Hour); !got.Equal(w) {
					errs <- fmt.Errorf("Add(%v) = %v, want %v", t0, got, w)
				}
				if got, w := c.Between(t0, t0.AddDate(1, 0, 0)), want.Between(t0, t0.AddDate(1, 0, 0)); got != w {
					errs <- fmt.Errorf("Between(%v, +1y) = %v, want %v", t0, got, w)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
