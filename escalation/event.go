package escalation

import (
	"slices"
	"time"
)

// EventKind names what happened to a ticket.
type EventKind string

// The events a host reports. Escalated is ladder's own: rules may trigger
// on it, hosts do not report it.
const (
	Opened          EventKind = "opened"
	AgentReplied    EventKind = "agent_replied"    // a public reply by an agent
	CustomerReplied EventKind = "customer_replied" // a message from the customer
	StatusChanged   EventKind = "status_changed"
	FieldsChanged   EventKind = "fields_changed"
	Resolved        EventKind = "resolved"
	Reopened        EventKind = "reopened"
	Closed          EventKind = "closed"
	Escalated       EventKind = "escalated"
)

var reported = []EventKind{Opened, AgentReplied, CustomerReplied, StatusChanged, FieldsChanged, Resolved, Reopened, Closed}

// triggerKinds are the events a rule may trigger on: those a host reports,
// and escalated.
var triggerKinds = append(slices.Clone(reported), Escalated)

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
	At     time.Time
	// Attrs are the ticket's attributes as rules read them (ticket.*); nil
	// keeps the ones last reported.
	Attrs map[string]any
	// Status is the ticket's status after the event; "" keeps it.
	Status string
	// Impact and Urgency give the priority through the matrix; Priority
	// sets it directly and wins. "" keeps what the ticket has; a ticket
	// opened without them gets the matrix's lowest priority.
	Impact, Urgency, Priority string
	// Team is the ticket's team: on Opened, where it starts ("" means the
	// policy's default team); later, an agent's hand-over.
	Team string
	// Actor is who caused the event, for the history.
	Actor string
}
