package matrix

import (
	"encoding/json"
	"slices"
)

// Matrix is a checked escalation matrix, indexed for fast lookups: the
// priority of an impact and an urgency, and where a ticket stands on its
// priority's escalation ladder. Build one with New or Parse.
// A *Matrix is immutable and safe for concurrent use.
type Matrix struct {
	spec       Spec
	impact     map[string]int     // impact label -> row of grid
	urgency    map[string]int     // urgency label -> column of grid
	grid       []string           // the grid's cells, row after row
	priorities map[string]*ladder // priority name -> its goals and levels
}

// New checks spec against tiers and builds a Matrix from a copy of spec, so
// that later changes to spec do not reach the Matrix.
//
// tiers are the tier names of the caller's hierarchy, lowest first, such as
// "frontline", "specialists", "engineering", "escalation_manager". Every
// level must name one of them, and no level may name a lower tier than the
// level before it.
//
// On bad input New returns a nil Matrix and an *Error listing every problem
// with its path; the package overview lists the rules.
func New(spec Spec, tiers []string) (*Matrix, error) {
	return build(spec, tiers, nil)
}

// build checks spec against tiers, together with the durations that Parse
// could not read (see check), and builds a Matrix from a copy of spec.
func build(spec Spec, tiers []string, bad map[string]json.RawMessage) (*Matrix, error) {
	if err := check(spec, tiers, bad).err(); err != nil {
		return nil, err
	}
	spec = spec.clone()
	m := &Matrix{
		spec:       spec,
		impact:     positions(spec.Impacts),
		urgency:    positions(spec.Urgencies),
		grid:       make([]string, 0, len(spec.Impacts)*len(spec.Urgencies)),
		priorities: make(map[string]*ladder, len(spec.Priorities)),
	}
	for _, row := range spec.Grid {
		m.grid = append(m.grid, row...)
	}
	for _, p := range spec.Priorities {
		m.priorities[p.Name] = newLadder(p)
	}
	return m, nil
}

// positions maps each label to its index.
func positions(labels []string) map[string]int {
	m := make(map[string]int, len(labels))
	for i, l := range labels {
		m[l] = i
	}
	return m
}

// Spec returns a copy of the matrix's spec, that the caller may change.
func (m *Matrix) Spec() Spec {
	return m.spec.clone()
}

// MarshalJSON writes the matrix's spec in the JSON shape that Parse reads.
func (m *Matrix) MarshalJSON() ([]byte, error) {
	return json.Marshal(m.spec)
}

// Priority returns the priority of a ticket with the given impact and
// urgency labels, and false when either label is unknown. It does not
// allocate.
func (m *Matrix) Priority(impact, urgency string) (string, bool) {
	i, ok := m.impact[impact]
	if !ok {
		return "", false
	}
	u, ok := m.urgency[urgency]
	if !ok {
		return "", false
	}
	return m.grid[i*len(m.spec.Urgencies)+u], true
}

// Goals returns a copy of the SLA goals of priority, and false when the
// matrix has no such priority.
func (m *Matrix) Goals(priority string) ([]Goal, bool) {
	l, ok := m.priorities[priority]
	if !ok {
		return nil, false
	}
	return slices.Clone(l.goals), true
}

// Levels returns a copy of the escalation levels of priority, and false
// when the matrix has no such priority. The indexes of the result are those
// of Status and Progress.Reached.
func (m *Matrix) Levels(priority string) ([]Level, bool) {
	l, ok := m.priorities[priority]
	if !ok {
		return nil, false
	}
	return cloneLevels(l.levels), true
}

// StartTier returns the tier a ticket of priority starts on when its host
// does not say, "" when the priority has none (the ticket starts on the
// lowest tier), and false when the matrix has no such priority. It does not
// allocate.
func (m *Matrix) StartTier(priority string) (string, bool) {
	l, ok := m.priorities[priority]
	if !ok {
		return "", false
	}
	return l.startTier, true
}

// Defaults returns the default impact and the default urgency of the
// matrix: the impact of a ticket whose host names only its urgency, and the
// urgency of a ticket whose host names only its impact; "" for one that is
// not set. See Spec.DefaultImpact and Spec.DefaultUrgency.
func (m *Matrix) Defaults() (impact, urgency string) {
	return m.spec.DefaultImpact, m.spec.DefaultUrgency
}
