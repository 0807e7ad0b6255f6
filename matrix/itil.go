package matrix

import "time"

// ITIL3x3 returns the classic three by three priority matrix, ready to use
// or to adapt. Impacts and urgencies are "High", "Medium", "Low"; the grid
// gives five priorities:
//
//	impact \ urgency  High  Medium  Low
//	High              P1    P2      P3
//	Medium            P2    P3      P4
//	Low               P3    P4      P5
//
// Each priority has two goals on the policy's default calendar:
//
//	priority  first_response  resolution
//	P1        15m             4h
//	P2        1h              8h
//	P3        4h              24h
//	P4        8h              40h
//	P5        16h             80h
//
// The priorities have no escalation levels, since levels name the caller's
// tiers: add them before calling New. Each call returns a new Spec.
func ITIL3x3() Spec {
	return Spec{
		Impacts:   []string{"High", "Medium", "Low"},
		Urgencies: []string{"High", "Medium", "Low"},
		Grid: [][]string{
			{"P1", "P2", "P3"},
			{"P2", "P3", "P4"},
			{"P3", "P4", "P5"},
		},
		Priorities: itilPriorities(),
	}
}

// ITIL5x5 returns the five by five priority matrix. Impacts are
// "Extensive", "Significant", "Moderate", "Minor", "Minimal"; urgencies are
// "Critical", "High", "Medium", "Low", "Very low". A cell at impact i and
// urgency u (both counted from 1, most severe first) has priority
// P⌈(i+u-1)/2⌉:
//
//	impact \ urgency  Critical  High  Medium  Low  Very low
//	Extensive         P1        P1    P2      P2   P3
//	Significant       P1        P2    P2      P3   P3
//	Moderate          P2        P2    P3      P3   P4
//	Minor             P2        P3    P3      P4   P4
//	Minimal           P3        P3    P4      P4   P5
//
// The five priorities and their goals are those of ITIL3x3, again without
// escalation levels. Each call returns a new Spec.
func ITIL5x5() Spec {
	s := Spec{
		Impacts:    []string{"Extensive", "Significant", "Moderate", "Minor", "Minimal"},
		Urgencies:  []string{"Critical", "High", "Medium", "Low", "Very low"},
		Priorities: itilPriorities(),
	}
	for i := range s.Impacts {
		row := make([]string, len(s.Urgencies))
		for u := range row {
			row[u] = s.Priorities[(i+u)/2].Name
		}
		s.Grid = append(s.Grid, row)
	}
	return s
}

// itilPriorities returns the priorities P1 to P5 with their goals, and no
// levels.
func itilPriorities() []PrioritySpec {
	goals := []struct {
		name                 string
		response, resolution time.Duration
	}{
		{"P1", 15 * time.Minute, 4 * time.Hour},
		{"P2", time.Hour, 8 * time.Hour},
		{"P3", 4 * time.Hour, 24 * time.Hour},
		{"P4", 8 * time.Hour, 40 * time.Hour},
		{"P5", 16 * time.Hour, 80 * time.Hour},
	}
	ps := make([]PrioritySpec, len(goals))
	for i, g := range goals {
		ps[i] = PrioritySpec{Name: g.name, Goals: []Goal{
			{Metric: "first_response", Target: Duration(g.response)},
			{Metric: "resolution", Target: Duration(g.resolution)},
		}}
	}
	return ps
}
