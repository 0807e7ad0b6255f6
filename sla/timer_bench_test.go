package sla_test

import (
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// benchTimer is a resolution timer on the office fixture, started on
// Monday 2026-03-02 10:30 and paused and resumed pauses times, a
// business hour each, two hours apart.
func benchTimer(b *testing.B, pauses int) (*sla.Timer, time.Time) {
	cal, ny := timerCal(b)
	tm := mustTimer(b, sla.Target{Metric: "resolution", Goal: 100_000 * time.Hour, Calendar: "office", WarnPercent: []float64{50, 75, 90}, WarnBefore: []time.Duration{time.Hour}}, cal)
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, ny)
	must(b, tm.Start(at))
	for range pauses {
		at = cal.Add(at, time.Hour)
		must(b, tm.Pause(at))
		at = cal.Add(at, time.Hour)
		must(b, tm.Resume(at))
	}
	return tm, cal.Add(at, 30*time.Minute)
}

var sinkCrossing sla.Crossing

func benchmarkTimerRemaining(b *testing.B, pauses int) {
	tm, now := benchTimer(b, pauses)
	b.ReportAllocs()
	for b.Loop() {
		sinkDuration = tm.Remaining(now)
	}
}

func benchmarkTimerNext(b *testing.B, pauses int) {
	tm, now := benchTimer(b, pauses)
	b.ReportAllocs()
	for b.Loop() {
		sinkCrossing, _ = tm.Next(now)
	}
}

func BenchmarkTimerRemaining(b *testing.B)     { benchmarkTimerRemaining(b, 3) }
func BenchmarkTimerNext(b *testing.B)          { benchmarkTimerNext(b, 3) }
func BenchmarkTimerRemaining1000(b *testing.B) { benchmarkTimerRemaining(b, 1000) }
func BenchmarkTimerNext1000(b *testing.B)      { benchmarkTimerNext(b, 1000) }

func BenchmarkTimerStatus(b *testing.B) {
	tm, now := benchTimer(b, 3)
	var st sla.Status
	b.ReportAllocs()
	for b.Loop() {
		st = tm.Status(now)
	}
	sinkDuration = st.Remaining
}
