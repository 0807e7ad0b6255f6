package rules

import "time"

// Env is everything one evaluation of a rule can see. The host (or the
// escalation engine) builds one per evaluation; rules only read it.
//
// The zero Env is valid: no attributes, empty strings, tier 0, zero times, no
// SLA timers and a calendar that is always open.
//
// An Env must not be modified while an evaluation that reads it runs; several
// evaluations may read the same Env at once.
type Env struct {
	// Ticket holds the host's attributes: strings, numbers, bools,
	// time.Time, time.Duration, []string, []any and nested map[string]any
	// objects. Rules read it as ticket.<name>.
	Ticket map[string]any `json:"ticket"`

	Priority string `json:"priority"` // priority, e.g. "P1"
	Impact   string `json:"impact"`   // impact
	Urgency  string `json:"urgency"`  // urgency
	Tier     int    `json:"tier"`     // tier: 1 is the lowest (frontline), 0 means none yet
	Team     string `json:"team"`     // team
	Status   string `json:"status"`   // status, e.g. "open"
	Event    string `json:"event"`    // event: the event being handled, e.g. "opened"; for a time trigger its name, "resolution:75%"
	// Manual is true while the rule handles an event a person caused (the
	// host reported it: a manual escalation, a hand-off, a reply), false
	// for a move a rule or the matrix made and for time triggers.
	Manual bool `json:"manual"` // manual

	Escalations int           `json:"escalations"`  // escalations: how many so far
	TimeInTier  time.Duration `json:"time_in_tier"` // time_in_tier: time since the ticket entered its tier
	Idle        time.Duration `json:"idle"`         // idle: time since the last public reply

	// Now is the engine's current instant: now and now() in a rule. Rules
	// never see the wall clock.
	Now time.Time `json:"now"`

	// SLA holds the status of each SLA timer by metric name
	// (first_response, next_response, resolution or a custom metric). A
	// metric that is absent reads as the zero SLA.
	SLA map[string]SLA `json:"sla"`

	// Calendar is the ticket's business calendar, used by is_open() and
	// business_between(); nil means open 24x7.
	Calendar Calendar `json:"-"`
}

// SLA is the status of one SLA timer as a rule sees it: sla.<metric>.<field>.
// The zero SLA means a timer that has not started: nothing elapsed, nothing
// remaining, no due instant, neither paused, breached nor met.
//
// An SLA is a plain value, safe to copy and to share between goroutines.
type SLA struct {
	Elapsed   time.Duration `json:"elapsed"`   // elapsed: business time used
	Remaining time.Duration `json:"remaining"` // remaining: business time left, negative once breached
	Percent   float64       `json:"percent"`   // percent: share of the target used, 75 means 75%
	Due       time.Time     `json:"due"`       // due: the instant the target falls due
	Paused    bool          `json:"paused"`    // paused: the timer is paused
	Breached  bool          `json:"breached"`  // breached: the target was missed
	Met       bool          `json:"met"`       // met: the target was met
}

// Calendar is the business calendar rules use through is_open() and
// business_between(). *sla.Calendar satisfies it.
//
// Implementations must be safe for concurrent use and must not block: rules
// call them while they evaluate.
type Calendar interface {
	// IsOpen reports whether t falls in business hours.
	IsOpen(t time.Time) bool
	// Between returns the business time in [from, to), negative when to is
	// before from.
	Between(from, to time.Time) time.Duration
}

// root is a name of the environment.
type root int

const (
	rootTicket root = iota
	rootPriority
	rootImpact
	rootUrgency
	rootTier
	rootTeam
	rootStatus
	rootEvent
	rootManual
	rootEscalations
	rootTimeInTier
	rootIdle
	rootNow
	rootSLA
)

// roots maps the names rules use to the fields of Env.
var roots = map[string]root{
	"ticket":       rootTicket,
	"priority":     rootPriority,
	"impact":       rootImpact,
	"urgency":      rootUrgency,
	"tier":         rootTier,
	"team":         rootTeam,
	"status":       rootStatus,
	"event":        rootEvent,
	"manual":       rootManual,
	"escalations":  rootEscalations,
	"time_in_tier": rootTimeInTier,
	"idle":         rootIdle,
	"now":          rootNow,
	"sla":          rootSLA,
}

// value returns the field of env that r names, boxed for the rule's VM.
func (r root) value(env *Env) any {
	switch r {
	case rootTicket:
		return env.Ticket
	case rootPriority:
		return env.Priority
	case rootImpact:
		return env.Impact
	case rootUrgency:
		return env.Urgency
	case rootTier:
		return env.Tier
	case rootTeam:
		return env.Team
	case rootStatus:
		return env.Status
	case rootEvent:
		return env.Event
	case rootManual:
		return env.Manual
	case rootEscalations:
		return env.Escalations
	case rootTimeInTier:
		return env.TimeInTier
	case rootIdle:
		return env.Idle
	case rootNow:
		return env.Now
	default:
		return env.SLA
	}
}

// slaField is a field of SLA as rules name it.
type slaField int

const (
	slaElapsed slaField = iota + 1
	slaRemaining
	slaPercent
	slaDue
	slaPaused
	slaBreached
	slaMet
)

var slaFields = map[string]slaField{
	"elapsed":   slaElapsed,
	"remaining": slaRemaining,
	"percent":   slaPercent,
	"due":       slaDue,
	"paused":    slaPaused,
	"breached":  slaBreached,
	"met":       slaMet,
}

// get returns field f of s, boxed for the rule's VM.
func (s *SLA) get(f slaField) any {
	switch f {
	case slaElapsed:
		return s.Elapsed
	case slaRemaining:
		return s.Remaining
	case slaPercent:
		return s.Percent
	case slaDue:
		return s.Due
	case slaPaused:
		return s.Paused
	case slaBreached:
		return s.Breached
	default:
		return s.Met
	}
}

// defaultMetrics are the SLA metrics every rule may read; WithMetrics adds
// custom ones.
var defaultMetrics = []string{"first_response", "next_response", "resolution"}
