package report_test

import (
	"context"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/report"
)

// deskPolicy runs on the 24x7 clock, so business time is wall time less
// the pauses: P1 answers in 1h and resolves in 8h, P2 in 4h and 24h.
const deskPolicy = `{
  "name": "desk", "version": "v1",
  "tiers": ["frontline", "specialists", "engineering"],
  "teams": {"support": {}}, "default_team": "support",
  "matrix": {
    "impacts": ["high", "low"], "urgencies": ["high"],
    "grid": [["P1"], ["P2"]],
    "priorities": [
      {"name": "P1", "goals": [{"metric": "first_response", "target": "1h"}, {"metric": "resolution", "target": "8h"}]},
      {"name": "P2", "goals": [{"metric": "first_response", "target": "4h"}, {"metric": "resolution", "target": "24h"}]}
    ]
  },
  "pause": {"pending_customer": ["resolution"]}
}`

// scripted is what the test tells the engine about ticket i, in minutes
// after its opening; the expected figures follow from it alone.
type scripted struct {
	p1          bool
	reply       int // first agent reply
	up1, up2    bool
	down        bool
	wait        int // minutes in pending_customer from 100m; 0: none
	resolve     int // 0: never
	clock       int // business minutes at the resolution: resolve - wait
	goal, rgoal int // first response and resolution goals, minutes
}

func script(i int) scripted {
	s := scripted{p1: i%4 == 0, reply: 1 + (i*37)%180, up1: i%3 == 0, up2: i%9 == 0, down: i%18 == 0}
	if i%5 == 0 {
		s.wait = 10 + i%50
	}
	if i%10 != 7 {
		s.resolve = 320 + (i*53)%2000
		s.clock = s.resolve - s.wait
	}
	s.goal, s.rgoal = 240, 24*60
	if s.p1 {
		s.goal, s.rgoal = 60, 8*60
	}
	return s
}

