package replay_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// TestReplayIntoSQLite replays a log into a SQLite store and reports the
// same figures as the replay into the default memory store.
func TestReplayIntoSQLite(t *testing.T) {
	p := deskPolicyVersion(t, "auto", `{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists"}`)
	log := header +
		"A,2026-03-02T09:00:00Z,opened,,,a,P1,ana,true\n" +
		"B,2026-03-02T09:30:00Z,opened,,,a,P2,ana,\n" +
		"B,2026-03-02T10:00:00Z,status_changed,waiting,,,,bo,\n" +
		"A,2026-03-02T12:00:00Z,escalated,,engineering,b,,ana,\n" +
		"B,2026-03-02T14:00:00Z,status_changed,open,,,,bo,\n" +
		"A,2026-03-02T15:00:00Z,resolved,,,,,cy,\n" +
		"B,2026-03-03T08:00:00Z,resolved,,,,,bo,\n"
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "replay.db")+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := sqlstore.New(db, sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	reportOf := func(opts replay.Options) *report.Report {
		res, err := replayLog(t, p, log, opts)
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}), report.Options{Policies: []*escalation.Policy{p}, End: res.End})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mem, sqlite := reportOf(replay.Options{}), reportOf(replay.Options{Store: store})
	if diff := cmp.Diff(mem, sqlite); diff != "" {
		t.Errorf("memory and SQLite reports differ (-memory +sqlite):\n%s", diff)
	}
	if mem.Tickets != 2 || mem.Groups[0].Counts.Escalated != 1 || mem.Groups[0].Counts.Waited != 1 {
		t.Errorf("tickets %d escalated %d waited %d, want 2 1 1", mem.Tickets, mem.Groups[0].Counts.Escalated, mem.Groups[0].Counts.Waited)
	}
}
