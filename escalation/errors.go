package escalation

import (
	"errors"
	"fmt"
)

// Errors an engine returns; errors.Is matches them through an *EventError.
var (
	// ErrConflict is returned by Store.Save when the stored state changed
	// since it was loaded.
	ErrConflict = errors.New("escalation: state changed since it was loaded")
	// ErrNotFound is returned for a ticket the store does not hold.
	ErrNotFound = errors.New("escalation: no such ticket")
	// ErrExists is returned when an opened ticket already exists.
	ErrExists = errors.New("escalation: ticket already exists")
	// ErrClosed is returned for an event other than reopen on a closed ticket.
	ErrClosed = errors.New("escalation: ticket is closed")
	// ErrNotResolved is returned for a reopen of a ticket that is neither
	// resolved nor closed.
	ErrNotResolved = errors.New("escalation: only a resolved or closed ticket reopens")
	// ErrOutOfOrder is returned for an event before the ticket's last one.
	ErrOutOfOrder = errors.New("escalation: event before the ticket's last event")
	// ErrUnknownEvent is returned for an event kind a host cannot report.
	ErrUnknownEvent = errors.New("escalation: unknown event kind")
	// ErrAttrs is returned for attributes that break the policy's schema.
	ErrAttrs = errors.New("escalation: attributes break the schema")
	// ErrUnknownName is returned for an event that names a priority,
	// impact, urgency or team the ticket's policy does not declare.
	ErrUnknownName = errors.New("escalation: the event names what the policy does not declare")
	// ErrUnknownPolicy is returned for a ticket on a policy version the
	// engine was not given.
	ErrUnknownPolicy = errors.New("escalation: unknown policy version")
)

// EventError is why an event was refused. The ticket's state is unchanged.
type EventError struct {
	Ticket string
	Kind   EventKind
	Err    error
}

func (e *EventError) Error() string {
	return fmt.Sprintf("escalation: ticket %q: %s: %v", e.Ticket, e.Kind, e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }
