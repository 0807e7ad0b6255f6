package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// worstRules are the most expensive rules of their kinds that one can
// write within the default limits. Each grows with n: a source with %d
// takes n there, any other is evaluated on a ticket.subject of n bytes.
// worst finds the largest n that the budgets let through, so each rule
// does as much work as an evaluation may.
var worstRules = []struct{ name, src string }{
	{"largest pattern", `ticket.subject matches "(a|b)[a-z]{990}c"`},
	{"largest short pattern", `ticket.subject matches "(?:[a-z]?){330}c"`},
	{"largest alternation", `ticket.subject matches "` + strings.Repeat(`ab|`, 300) + `c"`},
	{"small pattern", `ticket.subject matches "(a|b)*c"`},
	{"class pattern", `ticket.subject matches "` + strings.Repeat(`\\pL`, 5) + `"`},
	{"nested loops", `all(1..%d, all(1..100, true))`},
	{"loop of lookups", `all(1..%d, ticket.customer.vip == true)`},
	{"text building", `let s = ticket.subject; let t = s + s; let u = t + t; let v = u + u; len(upper(v + v)) > 0`},
	{"comparisons", `let s = ticket.subject; all(1..%d, s != ticket.reference)`},
	{"business time, cold calendar", `all(1..%d, business_between(now - duration("240h"), now) > duration("0s"))`},
	{"business time, one long span", `business_between(now - duration("%dh"), now) > duration("1h")`},
}

// worst returns the rule and the Env of w at the largest n the budgets
// let through, and n.
func worst(t testing.TB, name, src string) (*rules.Rule, func() *rules.Env, int) {
	build := func(n int) (*rules.Rule, func() *rules.Env) {
		s := src
		if strings.Contains(src, "%d") {
			s = fmt.Sprintf(src, n)
		}
		r, err := rules.Compile(s)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		subject := strings.Repeat("ab", n/2)
		if strings.Contains(src, "%d") {
			subject = strings.Repeat("ab", 500)
		}
		return r, func() *rules.Env {
			env := testEnv()
			env.Ticket["subject"] = subject
			env.Calendar = newYorkOffice(t) // nothing computed yet
			return env
		}
	}
	within := func(n int) bool {
		r, env := build(n)
		_, err := r.Eval(env())
		if err != nil && !errors.Is(err, rules.ErrLimit) {
			t.Fatalf("%s at %d: %v", name, n, err)
		}
		return err == nil
	}
	lo, hi := 1, 1<<20 // within(lo), and not within(hi)
	if !within(lo) {
		t.Fatalf("%s: over a budget at 1", name)
	}
	for hi-lo > 1 {
		if m := (lo + hi) / 2; within(m) {
			lo = m
		} else {
			hi = m
		}
	}
	r, env := build(lo)
	return r, env, lo
}

// BenchmarkWorstRule evaluates each of worstRules at its largest; the
// goal is 1 ms an evaluation at most. The calendar is a new one for each
// evaluation, so business time is computed from nothing each time.
func BenchmarkWorstRule(b *testing.B) {
	for _, w := range worstRules {
		b.Run(w.name, func(b *testing.B) {
			r, env, n := worst(b, w.name, w.src)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				e := env()
				b.StartTimer()
				if _, err := r.Eval(e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "n")
		})
	}
}

var officeSpec = sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-17:00"}},
	Holidays: []string{"2026-12-25", "2027-01-01"}}

// newYorkOffice returns a new calendar of New York office hours.
func newYorkOffice(t testing.TB) *sla.Calendar {
	cal, err := sla.NewCalendar(officeSpec)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
