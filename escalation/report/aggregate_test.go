package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// desk is six handmade tickets whose figures are worked out by hand in
// TestAggregate.
//
//	T1 P1 vip   frontline/billing; reply 10m (clock 10m of 30m); rule vip
//	            escalates to specialists at 20m; resolved 120m (clock 120m
//	            of 240m), notifying the team lead. Feedback 5.
//	T2 P1 !vip  frontline/network; reply 40m, late (40m of 30m); resolution
//	            breaches at 240m on frontline, then matrix:P1[0] moves it to
//	            specialists (240m) and matrix:P1[1] to engineering (300m); a
//	            person sends it down to specialists (330m); resolved 360m,
//	            late (360m of 240m). Feedback 3 and 4.
//	T3 P2       frontline/billing; reply 5m; pending_customer 10m-70m;
//	            resolved 100m (clock 40m); reopened 200m, resolved 230m.
//	T4 P2       opened on frontline, started on specialists by the matrix;
//	            nothing else: open at the end.
//	T5 P2       frontline/billing; closed at 50m without a reply.
//	T6 P1 vip   frontline/billing; hand-off to network (10m) and back (20m);
//	            a person escalates to engineering (30m, a skip); resolved
//	            after 31 days, without a measured cycle.
func desk() []*ticket {
	return []*ticket{
		open("T1", "P1", 0, "tier:frontline team:billing").attrs(map[string]any{"customer": map[string]any{"vip": true}, "feedback": 5.0}).
			event(10, escalation.WhatAgentReplied, "").met(10, "first_response", 0, mins(30), mins(10)).
			add(escalation.Entry{At: at(20), What: escalation.WhatRuleFired, By: escalation.ByRule, Rule: "vip", Trigger: "in_tier:20m"}).
			move(20, up, escalation.ByRule, "vip", "tier:frontline", "tier:specialists").
			add(escalation.Entry{At: at(20), What: escalation.WhatNotified, By: escalation.ByRule, Rule: "vip", To: "team_lead"}).
			event(120, escalation.WhatResolved, "").met(120, "resolution", 0, mins(240), mins(120)),
		open("T2", "P1", 0, "tier:frontline team:network").attrs(map[string]any{"customer": map[string]any{"vip": false}, "feedback": []any{3.0, 4.0}}).
			breach(30, "first_response").
			event(40, escalation.WhatAgentReplied, "").met(40, "first_response", 0, mins(30), mins(40)).
			breach(240, "resolution").
			move(240, up, escalation.ByMatrix, "matrix:P1[0]", "tier:frontline", "tier:specialists").
			move(300, up, escalation.ByMatrix, "matrix:P1[1]", "tier:specialists", "tier:engineering").
			move(330, down, escalation.ByPerson, "", "tier:engineering", "tier:specialists").
			event(360, escalation.WhatResolved, "").met(360, "resolution", 0, mins(240), mins(360)),
		open("T3", "P2", 0, "tier:frontline team:billing").
			event(5, escalation.WhatAgentReplied, "").met(5, "first_response", 0, mins(30), mins(5)).
			event(10, escalation.WhatStatusChanged, "pending_customer").
			event(70, escalation.WhatCustomerReplied, "open").
			event(100, escalation.WhatResolved, "solved").met(100, "resolution", 0, mins(240), mins(40)).
			event(200, escalation.WhatReopened, "open").
			event(230, escalation.WhatResolved, "solved").met(230, "resolution", 0, mins(240), mins(70)),
		open("T4", "P2", 0, "tier:frontline team:billing").
			move(0, escalation.WhatStarted, escalation.ByMatrix, "matrix:P2", "tier:frontline", "tier:specialists"),
		open("T5", "P2", 0, "tier:frontline team:billing").
			event(50, escalation.WhatClosed, ""),
		open("T6", "P1", 0, "tier:frontline team:billing").attrs(map[string]any{"customer": map[string]any{"vip": true}}).
			move(10, hand, escalation.ByPerson, "", "team:billing", "team:network").
			move(20, hand, escalation.ByPerson, "", "team:network", "team:billing").
			move(30, up, escalation.ByPerson, "", "tier:frontline", "tier:engineering").
			event(31*24*60, escalation.WhatResolved, ""),
	}
}

