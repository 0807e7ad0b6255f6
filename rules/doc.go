// Package rules is ladder's rule language: the conditions that helpdesk
// engineers (or, in a multi-tenant helpdesk, customers) write to decide when a
// ticket escalates. A condition is an expression over the ticket, its SLA
// timers, its place in the hierarchy and the engine's clock:
//
//	ticket.customer.vip && priority in ["P1", "P2"] &&
//	    sla.first_response.remaining < duration("30m") && tier < 3
//
// Compile checks a condition once; Rule.Eval evaluates it many times, on an
// Env the host builds for each evaluation. CompileSet compiles the rules of a
// policy together and reports every bad rule at once. Rule.Explain gives the
// value of each top-level clause, for the audit trail.
//
// # Names
//
// A rule reads these names; each is a field of Env.
//
//	name          type      example
//	ticket        object    ticket.customer.vip, ticket["customer"].name, ticket.tags[0]
//	priority      string    priority == "P1"
//	impact        string    impact == "high"
//	urgency       string    urgency in ["high", "critical"]
//	tier          int       tier < 3              (1 is the lowest tier, 0 none yet)
//	team          string    team == "billing"
//	status        string    status not in ["pending_customer", "resolved"]
//	event         string    event == "customer_replied"   (a time trigger's name: "resolution:75%")
//	manual        bool      event == "escalated" && manual   (a person's move, not a rule's)
//	escalations   int       escalations == 0
//	time_in_tier  duration  time_in_tier > duration("4h")
//	idle          duration  idle > duration("2h")   (since the last public reply)
//	now           time      now > date("2026-12-24")  (the engine's now, never the wall clock)
//	sla           object    sla.resolution.breached, sla["next_response"].percent
//
// ticket holds the host's attributes: strings, numbers, bools, times,
// durations, lists and nested objects. With WithSchema the attributes are
// declared and type-checked when the rule compiles (ticket.priorty is then a
// compile error), and an absent attribute reads as the zero value of its
// type; without a schema they are dynamic and an absent one reads as nil.
// Reading a field of nil gives nil, so ticket.customer.vip is nil when the
// ticket has no customer; ?. and ?? work as usual: ticket.customer?.vip ?? false.
//
// sla.<metric> is the status of one SLA timer: the metrics first_response,
// next_response, resolution and those declared with WithMetrics. A metric the
// ticket has no timer for reads as the zero SLA. Its fields:
//
//	elapsed    duration  sla.resolution.elapsed > duration("6h")
//	remaining  duration  sla.first_response.remaining < duration("30m")  (negative once breached)
//	percent    float     sla.resolution.percent >= 75                    (75 means 75%)
//	due        time      sla.resolution.due < now + duration("1h")
//	paused     bool      !sla.resolution.paused
//	breached   bool      sla.next_response.breached
//	met        bool      !sla.first_response.met
//
// # Functions
//
// These are all the functions a rule can call:
//
//	now()                   the engine's now, like now            now() - ticket.created_at > duration("1h")
//	duration(s)             a duration: "90s", "30m", "1h30m"     idle > duration("1h30m")
//	date(s)                 a time: "2026-12-24" (midnight UTC)   now >= date("2026-12-24")
//	                        or RFC 3339 "2026-12-24T09:00:00+01:00"
//	is_open()               whether now is in business hours      !is_open() && priority == "P1"
//	is_open(t)              whether t is in business hours        is_open(sla.resolution.due)
//	business_between(a, b)  business time from a to b             business_between(ticket.created_at, now) > duration("8h")
//	lower(s), upper(s)      s in lower or upper case              lower(ticket.subject) contains "outage"
//	trim(s)                 s without surrounding white space     trim(ticket.reference) != ""
//	len(v)                  length of a text, list or object      len(ticket.tags) > 2
//	all(list, p)            p holds for every item                all(ticket.tags, # != "spam")
//	any(list, p)            p holds for some item                 any(ticket.tags, # startsWith "vip-")
//	none(list, p)           p holds for no item                   none(ticket.tags, # == "internal")
//	one(list, p)            p holds for exactly one item          one(ticket.tags, # == "vip")
//	count(list, p)          how many items p holds for            count(ticket.tags, # startsWith "sev") >= 2
//	count(list)             how many items are true               count(ticket.flags) > 0
//	filter(list, p)         the items p holds for                 len(filter(ticket.tags, # startsWith "x-")) > 0
//	map(list, e)            e of every item                       "billing" in map(ticket.teams, lower(#))
//
// duration and date with a constant argument are evaluated when the rule
// compiles, so a bad constant is a compile error and costs nothing at run
// time. Business time uses Env.Calendar, the ticket's calendar; without one
// every instant is open. In a predicate, # is the current item (in map,
// #index is its position); a predicate may also be written with braces,
// {# > 1}, and .field reads a field of the current item:
// any(ticket.contacts, .role == "owner"). A list can also be piped into a
// predicate: ticket.tags | any(# == "vip").
//
// # Operators
//
//	arithmetic   + - * / % ** ^          ticket.amount * 1.2 > 1000, now - duration("1h")
//	comparison   == != < > <= >=         tier >= 2, ticket.created_at < date("2026-01-01")
//	logic        && || ! and or not      !sla.resolution.met and not ticket.customer.vip
//	membership   in, not in              priority in ["P1", "P2"], "vip" in ticket.tags
//	text         + contains startsWith   ticket.subject contains "outage", team startsWith "net"
//	             endsWith matches        ticket.email endsWith "@example.com", ticket.subject matches "(?i)down"
//	range        a..b                    tier in 1..2
//	slice        v[a:b]                  ticket.reference[0:3] == "INC"
//	nil          ?. ??                   ticket.customer?.vip ?? false
//	conditional  c ? a : b               priority == "P1" ? tier < 3 : tier < 2
//	             if c { a } else { b }   if priority == "P1" { tier < 3 } else { tier < 2 }
//	variables    let x = e; ...          let left = sla.first_response.remaining; left < duration("1h")
//	literals     "text" 'text' `raw`     42 1.5 true false nil [1, 2] {"key": 1}
//
// Integer arithmetic (+, -, * and unary - on ints and durations) that
// overflows is an evaluation error, never a wrapped value; with constant
// operands it is a compile error.
//
// Times and durations combine as expected: time - time is a duration, time +
// duration a time, and both compare with < and >. A duration compares only
// with a duration: sla.resolution.remaining < duration("0s"), not < 0. The pattern of matches must
// be a constant string (Go's RE2 syntax); it is checked when the rule
// compiles. Comments are written // to the end of the line or /* ... */.
//
// A condition must be a bool: 1 + 1 does not compile. A condition whose type
// is only known when it runs (a dynamic attribute) fails then if it is not a
// bool, except that nil reads as false. Nothing else is
// reachable: no method of any value (now.Hour() does not compile), no field
// of the host's Go types, no other function and no wall clock.
//
// # Errors
//
// A compile error is an *Error that names the rule and points into its
// source:
//
//	rules: rules[2].when: 1:8: unknown field "priorty"
//	 | ticket.priorty == "P1"
//	 |        ^
//
// CompileSet reports every bad rule of the set in an Errors. An evaluation
// fails, again with an *Error pointing at the part of the condition that
// failed, when an attribute does not have its declared type (or, without a
// schema, is not one of the types above), when a list index is out of range,
// when a budget is exceeded, when integer arithmetic overflows, or when the
// host's calendar panics. Eval never panics.
//
// An Error over a limit (one of those below) names it in Limit
// ("MaxNodes", "MaxRegexSize", "MaxSteps", ...), and errors.Is finds
// ErrLimit in it.
//
// # Untrusted rules
//
// Rules are bounded, so that a tenant's rule cannot hurt the host: the length
// of the source (WithMaxSourceLen, 4096 bytes), its nesting (WithMaxDepth,
// 32, checked before the rule is parsed), the size of its syntax tree
// (WithMaxNodes, 1000), the size of each pattern of matches
// (WithMaxRegexSize, 1000 instructions, counting x{n} as n copies of x,
// checked before the pattern is compiled), what one evaluation may build
// (WithMemoryBudget, 50000 list elements and as many bytes of text) and the
// work it may do (WithMaxSteps, 10000 steps: each loop iteration costs the
// size of its body, each comparison or search over a list or an object one
// step per item, over a text one step per 256 bytes, matching a regular
// expression one step per 6 bytes-times-instructions of text and pattern,
// and business_between one step per 12 hours it spans). An evaluation that
// exceeds a budget stops with an error. Within the defaults, the most
// expensive rules of every kind evaluate in under a millisecond
// (BenchmarkWorstRule), and a policy of 100 rules compiles in a few
// milliseconds.
//
// # Speed
//
// A compiled rule is safe for concurrent use. Evaluation reuses pooled VMs
// and takes no lock; reading a name or an attribute neither reflects nor
// boxes what the host already boxed, so the condition above evaluates in a
// few hundred nanoseconds with two allocations (the priority and the
// remaining duration, boxed for the VM).
package rules
