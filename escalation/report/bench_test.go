package report_test

import (
	"testing"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// BenchmarkReport adds histories to an Aggregator grouping by priority,
// week and an attribute: a history per op, entries per second reported.
// Its allocations must not grow with the tickets: after the groups exist,
// an op allocates nothing.
func BenchmarkReport(b *testing.B) {
	var hs []escalation.History
	entries := 0
	for week := range 52 {
		for _, tk := range desk() {
			h := tk.history()
			shifted := make([]escalation.Entry, len(h.Entries))
			for i, e := range h.Entries {
				e.At = e.At.AddDate(0, 0, 7*week)
				if e.Cycle != nil {
					c := *e.Cycle
					e.Cycle = &c
				}
				shifted[i] = e
			}
			h.Entries = shifted
			hs = append(hs, h)
			entries += len(shifted)
		}
	}
	a, err := report.New(optsFor("priority", "week", "customer.vip"))
	if err != nil {
		b.Fatal(err)
	}
	for _, h := range hs { // the groups exist before the clock starts
		if err := a.Add(h); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		h := hs[n%len(hs)]
		if err := a.Add(h); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)*float64(entries)/float64(len(hs))/b.Elapsed().Seconds(), "entries/s")
	if r := a.Report(); r.Groups[0].Tickets != n+len(hs) {
		b.Fatalf("%d tickets counted, want %d", r.Groups[0].Tickets, n+len(hs))
	}
}
