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
//   - [github.com/ladder-go/ladder/matrix]: the escalation matrix, impact x
//     urgency to priority, and each priority's goals and escalation levels.
//   - [github.com/ladder-go/ladder/rules]: the rule language, typed
//     expressions safe for untrusted authors.
//   - [github.com/ladder-go/ladder/escalation]: the policy and the engine:
//     events in, SLA clocks, rules and escalation levels at their exact
//     instants, manual and automatic moves, the ticket lifecycle, store and
//     notifier hooks, history; escalationtest unit-tests a policy on a
//     simulated clock.
//
// The README's status table says what is built and what is in progress.
//
// # Time
//
// Pure code takes the instant as an argument and never reads a clock:
// Calendar.Add(t, d), Calendar.Between(a, b). Only the engine's runner holds
// a clock, so tests drive everything with a fake one.
package ladder
