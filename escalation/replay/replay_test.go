package replay_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// deskPolicy runs round the clock: P1 resolves in 4h, P2 in 24h; the
// second policy's matrix moves a P1 to specialists at half its goal.
const deskPolicy = `{
  "name": "desk", "version": "%s",
  "tiers": ["frontline", "specialists", "engineering"],
  "open_teams": true,
  "matrix": {
    "impacts": ["high", "low"], "urgencies": ["high"], "grid": [["P1"], ["P2"]],
    "priorities": [
      {"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}], "levels": [%s]},
      {"name": "P2", "goals": [{"metric": "resolution", "target": "24h"}]}
    ]
  },
  "pause": {"waiting": ["resolution"]}
}`

func deskPolicyVersion(t testing.TB, version, levels string) *escalation.Policy {
	t.Helper()
	p, err := escalation.ParsePolicy([]byte(fmt.Sprintf(deskPolicy, version, levels)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const header = "ticket,at,kind,status,tier,team,priority,actor,attr.customer.vip\n"

// replayLog replays a canonical log.
func replayLog(t *testing.T, p *escalation.Policy, log string, opts replay.Options) (*replay.Result, error) {
	t.Helper()
	rd, err := replay.Open(strings.NewReader(log), "log.csv", "ladder", p)
	if err != nil {
		t.Fatal(err)
	}
	return replay.Run(context.Background(), rd, p, opts)
}

// timeline is each ticket's history as "hh:mm what from -> to" lines.
func timeline(t *testing.T, res *replay.Result, id string) []string {
	t.Helper()
	h, err := res.Store.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range h {
		line := e.At.UTC().Format("15:04") + " " + string(e.What)
		if e.From != "" || e.To != "" {
			line += " " + e.From + " -> " + e.To
		}
		lines = append(lines, line)
	}
	return lines
}

// TestReplayOrder: rows are replayed by instant, rows at one instant in
// the log's order; the clock stops at the breach between events and at
// the last row, not after; attributes merge.
func TestReplayOrder(t *testing.T) {
	p := deskPolicyVersion(t, "v1", "")
	log := header +
		"B,2026-03-02T10:00:00Z,opened,,,,P2,ana,\n" +
		"A,2026-03-02T09:00:00Z,opened,,,,P1,ana,true\n" + // earlier, later in the file
		"A,2026-03-02T10:00:00Z,escalated,,specialists,,,ana,\n" +
		"B,2026-03-02T15:00:00+02:00,status_changed,waiting,,,,bo,\n" + // 13:00Z
		"A,2026-03-02T14:00:00Z,resolved,solved,,,,cy,\n"
	res, err := replayLog(t, p, log, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"09:00 opened  -> tier:frontline",
		"10:00 escalated tier:frontline -> tier:specialists",
		"13:00 sla_breached", // 4h after the opening: the clock stopped there between rows
		"14:00 resolved",
		"14:00 sla_met_late  -> resolution",
	}
	if diff := cmp.Diff(want, timeline(t, res, "A")); diff != "" {
		t.Errorf("A (-want +got):\n%s", diff)
	}
	// B waits from 13:00; the log ends at 14:00, and so does the replay:
	// its clock never reaches B's goal.
	if got := res.Clock.Now(); !got.Equal(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("the clock stopped at %s, want the last row's 14:00", got)
	}
	st, err := res.Store.Load(context.Background(), "A")
	if err != nil {
		t.Fatal(err)
	}
	if vip := st.Attrs["customer"].(map[string]any)["vip"]; vip != true {
		t.Errorf("A's customer.vip is %v, want true from its opened row", vip)
	}
	wantSum := replay.Summary{Rows: 5, Events: 5, Tickets: 2, Ignored: map[string]int{},
		Start: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC), Steps: 1}
	if diff := cmp.Diff(wantSum, res.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

// TestReplayBadRows: strict stops at the first bad row with its position;
// lenient skips the ticket, lists it, and replays the others.
func TestReplayBadRows(t *testing.T) {
	p := deskPolicyVersion(t, "v1", "")
	log := header +
		"A,2026-03-02T09:00:00Z,opened,,,,P1,ana,\n" +
		"B,2026-03-02T09:05:00Z,opened,,,,P2,ana,\n" +
		"A,2026-03-02T09:10:00Z,escalated,,basement,,,ana,\n" + // unknown tier
		"C,2026-03-02T09:20:00Z,opened,,,,P2,ana,\n" +
		"C,2026-03-02T09:15:00Z,resolved,,,,,ana,\n" + // before C's previous row
		"D,2026-03-02T09:30:00Z,opened,,,,P2,ana,\n" +
		"D,2026-03-02T09:40:00Z,de_escalated,,frontline,,,ana,\n" + // the engine refuses: not down
		"B,2026-03-02T10:00:00Z,resolved,,,,,ana,\n"
	_, err := replayLog(t, p, log, replay.Options{})
	var re *replay.RowError
	if !errors.As(err, &re) || err.Error() != `replay: log.csv:4 (tier): ticket "A": tier "basement" is not one of the policy's (frontline, specialists, engineering)` {
		t.Fatalf("strict: %v", err)
	}

	res, err := replayLog(t, p, log, replay.Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.Err.Error())
	}
	wantSkipped := []string{
		`replay: log.csv:4 (tier): ticket "A": tier "basement" is not one of the policy's (frontline, specialists, engineering)`,
		`replay: log.csv:6 (at): ticket "C": 2026-03-02T09:15:00Z is before the ticket's previous row (2026-03-02T09:20:00Z, line 5)`,
		`replay: log.csv:8: ticket "D": escalation: ticket "D": de_escalated: escalation: the move does not go the way its kind says: tier frontline is not below frontline`,
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// Rows 8; replayed: B's two, and D's opening before its bad row; A's
	// and C's good rows are not replayed (3), nor D's bad one.
	if res.Rows != 8 || res.Events != 3 || res.Tickets != 1 || res.SkippedRows != 3 {
		t.Errorf("rows %d events %d tickets %d skipped rows %d, want 8 3 1 3", res.Rows, res.Events, res.Tickets, res.SkippedRows)
	}
	// The report leaves the skipped tickets out, D too though it opened.
	r, err := report.Collect(context.Background(), res.Histories(context.Background(), time.Time{}, time.Time{}),
		report.Options{Policies: []*escalation.Policy{p}})
	if err != nil || r.Tickets != 1 {
		t.Errorf("report of %d tickets (%v), want B alone", r.Tickets, err)
	}
}

// TestReplayRedirect: a policy that escalates on its own meets a logged
// move to where the ticket already is: replayed as no move.
func TestReplayRedirect(t *testing.T) {
	p := deskPolicyVersion(t, "auto", `{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists"}`)
	log := header +
		"A,2026-03-02T09:00:00Z,opened,,,a,P1,ana,\n" +
		"A,2026-03-02T12:00:00Z,escalated,,specialists,b,,ana,\n" + // the matrix moved it at 11:00
		"A,2026-03-02T12:30:00Z,escalated,,engineering,,,bo,\n"
	res, err := replayLog(t, p, log, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"09:00 opened  -> tier:frontline team:a",
		"11:00 escalated tier:frontline -> tier:specialists",
		"12:00 fields_changed",
		"12:00 handed_off team:a -> team:b",
		"12:30 escalated tier:specialists -> tier:engineering",
	}
	if diff := cmp.Diff(want, timeline(t, res, "A")); diff != "" {
		t.Errorf("A (-want +got):\n%s", diff)
	}
	if res.Redirected != 1 {
		t.Errorf("redirected %d, want 1", res.Redirected)
	}
}

// TestCompare replays one log through two policies and finds the ticket
// whose outcome changed.
func TestCompare(t *testing.T) {
	log := header +
		"A,2026-03-02T09:00:00Z,opened,,,,P1,ana,\n" +
		"B,2026-03-02T09:00:00Z,opened,,,,P2,ana,\n" +
		"A,2026-03-02T13:30:00Z,resolved,,,,,ana,\n" +
		"B,2026-03-02T13:30:00Z,resolved,,,,,ana,\n"
	ctx := context.Background()
	a, err := replayLog(t, deskPolicyVersion(t, "v1", ""), log, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := replayLog(t, deskPolicyVersion(t, "v2", `{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists", "notify": ["lead"]}`), log, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := replay.Compare(ctx, a, b, report.Options{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Under v2, A (P1) is moved at 11:00 and notifies: one escalation, one
	// notification, a higher tier; both breach at 13:00 either way.
	want := []replay.Change{{Ticket: "A",
		A:     replay.Outcome{HighestTier: "frontline", ResolvedTier: "frontline", Breaches: 1, Under: true},
		B:     replay.Outcome{Escalations: 1, HighestTier: "specialists", ResolvedTier: "specialists", Breaches: 1, Notifications: 1},
		Score: 3}}
	if diff := cmp.Diff(want, c.Changed); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	var md strings.Builder
	if err := c.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"| figure | desk v1 | desk v2 | difference |",
		"| escalated automatically | 0.0% | 50.0% | +50.0 pt |",
		"| notifications | 0 | 1 | +1 |",
		"| matrix:P1[0] | 0 | 0 | 1 | 1 |",
		"| A | 0 → 1 | 1 → 1 | frontline → specialists | 0 → 1 |",
	} {
		if !strings.Contains(md.String(), line+"\n") {
			t.Errorf("the comparison lacks %q:\n%s", line, md.String())
		}
	}
}

// ExampleRun replays a three-row log and reports it.
func ExampleRun() {
	p, err := escalation.ParsePolicy([]byte(fmt.Sprintf(deskPolicy, "v1", "")))
	if err != nil {
		panic(err)
	}
	log := "ticket,at,kind,priority,tier,actor\n" +
		"T-1,2026-03-02T09:00:00Z,opened,P1,,ana\n" +
		"T-1,2026-03-02T10:00:00Z,escalated,,specialists,ana\n" +
		"T-1,2026-03-02T14:00:00Z,resolved,,,bo\n"
	ctx := context.Background()
	rd, err := replay.Open(strings.NewReader(log), "log.csv", "ladder", p)
	if err != nil {
		panic(err)
	}
	res, err := replay.Run(ctx, rd, p, replay.Options{})
	if err != nil {
		panic(err)
	}
	r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}), report.Options{Policies: []*escalation.Policy{p}, End: res.End})
	if err != nil {
		panic(err)
	}
	g := r.Groups[0]
	res1, _ := g.Metric("resolution")
	fmt.Printf("%d rows, %d events, %d ticket; escalated %.0f%%, resolution breached %d\n",
		res.Rows, res.Events, res.Tickets, g.Escalated*100, res1.Attainment.Breached)
	// Output:
	// 3 rows, 3 events, 1 ticket; escalated 100%, resolution breached 1
}
