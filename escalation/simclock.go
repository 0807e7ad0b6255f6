package escalation

import (
	"context"
	"sync"
	"time"

	"github.com/ladder-go/ladder/internal/heap"
)

// SimClock is a simulated clock that never sleeps: its time moves only
// when Set or Add moves it, and a context from WithDeadline ends the
// moment the clock reaches its deadline. It serves replays, simulations
// and tests, where *clock.Mock of github.com/benbjohnson/clock would sleep
// a millisecond of real time on every move. Waiting deadlines are kept in
// a heap, so a move costs O(k log n) for k deadlines passed of n waiting.
//
// A SimClock is safe for concurrent use: one goroutine may move it while
// others read it and wait on its contexts.
type SimClock struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64                    // WithDeadline calls so far: orders equal deadlines
	waiting heap.Indexed[*simContext] // contexts whose deadline the clock has not reached
}

// NewSimClock returns a simulated clock that reads start.
func NewSimClock(start time.Time) *SimClock { return &SimClock{now: start, waiting: simWaits()} }

// Now returns the clock's current instant: the last one Set or Add moved
// it to, or the start.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t and, before it returns, ends every context from
// WithDeadline whose deadline is at or before t, in the order of their
// deadlines (equal deadlines in the order WithDeadline made them), with
// context.DeadlineExceeded. Nobody sees the clock at t with such a context
// still running. t may be before Now: the clock goes back and nothing
// ends.
func (c *SimClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(t)
}

// Add is Set(Now().Add(d)), in one move.
func (c *SimClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(c.now.Add(d))
}

// set is Set with c.mu held. Ending a context runs no code of ours or the
// caller's (the children it cancels, and functions of context.AfterFunc,
// run in their own goroutines), so the lock may be held.
func (c *SimClock) set(t time.Time) {
	c.now = t
	for c.waiting.Len() > 0 && !c.waiting.At(0).deadline.After(t) {
		c.waiting.Pop().end(context.DeadlineExceeded)
	}
}

// WithDeadline returns a copy of parent that is done when the clock
// reaches deadline (at once if it already has; its Err is then
// context.DeadlineExceeded), when parent is done, or when cancel is called.
// cancel releases the context and takes it off the clock; call it as soon
// as the work is done, as with context.WithDeadline. The copy follows
// parent without a goroutine of its own when parent is a context of
// package context or of a SimClock. Its Deadline reports deadline, an
// instant of this clock.
func (c *SimClock) WithDeadline(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	inner, end := context.WithCancelCause(parent)
	ctx := &simContext{Context: inner, deadline: deadline, end: end, index: -1}
	c.mu.Lock()
	if c.waiting.Less == nil { // the zero SimClock
		c.waiting = simWaits()
	}
	if deadline.After(c.now) {
		ctx.seq = c.seq
		c.seq++
		c.waiting.Push(ctx)
	} else {
		ctx.end(context.DeadlineExceeded)
	}
	c.mu.Unlock()
	return ctx, func() { c.cancel(ctx) }
}

// cancel ends ctx with context.Canceled, unless it has ended, and takes it
// off the clock.
func (c *SimClock) cancel(ctx *simContext) {
	c.mu.Lock()
	if ctx.index >= 0 {
		c.waiting.Remove(ctx.index)
	}
	c.mu.Unlock()
	ctx.end(context.Canceled)
}

// simContext is a context of a SimClock: a context of package context
// (so that parent's end reaches it, and its end reaches its children,
// without goroutines) that ends with the cause context.DeadlineExceeded
// when the clock reaches its deadline, and reports that as its Err.
// Children of package context see its end as context.Canceled with that
// cause.
type simContext struct {
	context.Context // made by context.WithCancelCause
	deadline        time.Time
	end             context.CancelCauseFunc // ends Context with a cause
	seq             uint64                  // guarded by the clock's mu, as is index
	index           int                     // in the clock's heap; -1 when out of it
}

func (c *simContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *simContext) Err() error {
	err := c.Context.Err()
	if err == context.Canceled && context.Cause(c.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}

func (c *simContext) String() string {
	return "escalation.SimClock.WithDeadline(" + c.deadline.String() + ")"
}

// simWaits is a min-heap of waiting contexts by deadline, then by seq.
func simWaits() heap.Indexed[*simContext] {
	return heap.Indexed[*simContext]{
		Less: func(a, b *simContext) bool {
			if c := a.deadline.Compare(b.deadline); c != 0 {
				return c < 0
			}
			return a.seq < b.seq
		},
		Moved: func(c *simContext, i int) { c.index = i },
	}
}
