package rules_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/rules"
)

func TestSetEval(t *testing.T) {
	set, err := rules.CompileSet([]rules.Source{
		{Name: "vip", When: `ticket.customer.vip && tier < 3`},
		{Name: "breached", When: `sla.resolution.breached`},
		{Name: "fails", When: `ticket.tags[7] == "x"`},
		{Name: "quiet", When: `idle > duration("24h") || escalations > 5`},
		{Name: "fails too", When: `lower(ticket.amount) == ""`},
	})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]bool, 0, 8)
	got, err := set.Eval(testEnv(), dst)
	if diff := cmp.Diff([]bool{true, true, false, false, false}, got); diff != "" {
		t.Errorf("Eval mismatch (-want +got):\n%s", diff)
	}
	if &got[0] != &dst[:1][0] {
		t.Errorf("Eval did not append to dst")
	}
	var list rules.Errors
	if !errors.As(err, &list) || len(list) != 2 || list[0].Rule != "fails" || list[1].Rule != "fails too" {
		t.Fatalf("Eval error = %v, want the failures of rules 2 and 4", err)
	}
	want := "rules: rules[2].when: 1:12: index 7 is out of range for a list of 3\n" +
		" | ticket.tags[7] == \"x\"\n |            ^\n" +
		"rules: rules[4].when: 1:1: lower: argument 1 is float64, not string\n" +
		" | lower(ticket.amount) == \"\"\n | ^"
	if err.Error() != want {
		t.Errorf("Eval error:\n%v\nwant:\n%s", err, want)
	}

	env := testEnv()
	env.Ticket["tags"] = []any{0, 1, 2, 3, 4, 5, 6, "x"}
	env.Ticket["amount"] = "AB"
	env.Idle = 25 * time.Hour
	got, err = set.Eval(env, nil)
	if err != nil || !cmp.Equal(got, []bool{true, true, true, true, false}) {
		t.Errorf("Eval = %v, %v; want [true true true true false], nil", got, err)
	}
}

func TestCompileSetEmpty(t *testing.T) {
	set, err := rules.CompileSet(nil)
	if err != nil || set.Len() != 0 {
		t.Fatalf("CompileSet(nil) = %v, %v", set, err)
	}
	if got, err := set.Eval(nil, nil); len(got) != 0 || err != nil {
		t.Errorf("Eval = %v, %v", got, err)
	}
}
