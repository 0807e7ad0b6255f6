package rules_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// t0 is the engine's now in every test: Monday 9 March 2026, 10:00 UTC.
var t0 = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)

// officeHours is a calendar open 09:00-17:00 UTC, Monday to Friday.
type officeHours struct{}

func (officeHours) IsOpen(t time.Time) bool {
	t = t.UTC()
	day := t.Weekday()
	return day != time.Saturday && day != time.Sunday && t.Hour() >= 9 && t.Hour() < 17
}

// Between counts open minutes; tests use whole minutes.
func (c officeHours) Between(from, to time.Time) time.Duration {
	if to.Before(from) {
		return -c.Between(to, from)
	}
	var d time.Duration
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if c.IsOpen(t) {
			d += time.Minute
		}
	}
	return d
}

// testEnv returns the environment most tests evaluate on.
func testEnv() *rules.Env {
	return &rules.Env{
		Ticket: map[string]any{
			"customer":   map[string]any{"vip": true, "name": "ACME Corp"},
			"tags":       []any{"vip-gold", "sev2", "network"},
			"teams":      []string{"Billing", "Network"},
			"flags":      []any{true, false, true},
			"contacts":   []any{map[string]any{"role": "owner", "name": "Ann"}, map[string]any{"role": "cc"}},
			"subject":    "  Outage in region EU  ",
			"reference":  "INC-4711",
			"email":      "ops@example.com",
			"amount":     1200.0,
			"created_at": t0.Add(-26 * time.Hour), // Sunday 08:00
		},
		Priority:    "P1",
		Impact:      "high",
		Urgency:     "critical",
		Tier:        2,
		Team:        "billing",
		Status:      "open",
		Event:       "customer_replied",
		Manual:      true,
		Escalations: 1,
		TimeInTier:  5 * time.Hour,
		Idle:        3 * time.Hour,
		Now:         t0,
		SLA: map[string]rules.SLA{
			"first_response": {Elapsed: 50 * time.Minute, Remaining: 10 * time.Minute, Percent: 83.3, Due: t0.Add(10 * time.Minute)},
			"resolution":     {Elapsed: 6 * time.Hour, Remaining: -time.Hour, Percent: 120, Due: t0.Add(-time.Hour), Breached: true},
			"next_response":  {Remaining: 2 * time.Hour, Due: t0.Add(2 * time.Hour), Paused: true},
		},
		Calendar: officeHours{},
	}
}