func seq(ts []*ticket) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		for _, t := range ts {
			if !yield(t.history(), nil) {
				return
			}
		}
	}
}

func collect(t *testing.T, ts []*ticket, by ...string) *report.Report {
	t.Helper()
	r, err := report.Collect(context.Background(), seq(ts), report.Options{Policies: []*escalation.Policy{policy()}, By: by})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func find(t *testing.T, r *report.Report, by, key string) report.Group {
	t.Helper()
	for _, g := range r.Groups {
		if g.By == by && g.Key == key {
			return g
		}
	}
	t.Fatalf("no group %s %q", by, key)
	return report.Group{}
}

const minute = 60.0 // seconds

// TestAggregate checks the "all" group of the desk, each figure worked
// out by hand from desk's comment.
func TestAggregate(t *testing.T) {
	r := collect(t, desk(), "priority", "customer.vip")
	g := find(t, r, "all", "")
	want := report.Group{
		By: "all", Key: "", Tickets: 6, Resolved: 5, Backlog: 1, // T4 open
		ReachedTier:        []float64{1, 4.0 / 6, 2.0 / 6}, // >=specialists: T1 T2 T4 T6; engineering: T2 T6
		OnlyStartTier:      3.0 / 6,                        // T3 T4 T5
		StartedAboveFirst:  1.0 / 6,                        // T4
		Escalated:          3.0 / 6,                        // T1 T2 T6
		EscalatedManual:    1.0 / 6,                        // T6
		EscalatedAutomatic: 2.0 / 6,                        // T1 T2
		DeEscalated:        1.0 / 6,                        // T2
		TierSkip:           1.0 / 6,                        // T6
		TeamPingPong:       1.0 / 6,                        // T6
		Waited:             1.0 / 6,                        // T3, 60m
		WaitSeconds:        report.Dist{N: 1, P50: 60 * minute, P90: 60 * minute, Mean: 60 * minute},
		Reopened:           1.0 / 6, // T3
		OverEscalated:      1.0 / 6, // T2: engineering, resolved on specialists
		UnderEscalated:     1.0 / 6, // T2: breached at 240m before its first move
		// T3 and T5 were resolved without a tier move.
		FirstTierResolution: 2.0 / 6,
		// T1 T2 T3 T5; T6 took 31 days.
		ResolvedWithin30Days: 4.0 / 6,
		// First response, clock and wall: 5m, 10m, 40m.
		TimeToFirstResponse: report.Dist{N: 3, P50: 10 * minute, P90: 40 * minute, Mean: 55.0 / 3 * minute},
		WallToFirstResponse: report.Dist{N: 3, P50: 10 * minute, P90: 40 * minute, Mean: 55.0 / 3 * minute},
		// Resolution clock: 40m (T3), 120m (T1), 360m (T2); ranks 2 and 3.
		TimeToFirstResolution: report.Dist{N: 3, P50: 120 * minute, P90: 360 * minute, Mean: 520.0 / 3 * minute},
		// Wall: 50m (T5), 100m, 120m, 360m, 44640m (T6); ranks 3 and 5.
		WallToFirstResolution: report.Dist{N: 5, P50: 120 * minute, P90: 44640 * minute, Mean: 45270.0 / 5 * minute},
		MTTA:                  55.0 / 3 * minute,
		MTTR:                  45270.0 / 5 * minute,
		FeedbackAverage:       4,       // 5, 3, 4
		CSAT:                  2.0 / 3, // 5 and 4
		Notifications:         1,       // T1's
		Metrics: []report.MetricStats{{
			// First cycles: T1 met, T2 breached, T3 met; T3's second cycle
			// is not counted. Elapsed 40m, 120m, 360m; margins 200m, 120m, -120m.
			Metric:     "resolution",
			Attainment: report.Attainment{Met: 2, Breached: 1, Attainment: 2.0 / 3},
			Elapsed:    report.Dist{N: 3, P50: 120 * minute, P90: 360 * minute, Mean: 520.0 / 3 * minute},
			Margin:     report.Dist{N: 3, P50: 120 * minute, P90: 200 * minute, Mean: 200.0 / 3 * minute},
		}, {
			// T1 met, T2 breached (at 30m, met late at 40m), T3 met.
			Metric:     "first_response",
			Attainment: report.Attainment{Met: 2, Breached: 1, Attainment: 2.0 / 3},
			Elapsed:    report.Dist{N: 3, P50: 10 * minute, P90: 40 * minute, Mean: 55.0 / 3 * minute},
			Margin:     report.Dist{N: 3, P50: 20 * minute, P90: 25 * minute, Mean: 35.0 / 3 * minute},
		}},
		// Start tier x highest tier: T3 T5 stay on frontline, T1 reaches
		// specialists, T2 T6 engineering; T4 starts and stays on specialists.
		Flow: [][]int{{2, 1, 2}, {0, 1, 0}, {0, 0, 0}},
		// 50m <1h; 100m, 120m 1h-4h; 360m 4h-8h; 31 days >=30d.
		ResolutionHistogram: []int{1, 2, 1, 0, 0, 0, 0, 1},
		Counts: report.Counts{
			Tickets: 6, Resolved: 5, Backlog: 1, ReachedTier: []int{6, 4, 2}, OnlyStartTier: 3, StartedAboveFirst: 1,
			Escalated: 3, EscalatedManual: 1, EscalatedAutomatic: 2, DeEscalated: 1, TierSkip: 1, TeamPingPong: 1,
			Waited: 1, Reopened: 1, OverEscalated: 1, UnderEscalated: 1, FirstTierResolution: 2, ResolvedWithin30Days: 4,
			FeedbackScores: 3, CSAT: 2,
		},
	}
	if diff := cmp.Diff(want, g, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("all (-want +got):\n%s", diff)
	}

	// By priority: P1 is T1 T2 T6, P2 is T3 T4 T5 (by the priority they opened with).
	p1, p2 := find(t, r, "priority", "P1"), find(t, r, "priority", "P2")
	if p1.Tickets != 3 || p1.Escalated != 1 || p1.OverEscalated != 1.0/3 || p1.Counts.UnderEscalated != 1 {
		t.Errorf("P1: tickets %d escalated %v over %v under %d", p1.Tickets, p1.Escalated, p1.OverEscalated, p1.Counts.UnderEscalated)
	}
	if m, _ := p1.Metric("resolution"); m.Attainment != (report.Attainment{Met: 1, Breached: 1, Attainment: 0.5}) {
		t.Errorf("P1 resolution attainment %+v", m.Attainment)
	}
	if p2.Tickets != 3 || p2.Escalated != 0 || p2.OnlyStartTier != 1 || p2.Backlog != 1 || p2.StartedAboveFirst != 1.0/3 {
		t.Errorf("P2: tickets %d escalated %v only start %v backlog %d above %v", p2.Tickets, p2.Escalated, p2.OnlyStartTier, p2.Backlog, p2.StartedAboveFirst)
	}
	// By customer.vip: true T1 T6, false T2, missing T3 T4 T5.
	for key, n := range map[string]int{"true": 2, "false": 1, "": 3} {
		if g := find(t, r, "customer.vip", key); g.Tickets != n {
			t.Errorf("customer.vip %q: %d tickets, want %d", key, g.Tickets, n)
		}
	}
	var keys []string
	for _, g := range r.Groups {
		keys = append(keys, g.By+":"+g.Key)
	}
	wantKeys := []string{"all:", "priority:P1", "priority:P2", "customer.vip:", "customer.vip:false", "customer.vip:true"}
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("group order (-want +got):\n%s", diff)
	}

	// Rules: vip made T1's escalation; matrix:P1[0] and [1] made T2's,
	// both sent back down at 330m before the resolution at 360m; the
	// breach at 240m came before them. idle and matrix:P2[0] never fired.
	wantRules := []report.RuleStats{
		{Rule: "idle"},
		{Rule: "matrix:P1[0]", Fired: 1, Escalations: 1, OverEscalated: 1},
		{Rule: "matrix:P1[1]", Fired: 1, Escalations: 1, OverEscalated: 1},
		{Rule: "matrix:P2[0]"},
		{Rule: "vip", Fired: 1, Escalations: 1},
	}
	if diff := cmp.Diff(wantRules, r.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"idle", "matrix:P2[0]"}, r.Unfired); diff != "" {
		t.Errorf("never fired (-want +got):\n%s", diff)
	}
}

