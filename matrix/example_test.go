package matrix_test

import (
	"fmt"
	"time"

	"github.com/ladder-go/ladder/matrix"
)

// The classic three by three matrix with four tiers: the ready-made grid
// and goals of ITIL3x3, with escalation levels added to P1, P2 and P3. It
// is the matrix of the JSON document in the package overview.
func Example() {
	tiers := []string{"frontline", "specialists", "engineering", "escalation_manager"}
	spec := matrix.ITIL3x3()
	for i := range spec.Priorities[0].Goals {
		spec.Priorities[0].Goals[i].Calendar = "24x7"
	}
	spec.Priorities[0].Levels = []matrix.Level{
		{Clock: matrix.ClockSinceOpen, After: matrix.Duration(15 * time.Minute), Tier: "frontline", Notify: []string{"role:team_lead"}},
		{Clock: matrix.ClockSinceOpen, After: matrix.Duration(30 * time.Minute), Tier: "specialists"},
		{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 50, Tier: "engineering", Notify: []string{"duty_manager"}},
		{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 90, Tier: "escalation_manager", Notify: []string{"duty_manager", "account_manager"}},
	}
	spec.Priorities[1].Goals = append(spec.Priorities[1].Goals, matrix.Goal{Metric: "next_response", Target: matrix.Duration(2 * time.Hour)})
	spec.Priorities[1].Levels = []matrix.Level{
		{Clock: matrix.ClockPercent, Metric: "first_response", Percent: 100, Tier: "frontline", Notify: []string{"role:team_lead"}},
		{Clock: matrix.ClockSinceOpen, After: matrix.Duration(2 * time.Hour), Tier: "specialists"},
		{Clock: matrix.ClockInTier, After: matrix.Duration(4 * time.Hour), Tier: "engineering", Team: "platform", Notify: []string{"duty_manager"}},
	}
	spec.Priorities[2].Levels = []matrix.Level{
		{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 75, Tier: "specialists", Notify: []string{"role:team_lead"}},
	}

	m, err := matrix.New(spec, tiers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(m.Text())
	// Output:
	// Priority
	//   impact \ urgency  High  Medium  Low
	//   High              P1    P2      P3
	//   Medium            P2    P3      P4
	//   Low               P3    P4      P5
	//
	// Goals
	//   priority  first_response  resolution  next_response
	//   P1        15m (24x7)      4h (24x7)   -
	//   P2        1h              8h          2h
	//   P3        4h              24h         -
	//   P4        8h              40h         -
	//   P5        16h             80h         -
	//
	// Escalation of P1
	//   level  when               tier                team  notify
	//   1      15m after open     frontline           -     role:team_lead
	//   2      30m after open     specialists         -     -
	//   3      50% of resolution  engineering         -     duty_manager
	//   4      90% of resolution  escalation_manager  -     duty_manager, account_manager
	//
	// Escalation of P2
	//   level  when                    tier         team      notify
	//   1      100% of first_response  frontline    -         role:team_lead
	//   2      2h after open           specialists  -         -
	//   3      4h in tier              engineering  platform  duty_manager
	//
	// Escalation of P3
	//   level  when               tier         team  notify
	//   1      75% of resolution  specialists  -     role:team_lead
	//
	// Escalation of P4
	//   no escalation levels
	//
	// Escalation of P5
	//   no escalation levels
}

func ExampleMatrix_Priority() {
	m, err := matrix.New(matrix.ITIL5x5(), []string{"frontline"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, ok := m.Priority("Significant", "Medium")
	fmt.Println(p, ok)
	p, ok = m.Priority("Significant", "Whenever")
	fmt.Printf("%q %v\n", p, ok)
	// Output:
	// P2 true
	// "" false
}

func ExampleMatrix_Level() {
	spec := matrix.ITIL3x3()
	spec.Priorities[0].Levels = []matrix.Level{
		{Clock: matrix.ClockSinceOpen, After: matrix.Duration(30 * time.Minute), Tier: "specialists", Notify: []string{"role:team_lead"}},
		{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 75, Tier: "engineering", Notify: []string{"duty_manager"}},
	}
	m, err := matrix.New(spec, []string{"frontline", "specialists", "engineering"})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Forty minutes after opening, with 20% of the resolution goal used.
	st, _ := m.Level("P1", matrix.Progress{
		SinceOpen: 40 * time.Minute,
		Percent:   map[string]float64{"resolution": 20},
	})
	levels, _ := m.Levels("P1")
	fmt.Println("current level:", st.Current, "tier:", levels[st.Current].Tier)
	fmt.Println("next level:", st.Next, "in", st.RemainingPercent, "more points of", st.Metric)
	// Output:
	// current level: 0 tier: specialists
	// next level: 1 in 55 more points of resolution
}

func ExampleMatrix_StartTier() {
	spec := matrix.ITIL3x3()
	spec.DefaultImpact, spec.DefaultUrgency = "Medium", "Medium"
	spec.Priorities[0].StartTier = "specialists" // a P1 starts above frontline
	m, err := matrix.New(spec, []string{"frontline", "specialists", "engineering"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range []string{"P1", "P2", "P9"} {
		tier, ok := m.StartTier(p)
		fmt.Printf("%s: %q %v\n", p, tier, ok)
	}
	impact, urgency := m.Defaults()
	fmt.Println("defaults:", impact, urgency)
	// Output:
	// P1: "specialists" true
	// P2: "" true
	// P9: "" false
	// defaults: Medium Medium
}

func ExampleParse() {
	_, err := matrix.Parse([]byte(`{
	  "impacts": ["High", "Low"],
	  "urgencies": ["High", "High"],
	  "grid": [["P1", "P2"], ["P2"]],
	  "priorities": [
	    {"name": "P1", "goals": [{"metric": "resolution", "target": "4 hours"}],
	     "levels": [
	       {"clock": "since_open", "after": "1h", "tier": "specialists"},
	       {"clock": "since_open", "after": "30m", "tier": "frontline"}
	     ]},
	    {"name": "P2", "goals": []}
	  ]
	}`), []string{"frontline", "specialists"})
	fmt.Println(err)
	// Output:
	// matrix: urgencies[1]: duplicate urgency "High", first at urgencies[0]
	// matrix: grid[1]: want 2 cells (one per urgency), got 1
	// matrix: priorities[0].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")
	// matrix: priorities[0].levels[1].after: "30m" does not come after "1h" of levels[0] (since_open levels must increase)
	// matrix: priorities[0].levels[1].tier: "frontline" is lower than "specialists" of levels[0]; a level may not move a ticket down
	// matrix: priorities[1].goals: empty; want at least one goal
}
