package escalation

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
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
// engine retry with backoff (RetryAfter and RetryAt ask for a later next
// attempt); an error wrapped with Permanent stops the retries and is
// recorded. Notify should honour ctx's cancellation.
//
// A Notifier that delivers to each recipient apart may return a
// *PartialError saying which recipients took the notification and which
// refused it: the engine records each of them and retries the rest alone,
// with To holding only them.
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

// RetryAfter marks err as asking for the next attempt no sooner than d
// after the failed one (an HTTP 429's Retry-After in seconds, say). The
// engine waits the longer of d and its backoff. A Permanent error is not
// retried at all. RetryAfter(nil, d) is nil.
func RetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &retryLater{err: err, after: d}
}

// RetryAt marks err as asking for the next attempt no sooner than t (an
// HTTP Retry-After date, say). The engine waits until the later of t and
// its backoff. RetryAt(nil, t) is nil.
func RetryAt(err error, t time.Time) error {
	if err == nil {
		return nil
	}
	return &retryLater{err: err, at: t}
}

type retryLater struct {
	err   error
	after time.Duration
	at    time.Time // when not zero, rather than after
}

func (r *retryLater) Error() string { return r.err.Error() }
func (r *retryLater) Unwrap() error { return r.err }

// earliest returns the instant before which err asks not to be retried,
// given that it failed at now, and false when it asks nothing.
func earliest(err error, now time.Time) (time.Time, bool) {
	var r *retryLater
	if !errors.As(err, &r) {
		return time.Time{}, false
	}
	if !r.at.IsZero() {
		return r.at, true
	}
	return now.Add(r.after), true
}

// PartialError is what a Notifier returns when it delivered a
// notification to some of its recipients (Notification.To) and not to
// others. The engine records a delivered entry for each recipient in
// Delivered and a delivery_failed entry for each whose error in Failed is
// Permanent; it retries the notification for the other recipients only:
// those whose error is not permanent (RetryAfter and RetryAt are
// honoured) and those in neither field. A recipient in both counts as
// delivered.
//
// A PartialError is a plain value, safe for concurrent reads.
type PartialError struct {
	Delivered []string         // recipients that took the notification
	Failed    map[string]error // recipients that did not, with why
}

func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "escalation: delivered to %d recipient(s), failed for %d", len(e.Delivered), len(e.Failed))
	for i, to := range slices.Sorted(maps.Keys(e.Failed)) {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s: %v", sep, to, e.Failed[to])
	}
	return b.String()
}

// DefaultNotificationHistory is how many of the last history entries a
// notification carries unless WithNotificationHistory says otherwise.
const DefaultNotificationHistory = 20

// WithNotificationHistory sets how many of the ticket's last history
// entries a notification carries in History; HistoryTotal always counts
// them all. 0 means DefaultNotificationHistory (20); a negative n means the
// whole history.
func WithNotificationHistory(n int) Option { return func(e *Engine) { e.noteHistory = n } }

// TailStore is a Store that reads the end of a ticket's history without
// the rest: the engine reads it once for each ticket whose notifications
// it delivers, so that what a Step reads does not grow with the history.
// A Store without it is read whole with History. MemoryStore and the SQL
// store have it.
type TailStore interface {
	// Tail returns the ticket's last n entries (all when it has fewer),
	// oldest first, and how many it has; n < 0 means all of them. It
	// returns an error wrapping ErrNotFound for an unknown ticket. The
	// caller must not change the entries.
	Tail(ctx context.Context, id string, n int) (entries []Entry, total int, err error)
}

// lastEntries returns the ticket's last entries that a notification
// carries, and how many it has.
func (e *Engine) lastEntries(ctx context.Context, id string) ([]Entry, int, error) {
	n := e.noteHistory
	if n == 0 {
		n = DefaultNotificationHistory
	}
	if ts, ok := e.store.(TailStore); ok {
		h, total, err := ts.Tail(ctx, id, n)
		return slices.Clip(h), total, err
	}
	h, err := e.store.History(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	return slices.Clip(last(h, n)), len(h), nil
}

// last returns the last n entries of h, all of them when n < 0.
func last(h []Entry, n int) []Entry {
	if n >= 0 && len(h) > n {
		return h[len(h)-n:]
	}
	return h
}

// Tail returns the ticket's last n entries and how many it has.
func (m *MemoryStore) Tail(ctx context.Context, id string, n int) ([]Entry, int, error) {
	h, err := m.History(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	return last(h, n), len(h), nil
}

// Notification tells people about a ticket with all the context they
// need, so nobody has to ask the customer again.
type Notification struct {
	// Key is stable across retries and restarts: the idempotency key.
	Key    string    `json:"key"`
	Ticket string    `json:"ticket"`
	At     time.Time `json:"at"` // when the decision was taken
	// To are the contacts or roles to tell; on a retry after a
	// *PartialError, only those left.
	To []string `json:"to"`
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
	// History holds the last entries of the ticket's history when the
	// notification is delivered, oldest first: 20 unless the engine was
	// given WithNotificationHistory. HistoryTotal counts all its entries.
	History      []Entry `json:"history"`
	HistoryTotal int     `json:"history_total"`
	Policy       string  `json:"policy"`
	Attempt      int     `json:"attempt"` // 1 on the first delivery
}

// For returns n as it is delivered to one of its recipients alone: To
// holds only to, and Key is n.Key + "/" + to, so that it is stable across
// retries and differs between recipients. A Notifier that delivers to
// each recipient apart (and may return a *PartialError) gives its
// receivers this key, so that a retry to the recipients left is not
// dropped as a duplicate of the first attempt.
func (n Notification) For(to string) Notification {
	n.To = []string{to}
	n.Key = n.Key + "/" + to
	return n
}
