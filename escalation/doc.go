// Package escalation is ladder's engine: a host reports what happens to its
// tickets, and the engine runs their SLA clocks, fires the policy's rules
// and escalation levels at exactly the instants they fall, moves tickets
// between tiers and teams, notifies people with the full context, and keeps
// an append-only history of every decision.
//
// # Policy
//
// A [Policy] composes calendars, tiers (lowest first), teams and their
// hand-offs, the escalation matrix (package matrix), SLA target settings,
// statuses that pause metrics, and rules. It is plain data: load it with
// [ParsePolicy] from JSON (the quickstart's policy.json is a complete example) or build
// it in Go. A policy with mistakes is rejected whole with a [*PolicyError]
// that lists every problem with its path, including those the sla, rules and
// matrix packages find.
//
// A rule has a trigger ([Trigger]: a ticket event, an SLA metric reaching a
// percentage, its breach, an offset before its due time, time in the
// current tier, idle time), a condition in the rule language (package
// rules), and actions ([Action]: escalate to the next or a named tier, hand
// off to a team, de-escalate, notify, set priority, pause or resume a
// metric). A time trigger may repeat while its condition holds. Each
// trigger fires at most once per ticket, rule and SLA cycle, across
// restarts too. Time points fall in the order of their instants; at one
// instant, SLA warnings and breaches come first, then rules in the
// policy's order, then the matrix level. An event at an instant is applied
// before the time points at that same instant.
//
// # Engine
//
// [New] makes an engine; [Engine.Report] takes one event of one ticket.
// [Engine.Step] handles everything due up to the clock's now (what tests
// call after moving a mock clock); [Engine.Run] sleeps on the clock until
// the next due instant and wakes early when an event makes something due
// sooner: it never polls. [Engine.Status], [Engine.History] and
// [Engine.Plan] answer where a ticket stands, what happened and what will
// happen. A policy change never rewrites running tickets: [Engine.Use]
// opens new tickets on a new version and [Engine.Migrate] moves a ticket
// explicitly, keeping its elapsed time and pauses.
//
// Closed tickets never escalate. Events for a closed ticket other than
// reopen, events before a ticket's last one, unknown kinds and attributes
// that break the policy's schema are refused with an [*EventError] and
// change nothing.
//
// # Hooks
//
// A [Store] keeps tickets' states with optimistic versioning (the
// in-memory [MemoryStore] is the default); a [Notifier] delivers
// notifications. A notification is saved with the state before it is
// delivered, retried with backoff, and recorded when delivered, so none is
// lost across a restart; [Permanent] marks an error not worth retrying.
// Package escalationtest runs a policy on a mock clock for unit tests.
package escalation