// evalTests holds every example of the package documentation, and more.
var evalTests = []struct {
	src  string
	want bool
}{
	// names
	{`ticket.customer.vip`, true},
	{`ticket["customer"].name == "ACME Corp"`, true},
	{`ticket.tags[0] == "vip-gold"`, true},
	{`ticket.tags[-1] == "network"`, true},
	{`priority == "P1"`, true},
	{`impact == "high"`, true},
	{`urgency in ["high", "critical"]`, true},
	{`tier < 3`, true},
	{`team == "billing"`, true},
	{`status not in ["pending_customer", "resolved"]`, true},
	{`event == "customer_replied"`, true},
	{`event == "escalated" && manual`, false},
	{`manual && !(manual == false)`, true},
	{`escalations == 0`, false},
	{`time_in_tier > duration("4h")`, true},
	{`idle > duration("2h")`, true},
	{`now > date("2026-12-24")`, false},
	{`sla.resolution.breached`, true},
	{`sla["next_response"].percent == 0`, true},
	{`ticket.customer?.vip ?? false`, true},
	{`ticket.missing == nil && ticket.missing.deeper == nil`, true},
	{`(ticket.missing ?? "none") == "none"`, true},
	{`"customer" in ticket && len(ticket) == 10`, true},
	// SLA fields
	{`sla.resolution.elapsed > duration("6h")`, false},
	{`sla.first_response.remaining < duration("30m")`, true},
	{`sla.resolution.percent >= 75`, true},
	{`sla.resolution.due < now + duration("1h")`, true},
	{`!sla.resolution.paused`, true},
	{`sla.next_response.paused`, true},
	{`sla.next_response.breached`, false},
	{`!sla.first_response.met`, true},
	{`sla.resolution.remaining < duration("0s")`, true},
	{`let m = "first_response"; sla[m].remaining == duration("10m")`, true},
	{`sla.first_response.due - now == duration("10m")`, true},
	{`"resolution" in sla && len(sla) == 3`, true},
	// functions
	{`now() - ticket.created_at > duration("1h")`, true},
	{`now() == now`, true},
	{`idle > duration("1h30m")`, true},
	{`duration(ticket.reference[0:0] + "90s") == duration("1m30s")`, true},
	{`now >= date("2026-12-24")`, false},
	{`date("2026-03-09T11:00:00+01:00") == now`, true},
	{`date(ticket.reference[0:0] + "2026-03-09") < now`, true},
	{`!is_open() && priority == "P1"`, false},
	{`is_open()`, true},
	{`is_open(sla.resolution.due)`, true},
	{`is_open(ticket.created_at)`, false},
	{`business_between(ticket.created_at, now) > duration("8h")`, false},
	{`business_between(ticket.created_at, now) == duration("1h")`, true},
	{`business_between(now, ticket.created_at) == duration("-1h")`, true},
	{`lower(ticket.subject) contains "outage"`, true},
	{`upper(team) == "BILLING"`, true},
	{`trim(ticket.reference) != ""`, true},
	{`trim(ticket.subject) == "Outage in region EU"`, true},
	{`len(ticket.tags) > 2`, true},
	{`len(ticket.reference) == 8`, true},
	{`all(ticket.tags, # != "spam")`, true},
	{`any(ticket.tags, # startsWith "vip-")`, true},
	{`none(ticket.tags, # == "internal")`, true},
	{`one(ticket.tags, # == "vip")`, false},
	{`one(ticket.tags, # endsWith "gold")`, true},
	{`count(ticket.tags, # startsWith "sev") >= 2`, false},
	{`count(ticket.flags) > 0`, true},
	{`count(ticket.flags) == 2`, true},
	{`len(filter(ticket.tags, # startsWith "x-")) > 0`, false},
	{`filter(ticket.tags, # startsWith "s")[0] == "sev2"`, true},
	{`"billing" in map(ticket.teams, lower(#))`, true},
	{`map(ticket.teams, #index)[1] == 1`, true},
	{`any(ticket.contacts, .role == "owner")`, true},
	{`any(ticket.contacts, {.name == "Ann"})`, true},
	{`ticket.tags | any(# == "sev2")`, true},
	// operators
	{`ticket.amount * 1.2 > 1000`, true},
	{`now - duration("1h") < now`, true},
	{`tier >= 2`, true},
	{`ticket.created_at < date("2026-01-01")`, false},
	{`!sla.resolution.met and not ticket.customer.vip`, false},
	{`priority in ["P1", "P2"]`, true},
	{`"vip" in ticket.tags`, false},
	{`"sev2" in ticket.tags`, true},
	{`ticket.subject contains "outage"`, false},
	{`team startsWith "net"`, false},
	{`ticket.email endsWith "@example.com"`, true},
	{`ticket.subject matches "(?i)down"`, false},
	{`ticket.subject matches "(?i)outage"`, true},
	{`tier in 1..2`, true},
	{`ticket.reference[0:3] == "INC"`, true},
	{`priority == "P1" ? tier < 3 : tier < 2`, true},
	{`if priority == "P1" { tier < 3 } else { tier < 2 }`, true},
	{`let left = sla.first_response.remaining; left < duration("1h")`, true},
	{`tier + escalations == 3 && tier * 2 == 4 && tier - 1 == 1 && 7 % tier == 1 && tier / 4 == 0.5`, true},
	{`tier ** 2 == 4 && tier ^ 3 == 8`, true},
	{`"P" + "1" == priority && priority + "!" == "P1!"`, true},
	{`[1, "a", true][1] == "a" && {"key": 1}.key == 1`, true},
	{`'single' == "single" && ` + "`raw` == \"raw\"", true},
	{"tier == 2 // a comment", true},
	{"/* a\ncomment */ tier ==\n 2", true},
	{`ticket.teams == ["Billing", "Network"]`, true},
	{`nil == nil && ticket.missing != ticket.customer`, true},
	{`-tier == -2 && +tier == 2`, true},
}

