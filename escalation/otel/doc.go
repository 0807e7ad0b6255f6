// Package otel records what an escalation engine does as OpenTelemetry
// metrics: NewObserver makes an escalation.Observer that counts events,
// moves, SLA breaches, deliveries and recovered panics, keeps the number
// of open tickets, and records how late time points fired.
//
// It is a module of its own, so that importing the engine never pulls in
// OpenTelemetry. The metrics, all with the prefix "ladder.":
//
//	ladder.events          counter        events applied, by kind
//	ladder.moves           counter        moves, by kind (escalated, de_escalated, handed_off), tier (where to) and manual
//	ladder.sla.breaches    counter        SLA goals used up, by metric and priority
//	ladder.notifications   counter        delivery attempts, by outcome (delivered, failed, retried)
//	ladder.tickets.open    up-down        open tickets this process saw open (starts at 0 in each process)
//	ladder.firing.lateness histogram (s)  how late each time point fired, by the engine's clock
//	ladder.panics          counter        panics in the host's code the engine recovered, by where (Notifier, Report, Step)
//
// A host that serves /metrics to Prometheus reads the meter provider
// with the OpenTelemetry Prometheus exporter
// (go.opentelemetry.io/otel/exporters/prometheus), as the example shows;
// the exporter names the metrics ladder_events_total,
// ladder_firing_lateness_seconds and so on.
package otel
