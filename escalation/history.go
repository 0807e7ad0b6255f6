package escalation

import (
	"time"

	"github.com/ladder-go/ladder/rules"
)

// Entry is one decision in a ticket's append-only history: what happened,
// when, why, by which rule, on which policy version, from where to where.
type Entry struct {
	At      time.Time `json:"at"`
	What    string    `json:"what"`              // "opened", "escalated", "notified", "delivered", "sla_warning", ...
	Rule    string    `json:"rule,omitempty"`    // the rule or matrix level that decided it
	Trigger string    `json:"trigger,omitempty"` // what fired: "event:opened", "resolution:75%", "in_tier:30m"
	Why     []Clause  `json:"why,omitempty"`     // the values of the condition's clauses
	Policy  string    `json:"policy"`            // the policy version the ticket ran on
	From    string    `json:"from,omitempty"`    // tier or team before, "tier:frontline"
	To      string    `json:"to,omitempty"`      // after, or the recipients of a notification
	Actor   string    `json:"actor,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// Clause is one top-level clause of a rule's condition, its value when the
// rule was evaluated and, if the clause failed, why.
type Clause = rules.Clause
