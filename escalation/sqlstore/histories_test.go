package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// TestUpgradeFillsOpened: a database of schema version 1, whose rows have
// no opened column, migrates to the current version, and Migrate fills in
// each row's opening instant from its state, so Histories misses none; a
// row saved later without it (by a replica still running an older ladder)
// is filled in by the next Migrate. A state that cannot be read is
// reported by Histories, not missed.
func TestUpgradeFillsOpened(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t)
		sqlOf := func(q string) string { // queries are written with $n
			if b.dialect == sqlstore.SQLite {
				return strings.ReplaceAll(q, "$", "?")
			}
			return q
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.Exec(sqlOf(q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		migrateTo(t, db, b.dialect, 1)
		// oldSave saves a ticket as version 1 of the schema does.
		oldSave := func(id string, opened time.Time, state string) {
			t.Helper()
			if state == "" {
				st := &escalation.State{ID: id, Version: 1, Policy: "v1", Opened: opened, Tier: "frontline"}
				data, err := json.Marshal(st)
				if err != nil {
					t.Fatal(err)
				}
				state = string(data)
			}
			exec("INSERT INTO ladder_tickets (id, version, state, due, entries) VALUES ($1, 1, $2, NULL, 1)", id, state)
			exec("INSERT INTO ladder_history (ticket, seq, entry) VALUES ($1, 1, $2)", id, `{"at":"2026-11-02T14:00:00Z","what":"opened","policy":"v1","note":"`+id+`"}`)
		}
		minute := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
		oldSave("T-3", minute(20), "")
		oldSave("T-1", minute(10), "")
		oldSave("T-2", minute(10), "")
		oldSave("N", time.Time{}, "") // never opened
		oldSave("X", time.Time{}, "not json")

		s := migrated(t, db, b.dialect)
		ids := func(from time.Time) []string {
			t.Helper()
			var got []string
			for h, err := range s.Histories(ctx, from, time.Time{}) {
				if err != nil {
					t.Fatalf("Histories: %v", err)
				}
				if want := []escalation.Entry{{At: t0, What: "opened", Policy: "v1", Note: h.State.ID}}; !cmp.Equal(h.Entries, want) {
					t.Errorf("%s: entries %+v, want %+v", h.State.ID, h.Entries, want)
				}
				got = append(got, h.State.ID)
			}
			return got
		}
		if got, want := ids(t0), []string{"T-1", "T-2", "T-3"}; !slices.Equal(got, want) {
			t.Errorf("Histories after the upgrade: %q, want %q", got, want)
		}
		// The corrupt state and the ticket never opened come first in
		// an open window; the corrupt one ends the sequence.
		var errs []error
		for h, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
			if err == nil {
				t.Errorf("Histories yielded %s before the corrupt ticket X", h.State.ID)
				continue
			}
			errs = append(errs, err)
		}
		var ce *sqlstore.CorruptError
		if len(errs) != 1 || !errors.As(errs[0], &ce) || ce.Ticket != "X" {
			t.Errorf("Histories over the corrupt ticket X: %v, want one *CorruptError of X", errs)
		}

		oldSave("T-0", minute(5), "") // by a replica on an older ladder
		if got, want := ids(t0), []string{"T-1", "T-2", "T-3"}; !slices.Equal(got, want) {
			t.Errorf("Histories with a row of an older ladder: %q, want %q", got, want)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := ids(t0), []string{"T-0", "T-1", "T-2", "T-3"}; !slices.Equal(got, want) {
			t.Errorf("Histories after Migrate again: %q, want %q", got, want)
		}
	})
}