func TestEval(t *testing.T) {
	env := testEnv()
	for _, tt := range evalTests {
		r, err := rules.Compile(tt.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.src, err)
			continue
		}
		got, err := r.Eval(env)
		if err != nil || got != tt.want {
			t.Errorf("Eval(%q) = %v, %v; want %v, nil", tt.src, got, err, tt.want)
		}
	}
}

func TestEvalNilEnv(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{`ticket.customer == nil && priority == "" && tier == 0`, true},
		{`sla.resolution.remaining == duration("0s") && !sla.resolution.breached`, true},
		{`is_open() && business_between(now, now + duration("1h")) == duration("1h")`, true},
		{`now == date("0001-01-01")`, true},
	} {
		r, err := rules.Compile(tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		if got, err := r.Eval(nil); err != nil || got != tt.want {
			t.Errorf("Eval(%q, nil) = %v, %v; want %v, nil", tt.src, got, err, tt.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	widget := struct{ Secret string }{"x"}
	schema := rules.Schema{"customer": rules.Object(rules.Schema{"vip": rules.Bool}), "count": rules.Int}
	for _, tt := range []struct {
		src    string
		schema rules.Schema
		attrs  map[string]any
		want   string
	}{{
		src:    `ticket.customer.vip`,
		schema: schema,
		attrs:  map[string]any{"customer": map[string]any{"vip": "yes"}},
		want: `rules: 1:17: ticket.customer.vip is string "yes", the schema says bool
 | ticket.customer.vip
 |                 ^`,
	}, {
		src:    `ticket.count > 2`,
		schema: schema,
		attrs:  map[string]any{"count": 2.5},
		want: `rules: 1:8: ticket.count is float64 2.5, the schema says int
 | ticket.count > 2
 |        ^`,
	}, {
		src:   `ticket.widget.Secret == "x"`,
		attrs: map[string]any{"widget": widget},
		want: `rules: 1:15: ticket.widget is struct { Secret string }, which rules cannot read
 | ticket.widget.Secret == "x"
 |               ^`,
	}, {
		src:   `ticket.items[0].Secret == "x"`,
		attrs: map[string]any{"items": []any{widget}},
		want: `rules: 1:13: item 0 is struct { Secret string }, which rules cannot read
 | ticket.items[0].Secret == "x"
 |             ^`,
	}, {
		src:   `ticket.name.first == "Ann"`,
		attrs: map[string]any{"name": "Ann"},
		want: `rules: 1:13: ticket.name is string, not an object
 | ticket.name.first == "Ann"
 |             ^`,
	}, {
		src:   `ticket.tags[3] == "x"`,
		attrs: map[string]any{"tags": []string{"a"}},
		want: `rules: 1:12: index 3 is out of range for a list of 1
 | ticket.tags[3] == "x"
 |            ^`,
	}, {
		src:   `ticket.amount`,
		attrs: map[string]any{"amount": 1.5},
		want:  `rules: the condition is float64, not bool`,
	}, {
		src:   `lower(ticket.amount) == "1"`,
		attrs: map[string]any{"amount": 1.5},
		want: `rules: 1:1: lower: argument 1 is float64, not string
 | lower(ticket.amount) == "1"
 | ^`,
	}, {
		src: `all(1..300, all(1..300, true))`,
		want: `rules: 1:25: step budget exceeded
 | all(1..300, all(1..300, true))
 |                         ^`,
	}, {
		src: `len(1..100000) > 0`,
		want: `rules: 1:6: memory budget exceeded
 | len(1..100000) > 0
 |      ^`,
	}, {
		src: `tier % escalations == 0`,
		want: `rules: 1:6: runtime error: integer divide by zero
 | tier % escalations == 0
 |      ^`,
	}} {
		r, err := rules.Compile(tt.src, rules.WithSchema(tt.schema))
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		ok, err := r.Eval(&rules.Env{Ticket: tt.attrs, Tier: 2})
		if ok || err == nil || err.Error() != tt.want {
			t.Errorf("Eval(%q) = %v, %v\nwant false and\n%s", tt.src, ok, err, tt.want)
		}
	}
}

// panickyCalendar stands for a host calendar with a bug.
type panickyCalendar struct{}

func (panickyCalendar) IsOpen(time.Time) bool                { panic("calendar: corrupt schedule") }
func (panickyCalendar) Between(_, _ time.Time) time.Duration { panic("calendar: corrupt schedule") }

func TestEvalCalendarPanic(t *testing.T) {
	r, err := rules.Compile(`is_open()`)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := r.Eval(&rules.Env{Calendar: panickyCalendar{}})
	want := "rules: 1:1: calendar: corrupt schedule\n | is_open()\n | ^"
	if ok || err == nil || err.Error() != want {
		t.Errorf("Eval = %v, %v; want false and\n%s", ok, err, want)
	}
}

func TestEvalErrorFields(t *testing.T) {
	set, err := rules.CompileSet([]rules.Source{
		{Name: "ok", When: `tier > 0`},
		{Name: "vip", When: "tier > 0 &&\n  ticket.customer.vip"},
	}, rules.WithSchema(rules.Schema{"customer": rules.Object(rules.Schema{"vip": rules.Bool})}))
	if err != nil {
		t.Fatal(err)
	}
	env := &rules.Env{Tier: 1, Ticket: map[string]any{"customer": map[string]any{"vip": 1}}}
	got, err := set.Eval(env, nil)
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("Eval = %v, want [true false]", got)
	}
	var e *rules.Error
	if !errors.As(err, &e) {
		t.Fatalf("Eval error %v is not an *Error", err)
	}
	want := rules.Error{
		Rule: "vip", Index: 1, Field: "when", Line: 2, Column: 19,
		Msg:     "ticket.customer.vip is int 1, the schema says bool",
		Snippet: " |   ticket.customer.vip\n |                   ^",
	}
	if *e != want {
		t.Errorf("error = %#v\nwant %#v", *e, want)
	}
}

func TestEvalConcurrent(t *testing.T) {
	r, err := rules.Compile(`ticket.n > 10 && sla.resolution.remaining < duration("1h") && any(ticket.tags, # == "x")`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				n := g*20 + i
				tag := "y"
				if n%3 == 0 {
					tag = "x"
				}
				env := &rules.Env{
					Ticket: map[string]any{"n": n, "tags": []any{"w", tag}},
					SLA:    map[string]rules.SLA{"resolution": {Remaining: time.Duration(n) * time.Minute}},
				}
				want := n > 10 && n < 60 && n%3 == 0
				if got, err := r.Eval(env); err != nil || got != want {
					errs <- fmt.Errorf("n=%d: Eval = %v, %v; want %v", n, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRuleAccessors(t *testing.T) {
	set, err := rules.CompileSet([]rules.Source{{Name: "first", When: "tier == 1"}, {When: "tier == 2"}})
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 2 || set.Rule(0).Name() != "first" || set.Rule(1).Name() != "" || set.Rule(1).String() != "tier == 2" {
		t.Errorf("set = %d rules, %q %q %q", set.Len(), set.Rule(0).Name(), set.Rule(1).Name(), set.Rule(1).String())
	}
}

// TestReads: a rule says which names of the environment it reads, so a
// host may leave the others out.
func TestReads(t *testing.T) {
	cases := []struct {
		src   string
		reads []string
	}{
		{`ticket.customer.vip`, []string{"ticket"}},
		{`sla.resolution.percent > 75 && tier < 3`, []string{"sla", "tier"}},
		{`all(ticket.tags, {# != "x"}) || idle > duration("1h")`, []string{"ticket", "idle"}},
		{`now() > date("2026-01-01") && event == "opened" && manual`, []string{"now", "event", "manual"}},
		{`let x = idle; x > duration("1h")`, []string{"idle"}},
		{`true`, nil},
	}
	names := []string{"ticket", "priority", "impact", "urgency", "tier", "team", "status", "event", "manual", "escalations", "time_in_tier", "idle", "now", "sla"}
	for _, tc := range cases {
		r, err := rules.Compile(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		var got []string
		for _, n := range names {
			if r.Reads(n) {
				got = append(got, n)
			}
		}
		slices.Sort(got)
		want := slices.Clone(tc.reads)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s reads %v, want %v", tc.src, got, want)
		}
	}
	r, _ := rules.Compile(`true`)
	if r.Reads("nonsense") {
		t.Error("a rule reads a name the environment does not have")
	}
}
