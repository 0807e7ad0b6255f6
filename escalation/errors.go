package escalation

import (
	"errors"
	"fmt"
	"strings"
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
	// ErrClosed is returned for an event other than reopen on a closed
	// ticket, and for a reopen when the policy makes closing final.
	ErrClosed = errors.New("escalation: ticket is closed")
	// ErrResolved is returned for a move (escalated, de_escalated, a
	// hand-off) of a resolved ticket: reopen it first.
	ErrResolved = errors.New("escalation: ticket is resolved")
	// ErrNotResolved is returned for a reopen of a ticket that is neither
	// resolved nor closed.
	ErrNotResolved = errors.New("escalation: only a resolved or closed ticket reopens")
	// ErrNoInstant is returned for an event whose At is the zero time.
	ErrNoInstant = errors.New("escalation: event has no instant")
	// ErrOutOfOrder is returned for an event before the ticket's last one.
	ErrOutOfOrder = errors.New("escalation: event before the ticket's last event")
	// ErrFuture is returned for an event later than the engine clock's
	// now by more than the engine's skew (WithSkew).
	ErrFuture = errors.New("escalation: event is later than the engine's now")
	// ErrUnknownEvent is returned for an event kind a host cannot report.
	ErrUnknownEvent = errors.New("escalation: unknown event kind")
	// ErrAttrs is returned for attributes that break the policy's schema.
	ErrAttrs = errors.New("escalation: attributes break the schema")
	// ErrUnknownName is returned for an event that names a priority,
	// impact, urgency, tier, team or status the ticket's policy does not
	// declare.
	ErrUnknownName = errors.New("escalation: the event names what the policy does not declare")
	// ErrIncomplete is returned for an event that lacks a field it needs:
	// the tier of a move, the urgency that goes with an impact (or the
	// reverse) when the matrix names no default.
	ErrIncomplete = errors.New("escalation: the event lacks a field it needs")
	// ErrMove is returned for a move a person reports that does not go
	// the way its kind says: an escalation to a tier not above the
	// ticket's, a de-escalation to a tier not below it, or a tier on an
	// event that does not move.
	ErrMove = errors.New("escalation: the move does not go the way its kind says")
	// ErrUnknownPolicy is returned for a ticket on a policy version the
	// engine was not given.
	ErrUnknownPolicy = errors.New("escalation: unknown policy version")
	// ErrNoEngine is returned by every method of an Engine not made by New.
	ErrNoEngine = errors.New("escalation: the engine was not made by New")
)

// EventError is why an event was refused. The ticket's state is unchanged.
// Err joins every problem of the event; errors.Is finds each kind.
type EventError struct {
	Ticket string
	Kind   EventKind
	Err    error
}

func (e *EventError) Error() string {
	return fmt.Sprintf("escalation: ticket %q: %s: %v", e.Ticket, e.Kind, e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }

// MigrationError is why Migrate refused to move a ticket: the new policy
// lacks its tier, team, priority or status, and the call maps none of
// them. The ticket is unchanged.
type MigrationError struct {
	Ticket   string
	From, To string   // the policy versions
	Missing  []string // what the new version lacks: `tier "t3"`, `team "billing"`
}

func (e *MigrationError) Error() string {
	return fmt.Sprintf("escalation: ticket %q: migrate %s to %s: the new policy lacks %s; map them (MapTiers, MapTeams, MapPriorities)",
		e.Ticket, e.From, e.To, strings.Join(e.Missing, ", "))
}