// TestReportOfEngine runs 300 tickets through a real engine and checks
// the report of their histories against figures worked out from the
// script: what the test itself told the engine.
func TestReportOfEngine(t *testing.T) {
	const n = 300
	p, err := escalation.ParsePolicy([]byte(deskPolicy))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	h := escalationtest.New(t, p, start)

	// Every event of every ticket, in time order.
	type step struct {
		at time.Time
		ev escalation.Event
	}
	var steps []step
	openAt := func(i int) time.Time { return start.Add(time.Duration(i*17) * time.Minute) }
	for i := range n {
		s, o := script(i), openAt(i)
		id := "T" + string(rune('A'+i/26%26)) + string(rune('A'+i%26)) + string(rune('0'+i/676))
		add := func(m int, ev escalation.Event) {
			ev.Ticket = id
			steps = append(steps, step{o.Add(time.Duration(m) * time.Minute), ev})
		}
		impact := "low"
		if s.p1 {
			impact = "high"
		}
		add(0, escalation.Event{Kind: escalation.Opened, Impact: impact, Urgency: "high", Status: "open"})
		add(s.reply, escalation.Event{Kind: escalation.AgentReplied, Actor: "ana"})
		if s.wait > 0 {
			add(100, escalation.Event{Kind: escalation.StatusChanged, Status: "pending_customer"})
			add(100+s.wait, escalation.Event{Kind: escalation.CustomerReplied, Status: "open"})
		}
		if s.up1 {
			add(200, escalation.Event{Kind: escalation.Escalated, Tier: "specialists", Actor: "ana"})
		}
		if s.up2 {
			add(260, escalation.Event{Kind: escalation.Escalated, Tier: "engineering", Actor: "bo"})
		}
		if s.down {
			add(300, escalation.Event{Kind: escalation.DeEscalated, Tier: "specialists", Actor: "cy"})
		}
		if s.resolve > 0 {
			add(s.resolve, escalation.Event{Kind: escalation.Resolved, Status: "solved", Actor: "ana"})
		}
	}
	sort.SliceStable(steps, func(a, b int) bool { return steps[a].at.Before(steps[b].at) })
	for _, s := range steps {
		h.AdvanceTo(s.at)
		h.Report(s.ev)
	}
	end := openAt(n).Add(3000 * time.Minute)
	h.AdvanceTo(end)

	r, err := report.Collect(context.Background(), h.Store.Histories(context.Background(), time.Time{}, time.Time{}),
		report.Options{Policies: []*escalation.Policy{p}, By: []string{"priority"}, End: end})
	if err != nil {
		t.Fatal(err)
	}
	g := r.Groups[0]

	// The figures the script implies.
	var (
		resolved, escalated, reached2, deEsc, over, waited, under int
		walls, clocks, replies                                    []float64
		resMet, resBreached, frMet, frBreached                    int
	)
	for i := range n {
		s := script(i)
		count(&escalated, s.up1)
		count(&reached2, s.up2)
		count(&deEsc, s.down)
		count(&waited, s.wait > 0)
		replies = append(replies, float64(s.reply*60))
		if s.reply < s.goal {
			frMet++
		} else {
			frBreached++
		}
		breached := true // a ticket never resolved passes its goal before the end
		if s.resolve > 0 {
			resolved++
			count(&over, s.down)
			walls = append(walls, float64(s.resolve*60))
			clocks = append(clocks, float64(s.clock*60))
			breached = s.clock >= s.rgoal
		}
		if breached {
			resBreached++
		} else {
			resMet++
		}
		// Breached before a tier move: no move at all (the first is at
		// 200m, before any goal of 480m or more is used up).
		count(&under, breached && !s.up1)
	}
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		name      string
		got, want float64
	}{
		{"tickets", float64(g.Tickets), n},
		{"resolved", float64(g.Resolved), float64(resolved)},
		{"backlog", float64(g.Backlog), float64(n - resolved)},
		{"escalated", g.Escalated, share(escalated)},
		{"escalated_manual", g.EscalatedManual, share(escalated)},
		{"escalated_automatic", g.EscalatedAutomatic, 0},
		{"reached_tier[1]", g.ReachedTier[1], share(escalated)},
		{"reached_tier[2]", g.ReachedTier[2], share(reached2)},
		{"de_escalated", g.DeEscalated, share(deEsc)},
		{"over_escalated", g.OverEscalated, share(over)},
		{"under_escalated", g.UnderEscalated, share(under)},
		{"tier_skip", g.TierSkip, 0},
		{"waited", g.Waited, share(waited)},
		{"only_start_tier", g.OnlyStartTier, share(n - escalated)},
		{"wall p50", g.WallToFirstResolution.P50, nearestRank(walls, 50)},
		{"wall p90", g.WallToFirstResolution.P90, nearestRank(walls, 90)},
		{"wall mean", g.WallToFirstResolution.Mean, mean(walls)},
		{"clock p50", g.TimeToFirstResolution.P50, nearestRank(clocks, 50)},
		{"clock p90", g.TimeToFirstResolution.P90, nearestRank(clocks, 90)},
		{"clock mean", g.TimeToFirstResolution.Mean, mean(clocks)},
		{"mtta", g.MTTA, mean(replies)},
		{"first response p90", g.WallToFirstResponse.P90, nearestRank(replies, 90)},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	res, _ := g.Metric("resolution")
	if res.Attainment.Met != resMet || res.Attainment.Breached != resBreached {
		t.Errorf("resolution met %d breached %d, want %d %d", res.Attainment.Met, res.Attainment.Breached, resMet, resBreached)
	}
	fr, _ := g.Metric("first_response")
	if fr.Attainment.Met != frMet || fr.Attainment.Breached != frBreached {
		t.Errorf("first_response met %d breached %d, want %d %d", fr.Attainment.Met, fr.Attainment.Breached, frMet, frBreached)
	}
	if r.Groups[1].Key != "P1" || r.Groups[1].Tickets != n/4 {
		t.Errorf("group %s %s has %d tickets, want P1 with %d", r.Groups[1].By, r.Groups[1].Key, r.Groups[1].Tickets, n/4)
	}
}

func count(n *int, yes bool) {
	if yes {
		*n++
	}
}

func nearestRank(v []float64, p float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[int(math.Ceil(p/100*float64(len(s))))-1]
}

func mean(v []float64) float64 {
	var sum float64
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}
