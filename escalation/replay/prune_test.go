package replay_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// TestPruneBPIC2013 replays the real log, prunes the tickets closed before
// 2012-05-10, folding them into weekly rollups, and checks that a report of the
// rollups and the histories still kept is the report of every history:
// the same groups, counts, shares and means, and the same percentiles
// (both from sketches). The tickets pruned are counted here from the
// histories, apart from Prune.
func TestPruneBPIC2013(t *testing.T) {
	data := readBPIC(t)
	p := policyFile(t, "bpic2013.policy.json")
	ctx := context.Background()
	rd, err := replay.Open(bytes.NewReader(data), "incidents.csv.gz", "bpic2013", p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(ctx, rd, p, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := res.Store.(*escalation.MemoryStore)
	opts := report.Options{Policies: []*escalation.Policy{p}, End: res.End, By: []string{"priority", "week", "month", "resolving_team"}, ExactValues: -1}
	before, err := report.Collect(ctx, store.Histories(ctx, time.Time{}, time.Time{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	cutoff := time.Date(2012, 5, 10, 0, 0, 0, 0, time.UTC) // about a third of the log's closings are before
	closed := 0
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			t.Fatal(err)
		}
		if h.State.Closed && h.State.LastEvent.Before(cutoff) && h.State.Due.IsZero() {
			closed++
		}
	}
	if closed < 1000 {
		t.Fatalf("only %d tickets closed before %v: the test needs more", closed, cutoff)
	}
	fold := report.Folder(func(string) report.Options { return opts })
	pruned, err := store.Prune(ctx, cutoff, 500, fold)
	if err != nil || pruned != closed {
		t.Fatalf("pruned %d, %v; want %d", pruned, err, closed)
	}
	if got, want := store.Len(), before.Tickets-closed; got != want {
		t.Errorf("%d tickets kept, want %d", got, want)
	}
	a, err := report.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	weeks, size, largest := 0, 0, 0
	for r, err := range store.Rollups(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		size, largest = size+len(r.Data), max(largest, len(r.Data))
		if err := a.AddRollup(r.Data); err != nil {
			t.Fatalf("rollup %s: %v", r.Key, err)
		}
		weeks++
	}
	kept := 0
	for h, err := range store.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Add(h); err != nil {
			t.Fatal(err)
		}
		kept++
	}
	after := a.Report()
	t.Logf("%d tickets: %d pruned into %d weekly rollups (%d bytes, the largest %d), %d kept", before.Tickets, pruned, weeks, size, largest, kept)
	if diff := cmp.Diff(before, after, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("the report of rollups and kept histories differs (-all histories +rollups):\n%s", diff)
	}
	// Pruning again finds nothing; a report whose window cuts a week is
	// refused the week's rollup.
	if n, err := store.Prune(ctx, cutoff, 500, fold); n != 0 || err != nil {
		t.Errorf("pruning again: %d, %v", n, err)
	}
	narrow := opts
	narrow.From = time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC) // a Wednesday
	b, err := report.New(narrow)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for r := range store.Rollups(ctx, "") {
		if err := b.AddRollup(r.Data); err != nil {
			refused++
		}
	}
	if refused == 0 {
		t.Error("no rollup refused by a report from a Wednesday")
	}
	// A fold that fails keeps its batch.
	stop := errors.New("fold failed")
	if n, err := store.Prune(ctx, res.End.Add(time.Hour), 500, func([]escalation.History, escalation.Rollups) error { return stop }); n != 0 || !errors.Is(err, stop) {
		t.Errorf("a failing fold: %d, %v", n, err)
	}
	if got, want := store.Len(), before.Tickets-closed; got != want {
		t.Errorf("after a failing fold, %d tickets kept, want %d", got, want)
	}
}
