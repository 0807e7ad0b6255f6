package escalation

import (
	"context"
	"time"
)

// Clock is what an engine asks of time: the instant it is now, and a
// context that ends at a later instant, which Run sleeps on. A
// clock.Clock of github.com/benbjohnson/clock satisfies it (clock.New() on
// the wall clock, *clock.Mock in tests), and so does a *SimClock, which
// never sleeps and serves replays and simulations.
//
// Implementations must be safe for concurrent use.
type Clock interface {
	// Now returns the current instant.
	Now() time.Time
	// WithDeadline returns a copy of parent that is done when the clock
	// reaches deadline (at once if it has), or when parent is done, or
	// when cancel is called; cancel releases what it holds.
	WithDeadline(parent context.Context, deadline time.Time) (ctx context.Context, cancel context.CancelFunc)
}
