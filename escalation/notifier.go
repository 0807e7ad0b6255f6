package escalation

import (
	"context"
	"errors"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// Notifier delivers notifications to people: email, chat, paging.
//
// Notify is called from the engine's Run or Step, never concurrently for
// one ticket, possibly concurrently for different tickets. Delivery is
// at-least-once: a notification is saved with the ticket's state before
// Notify is called, so after a crash it is delivered again; Key is the
// same each time, so the host can drop duplicates. An error makes the
// engine retry with backoff; an error wrapped with Permanent stops the
// retries and is recorded. Notify should honour ctx's cancellation.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, n Notification) error

func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return &permanent{err} }

type permanent struct{ err error }

func (p *permanent) Error() string { return "permanent: " + p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanent
	return errors.As(err, &p)
}

// Notification tells people about a ticket with all the context they
// need, so nobody has to ask the customer again.
type Notification struct {
	// Key is stable across retries and restarts: the idempotency key.
	Key    string    `json:"key"`
	Ticket string    `json:"ticket"`
	At     time.Time `json:"at"` // when the decision was taken
	To     []string  `json:"to"` // contacts or roles
	// Rule and Trigger say why; Why holds the condition's clauses.
	Rule    string   `json:"rule"`
	Trigger string   `json:"trigger"`
	Why     []Clause `json:"why,omitempty"`
	// Where the ticket was and is.
	FromTier string `json:"from_tier,omitempty"`
	ToTier   string `json:"to_tier"`
	FromTeam string `json:"from_team,omitempty"`
	ToTeam   string `json:"to_team,omitempty"`
	// The ticket as it was at the decision.
	Priority string         `json:"priority"`
	Status   string         `json:"status,omitempty"`
	Attrs    map[string]any `json:"attrs,omitempty"`
	SLA      []sla.Status   `json:"sla"`
	History  []Entry        `json:"history"`
	Policy   string         `json:"policy"`
	Attempt  int            `json:"attempt"` // 1 on the first delivery
}
