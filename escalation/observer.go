package escalation

import (
	"cmp"
	"strings"
	"time"
)

// Observer receives what an engine does as it does it, for metrics: the
// events it applied, the moves, the SLA breaches, what became of each
// attempt to deliver a notification, the change in the number of open
// tickets, and how late each time point fired. The adapter for
// OpenTelemetry is the module github.com/ladder-go/ladder/escalation/otel.
//
// Observe is called synchronously from the goroutine that is in Report,
// Step or Run, while the engine holds the ticket: never concurrently for
// one ticket, concurrently for different tickets. It must be fast and must
// not block (add to a counter, record in a histogram); it must not call
// back into the engine, which would deadlock; it must not keep the
// Observation's slices or maps (it has none today) past the call. A
// ticket's observations come in the order the engine made them. An
// observation is made once what it observes is saved in the store (a save
// retried after ErrConflict is observed once), except a delivery, which
// is observed once the Notifier answered.
type Observer interface {
	Observe(o Observation)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(o Observation)

func (f ObserverFunc) Observe(o Observation) { f(o) }

// WithObserver sets who observes what the engine does; nil, the default,
// observes nothing and costs nothing.
func WithObserver(o Observer) Option { return func(e *Engine) { e.obs = o } }

// ObservationKind says what an Observation is about, and so which of its
// fields are set.
type ObservationKind uint8

const (
	// ObservedEvent is an event the host reported and the engine applied
	// (a refused one is not observed): Event is its kind.
	ObservedEvent ObservationKind = iota + 1
	// ObservedMove is a move of the ticket, by a person, a rule or the
	// matrix: Event is Escalated (up the tiers), DeEscalated (down) or
	// HandedOff (another team at the same tier); Tier and Team are where
	// the ticket went; By is who decided it (Manual says whether a person
	// did). Start decisions, taken while a ticket opens, are no moves.
	ObservedMove
	// ObservedBreach is an SLA goal used up: Metric names it, and
	// Priority is the ticket's priority then.
	ObservedBreach
	// ObservedDelivery is what became of an attempt to deliver a
	// notification: Outcome, and Rule that decided the notification. A
	// Notifier's *PartialError gives one observation for each recipient
	// that took it or refused it for good, and one Retried for the rest.
	ObservedDelivery
	// ObservedOpenTickets is a change in the number of open tickets
	// (neither resolved nor closed): Delta is +1 when a ticket opens or
	// reopens, -1 when an open ticket is resolved or closed. Summed from
	// zero it is a gauge of the tickets this engine saw open, which starts
	// at zero in each process.
	ObservedOpenTickets
	// ObservedLateness is a time point that Step (or Run) fired: Due is
	// the instant it fell, and Lateness how long after it the engine had
	// fired it and saved the ticket, by the engine's clock.
	ObservedLateness
	// ObservedPanic is a panic in the host's code that the engine
	// recovered (a *PanicError): Rule says where, "Notifier" or "Store".
	ObservedPanic
)

var observationKinds = [...]string{"", "event", "move", "breach", "delivery", "open_tickets", "lateness", "panic"}

// String returns the kind's name: "event", "move", "breach", "delivery",
// "open_tickets", "lateness" or "panic".
func (k ObservationKind) String() string {
	if int(k) < len(observationKinds) {
		return observationKinds[k]
	}
	return "unknown"
}

// Outcome is what became of an attempt to deliver a notification.
type Outcome string

const (
	Delivered Outcome = "delivered" // the Notifier took it
	Failed    Outcome = "failed"    // the Notifier refused it for good (Permanent)
	Retried   Outcome = "retried"   // the Notifier failed; it will be tried again
)

// Observation is one thing an engine did. Kind says which fields are set;
// Ticket and Priority always are. It is plain data.
type Observation struct {
	Kind     ObservationKind
	Ticket   string
	Priority string    // the ticket's priority at the time
	At       time.Time // the engine's instant of what happened (the event's, the point's)

	Event EventKind // ObservedEvent: the kind reported; ObservedMove: Escalated, DeEscalated or HandedOff
	Tier  string    // ObservedMove: the tier the ticket is on after the move
	Team  string    // ObservedMove: the team it is on after the move
	By    By        // ObservedMove: who decided it

	Metric string // ObservedBreach: the SLA metric

	Outcome Outcome // ObservedDelivery
	Rule    string  // ObservedDelivery: the rule or matrix level that notified

	Delta int // ObservedOpenTickets: +1 or -1

	Due      time.Time     // ObservedLateness: when the point fell
	Lateness time.Duration // ObservedLateness: how long after Due it fired
}

// Manual reports whether a move was a person's, reported by the host,
// rather than a rule's or the matrix's.
func (o Observation) Manual() bool { return o.By == ByPerson }

// observedState is what the observer needs of a ticket as it was before a
// run: where it was, its priority, and whether it was open.
type observedState struct {
	tier, team, priority string
	open                 bool
}

// observedBefore is st as it was before a run; a ticket about to open
// (opening) was not open.
func observedBefore(st *State, opening bool) observedState {
	return observedState{tier: st.Tier, team: st.Team, priority: st.Priority, open: !opening && st.phase() == "open"}
}

// observeRun tells the observer what the run r did, now saved, to a
// ticket that was as pre: the event ev (nil for time points), the time
// points fired, the moves and the breaches, and the change in open
// tickets. The engine has an observer.
func (e *Engine) observeRun(r *run, pre observedState, ev *Event) {
	st := r.st
	if ev != nil {
		e.obs.Observe(Observation{Kind: ObservedEvent, Ticket: st.ID, Priority: st.Priority, At: ev.At, Event: ev.Kind})
		if now := st.phase() == "open"; now != pre.open {
			delta := 1
			if !now {
				delta = -1
			}
			e.obs.Observe(Observation{Kind: ObservedOpenTickets, Ticket: st.ID, Priority: st.Priority, At: ev.At, Delta: delta})
		}
	}
	if len(r.fired) > 0 {
		now := e.clock.Now()
		for _, due := range r.fired {
			e.obs.Observe(Observation{Kind: ObservedLateness, Ticket: st.ID, Priority: st.Priority, At: due, Due: due, Lateness: now.Sub(due)})
		}
	}
	tier, team, priority := pre.tier, pre.team, cmp.Or(pre.priority, st.Priority) // a new ticket's: as it opened
	for i := range r.entries {
		en := &r.entries[i]
		switch en.What {
		case WhatOpened, WhatStarted, WhatEscalated, WhatDeEscalated, WhatHandedOff:
			// To names the parts of the place that changed.
			t, m := Place(en.To)
			tier, team = cmp.Or(t, tier), cmp.Or(m, team)
			if en.What == WhatOpened || en.What == WhatStarted {
				continue
			}
			e.obs.Observe(Observation{Kind: ObservedMove, Ticket: st.ID, Priority: priority, At: en.At,
				Event: EventKind(en.What), Tier: tier, Team: team, By: en.By})
		case WhatPriorityChanged:
			priority = en.To
		case WhatSLABreached:
			metric, _, _ := strings.Cut(en.Trigger, ":")
			e.obs.Observe(Observation{Kind: ObservedBreach, Ticket: st.ID, Priority: priority, At: en.At, Metric: metric})
		}
	}
}

// observeDeliveries tells the observer what became of the deliveries of
// r's ticket attempted at now. The engine has an observer.
func (e *Engine) observeDeliveries(r *run, now time.Time) {
	st := r.st
	for i := range r.outcomes {
		d := &r.outcomes[i]
		o := Observation{Kind: ObservedDelivery, Ticket: st.ID, Priority: st.Priority, At: now, Rule: d.Notification.Rule}
		for _, res := range d.each {
			o.Outcome = outcomeOf(res.what)
			e.obs.Observe(o)
		}
		switch {
		case d.again:
			o.Outcome = Retried
		case d.each == nil:
			o.Outcome = outcomeOf(d.what)
		default:
			continue
		}
		e.obs.Observe(o)
	}
}

func outcomeOf(w What) Outcome {
	if w == WhatDeliveryFailed {
		return Failed
	}
	return Delivered
}
