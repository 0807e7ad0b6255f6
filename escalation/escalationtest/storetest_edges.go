package escalationtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
)

// testEdges saves the largest values a store keeps, and gets them back
// exactly: the longest id (non-ASCII), the deepest attributes, the first
// and last instants, and names in several scripts.
func testEdges(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	ctx := context.Background()
	first, last := escalation.DefaultLimits.Earliest.Add(time.Nanosecond), escalation.DefaultLimits.Latest
	id := strings.Repeat("é", escalation.MaxTicketID/2) // 2 bytes each
	attrs := map[string]any{"leaf": "ünïcödé ✓", "n": 1.5}
	for i := range escalation.DefaultLimits.AttrDepth - 1 {
		attrs = map[string]any{"níveau": attrs, "i": float64(i), "ok": true, "list": []any{"a", 2.0}}
	}
	st := &escalation.State{ID: id, Policy: "v1 ✓", Opened: first, Priority: "P1 — urgente", Tier: "第二線",
		Team: "équipe réseau", TierSince: first, LastEvent: last, Checked: last, Due: last,
		Status: "en attente du client", Attrs: attrs}
	entries := []escalation.Entry{
		{At: first, What: escalation.WhatOpened, Policy: "v1 ✓", To: "tier:第二線", Actor: "zoë 👩‍💻", Note: "Ä\u00a0\u2028Ω"},
		{At: last, What: escalation.WhatStatusChanged, Policy: "v1 ✓", To: "en attente du client"},
	}
	want := st.Clone()
	save(t, s, st, entries...)
	got := load(t, s, id)
	want.Version = got.Version
	diffState(t, "Load of the edge values", want, got)
	if diff := cmp.Diff(entries, history(t, s, id)); diff != "" {
		t.Errorf("History of the edge values (-want +got):\n%s", diff)
	}
	ids, _, err := s.Due(ctx, last, 10)
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Errorf("Due at the last instant: %d ids, %v; want the edge ticket", len(ids), err)
	}
}

// testRefused saves what no store can keep: each Save is refused with an
// error wrapping ErrLimit, and nothing is written, neither a new ticket
// nor a change of one that exists.
func testRefused(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	ctx := context.Background()
	before := escalation.DefaultLimits.Earliest.Add(-time.Nanosecond)
	after := escalation.DefaultLimits.Latest.Add(time.Nanosecond)
	for _, c := range []struct {
		name    string
		st      *escalation.State
		entries []escalation.Entry
	}{
		{"empty id", ticket("", at(1)), nil},
		{"id not UTF-8", ticket("T-\xff", at(1)), nil},
		{"id with NUL", ticket("T-\x001", at(1)), nil},
		{"id too long", ticket(strings.Repeat("x", escalation.MaxTicketID+1), at(1)), nil},
		{"due too early", ticket("T-early", before), nil},
		{"due too late", ticket("T-late", after), nil},
		{"opened too early", func() *escalation.State { st := ticket("T-opened", at(1)); st.Opened = before; return st }(), nil},
		{"entry too late", ticket("T-entry", at(1)), []escalation.Entry{entry("opened", 0), {At: after, What: escalation.WhatNotified}}},
	} {
		err := s.Save(ctx, c.st, c.entries)
		if !errors.Is(err, escalation.ErrLimit) {
			t.Errorf("%s: Save = %v, want an error wrapping ErrLimit", c.name, err)
		}
		if c.st.Version != 0 {
			t.Errorf("%s: the refused Save advanced the version to %d", c.name, c.st.Version)
		}
		if _, err := s.Load(ctx, c.st.ID); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("%s: Load after the refused Save: %v, want ErrNotFound", c.name, err)
		}
	}

	// A ticket that exists keeps its state and history.
	save(t, s, ticket("T-1", at(1)), entry("opened", 0))
	st := load(t, s, "T-1")
	version := st.Version
	st.Due = after
	if err := s.Save(ctx, st, []escalation.Entry{entry("status_changed", 1)}); !errors.Is(err, escalation.ErrLimit) {
		t.Errorf("a change with a Due too late: Save = %v, want an error wrapping ErrLimit", err)
	}
	if got := load(t, s, "T-1"); got.Version != version || !got.Due.Equal(at(1)) {
		t.Errorf("after the refused change: version %d, due %v; want %d, %v", got.Version, got.Due, version, at(1))
	}
	if h := history(t, s, "T-1"); len(h) != 1 {
		t.Errorf("after the refused change: %d history entries, want 1", len(h))
	}
}

// testTail checks escalation.TailStore, for a store that has it: the last
// n entries, oldest first, and the count of all of them.
func testTail(t *testing.T, open StoreFactory) {
	s := openOne(t, open)
	ts, ok := s.(escalation.TailStore)
	if !ok {
		t.Skip("the store is not an escalation.TailStore")
	}
	ctx := context.Background()
	if _, _, err := ts.Tail(ctx, "nobody", 3); !errors.Is(err, escalation.ErrNotFound) {
		t.Errorf("Tail of an unknown ticket: %v, want ErrNotFound", err)
	}
	save(t, s, ticket("empty", at(1)))
	if h, total, err := ts.Tail(ctx, "empty", 3); err != nil || len(h) != 0 || total != 0 {
		t.Errorf("Tail of a ticket with no history: %d entries, total %d, %v; want none", len(h), total, err)
	}
	st := ticket("T-1", at(1))
	save(t, s, st, entry("opened", 0), entry("agent_replied", 1))
	save(t, s, st, entry("status_changed", 2), entry("customer_replied", 3), entry("resolved", 4))
	all := history(t, s, "T-1")
	for _, n := range []int{0, 1, 3, 5, 10, -1} {
		h, total, err := ts.Tail(ctx, "T-1", n)
		if err != nil {
			t.Fatalf("Tail(T-1, %d): %v", n, err)
		}
		want := all
		if n >= 0 && n < len(all) {
			want = all[len(all)-n:]
		}
		if total != len(all) || !cmp.Equal(want, h, cmpopts.EquateEmpty()) {
			t.Errorf("Tail(T-1, %d) = %d entries, total %d; want the last %d of %d:\n%s", n, len(h), total, len(want), len(all), cmp.Diff(want, h, cmpopts.EquateEmpty()))
		}
	}
}
