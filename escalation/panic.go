package escalation

import (
	"context"
	"fmt"
	"runtime/debug"
)

// PanicError is a panic in the host's code (a Notifier, a Store, a rule
// function) that the engine recovered: the ticket it was handling is
// left as the store last saved it, a delivery counts as a failed attempt
// and is retried with backoff, and every other ticket carries on.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // the goroutine's stack where it panicked
}

func (p *PanicError) Error() string { return fmt.Sprintf("escalation: recovered panic: %v", p.Value) }

// Unwrap returns the panic's value when it is an error.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// recovered turns a panic under way into a *PanicError in *err, logged
// with its stack and observed; it must be deferred directly.
func (e *Engine) recovered(ticket, where string, err *error) {
	v := recover()
	if v == nil {
		return
	}
	p := &PanicError{Value: v, Stack: debug.Stack()}
	e.log.Error("escalation: recovered a panic in the host's code", "ticket", ticket, "in", where, "panic", v, "stack", string(p.Stack))
	if e.obs != nil {
		e.obs.Observe(Observation{Kind: ObservedPanic, Ticket: ticket, Rule: where})
	}
	*err = p
}

// notify hands n to the notifier; a panic is a failed attempt.
func (e *Engine) notify(ctx context.Context, n Notification) (err error) {
	defer e.recovered(n.Ticket, "Notifier", &err)
	return e.notifier.Notify(ctx, n)
}
