package matrix

import "slices"

// Spec is an escalation matrix as plain data: the priority grid, and for each
// priority its SLA goals and its escalation levels. It reads and writes the
// JSON shape documented in the package overview. New checks a Spec and
// builds a Matrix from it; the zero Spec is empty and New rejects it.
// A Spec is plain data: it may be read concurrently, not written.
type Spec struct {
	// Impacts are the impact labels, most severe first.
	Impacts []string `json:"impacts"`
	// Urgencies are the urgency labels, most urgent first.
	Urgencies []string `json:"urgencies"`
	// DefaultImpact is the impact of a ticket whose host names its urgency
	// but not its impact; when set, it must be one of Impacts. "" means
	// none. The matrix only holds and checks it: the engine applies it.
	DefaultImpact string `json:"default_impact,omitempty"`
	// DefaultUrgency is the urgency of a ticket whose host names its impact
	// but not its urgency; when set, it must be one of Urgencies. "" means
	// none. The matrix only holds and checks it: the engine applies it.
	DefaultUrgency string `json:"default_urgency,omitempty"`
	// Grid[i][u] names the priority of a ticket with impact Impacts[i] and
	// urgency Urgencies[u]: one row per impact, one cell per urgency.
	Grid [][]string `json:"grid"`
	// Priorities are the priorities, highest first. A priority that no grid
	// cell names is allowed: rules may still set it.
	Priorities []PrioritySpec `json:"priorities"`
}

// PrioritySpec is one priority: its label, its SLA goals and its escalation
// ladder. It is plain data: it may be read concurrently, not written.
type PrioritySpec struct {
	// Name is the priority's label, as the grid cells name it.
	Name string `json:"name"`
	// StartTier is the tier a ticket of this priority starts on when its
	// host does not say; when set, it must be one of the tiers given to
	// New. "" means the lowest tier.
	StartTier string `json:"start_tier,omitempty"`
	// Goals are the SLA goals of the priority, at least one, one per metric.
	Goals []Goal `json:"goals"`
	// Levels are the escalation levels, in the ladder's order. A priority
	// may have none: its tickets never escalate by the matrix.
	Levels []Level `json:"levels"`
}

// Goal is the SLA target of one metric for one priority. It is plain data:
// it may be read concurrently, not written.
type Goal struct {
	// Metric names the SLA metric: "first_response", "next_response",
	// "resolution", or a custom metric. A metric name is lower-case letters,
	// digits and underscores, starting with a letter.
	Metric string `json:"metric"`
	// Target is the business time the metric allows; it must be positive.
	Target Duration `json:"target"`
	// Calendar names the calendar the metric's clock runs on; "" means the
	// default calendar of the policy that holds the matrix.
	Calendar string `json:"calendar,omitempty"`
}

// Clock names what an escalation level waits for.
// A Clock is a plain string value, safe for concurrent use.
type Clock string

// The clocks a Level can wait on.
const (
	// ClockSinceOpen counts business time since the ticket opened; the
	// level's After is the time to wait.
	ClockSinceOpen Clock = "since_open"
	// ClockPercent counts the percentage used of the goal of one metric; the
	// level's Metric and Percent say which metric and how much.
	ClockPercent Clock = "percent"
	// ClockInTier counts the time since the ticket entered its current tier;
	// the level's After is the time to wait.
	ClockInTier Clock = "in_tier"
)

// Level is one step of a priority's escalation ladder: when its clock
// reaches its threshold, the ticket moves to Tier (and Team, when set) and
// the Notify list is told. It is plain data: it may be read concurrently,
// not written.
//
// The zero Level has no clock, and New rejects it.
type Level struct {
	// Clock is what the level waits on; it is required.
	Clock Clock `json:"clock"`
	// After is the time to wait on a since_open or in_tier clock; it must be
	// positive there and zero (absent) on a percent clock.
	After Duration `json:"after,omitempty"`
	// Metric names the goal, of the same priority, that a percent clock
	// counts; empty on other clocks.
	Metric string `json:"metric,omitempty"`
	// Percent is the share of the Metric's goal target, in (0, 100], that a
	// percent clock waits for; zero (absent) on other clocks.
	Percent float64 `json:"percent,omitempty"`
	// Tier is the tier the ticket moves to; it must be one of the tiers
	// given to New, and not lower than the tier of the level before.
	Tier string `json:"tier"`
	// Team is the team the ticket moves to; "" keeps the ticket's team.
	Team string `json:"team,omitempty"`
	// Notify lists whom to tell: contacts or roles, free strings such as
	// "role:team_lead", "duty_manager" or "account_manager". Empty means
	// nobody beyond the new assignees.
	Notify []string `json:"notify,omitempty"`
}

// clone returns a deep copy of s, so that no slice is shared with s. It
// copies s whole first, so that a field added to Spec is copied too.
func (s Spec) clone() Spec {
	c := s
	c.Impacts = slices.Clone(s.Impacts)
	c.Urgencies = slices.Clone(s.Urgencies)
	c.Grid = slices.Clone(s.Grid)
	c.Priorities = slices.Clone(s.Priorities)
	for i := range c.Grid {
		c.Grid[i] = slices.Clone(c.Grid[i])
	}
	for i := range c.Priorities {
		c.Priorities[i] = c.Priorities[i].clone()
	}
	return c
}

// clone returns a deep copy of p. It copies p whole first, so that a field
// added to PrioritySpec is copied too.
func (p PrioritySpec) clone() PrioritySpec {
	c := p
	c.Goals = slices.Clone(p.Goals)
	c.Levels = cloneLevels(p.Levels)
	return c
}

// cloneLevels returns a deep copy of levels.
func cloneLevels(levels []Level) []Level {
	c := slices.Clone(levels)
	for i := range c {
		c[i].Notify = slices.Clone(c[i].Notify)
	}
	return c
}
