package rules_test

import (
	"fmt"
	"testing"

	"github.com/ladder-go/ladder/rules"
)

// benchSchema declares the attributes the benchmark rules read.
var benchSchema = rules.Schema{
	"customer":   rules.Object(rules.Schema{"vip": rules.Bool, "name": rules.String}),
	"tags":       rules.Strings,
	"teams":      rules.Strings,
	"flags":      rules.List,
	"contacts":   rules.List,
	"subject":    rules.String,
	"reference":  rules.String,
	"email":      rules.String,
	"amount":     rules.Float,
	"created_at": rules.Time,
}

func BenchmarkRuleEval(b *testing.B) {
	r, err := rules.Compile(`ticket.customer.vip && priority in ["P1", "P2"] && sla.first_response.remaining < duration("30m") && tier < 3`,
		rules.WithSchema(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := r.Eval(env); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// setSources are 20 rules of a policy.
var setSources = []string{
	`ticket.customer.vip && priority in ["P1", "P2"] && sla.first_response.remaining < duration("30m") && tier < 3`,
	`sla.resolution.breached && tier < 3`,
	`sla.first_response.percent >= 75 && !sla.first_response.met`,
	`sla.next_response.remaining < duration("1h") && !sla.next_response.paused`,
	`priority == "P1" && idle > duration("2h")`,
	`status == "open" && time_in_tier > duration("4h") && escalations < 3`,
	`event == "customer_replied" && team == "billing"`,
	`impact == "high" && urgency in ["high", "critical"]`,
	`"sev1" in ticket.tags || "outage" in ticket.tags`,
	`any(ticket.tags, # startsWith "vip-")`,
	`ticket.amount > 1000 && ticket.customer.vip`,
	`ticket.email endsWith "@example.com" && tier == 1`,
	`now - ticket.created_at > duration("24h") && status != "resolved"`,
	`sla.resolution.due < now + duration("2h") && !is_open()`,
	`lower(ticket.subject) contains "outage"`,
	`ticket.subject matches "(?i)down|outage"`,
	`len(ticket.tags) > 2 && tier < 2`,
	`priority == "P2" ? idle > duration("4h") : idle > duration("8h")`,
	`escalations == 0 && sla.first_response.elapsed > duration("45m")`,
	`ticket.customer.name == "ACME Corp" && urgency == "critical"`,
}

func BenchmarkRuleSetEval(b *testing.B) {
	srcs := make([]rules.Source, len(setSources))
	for i, src := range setSources {
		srcs[i] = rules.Source{Name: fmt.Sprint("rule", i), When: src}
	}
	set, err := rules.CompileSet(srcs, rules.WithSchema(benchSchema))
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	dst := make([]bool, 0, len(srcs))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = set.Eval(env, dst[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	srcs := make([]rules.Source, 100)
	for i := range srcs {
		// Vary a constant so that every rule is its own.
		srcs[i] = rules.Source{When: fmt.Sprintf("%s && escalations < %d", setSources[i%len(setSources)], i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.CompileSet(srcs, rules.WithSchema(benchSchema)); err != nil {
			b.Fatal(err)
		}
	}
}
