package notify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/ladder-go/ladder/escalation"
)

// RouteOption configures Route.
type RouteOption func(*router)

// WithDefault sets the notifier for recipients that routes does not name.
// Without it, such a recipient fails for good.
func WithDefault(n escalation.Notifier) RouteOption { return func(r *router) { r.fallback = n } }

// Route returns a Notifier that delivers a notification to each of its
// recipients (Notification.To, contacts or roles) apart, through the
// notifier routes names for that recipient, one after another in To's
// order. Each gets the notification as Notification.For makes it: To holds
// only that recipient and Key is the notification's key followed by "/"
// and the recipient, so a receiver drops duplicates per recipient.
//
// When every recipient took it, Notify returns nil. Otherwise it returns
// an *escalation.PartialError: the engine records each recipient's
// delivery or permanent failure, and retries the notification for the
// others only, with the same key. A recipient that neither routes nor
// WithDefault names fails for good. When ctx ends, the recipients not yet
// tried are left out of the PartialError, and so retried.
//
// Route copies routes. The Notifier is safe for concurrent use when the
// notifiers it routes to are.
func Route(routes map[string]escalation.Notifier, opts ...RouteOption) escalation.Notifier {
	r := &router{routes: maps.Clone(routes)}
	for _, o := range opts {
		o(r)
	}
	return r
}

type router struct {
	routes   map[string]escalation.Notifier
	fallback escalation.Notifier
}

func (r *router) Notify(ctx context.Context, n escalation.Notification) error {
	var delivered []string
	var failed map[string]error
	fail := func(to string, err error) {
		if failed == nil {
			failed = map[string]error{}
		}
		failed[to] = err
	}
	complete := true
	for _, to := range n.To {
		if ctx.Err() != nil {
			complete = false
			break
		}
		if slices.Contains(delivered, to) || failed[to] != nil {
			continue // named twice
		}
		via, ok := r.routes[to]
		if !ok || via == nil {
			via = r.fallback
		}
		if via == nil {
			fail(to, escalation.Permanent(fmt.Errorf("notify: no route for recipient %q", to)))
			continue
		}
		err := via.Notify(ctx, n.For(to))
		var partial *escalation.PartialError
		if errors.As(err, &partial) { // a route within a route
			err = partial.Failed[to]
			if err == nil && !slices.Contains(partial.Delivered, to) {
				err = partial
			}
		}
		if err != nil {
			fail(to, err)
			continue
		}
		delivered = append(delivered, to)
	}
	if complete && len(failed) == 0 {
		return nil
	}
	return &escalation.PartialError{Delivered: delivered, Failed: failed}
}
