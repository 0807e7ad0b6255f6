package rules_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ladder-go/ladder/rules"
)

func Example() {
	schema := rules.Schema{
		"customer": rules.Object(rules.Schema{"vip": rules.Bool}),
	}
	r, err := rules.Compile(
		`ticket.customer.vip && priority in ["P1", "P2"] && sla.first_response.remaining < duration("30m") && tier < 3`,
		rules.WithSchema(schema))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	env := &rules.Env{
		Ticket:   map[string]any{"customer": map[string]any{"vip": true}},
		Priority: "P2",
		Tier:     1,
		Now:      now,
		SLA: map[string]rules.SLA{
			"first_response": {Remaining: 20 * time.Minute, Due: now.Add(20 * time.Minute)},
		},
	}
	ok, err := r.Eval(env)
	fmt.Println(ok, err)
	// Output: true <nil>
}

func ExampleCompileSet() {
	_, err := rules.CompileSet([]rules.Source{
		{Name: "vip", When: `ticket.customer.vip && tier < 3`},
		{Name: "stale", When: `idle > duration("2h") && status == "open"`},
		{Name: "typo", When: `ticket.priorty == "P1"`},
	}, rules.WithSchema(rules.Schema{
		"customer": rules.Object(rules.Schema{"vip": rules.Bool}),
		"priority": rules.String,
	}))
	fmt.Println(err)

	var e *rules.Error
	if errors.As(err, &e) {
		fmt.Println(e.Rule, e.Index, e.Line, e.Column)
	}
	// Output:
	// rules: rules[2].when: 1:8: unknown field "priorty"
	//  | ticket.priorty == "P1"
	//  |        ^
	// typo 2 1 8
}

func ExampleRule_Explain() {
	r, err := rules.Compile(`ticket.customer.vip && (priority == "P1" || idle > duration("4h"))`)
	if err != nil {
		fmt.Println(err)
		return
	}
	env := &rules.Env{
		Ticket:   map[string]any{"customer": map[string]any{"vip": true}},
		Priority: "P3",
		Idle:     time.Hour,
	}
	for _, c := range r.Explain(env) {
		fmt.Printf("%v\t%s\n", c.Value, c.Text)
	}
	// Output:
	// true	ticket.customer.vip
	// false	(priority == "P1" || idle > duration("4h"))
}

func ExampleSet_Eval() {
	set, err := rules.CompileSet([]rules.Source{
		{Name: "breached", When: `sla.resolution.breached`},
		{Name: "after hours", When: `!is_open() && priority == "P1"`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	env := &rules.Env{
		Priority: "P1",
		Now:      time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC), // a Monday evening
		SLA:      map[string]rules.SLA{"resolution": {Breached: true}},
		Calendar: officeHours{},
	}
	matched, err := set.Eval(env, nil)
	fmt.Println(matched, err)
	// Output: [true true] <nil>
}
