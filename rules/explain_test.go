package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/rules"
)

func TestExplain(t *testing.T) {
	env := testEnv()
	env.Ticket["customer"] = map[string]any{"vip": false}
	for _, tt := range []struct {
		src  string
		want []rules.Clause
	}{{
		src: `ticket.customer.vip && priority in ["P1", "P2"] && sla.first_response.remaining < duration("30m") && tier < 3`,
		want: []rules.Clause{
			{Text: `ticket.customer.vip`, Value: false},
			{Text: `priority in ["P1", "P2"]`, Value: true},
			{Text: `sla.first_response.remaining < duration("30m")`, Value: true},
			{Text: `tier < 3`, Value: true},
		},
	}, {
		src: `(ticket.customer.vip && tier < 3) || priority == "P4"`,
		want: []rules.Clause{
			{Text: `(ticket.customer.vip && tier < 3)`, Value: false},
			{Text: `priority == "P4"`, Value: false},
		},
	}, {
		src: ` ( tier > 1 and (idle > duration("1h")) ) `,
		want: []rules.Clause{
			{Text: `tier > 1`, Value: true},
			{Text: `(idle > duration("1h"))`, Value: true},
		},
	}, {
		src: `tier > 5 || (status == "open" or team == "x") || "é" in ticket.tags`,
		want: []rules.Clause{
			{Text: `tier > 5`, Value: false},
			{Text: `status == "open"`, Value: true},
			{Text: `team == "x"`, Value: false},
			{Text: `"é" in ticket.tags`, Value: false},
		},
	}, {
		src: `ticket.subject contains "(" && tier > 1`,
		want: []rules.Clause{
			{Text: `ticket.subject contains "("`, Value: false},
			{Text: `tier > 1`, Value: true},
		},
	}, {
		src: `tier > 5 && ticket.tags[9] == "x"`,
		want: []rules.Clause{
			{Text: `tier > 5`, Value: false},
			{Text: `ticket.tags[9] == "x"`, Error: "index 9 is out of range for a list of 3"},
		},
	}, {
		src:  `tier > 1`,
		want: []rules.Clause{{Text: `tier > 1`, Value: true}},
	}, {
		src:  `let t = tier; t > 1 && t < 3`,
		want: []rules.Clause{{Text: `let t = tier; t > 1 && t < 3`, Value: true}},
	}, {
		src:  `!(tier > 1 && tier < 3)`,
		want: []rules.Clause{{Text: `!(tier > 1 && tier < 3)`, Value: false}},
	}} {
		r, err := rules.Compile(tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		if diff := cmp.Diff(tt.want, r.Explain(env)); diff != "" {
			t.Errorf("Explain(%q) mismatch (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestExplainAgreesWithEval(t *testing.T) {
	env := testEnv()
	for _, tt := range evalTests {
		r, err := rules.Compile(tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		// The condition is the && or the || of its clauses, so it holds
		// when all of them do, and only when one does.
		all, some := true, false
		for _, c := range r.Explain(env) {
			if c.Error != "" {
				t.Errorf("Explain(%q): clause %q failed: %s", tt.src, c.Text, c.Error)
			}
			all = all && c.Value
			some = some || c.Value
		}
		if all && !tt.want || tt.want && !some {
			t.Errorf("Explain(%q) = %+v, disagrees with %v", tt.src, r.Explain(env), tt.want)
		}
	}
}
