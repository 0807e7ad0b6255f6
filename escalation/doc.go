// Package escalation is ladder's engine: a host reports what happens to its
// tickets, and the engine runs their SLA clocks, fires the policy's rules
// and escalation levels at exactly the instants they fall, moves tickets
// between tiers and teams, notifies people with the full context, and keeps
// an append-only history of every decision.
//
//	policy, err := escalation.ParsePolicy(policyJSON) // tiers, matrix, goals, rules
//	if err != nil {
//		return err // a *PolicyError naming every mistake with its path
//	}
//	e, err := escalation.New(policy, escalation.WithStore(store), escalation.WithNotifier(notify.Log(logger)))
//	if err != nil {
//		return err
//	}
//	go e.Run(ctx) // fires every time point at its instant; never polls
//	err = e.Report(ctx, escalation.Event{ID: deliveryID, Ticket: "T-1", Kind: escalation.Opened,
//		At: time.Now(), Impact: "high", Urgency: "high", Actor: "ana"})
//	st, err := e.Status(ctx, "T-1") // tier, team, SLA clocks, next due instant
//
// # Policy
//
// A [Policy] composes calendars, tiers (lowest first), teams and their
// hand-offs, the escalation matrix (package matrix), contracts that give
// some tickets goals of their own, SLA target settings, statuses and those
// that pause metrics, and rules. It is plain data: load it with
// [ParsePolicy] from JSON (the quickstart's policy.json is a complete
// example) or build it in Go. A policy with mistakes is rejected whole
// with a [*PolicyError] that lists every problem with its path, including
// those the sla, rules and matrix packages find.
//
// A rule has a trigger ([Trigger]: a ticket event or a move, an SLA metric
// reaching a percentage, its breach, an offset before its due time, time
// in the current tier, idle time), a condition in the rule language
// (package rules), and actions ([Action]: escalate to the next or a named
// tier, hand off to a team, de-escalate, notify, set priority, pause or
// resume a metric). A time trigger may repeat while its condition holds.
// Each trigger fires at most once per ticket, rule and SLA cycle, across
// restarts too. Time points fall in the order of their instants; at one
// instant, SLA warnings and breaches come first, then rules in the
// policy's order, then matrix levels in the ladder's order. An event at an
// instant is applied before the time points at that same instant.
//
// Each matrix level falls when its own clock reaches its threshold, whether
// or not the levels before it fell: it moves the ticket up to its tier and
// notifies, or, when the ticket is already on that tier or above, is
// recorded as skipped and does neither. A change of goals (a new
// priority, contract or policy version) that leaves a threshold behind the
// clock fires it at that instant: a shorter goal already used is a breach
// then, with its rules.
//
// # Lifecycle
//
// A ticket is open, resolved or closed; people and rules move it between
// tiers and teams while it is open.
//
//	phase     entered by              clocks                              time triggers   refused
//	open      opened, on the tier     first response and resolution run;  all             a second opened
//	          the host names, or the  a waiting status pauses what the
//	          matrix's start tier     policy says
//	moved     escalated/de_escalated  unchanged; time in tier restarts    all             a move the wrong way, to an unknown
//	          by a person, a rule or                                                      tier or to the same tier
//	          a matrix level; a team
//	          change is a hand-off
//	resolved  resolved                stopped                             none            escalation of any kind: moves and
//	                                                                                      hand-offs
//	reopened  reopened (possibly      resolution continues (or restarts   only points     -
//	          into a waiting status,  if its target says so); the time    after the
//	          which pauses it at      resolved counts nowhere: not        reopen
//	          once)                   elapsed, not paused (resolved_for)
//	closed    closed                  stopped for good                    none            every event but a reopen, and that
//	                                                                                      too when the policy's final_close
//
// A start decision is where a ticket starts: the tier its opened event
// names, the matrix's start tier for its priority, or a move by a rule on
// opened (a VIP fast lane). It is recorded as started, is not an
// escalation, and runs no rule on escalated. Every move says who made it
// ([Entry.By]: a person, a rule or the matrix); escalations (up),
// de-escalations (down) and hand-offs (another team at the same tier)
// are counted apart ([TicketStatus]). Rules on escalated, de_escalated and
// handed_off run after each move of their kind, and read manual to tell a
// person's move from a rule's or the matrix's.
//
// An event must have an instant, not before the ticket's last event, and
// not later than the engine clock's now by more than a skew ([WithSkew]).
// Events that break these rules, name what the policy does not declare,
// lack what they need, or break the policy's schema are refused with an
// [*EventError] listing every problem, and change nothing.
//
// # Engine
//
// [New] makes an engine; [Engine.Report] takes one event of one ticket.
// [Engine.Step] handles everything due up to the clock's now (what tests
// call after moving a clock); [Engine.Run] sleeps on the clock until the
// next due instant and wakes early when an event makes something due
// sooner: it never polls. The clock is a [Clock]: the wall clock, a
// *clock.Mock, or a [SimClock] that never sleeps, for replays and tests.
// [Engine.Status], [Engine.History] and [Engine.Plan] answer where a
// ticket stands, what happened and what will happen; [Engine.AtRisk] lists
// the open tickets whose next breach is near, from the store's due index.
// A policy change never
// rewrites running tickets: [Engine.Use] opens new tickets on a new version
// and [Engine.Migrate] moves a ticket explicitly, keeping its elapsed time
// and pauses, and refusing a ticket whose tier or team the new version
// lacks unless the call maps them.
//
// # Tenants
//
// One engine serves many desks. A tenant's tickets have keys that start
// with its name ([TicketKey]: "acme/T-1"), and [Engine.UseTenant] gives a
// tenant a policy of its own, loaded or replaced while every tenant's
// tickets run; a tenant without one opens tickets on the engine's. The
// store holds every tenant's tickets, so one Due claims the due tickets of
// all of them, and [TenantHistories] reads one tenant's for its reports.
//
// # History
//
// Every decision is an [Entry] whose [What] is one of the constants of
// this package, so hosts and reports switch on them rather than parse
// text; the history of a ticket is always in time order. An sla_met entry
// carries the cycle it ended ([Entry.Cycle]): its goal and the business
// time it used. Package report reads histories, streamed from a store by
// [Store.Histories], into the figures a support lead reviews.
//
// # Hooks
//
// A [Store] keeps tickets' states with optimistic versioning (the
// in-memory [MemoryStore] is the default), streams them by opening window
// for reports and by due instant for [Engine.AtRisk]; a [Notifier] delivers
// notifications. A [Pruner] deletes closed tickets past a retention
// instant after a [Fold] adds them to rollups it keeps. A notification is
// saved with the state before it is
// delivered, retried with backoff, and recorded when delivered, so none is
// lost across a restart; [Permanent] marks an error not worth retrying.
// Package escalationtest runs a policy on a simulated clock for unit tests.
package escalation