// TestStreamsOnOneConnection: Histories and Upcoming hold no rows while
// the loop body runs, so a loop that saves each ticket it is given works
// on a database of one connection, through several pages.
func TestStreamsOnOneConnection(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		db, ss := stores(t, b, 1)
		db.SetMaxOpenConns(1)
		s := ss[0]
		// A store that held rows would wait for a connection for ever:
		// fail instead.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		const n = 300 // two pages
		for i := range n {
			st := &escalation.State{ID: fmt.Sprintf("T-%03d", i), Policy: "v1", Opened: t0.Add(time.Duration(i) * time.Second),
				Tier: "frontline", Due: t0.Add(time.Duration(n-i) * time.Second)}
			if err := s.Save(ctx, st, []escalation.Entry{entry("opened")}); err != nil {
				t.Fatal(err)
			}
		}
		touch := func(id, note string) {
			t.Helper()
			st, err := s.Load(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Save(ctx, st, []escalation.Entry{entry(note)}); err != nil {
				t.Fatal(err)
			}
		}
		seen := 0
		for h, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("T-%03d", seen); h.State.ID != want || len(h.Entries) != 1 {
				t.Fatalf("Histories: ticket %d is %s with %d entries, want %s with 1", seen, h.State.ID, len(h.Entries), want)
			}
			touch(h.State.ID, "reported")
			seen++
		}
		if seen != n {
			t.Errorf("Histories yielded %d tickets, want %d", seen, n)
		}
		seen = 0
		for st, err := range s.Upcoming(ctx, t0.Add(time.Hour)) {
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("T-%03d", n-1-seen); st.ID != want {
				t.Fatalf("Upcoming: ticket %d is %s, want %s", seen, st.ID, want)
			}
			touch(st.ID, "watched")
			seen++
		}
		if seen != n {
			t.Errorf("Upcoming yielded %d tickets, want %d", seen, n)
		}
		h, err := s.History(ctx, "T-000")
		if err != nil || len(h) != 3 {
			t.Errorf("T-000's history: %d entries, %v; want 3", len(h), err)
		}
	})
}

// TestAtRisk: an engine on the SQL store, whose states come with unbound
// timers, lists the tickets at risk as an engine on the in-memory store
// given the same events does.
func TestAtRisk(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		onSQL := escalation.NewSimClock(t0)
		inMemory := escalation.NewSimClock(t0)
		sqlEngine, err := escalation.New(testPolicy(), escalation.WithClock(onSQL), escalation.WithStore(ss[0]))
		if err != nil {
			t.Fatal(err)
		}
		memEngine, err := escalation.New(testPolicy(), escalation.WithClock(inMemory))
		if err != nil {
			t.Fatal(err)
		}
		minute := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
		for _, ev := range []escalation.Event{
			{Ticket: "T-1", Kind: escalation.Opened, At: minute(0), Impact: "high", Urgency: "high"}, // P1: 1h, 4h on 24x7
			{Ticket: "T-2", Kind: escalation.Opened, At: minute(0), Impact: "high", Urgency: "low"},  // P2: 4h, 16h in office hours
			{Ticket: "T-3", Kind: escalation.Opened, At: minute(0), Impact: "low", Urgency: "low"},   // P3: 8h, 40h in office hours
			{Ticket: "T-1", Kind: escalation.AgentReplied, At: minute(10)},
			{Ticket: "T-4", Kind: escalation.Opened, At: minute(20), Impact: "high", Urgency: "high"},
			{Ticket: "T-5", Kind: escalation.Opened, At: minute(20), Impact: "high", Urgency: "high"},
			{Ticket: "T-5", Kind: escalation.Resolved, At: minute(25)},
		} {
			for _, run := range []struct {
				clock  *escalation.SimClock
				engine *escalation.Engine
			}{{onSQL, sqlEngine}, {inMemory, memEngine}} {
				run.clock.Set(ev.At)
				if err := errors.Join(run.engine.Step(ctx), run.engine.Report(ctx, ev)); err != nil {
					t.Fatal(err)
				}
			}
		}
		onSQL.Set(minute(40))
		inMemory.Set(minute(40))
		for _, within := range []time.Duration{time.Hour, 4 * time.Hour, 30 * 24 * time.Hour} {
			got, err := sqlEngine.AtRisk(ctx, within)
			if err != nil {
				t.Fatal(err)
			}
			want, err := memEngine.AtRisk(ctx, within)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("AtRisk(%v) on SQL (-in memory +SQL):\n%s", within, diff)
			}
			if within == time.Hour {
				want := []escalation.Risk{{ID: "T-4", Metric: "first_response", Due: minute(80), Remaining: 40 * time.Minute, Priority: "P1", Tier: "frontline"}}
				if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
					t.Errorf("AtRisk(1h) (-want +got):\n%s", diff)
				}
			}
		}
	})
}
