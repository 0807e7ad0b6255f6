package escalation

import (
	"slices"
	"time"
)

// EventKind names what happened to a ticket.
type EventKind string

// The events a host reports, and the moves rules may trigger on.
const (
	Opened          EventKind = "opened"
	AgentReplied    EventKind = "agent_replied"    // a public reply by an agent
	CustomerReplied EventKind = "customer_replied" // a message from the customer
	StatusChanged   EventKind = "status_changed"
	FieldsChanged   EventKind = "fields_changed"
	Resolved        EventKind = "resolved"
	Reopened        EventKind = "reopened"
	Closed          EventKind = "closed"
	// Escalated is a move up the tiers: a host reports a person's with
	// Tier (any tier above the ticket's); rules, the matrix and people
	// all trigger the rules on it.
	Escalated EventKind = "escalated"
	// DeEscalated is a move down the tiers: a host reports a person's
	// with Tier (any tier below the ticket's).
	DeEscalated EventKind = "de_escalated"
	// HandedOff is a change of team at the same tier. It is ladder's own:
	// rules may trigger on it; a host hands a ticket off by naming its new
	// Team on any event.
	HandedOff EventKind = "handed_off"
)

// EventIDWindow is how many of a ticket's last event IDs the engine
// remembers: a retry of an event must come before the ticket has taken
// that many more events with IDs.
const EventIDWindow = 64

// reported are the kinds a host reports.
var reported = []EventKind{Opened, AgentReplied, CustomerReplied, StatusChanged, FieldsChanged, Resolved, Reopened, Closed, Escalated, DeEscalated}

// triggerKinds are the events a rule may trigger on: those a host reports,
// and handed_off.
var triggerKinds = append(slices.Clone(reported), HandedOff)

func (k EventKind) valid() bool { return slices.Contains(reported, k) }

// eventTriggers holds each event's trigger name, "event:" and the kind,
// made once rather than per event.
var eventTriggers = func() map[EventKind]string {
	m := make(map[EventKind]string, len(triggerKinds))
	for _, k := range triggerKinds {
		m[k] = "event:" + string(k)
	}
	return m
}()

// trigger is the kind as a rule's trigger in the history: "event:opened".
func (k EventKind) trigger() string { return eventTriggers[k] }

// Event is one thing that happened to a ticket, as the host reports it,
// with the ticket's attributes as they are after it.
type Event struct {
	Ticket string
	Kind   EventKind
	// ID is the host's id of the event (its audit record's, a webhook
	// delivery's), optional: an event whose ID the ticket has already
	// applied, among its last EventIDWindow ids, is acknowledged and
	// changes nothing, so a host may retry a Report whose outcome it does
	// not know. IDs are the host's, unique per ticket at least.
	ID string
	// At is when it happened: not zero, not before the ticket's last
	// event, and not later than the engine clock's now by more than the
	// engine's skew (WithSkew).
	At time.Time
	// Attrs are the ticket's attributes as rules read them (ticket.*); nil
	// keeps the ones last reported.
	Attrs map[string]any
	// Status is the ticket's status after the event; "" keeps it.
	Status string
	// Impact and Urgency give the priority through the matrix; Priority
	// sets it directly and wins. "" keeps what the ticket has. An event
	// that gives one of impact and urgency while the ticket has not the
	// other gets the matrix's default for it (default_impact,
	// default_urgency), or is refused with ErrIncomplete. A ticket opened
	// with neither gets the matrix's defaults when it names both, else the
	// lowest priority.
	Impact, Urgency, Priority string
	// Tier is where a person moves the ticket: required on Escalated (a
	// tier above the ticket's) and DeEscalated (below); on Opened, the
	// tier it starts on ("" lets the policy choose: the matrix's start
	// tier for its priority, else the lowest). Other kinds take none.
	Tier string
	// Team is the ticket's team: on Opened, where it starts ("" means the
	// policy's default team); later, a person's hand-off, or the team a
	// move goes to.
	Team string
	// Actor is who caused the event, and Reason why (a move's reason);
	// both go to the history.
	Actor, Reason string
}
