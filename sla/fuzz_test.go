package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// FuzzCalendarSpec feeds arbitrary JSON as a spec. NewCalendar must either
// reject it with a *SpecError or return a calendar whose answers agree with
// each other; nothing may panic or hang.
func FuzzCalendarSpec(f *testing.F) {
	for _, seed := range []string{
		`{"location":"America/New_York","week":{"mon-fri":["09:00-17:00"]},"holidays":["2026-12-25"]}`,
		`{"location":"Asia/Kathmandu","week":{"sun-thu":["22:00-06:00","09:00-09:00"]},"overrides":{"2026-03-08":[]}}`,
		`{"location":"Australia/Lord_Howe","week":{"sat":["00:00-24:00"]},"holidays":["0001-01-01..9999-12-31"]}`,
		`{"location":"Local","week":{"xyz":["9-5","24:30-25:00"]},"holidays":["2026-02-30","2026-12-26..2026-12-24"]}`,
		`{"week":{"mon":["00:00-00:01"]},"overrides":{"9999-12-31":["23:59-24:00"]}}`,
		`{}`,
	} {
		f.Add([]byte(seed), int64(1772465400), int64(40*time.Hour))
	}
	f.Fuzz(func(t *testing.T, doc []byte, unix int64, d int64) {
		var spec sla.CalendarSpec
		if json.Unmarshal(doc, &spec) != nil {
			return
		}
		c, err := sla.NewCalendar(spec)
		if err != nil {
			return
		}
		// Instants from year 1 to 9999; durations up to about a century.
		t0 := time.Unix(unix%253_402_300_800, 0)
		d %= int64(100 * 365 * 24 * time.Hour)
		u := c.Add(t0, time.Duration(d))
		if got := c.Between(t0, u); got != time.Duration(d) {
			t.Fatalf("Between(t, Add(t, %v)) = %v", time.Duration(d), got)
		}
		if next := c.NextOpen(t0); next.Before(t0) || !c.IsOpen(next) {
			t.Fatalf("NextOpen(%v) = %v is before it or closed", t0, next)
		}
		for s, e := range c.Intervals(t0, t0.Add(14*24*time.Hour)) {
			if !s.Before(e) || !c.IsOpen(s) {
				t.Fatalf("interval [%v, %v) is empty or starts closed", s, e)
			}
		}
	})
}

// FuzzAddBetween checks Between(t, Add(t, d)) == d and that Add's answer is
// the earliest (latest for d < 0) such instant, on calendars drawn from the
// zones a serious calendar must get right.
func FuzzAddBetween(f *testing.F) {
	f.Add(uint8(0), uint16(540), uint16(1020), uint8(0x1f), int64(1772465400), int64(40*time.Hour))
	f.Add(uint8(2), uint16(90), uint16(120), uint8(0x7f), int64(1775350800), int64(-3*time.Hour))
	f.Add(uint8(4), uint16(1380), uint16(60), uint8(0x41), int64(1788580800), int64(2000*time.Hour))
	f.Fuzz(func(t *testing.T, zone uint8, start, end uint16, days uint8, unix int64, d int64) {
		zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago",
			"America/Havana", "Africa/Casablanca", "Asia/Gaza", "UTC", "Asia/Tokyo"}
		names := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
		window := hhmm(int(start)%1440) + "-" + hhmm(int(end)%1441)
		week := map[string][]string{}
		for i, name := range names {
			if days&(1<<i) != 0 {
				week[name] = []string{window}
			}
		}
		if len(week) == 0 {
			week["wed"] = []string{window}
		}
		c, err := sla.NewCalendar(sla.CalendarSpec{Location: zones[int(zone)%len(zones)], Week: week, Holidays: []string{"2026-12-25"}})
		if err != nil {
			t.Fatal(err)
		}
		// 2000 to 2100, durations up to ten years.
		t0 := time.Unix(946_684_800+int64(uint64(unix)%3_155_760_000), int64(uint64(unix)%1e9))
		d %= int64(10 * 365 * 24 * time.Hour)
		if d == 0 {
			return
		}
		u := c.Add(t0, time.Duration(d))
		if d > 0 {
			if got := c.Between(t0, u); got != time.Duration(d) {
				t.Fatalf("Between(t, Add(t, %v)) = %v", time.Duration(d), got)
			}
			if got := c.Between(t0, u.Add(-time.Nanosecond)); got >= time.Duration(d) {
				t.Fatalf("Add(t, %v) = %v is not the earliest such instant", time.Duration(d), u)
			}
		} else {
			if got := c.Between(u, t0); got != -time.Duration(d) {
				t.Fatalf("Between(Add(t, %v), t) = %v", time.Duration(d), got)
			}
			if got := c.Between(u.Add(time.Nanosecond), t0); got >= -time.Duration(d) {
				t.Fatalf("Add(t, %v) = %v is not the latest such instant", time.Duration(d), u)
			}
		}
	})
}
