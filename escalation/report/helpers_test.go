package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// t0 is a Monday, 09:00 UTC.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at is t0 plus m minutes.
func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func mins(m int) time.Duration { return time.Duration(m) * time.Minute }

// policy is the policy the handmade histories ran on: three tiers, a
// waiting status that pauses resolution, two priorities with two levels.
func policy() *escalation.Policy {
	goals := []matrix.Goal{
		{Metric: "first_response", Target: matrix.Duration(30 * time.Minute)},
		{Metric: "resolution", Target: matrix.Duration(4 * time.Hour)},
	}
	return &escalation.Policy{
		Name: "desk", Version: "v1",
		Tiers: []string{"frontline", "specialists", "engineering"},
		Pause: map[string][]string{"pending_customer": {"resolution"}, "on_hold": {"first_response"}},
		Matrix: matrix.Spec{Priorities: []matrix.PrioritySpec{
			{Name: "P1", Goals: goals, Levels: []matrix.Level{{Tier: "specialists"}, {Tier: "engineering"}}},
			{Name: "P2", Goals: goals, Levels: []matrix.Level{{Tier: "specialists"}}},
		}},
		Rules: []escalation.Rule{{Name: "vip"}, {Name: "idle"}},
	}
}

// ticket builds one handmade history: a state and its entries.
type ticket struct {
	st *escalation.State
	es []escalation.Entry
}

func open(id, priority string, m int, place string) *ticket {
	st := &escalation.State{ID: id, Policy: "v1", Priority: priority, Opened: at(m)}
	return &ticket{st: st, es: []escalation.Entry{{At: at(m), What: escalation.WhatOpened, By: escalation.ByPerson, Policy: "v1", To: place}}}
}

func (t *ticket) add(e escalation.Entry) *ticket {
	e.Policy = "v1"
	t.es = append(t.es, e)
	return t
}

func (t *ticket) event(m int, what escalation.What, status string) *ticket {
	return t.add(escalation.Entry{At: at(m), What: what, By: escalation.ByPerson, Status: status})
}

func (t *ticket) move(m int, what escalation.What, by escalation.By, rule, from, to string) *ticket {
	return t.add(escalation.Entry{At: at(m), What: what, By: by, Rule: rule, From: from, To: to})
}

// met ends a metric's cycle at m: met in time unless elapsed passed goal.
func (t *ticket) met(m int, metric string, start int, goal, elapsed time.Duration) *ticket {
	what := escalation.WhatSLAMet
	late := elapsed >= goal
	if late {
		what = escalation.WhatSLAMetLate
	}
	c := &sla.Cycle{Start: at(start), End: at(m), Goal: goal, Elapsed: elapsed, Due: at(start).Add(goal), Late: late}
	return t.add(escalation.Entry{At: at(m), What: what, To: metric, Cycle: c})
}

func (t *ticket) breach(m int, metric string) *ticket {
	return t.add(escalation.Entry{At: at(m), What: escalation.WhatSLABreached, Trigger: metric + ":breach"})
}

func (t *ticket) attrs(a map[string]any) *ticket {
	t.st.Attrs = a
	return t
}

func (t *ticket) history() escalation.History {
	return escalation.History{State: t.st, Entries: t.es}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file; run go test -update and read the diff.\ngot:\n%s", name, got)
	}
}

// optsFor is the options of the handmade histories.
func optsFor(by ...string) report.Options {
	return report.Options{Policies: []*escalation.Policy{policy()}, By: by}
}
