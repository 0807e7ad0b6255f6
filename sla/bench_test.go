package sla_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// loadSpec reads a calendar spec from testdata. newyork-office.json is the
// fixture of the performance goals: New York, Monday to Friday 09:00-17:00,
// the US federal holidays of 2026-2027 as observed.
func loadSpec(tb testing.TB, name string) sla.CalendarSpec {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var spec sla.CalendarSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		tb.Fatal(err)
	}
	return spec
}

// benchCalendar is the fixture of the performance goals, from Monday
// 2026-03-02 10:30.
func benchCalendar(b *testing.B) (*sla.Calendar, time.Time) {
	c := mustCalendar(b, loadSpec(b, "newyork-office.json"))
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, mustZone(b, "America/New_York"))
	c.Add(start, 4000*time.Hour) // the first answer computes the years it needs; measure the rest
	return c, start
}

var sinkTime time.Time
var sinkDuration time.Duration

func benchmarkAdd(b *testing.B, d time.Duration) {
	c, start := benchCalendar(b)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Add(start, d)
	}
}

func BenchmarkCalendarAdd40h(b *testing.B)   { benchmarkAdd(b, 40*time.Hour) }
func BenchmarkCalendarAdd2000h(b *testing.B) { benchmarkAdd(b, 2000*time.Hour) }

func BenchmarkCalendarBetweenMonth(b *testing.B) {
	c, start := benchCalendar(b)
	end := start.AddDate(0, 1, 0)
	b.ReportAllocs()
	for b.Loop() {
		sinkDuration = c.Between(start, end)
	}
}

func BenchmarkCalendarIsOpen(b *testing.B) {
	c, start := benchCalendar(b)
	b.ReportAllocs()
	for b.Loop() {
		if !c.IsOpen(start) {
			b.Fatal("closed")
		}
	}
}

func BenchmarkCalendarNextOpen(b *testing.B) {
	c, start := benchCalendar(b)
	friday := start.AddDate(0, 0, 4).Add(8 * time.Hour) // Friday 18:30
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.NextOpen(friday)
	}
}

// BenchmarkCalendarFirstUse is what a fresh calendar pays for its first
// answer in a year: compiling its spec, then computing that year's
// intervals. (NewCalendar shares a calendar whose spec is in use; this
// is the cost of the first.)
func BenchmarkCalendarFirstUse(b *testing.B) {
	spec := loadSpec(b, "newyork-office.json")
	start := time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		c, _ := sla.NewUnsharedCalendar(spec)
		sinkTime = c.Add(start, 40*time.Hour)
	}
}

// BenchmarkCalendarShared is what a calendar whose spec is in use
// already costs: NewCalendar, then the same answer, from the intervals
// the first computed.
func BenchmarkCalendarShared(b *testing.B) {
	spec := loadSpec(b, "newyork-office.json")
	start := time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)
	first, err := sla.NewCalendar(spec)
	if err != nil {
		b.Fatal(err)
	}
	sinkTime = first.Add(start, 40*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		c, _ := sla.NewCalendar(spec)
		sinkTime = c.Add(start, 40*time.Hour)
	}
	runtime.KeepAlive(first)
}
