package escalation

import (
	"time"

	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// Entry is one decision in a ticket's append-only history: what happened,
// when, why, by which rule, on which policy version, from where to where.
// Entries are in time order: no entry is before the one it follows.
type Entry struct {
	At      time.Time `json:"at"`
	What    What      `json:"what"`
	By      By        `json:"by,omitempty"`      // who decided: a person, a rule or the matrix
	Rule    string    `json:"rule,omitempty"`    // the rule or matrix level that decided it
	Trigger string    `json:"trigger,omitempty"` // what fired: "event:opened", "resolution:75%", "in_tier:30m"
	Why     []Clause  `json:"why,omitempty"`     // the values of the condition's clauses
	Policy  string    `json:"policy"`            // the policy version the ticket ran on
	From    string    `json:"from,omitempty"`    // where before: "tier:frontline", "tier:frontline team:billing", a priority, a version
	To      string    `json:"to,omitempty"`      // where after, or the recipients of a notification, or the metric
	Actor   string    `json:"actor,omitempty"`   // who reported the event
	Status  string    `json:"status,omitempty"`  // a reported event's new status, when it changed it
	Note    string    `json:"note,omitempty"`    // a person's reason, or why the engine did what it did
	// Cycle is the SLA cycle an sla_met or sla_met_late entry ended: its
	// goal and the business time it used, pauses left out.
	Cycle *sla.Cycle `json:"cycle,omitempty"`
}

// Clause is one top-level clause of a rule's condition, its value when the
// rule was evaluated and, if the clause failed, why.
type Clause = rules.Clause

// What is what a history entry records. The engine writes only the values
// below; a host or a report switches on them.
//
// Each event a host reports is one entry whose What is the event's kind
// (an EventKind converted), By ByPerson, with the event's Actor, its reason
// in Note and its new status in Status. A move a person reports
// (escalated, de_escalated) is that entry, with From and To.
type What string

// The events a host reports: each is its kind's entry.
const (
	WhatOpened          What = What(Opened) // To: where the ticket opened, "tier:frontline team:billing"
	WhatAgentReplied    What = What(AgentReplied)
	WhatCustomerReplied What = What(CustomerReplied)
	WhatStatusChanged   What = What(StatusChanged)
	WhatFieldsChanged   What = What(FieldsChanged)
	WhatResolved        What = What(Resolved)
	WhatReopened        What = What(Reopened)
	WhatClosed          What = What(Closed)
)

// Where the ticket is. Moves say who made them in By: ByPerson (the
// event's Actor), ByRule or ByMatrix (Rule names which).
const (
	// WhatStarted is a start decision, taken while the ticket opened: the
	// matrix's start tier for its priority, or a rule on event:opened
	// moving it. It is not an escalation and no counter counts it.
	WhatStarted What = "started"
	// WhatEscalated is a move up the tiers (skipping tiers is allowed),
	// possibly with a new team.
	WhatEscalated What = What(Escalated)
	// WhatDeEscalated is a move down the tiers.
	WhatDeEscalated What = What(DeEscalated)
	// WhatHandedOff is a change of team at the same tier.
	WhatHandedOff What = What(HandedOff)
	// WhatSkipped is a matrix level that fell when the ticket was already
	// on its tier or above: it neither moved the ticket nor notified. To
	// is the level's tier.
	WhatSkipped What = "skipped"
	// WhatEscalationRefused is a rule's move that could not be made: no
	// tier above, a tier not above the ticket's, a resolved ticket. Note
	// says why.
	WhatEscalationRefused What = "escalation_refused"
	// WhatHandoffRefused is a rule's hand-off to a team its team does not
	// hand off to, or of a resolved ticket.
	WhatHandoffRefused What = "handoff_refused"
	// WhatPriorityChanged is a new priority, From the old To the new: the
	// SLA goals follow it.
	WhatPriorityChanged What = "priority_changed"
	// WhatContractApplied is a change of the contract whose goals the
	// ticket runs on, From the old To the new ("" for the matrix's goals).
	WhatContractApplied What = "contract_applied"
	// WhatMigrated is a move to another policy version, From the old To
	// the new; Note lists tiers, teams and priorities it mapped.
	WhatMigrated What = "migrated"
)

// Rules.
const (
	WhatRuleFired      What = "rule_fired"      // its condition held; its actions follow
	WhatRuleFailed     What = "rule_failed"     // its condition could not be evaluated, or an action could not run; Note says why
	WhatCascadeStopped What = "cascade_stopped" // rules moved the ticket too many times in a row
	// WhatPointsPassed: one run fired the most time points it fires
	// (10,000, a long repeat caught up over months, say); the rest up to
	// the entry's instant passed without firing, from the instant in
	// Trigger. Note counts them.
	WhatPointsPassed What = "points_passed"
)

// Notifications. A delivered or delivery_failed entry's To lists the
// recipients it is about: all those of the attempt, or, when the Notifier
// returned a *PartialError, one recipient an entry.
const (
	WhatNotified What = "notified" // saved for delivery to To
	// WhatCaughtUp is a notification not sent on its own because it fell
	// more than the engine's staleness (WithStaleness) before it was
	// handled: a back-dated event, an engine that was down. The
	// notification whose rule is "caught_up", sent once the run is done,
	// stands for all of them.
	WhatCaughtUp What = "caught_up"
	// WhatNotificationSuppressed is a notification not sent: the ticket
	// had sent as many at that instant as Limits.Notifications allows.
	WhatNotificationSuppressed What = "notification_suppressed"
	WhatDelivered              What = "delivered"       // the Notifier took it
	WhatDeliveryFailed         What = "delivery_failed" // the Notifier refused it for good; Note says why
)

// SLA clocks. To names the metric; of a warning or a breach, Trigger
// names the metric and the threshold: "resolution:75%", "resolution:breach".
const (
	WhatSLAStarted  What = "sla_started"  // a new cycle (next_response, after a customer message)
	WhatSLAWarning  What = "sla_warning"  // a warning threshold reached
	WhatSLABreached What = "sla_breached" // the goal used up
	WhatSLAMet      What = "sla_met"      // the cycle ended in time
	WhatSLAMetLate  What = "sla_met_late" // the cycle ended after its breach
	WhatSLAPaused   What = "sla_paused"   // by a status or a rule; Note names the status
	WhatSLAResumed  What = "sla_resumed"  //
	WhatSLAReopened What = "sla_reopened" // a reopen runs the clock again
)

// By is who made a decision: a person through an event the host reported,
// a rule, or a level or setting of the matrix.
type By string

const (
	ByPerson By = "person"
	ByRule   By = "rule"
	ByMatrix By = "matrix"
	// ByEngine is the engine's own notification summing up those it
	// caught up (WhatCaughtUp).
	ByEngine By = "engine"
)