// TestBreachedAnyway checks a rule's escalation followed by a breach.
func TestBreachedAnyway(t *testing.T) {
	r := collect(t, []*ticket{
		open("A", "P1", 0, "tier:frontline").
			move(30, up, escalation.ByMatrix, "matrix:P1[0]", "tier:frontline", "tier:specialists").
			breach(240, "resolution"),
	})
	want := report.RuleStats{Rule: "matrix:P1[0]", Fired: 1, Escalations: 1, BreachedAnyway: 1}
	if r.Rules[1] != want {
		t.Errorf("got %+v, want %+v", r.Rules[1], want)
	}
	if g := find(t, r, "all", ""); g.UnderEscalated != 0 || g.Counts.Backlog != 1 {
		t.Errorf("under %v backlog %d", g.UnderEscalated, g.Counts.Backlog)
	}
}

// TestWindow checks that tickets opened outside [From, To) are skipped.
func TestWindow(t *testing.T) {
	ts := []*ticket{open("A", "P1", -1, "tier:frontline"), open("B", "P1", 0, "tier:frontline"), open("C", "P1", 59, "tier:frontline"), open("D", "P1", 60, "tier:frontline")}
	r, err := report.Collect(context.Background(), seq(ts), report.Options{Policies: []*escalation.Policy{policy()}, From: at(0), To: at(60)})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Groups[0].Tickets; n != 2 {
		t.Errorf("%d tickets in [0m, 60m), want 2 (B, C)", n)
	}
}

