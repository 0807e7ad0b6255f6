package replay_test

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// bpicLogs are where the shared BPIC 2013 incident log may be: named by
// LADDER_BPIC2013, beside the repository, or in the workplace.
var bpicLogs = []string{os.Getenv("LADDER_BPIC2013"), "../../../shared/data/bpic2013/incidents.csv.gz", "/work/shared/data/bpic2013/incidents.csv.gz"}

// readBPIC returns the shared log's bytes, skipping the test without it.
func readBPIC(tb testing.TB) []byte {
	tb.Helper()
	for _, path := range bpicLogs {
		if path == "" {
			continue
		}
		if data, err := os.ReadFile(path); err == nil {
			return data
		}
	}
	tb.Skipf("the shared BPIC 2013 log is in none of %q (set LADDER_BPIC2013)", bpicLogs[1:])
	return nil
}

// policyFile parses a policy of examples/replay.
func policyFile(tb testing.TB, name string) *escalation.Policy {
	tb.Helper()
	b, err := os.ReadFile("../../examples/replay/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := escalation.ParsePolicy(b)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// heapBytes is the heap's objects, live or not yet collected.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestReplayBPIC2013 replays the whole shared log through the shipped
// policy and checks the report against figures computed from the raw log
// by testdata/bpic2013_figures.py, which shares no code with ladder:
//
//	tickets 7554
//	never_left_first_line 4546
//	reached_second_line 3008
//	reached_third_line 544
//	team_pingpong 1258
//	waited 3242
//
// It also holds the replay's peak heap under 96 MiB, read at every
// progress call.
func TestReplayBPIC2013(t *testing.T) {
	data := readBPIC(t)
	p := policyFile(t, "bpic2013.policy.json")
	ctx := context.Background()
	runtime.GC()
	var peak uint64
	rd, err := replay.Open(bytes.NewReader(data), "incidents.csv.gz", "bpic2013", p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(ctx, rd, p, replay.Options{Progress: func(replay.Progress) { peak = max(peak, heapBytes()) }})
	if err != nil {
		t.Fatal(err)
	}
	peak = max(peak, heapBytes())
	r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}), report.Options{Policies: []*escalation.Policy{p}, End: res.End})
	if err != nil {
		t.Fatal(err)
	}
	peak = max(peak, heapBytes())
	g := r.Groups[0]
	t.Logf("rows %d, events %d, tickets %d, steps %d, ignored %v, skipped %d; peak heap %.1f MiB",
		res.Rows, res.Events, res.Tickets, res.Steps, res.Ignored, len(res.Skipped), float64(peak)/(1<<20))
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"rows", res.Rows, 65533},
		{"tickets", g.Tickets, 7554},
		{"never left the first line", g.Tickets - g.Counts.ReachedTier[1], 4546},
		{"reached the second line", g.Counts.ReachedTier[1], 3008},
		{"reached the third line", g.Counts.ReachedTier[2], 544},
		{"team ping-pong", g.Counts.TeamPingPong, 1258},
		{"waited", g.Counts.Waited, 3242},
		{"skipped", len(res.Skipped), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
	if peak >= 96<<20 {
		t.Errorf("peak heap %.1f MiB, want under 96 MiB", float64(peak)/(1<<20))
	}
}

// BenchmarkReplayBPIC2013 replays the whole shared log, parsing included,
// through the shipped policy into a memory store: events per second.
func BenchmarkReplayBPIC2013(b *testing.B) {
	data := readBPIC(b)
	p := policyFile(b, "bpic2013.policy.json")
	ctx := context.Background()
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		rd, err := replay.Open(bytes.NewReader(data), "incidents.csv.gz", "bpic2013", p)
		if err != nil {
			b.Fatal(err)
		}
		res, err := replay.Run(ctx, rd, p, replay.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
