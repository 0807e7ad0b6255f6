package escalation

import (
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string ("30m", "4h", "1h30m"), as in the matrix.
type Duration = matrix.Duration

// Policy is everything an engine needs to run a helpdesk's escalations:
// calendars, tiers, teams, the escalation matrix, SLA target settings and
// rules. It is plain data with JSON tags: load it with ParsePolicy or build
// it in Go; New checks it and reports every problem at once.
// A Policy is plain data: it may be read concurrently, not written.
type Policy struct {
	// Name and Version identify the policy; every ticket remembers the
	// version it runs on. Both are required.
	Name    string `json:"name"`
	Version string `json:"version"`
	// Calendars are the business calendars by name. The name "24x7" is
	// predefined (sla.Always) and cannot be redefined.
	Calendars map[string]sla.CalendarSpec `json:"calendars,omitempty"`
	// Calendar names the default calendar: of matrix goals that name none,
	// and of time triggers (in tier, idle, repeat, the matrix's since_open
	// and in_tier clocks). "" means "24x7".
	Calendar string `json:"calendar,omitempty"`
	// Tiers are the levels of the hierarchy, lowest first; a ticket opens
	// on the first. At least one.
	Tiers []string `json:"tiers"`
	// Teams are the functional groups by name. A ticket opens on the team
	// its open event names, or on DefaultTeam.
	Teams       map[string]Team `json:"teams,omitempty"`
	DefaultTeam string          `json:"default_team,omitempty"`
	// OpenTeams accepts events that name teams the policy does not
	// declare, as a desk with hundreds of teams needs; such a team hands
	// off to any team. Without it an undeclared team is refused.
	OpenTeams bool `json:"open_teams,omitempty"`
	// Schema declares the ticket attributes rules may read, so rules are
	// type-checked; nil (or empty) means attributes are dynamic.
	Schema rules.Schema `json:"schema,omitempty"`
	// Matrix gives priorities from impact and urgency, each priority's SLA
	// goals and its escalation levels.
	Matrix matrix.Spec `json:"matrix"`
	// Contracts choose other SLA goals for some tickets (a gold plan, a
	// VIP): the first whose condition holds gives the ticket its goals,
	// and the matrix's goals apply when none does.
	Contracts []Contract `json:"contracts,omitempty"`
	// Targets add warnings and reopen behaviour to the matrix goals, by
	// metric name.
	Targets map[string]TargetSettings `json:"targets,omitempty"`
	// Statuses, when listed, are the only statuses events may set, and
	// every key of Pause must be one; without them statuses are free text.
	Statuses []string `json:"statuses,omitempty"`
	// Pause maps a ticket status to the metrics it pauses, e.g.
	// "pending_customer": ["resolution"].
	Pause map[string][]string `json:"pause,omitempty"`
	// FinalClose makes closing final: a closed ticket takes no event, not
	// even a reopen. By default a closed ticket may be reopened.
	FinalClose bool `json:"final_close,omitempty"`
	// Rules are evaluated in order.
	Rules []Rule `json:"rules,omitempty"`
}

// Team is a functional group. Handoff lists the teams that rules may pass
// its tickets on to; these hand-offs may not form a cycle.
type Team struct {
	Handoff []string `json:"handoff,omitempty"`
}

// Contract gives some tickets goals of their own: a customer's plan, a
// tier of service. When its condition holds for a ticket (and no earlier
// contract's does), the ticket's SLA clocks run on the contract's goals
// for its priority; a priority or metric the contract does not name keeps
// the matrix's goal. The condition is in the rule language and is
// evaluated when the ticket opens and after every event; when the
// deciding attribute changes, the running clocks take the new goals
// keeping their elapsed time, as with a change of priority.
type Contract struct {
	Name string `json:"name"`
	When string `json:"when"`
	// Goals are the contract's SLA goals by priority.
	Goals map[string][]matrix.Goal `json:"goals"`
}

// TargetSettings complete the matrix goals of one metric.
type TargetSettings struct {
	WarnPercent     []float64  `json:"warn_percent,omitempty"`      // each in (0, 100]
	WarnBefore      []Duration `json:"warn_before,omitempty"`       // business time left, each positive
	RestartOnReopen bool       `json:"restart_on_reopen,omitempty"` // else a reopen continues the clock
}

// Rule is a trigger, a condition and actions: when the trigger fires and
// the condition holds, the actions run, in order.
type Rule struct {
	// Name identifies the rule in history and notifications; unique,
	// required.
	Name string `json:"name"`
	// On is what makes the rule fire.
	On Trigger `json:"on"`
	// When is a condition in the rule language (package rules); "" always
	// holds.
	When string `json:"when,omitempty"`
	// Repeat, for a time trigger, fires the rule again every Repeat (on
	// the trigger's calendar) for as long as When holds.
	Repeat Duration `json:"repeat,omitempty"`
	// Do are the actions, at least one.
	Do []Action `json:"do"`
}

// Trigger is one of: a ticket event (Event), a point of an SLA metric
// (Metric with one of Percent, Breach, BeforeDue), or a time point (InTier,
// Idle). Each fires at most once per ticket, rule and SLA cycle.
type Trigger struct {
	// Event is a ticket event: opened, agent_replied, customer_replied,
	// status_changed, fields_changed, resolved, reopened, closed, or a
	// move: escalated (up the tiers), de_escalated (down) or handed_off
	// (another team at the same tier), whether a person, a rule or the
	// matrix made it. A rule on a move made while the ticket opened (a
	// start decision) does not fire.
	Event string `json:"event,omitempty"`
	// Metric names an SLA metric; Percent fires when that share of its
	// goal is used, Breach when it is used up, BeforeDue when that much
	// business time is left.
	Metric    string   `json:"metric,omitempty"`
	Percent   float64  `json:"percent,omitempty"`
	Breach    bool     `json:"breach,omitempty"`
	BeforeDue Duration `json:"before_due,omitempty"`
	// InTier fires after that much time in the current tier, Idle after
	// that much time since the last public reply, both on Calendar.
	InTier Duration `json:"in_tier,omitempty"`
	Idle   Duration `json:"idle,omitempty"`
	// Calendar names the calendar of InTier, Idle and the rule's Repeat;
	// "" means the policy's default calendar.
	Calendar string `json:"calendar,omitempty"`
}

// Action is one thing a rule does; exactly one field is set.
type Action struct {
	// Escalate moves the ticket up: "next" for the next tier, or a tier's
	// name to skip levels (a tier below the current one is refused).
	Escalate string `json:"escalate,omitempty"`
	// Deescalate moves the ticket down one tier.
	Deescalate bool `json:"deescalate,omitempty"`
	// Team hands the ticket to another team (functional escalation), if
	// its team's Handoff lists it.
	Team string `json:"team,omitempty"`
	// Notify sends a notification to these contacts or roles.
	Notify []string `json:"notify,omitempty"`
	// SetPriority, SetImpact and SetUrgency change the ticket's priority
	// (directly, or through the matrix); its SLA goals follow without
	// losing elapsed time.
	SetPriority string `json:"set_priority,omitempty"`
	SetImpact   string `json:"set_impact,omitempty"`
	SetUrgency  string `json:"set_urgency,omitempty"`
	// Pause and Resume stop and restart the clock of an SLA metric.
	Pause  string `json:"pause,omitempty"`
	Resume string `json:"resume,omitempty"`
}

// Always24x7 is the name of the predefined calendar that is always open.
const Always24x7 = "24x7"

// compiled is a checked policy in the form the engine runs: every name
// resolved, every rule compiled.
type compiled struct {
	policy     *Policy
	calendars  map[string]*sla.Calendar // includes "24x7", and "" for the default
	calendar   *sla.Calendar            // the default
	tierIndex  map[string]int           // tier name -> position, 0 lowest
	matrix     *matrix.Matrix
	ladders    map[string]*ladder // by priority, the matrix's goals
	contracts  []compiledContract
	targets    map[string]TargetSettings
	pause      map[string][]string  // status -> metrics
	metrics    []string             // every metric a goal names, sorted
	priorities []string             // in the matrix's order
	places     map[[2]string]string // see place
	rules      []compiledRule
}

// ladder is one priority's goals and escalation levels, under the matrix
// or a contract.
type ladder struct {
	goals  []matrix.Goal
	levels []matrix.Level
	timers []*sla.Timer // one per goal, not started: new tickets get clones
	start  string       // the tier a ticket starts on; "" for the lowest
	// names and triggers are each level's for the history:
	// "matrix:P1[0]" and "in_tier:30m".
	names, triggers []string
}

// compiledContract is a contract with its condition compiled and a ladder
// for every priority.
type compiledContract struct {
	name    string
	when    *rules.Rule
	ladders map[string]*ladder
}

// ladder returns the ladder of a priority under a contract ("" for the
// matrix's goals), and false for an unknown priority.
func (pol *compiled) ladder(contract, priority string) (*ladder, bool) {
	if contract != "" {
		for i := range pol.contracts {
			if c := &pol.contracts[i]; c.name == contract {
				l, ok := c.ladders[priority]
				return l, ok
			}
		}
	}
	l, ok := pol.ladders[priority]
	return l, ok
}

// compiledRule is a rule with its condition compiled and its names
// resolved.
type compiledRule struct {
	Rule
	index    int
	when     *rules.Rule   // nil when the rule has no condition
	calendar *sla.Calendar // of InTier, Idle and Repeat
	trigger  string        // the trigger for people: "resolution:75%"
	// repeatTrigger is the trigger of its repeats: "resolution:75% (repeat)".
	repeatTrigger string

	firedPrefix string // "rule/<name>/": the start of its fire-once keys
}