// TestPeriods checks the week and month keys.
func TestPeriods(t *testing.T) {
	// 2026-03-02 09:00 UTC is the Monday of ISO week 10; 10h earlier is
	// Sunday 2026-03-01 23:00, week 9; 30 days later is Wednesday
	// 2026-04-01, week 14.
	ts := []*ticket{open("A", "P1", 0, "tier:frontline"), open("B", "P1", -600, "tier:frontline"), open("C", "P1", 24*60*30, "tier:frontline")}
	r := collect(t, ts, "week", "month")
	var keys []string
	for _, g := range r.Groups[1:] {
		keys = append(keys, g.By+":"+g.Key)
	}
	want := []string{"week:2026-W09", "week:2026-W10", "week:2026-W14", "month:2026-03", "month:2026-04"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// TestPercentiles checks nearest rank on exact values, and the sketch a
// large group falls back to against the exact nearest rank worked out
// here by sorting.
func TestPercentiles(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000, 20000} {
		var ts []*ticket
		var walls []float64
		for i := range n {
			m := 1 + (i*7919)%(60*24*20) // minutes, scattered over 20 days
			ts = append(ts, open("T", "P2", 0, "tier:frontline").event(m, escalation.WhatResolved, ""))
			walls = append(walls, float64(m)*minute)
		}
		// A budget of 1,000 exact values: the larger groups go to the sketch.
		r, err := report.Collect(context.Background(), seq(ts), report.Options{Policies: []*escalation.Policy{policy()}, ExactValues: 1000})
		if err != nil {
			t.Fatal(err)
		}
		g := r.Groups[0]
		slices.Sort(walls)
		rank := func(p float64) float64 { return walls[int(math.Ceil(p/100*float64(n)))-1] }
		var sum float64
		for _, w := range walls {
			sum += w
		}
		d := g.WallToFirstResolution
		tol := 0.0
		if n > 1000 {
			tol = 0.002
		}
		if math.Abs(d.P50-rank(50)) > tol*rank(50) || math.Abs(d.P90-rank(90)) > tol*rank(90) {
			t.Errorf("n=%d: p50 %v p90 %v, want %v %v (within %v)", n, d.P50, d.P90, rank(50), rank(90), tol)
		}
		if math.Abs(d.Mean-sum/float64(n)) > 1e-9*d.Mean || d.N != n {
			t.Errorf("n=%d: mean %v n %d, want %v", n, d.Mean, d.N, sum/float64(n))
		}
	}
}

// TestJSONNames checks the JSON field names the issue fixes, and that a
// group reads back what it wrote.
func TestJSONNames(t *testing.T) {
	r := collect(t, desk(), "priority")
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Groups []map[string]json.RawMessage `json:"groups"`
	}
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"by", "key", "tickets", "resolved", "reached_tier", "only_start_tier", "started_above_first",
		"escalated", "de_escalated", "tier_skip", "team_pingpong", "waited", "reopened", "over_escalated", "under_escalated",
		"time_to_first_resolution_seconds", "wall_to_first_resolution_seconds", "resolution_attainment",
		"first_response_attainment", "counts"} {
		if _, ok := raw.Groups[0][name]; !ok {
			t.Errorf("group has no %q", name)
		}
	}
	var att struct {
		Met, Breached int
		Attainment    float64
	}
	if err := json.Unmarshal(raw.Groups[0]["resolution_attainment"], &att); err != nil || att.Met != 2 || att.Breached != 1 {
		t.Errorf("resolution_attainment %s: %v", raw.Groups[0]["resolution_attainment"], err)
	}
	var ttfr map[string]float64
	if err := json.Unmarshal(raw.Groups[0]["time_to_first_resolution_seconds"], &ttfr); err != nil || ttfr["n"] != 3 || ttfr["p50"] != 7200 || ttfr["p90"] != 21600 {
		t.Errorf("time_to_first_resolution_seconds %s: %v", raw.Groups[0]["time_to_first_resolution_seconds"], err)
	}

	var back report.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("read back (-wrote +read):\n%s", diff)
	}
	if !strings.HasPrefix(b.String(), "{") {
		t.Error("not an object")
	}
}

