package escalationtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// testTenants: escalation.TenantHistories reads a tenant's tickets alone,
// in the order of Histories, through the store's TenantHistories when it
// has one.
func testTenants(t *testing.T, open StoreFactory) {
	ctx := context.Background()
	s := openOne(t, open)
	for i, id := range []string{"b/1", "a/2", "x", "a/1", "a/INC/7", "ab/1"} {
		st := ticket(id, time.Time{})
		st.Opened = at(10 - i) // a/INC/7 opens first, then a/1, then a/2
		if err := s.Save(ctx, st, []escalation.Entry{entry("opened", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for tenant, want := range map[string][]string{"a": {"a/INC/7", "a/1", "a/2"}, "ab": {"ab/1"}, "": {"x"}, "c": nil} {
		var got []string
		for h, err := range escalation.TenantHistories(ctx, s, tenant, time.Time{}, time.Time{}) {
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Entries) != 1 {
				t.Errorf("%s: %d entries, want 1", h.State.ID, len(h.Entries))
			}
			got = append(got, h.State.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("tenant %q: %q, want %q", tenant, got, want)
		}
	}
}

// testPrune: a Pruner deletes the tickets closed before the instant it is
// given with nothing due, oldest closed first, a batch at a time, after
// the fold saw each batch; it keeps what the fold put; a fold's error deletes nothing. A
// store that is not a Pruner skips it.
func testPrune(t *testing.T, open StoreFactory) {
	ctx := context.Background()
	s := openOne(t, open)
	p, ok := s.(escalation.Pruner)
	if !ok {
		t.Skip("the store is not an escalation.Pruner")
	}
	// Minutes; t/5 stays open, and t/6 is closed with a notification
	// still due, so it is kept.
	closedAt := map[string]int{"t/1": 30, "t/2": 10, "u/3": 20, "t/4": 100, "t/6": 5}
	for _, id := range []string{"t/1", "t/2", "u/3", "t/4", "t/5", "t/6"} {
		st := ticket(id, at(200))
		if m, ok := closedAt[id]; ok {
			st.Closed, st.LastEvent, st.Due = true, at(m), time.Time{}
		}
		if id == "t/6" {
			st.Due = at(6)
		}
		if err := s.Save(ctx, st, []escalation.Entry{entry("opened", 1), entry("closed", 2)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []int{0, escalation.MaxPruneBatch + 1} {
		if _, err := p.Prune(ctx, at(50), bad, func([]escalation.History, escalation.Rollups) error { return nil }); err == nil {
			t.Errorf("batch %d: no error", bad)
		}
	}
	if _, err := p.Prune(ctx, at(50), 2, nil); err == nil {
		t.Error("no fold: no error")
	}
	stop := errors.New("the fold failed")
	if n, err := p.Prune(ctx, at(50), 2, func([]escalation.History, escalation.Rollups) error { return stop }); n != 0 || !errors.Is(err, stop) {
		t.Errorf("a failing fold: %d, %v", n, err)
	}
	if _, err := s.Load(ctx, "t/2"); err != nil {
		t.Errorf("after a failing fold, t/2: %v", err)
	}
	var batches [][]string
	fold := func(batch []escalation.History, r escalation.Rollups) error {
		var ids []string
		for _, h := range batch {
			if len(h.Entries) != 2 {
				t.Errorf("%s folded with %d entries, want 2", h.State.ID, len(h.Entries))
			}
			ids = append(ids, h.State.ID)
			tenant := escalation.TenantOf(h.State.ID)
			old, err := r.Get(tenant, "week")
			if err != nil {
				return err
			}
			if err := r.Put(tenant, "week", append(old, h.State.ID+";"...)); err != nil {
				return err
			}
		}
		batches = append(batches, ids)
		return nil
	}
	n, err := p.Prune(ctx, at(50), 2, fold)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v; want 3", n, err)
	}
	if want := [][]string{{"t/2", "u/3"}, {"t/1"}}; !slices.EqualFunc(batches, want, slices.Equal) {
		t.Errorf("batches %q, want %q (oldest closed first)", batches, want)
	}
	for _, id := range []string{"t/1", "t/2", "u/3"} {
		if _, err := s.Load(ctx, id); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("pruned %s: Load %v, want ErrNotFound", id, err)
		}
		if _, err := s.History(ctx, id); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("pruned %s: History %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{"t/4", "t/5", "t/6"} {
		if _, err := s.Load(ctx, id); err != nil {
			t.Errorf("%s kept: %v", id, err)
		}
	}
	got := map[string]string{}
	for _, tenant := range []string{"t", "u", "v"} {
		for r, err := range p.Rollups(ctx, tenant) {
			if err != nil {
				t.Fatal(err)
			}
			got[r.Tenant+" "+r.Key] = string(r.Data)
		}
	}
	if want := map[string]string{"t week": "t/2;t/1;", "u week": "u/3;"}; !mapsEqual(got, want) {
		t.Errorf("rollups %q, want %q", got, want)
	}
	if n, err := p.Prune(ctx, at(50), 2, fold); n != 0 || err != nil {
		t.Errorf("pruning again: %d, %v", n, err)
	}
	if n, err := p.Prune(ctx, at(500), 10, fold); n != 1 || err != nil || !strings.Contains(got["t week"], "t/1") {
		t.Errorf("pruning later: %d, %v; want t/4", n, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}
