package otel

import (
	"context"
	"errors"
	"sync"

	"github.com/ladder-go/ladder/escalation"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// LatenessBuckets are the bounds, in seconds, of the histogram of
// lateness: from half a millisecond, where an engine that keeps up fires,
// to five minutes.
var LatenessBuckets = []float64{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300}

// observer records observations on its instruments. It is safe for
// concurrent use, as an escalation.Observer must be.
type observer struct {
	events, moves, breaches, notifications, panics metric.Int64Counter
	open                                           metric.Int64UpDownCounter
	lateness                                       metric.Float64Histogram

	// sets holds the attribute sets made so far, by labels: a few dozen
	// at most (kinds, tiers, metrics, priorities, outcomes), made once.
	sets sync.Map // labels -> metric.MeasurementOption
}

// labels are the attributes of one measurement.
type labels struct {
	instrument                   uint8 // the kind of observation
	kind, tier, metric, priority string
	manual                       bool
}

// NewObserver returns an escalation.Observer that records on instruments
// of meter; pass it to escalation.WithObserver. The meter is usually
// provider.Meter("github.com/ladder-go/ladder/escalation"). A nil meter,
// or one that cannot make the instruments, is an error.
//
// The Observer it returns is safe for concurrent use. It records with the
// background context: an observation carries none.
func NewObserver(meter metric.Meter) (escalation.Observer, error) {
	if meter == nil {
		return nil, errors.New("otel: NewObserver(nil): a meter is needed")
	}
	o := &observer{}
	var err, e error
	o.events, e = meter.Int64Counter("ladder.events", metric.WithUnit("{event}"),
		metric.WithDescription("Ticket events the engine applied, by kind."))
	err = errors.Join(err, e)
	o.moves, e = meter.Int64Counter("ladder.moves", metric.WithUnit("{move}"),
		metric.WithDescription("Moves of tickets: escalations, de-escalations and hand-offs, by kind, tier moved to, and whether a person made them."))
	err = errors.Join(err, e)
	o.breaches, e = meter.Int64Counter("ladder.sla.breaches", metric.WithUnit("{breach}"),
		metric.WithDescription("SLA goals used up, by metric and priority."))
	err = errors.Join(err, e)
	o.notifications, e = meter.Int64Counter("ladder.notifications", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts to deliver notifications, by outcome: delivered, failed (for good) or retried."))
	err = errors.Join(err, e)
	o.open, e = meter.Int64UpDownCounter("ladder.tickets.open", metric.WithUnit("{ticket}"),
		metric.WithDescription("Tickets open (neither resolved nor closed), as this process saw them open, resolve, close and reopen."))
	err = errors.Join(err, e)
	o.panics, e = meter.Int64Counter("ladder.panics", metric.WithUnit("{panic}"),
		metric.WithDescription("Panics in the host's code (a Notifier, a Store) that the engine recovered, by where: Notifier, Report or Step."))
	err = errors.Join(err, e)
	o.lateness, e = meter.Float64Histogram("ladder.firing.lateness", metric.WithUnit("s"),
		metric.WithDescription("How long after its instant each time point fired, by the engine's clock."),
		metric.WithExplicitBucketBoundaries(LatenessBuckets...))
	err = errors.Join(err, e)
	if err != nil {
		return nil, errors.Join(errors.New("otel: making the instruments"), err)
	}
	return o, nil
}

// Observe records o on its instrument.
func (o *observer) Observe(ob escalation.Observation) {
	ctx := context.Background()
	switch ob.Kind {
	case escalation.ObservedEvent:
		o.events.Add(ctx, 1, o.set(labels{instrument: uint8(ob.Kind), kind: string(ob.Event)}))
	case escalation.ObservedMove:
		o.moves.Add(ctx, 1, o.set(labels{instrument: uint8(ob.Kind), kind: string(ob.Event), tier: ob.Tier, manual: ob.Manual()}))
	case escalation.ObservedBreach:
		o.breaches.Add(ctx, 1, o.set(labels{instrument: uint8(ob.Kind), metric: ob.Metric, priority: ob.Priority}))
	case escalation.ObservedDelivery:
		o.notifications.Add(ctx, 1, o.set(labels{instrument: uint8(ob.Kind), kind: string(ob.Outcome)}))
	case escalation.ObservedOpenTickets:
		o.open.Add(ctx, int64(ob.Delta))
	case escalation.ObservedLateness:
		o.lateness.Record(ctx, ob.Lateness.Seconds())
	case escalation.ObservedPanic:
		o.panics.Add(ctx, 1, o.set(labels{instrument: uint8(ob.Kind), kind: ob.Rule}))
	}
}

// set returns the attributes of l as a measurement option, made once.
func (o *observer) set(l labels) metric.MeasurementOption {
	if s, ok := o.sets.Load(l); ok {
		return s.(metric.MeasurementOption)
	}
	var kv []attribute.KeyValue
	switch escalation.ObservationKind(l.instrument) {
	case escalation.ObservedEvent:
		kv = []attribute.KeyValue{attribute.String("kind", l.kind)}
	case escalation.ObservedMove:
		kv = []attribute.KeyValue{attribute.String("kind", l.kind), attribute.String("tier", l.tier), attribute.Bool("manual", l.manual)}
	case escalation.ObservedBreach:
		kv = []attribute.KeyValue{attribute.String("metric", l.metric), attribute.String("priority", l.priority)}
	case escalation.ObservedDelivery:
		kv = []attribute.KeyValue{attribute.String("outcome", l.kind)}
	case escalation.ObservedPanic:
		kv = []attribute.KeyValue{attribute.String("in", l.kind)}
	}
	s, _ := o.sets.LoadOrStore(l, metric.WithAttributeSet(attribute.NewSet(kv...)))
	return s.(metric.MeasurementOption)
}