// TestCollectSkips checks that Collect reports the histories it could not
// read, and the report of the others.
func TestCollectSkips(t *testing.T) {
	ts := desk()
	for range 25 {
		bad := open("BAD", "P1", 0, "tier:frontline")
		bad.es[0].Policy = "v0"
		ts = append(ts, bad)
	}
	r, err := report.Collect(context.Background(), seq(ts), optsFor())
	var skipped *report.SkippedError
	if !errors.As(err, &skipped) || skipped.Tickets != 25 || len(skipped.Errs) != 20 {
		t.Fatalf("error %v, want a SkippedError of 25 tickets keeping 20", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "report: 25 tickets left out" || lines[1] != `report: ticket "BAD": policy version "v0" is not among Options.Policies` || lines[len(lines)-1] != "and 5 more" {
		t.Errorf("error text:\n%s", err)
	}
	if r == nil || r.Tickets != 6 {
		t.Errorf("report of the others: %+v", r)
	}
}

// TestTenantGroups: the tenant of a ticket key groups tickets; a ticket
// of no tenant has the key "".
func TestTenantGroups(t *testing.T) {
	ts := []*ticket{
		open("acme/T-1", "P1", 0, "tier:frontline"), open("acme/T-2", "P2", 1, "tier:frontline"),
		open("acme/INC/3", "P1", 2, "tier:frontline"), open("globex/T-1", "P1", 3, "tier:frontline"),
		open("T-9", "P3", 4, "tier:frontline"),
	}
	r := collect(t, ts, "tenant")
	got := map[string]int{}
	for _, g := range r.Groups[1:] {
		got[g.Key] = g.Tickets
	}
	if diff := cmp.Diff(map[string]int{"acme": 3, "globex": 1, "": 1}, got); diff != "" {
		t.Errorf("tickets by tenant (-want +got):\n%s", diff)
	}
}
