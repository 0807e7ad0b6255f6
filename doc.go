// Package ladder is an embeddable library for escalation rules and SLA
// timing in helpdesks and service desks.
//
// A host keeps its own tickets, users and database. ladder decides when a
// ticket must move up, where it goes and how much SLA time is left: it keeps
// the clocks on business calendars, evaluates the escalation rules at exactly
// the instants they can fire, and calls the host back through small
// interfaces for storage and notification.
//
// # Packages
//
//   - [github.com/ladder-go/ladder/sla]: business calendars (weekly hours,
//     holidays, date overrides, any IANA zone, exact on DST days) and SLA
//     timers.
//   - matrix: the escalation matrix, impact x urgency to priority, and each
//     priority's goals and escalation levels.
//   - rules: the rule language, typed expressions that rules are written in.
//   - escalation: policy, engine, scheduler, store and notifier hooks, history.
//
// The README's status table says which of these are built.
//
// # Time
//
// Pure code takes the instant as an argument and never reads a clock:
// Calendar.Add(t, d), Calendar.Between(a, b). Only the engine's runner holds
// a clock, so tests drive everything with a fake one.
package ladder
