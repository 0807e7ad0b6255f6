package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// hostile is a corpus of rules written to hurt the host. Each must be
// rejected when it compiles or stopped when it runs, with the default
// options, within 50ms.
var hostile = []struct {
	name string
	src  string
	want string // in the error
}{
	// huge ranges
	{"range", `len(1..100000000) > 0`, "memory budget exceeded"},
	{"range at the budget", `len(0..99999) > 0`, "memory budget exceeded"},
	{"ranges compared", `0..999999999 == 0..999999999`, "memory budget exceeded"},
	{"range in a loop", `any(1..1000, len(1..1000) > 1000)`, "memory budget exceeded"},
	{"map of a range", `len(map(0..40000, #)) > 0`, "step budget exceeded"},
	{"filter of a range", `len(filter(0..40000, # < 0)) == 0`, "step budget exceeded"},
	{"array literal in a loop", `all(1..20000, len([1, 2, 3, 4, 5, 6, 7, 8, 9]) == 9)`, "budget exceeded"},
	// deep nesting
	{"100k parentheses", strings.Repeat("(", 100000) + "true" + strings.Repeat(")", 100000), "bytes long"},
	{"2000 parentheses", strings.Repeat("(", 2000) + "true" + strings.Repeat(")", 2000), "nests deeper than 32"},
	{"brackets", strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + " == []", "nests deeper than 32"},
	{"braces", strings.Repeat("{a: ", 500) + "1" + strings.Repeat("}", 500) + " == nil", "nests deeper than 32"},
	{"calls", strings.Repeat("lower(", 500) + `"x"` + strings.Repeat(")", 500) + ` == "x"`, "nests deeper than 32"},
	{"bangs", strings.Repeat("!", 4000) + "true", "nests deeper than 32"},
	{"minus signs", strings.Repeat("-", 4000) + "1 > 0", "nests deeper than 32"},
	{"spaced minus signs", strings.Repeat("- ", 2000) + "1 > 0", "nests deeper than 32"},
	{"nots", strings.Repeat("not ", 1000) + "true", "nests deeper than 32"},
	{"ternaries", strings.Repeat("true ? ", 400) + "true" + strings.Repeat(" : false", 400), "bytes long"},
	{"ternary chain", strings.Repeat("tier > 1 ? true : ", 220) + "true", "more than 1000 nodes"},
	{"sums", strings.Repeat("1 + ", 1000) + "1 > 0", "more than 1000 nodes"},
	{"powers", strings.Repeat("2 ** ", 800) + "2 > 0", "more than 1000 nodes"},
	{"coalescing", strings.Repeat("nil ?? ", 580) + "true", "more than 1000 nodes"},
	{"lets", strings.Repeat("let a = 1; ", 300) + "true", "cannot redeclare"},
	{"members", "ticket" + strings.Repeat(".a", 2000) + " == nil", "more than 1000 nodes"},
	{"nested predicates", strings.Repeat("all(ticket.tags, ", 40) + "true" + strings.Repeat(")", 40), "nests deeper than 32"},
	// long strings
	{"long source", `"` + strings.Repeat("a", 5000) + `" != ""`, "bytes long"},
	{"doubling text", `let s = "` + strings.Repeat("a", 3000) + `"; let s2 = s + s; let s3 = s2 + s2; let s4 = s3 + s3; let s5 = s4 + s4; let s6 = s5 + s5; let s7 = s6 + s6; len(s7) > 0`, "memory budget exceeded"},
	{"doubling in predicates", `len(` + strings.Repeat("map(", 20) + `["ab"]` + strings.Repeat(", # + #)", 20) + `) > 0`, "memory budget exceeded"},
	{"upper in a loop", `let s = "` + strings.Repeat("a", 3000) + `"; all(1..1000, upper(s) != "")`, "memory budget exceeded"},
	{"concatenation in a loop", `all(1..40000, ticket.subject + "x" != "")`, "memory budget exceeded"},
	{"search in a loop", `let s = "` + strings.Repeat("a", 3000) + `"; all(1..40000, !(s contains "b"))`, "step budget exceeded"},
	{"regexp in a loop", `all(1..40000, !(ticket.subject matches "(a|b)*c"))`, "step budget exceeded"},
	{"comparison in a loop", `let s = "` + strings.Repeat("a", 2000) + `"; let t = "` + strings.Repeat("a", 1999) + `b"; all(1..40000, s != t)`, "step budget exceeded"},
	// recursion through builtins
	{"nested loops", `all(1..1000, all(1..1000, all(1..1000, true)))`, "step budget exceeded"},
	{"nested loops on a variable", `let x = 1..500; any(x, any(x, any(x, false)))`, "step budget exceeded"},
	{"loops over the ticket", `any(ticket.tags, any(ticket.tags, any(ticket.tags, any(ticket.tags, any(ticket.tags, any(ticket.tags, any(ticket.tags, any(ticket.tags, false))))))))`, "step budget exceeded"},
	{"ranges of ranges", `count(map(0..1000, 0..1000), true) > 0`, "memory budget exceeded"},
	{"filter of loops", `filter(1..5000, all(1..5000, true))[0] == 1`, "step budget exceeded"},
	{"membership in a loop", `let x = 0..20000; all(0..20000, 19999 in x)`, "step budget exceeded"},
	{"deep equality", `let a = 0..12000; let b = [a, a]; let c = 0..12000; let d = [c, c]; all(1..100, b == d)`, "step budget exceeded"},
	{"count without predicate", `let x = map(1..5000, true); all(1..1000, count(x) > 0)`, "step budget exceeded"},
}

func TestHostile(t *testing.T) {
	env := testEnv()
	env.Ticket["tags"] = []any{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	env.Ticket["subject"] = strings.Repeat("ab", 500)
	for _, tt := range hostile {
		type result struct {
			err     error
			elapsed time.Duration
		}
		done := make(chan result)
		// A fresh goroutine, so that growing its stack is part of the cost.
		go func() {
			start := time.Now()
			r, err := rules.Compile(tt.src)
			if err == nil {
				_, err = r.Eval(env)
			}
			done <- result{err, time.Since(start)}
		}()
		res := <-done
		t.Logf("%s: %v", tt.name, res.elapsed)
		if res.err == nil || !strings.Contains(res.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, res.err, tt.want)
		}
		if res.elapsed > 50*time.Millisecond {
			t.Errorf("%s: took %v, want at most 50ms", tt.name, res.elapsed)
		}
	}
}

// widget stands for a host value with methods and fields.
type widget struct {
	Name   string
	secret string
}

func (w *widget) Close() error  { w.Name = "closed"; return nil }
func (w widget) String() string { return "widget " + w.secret }

func TestNoHostAccess(t *testing.T) {
	w := &widget{Name: "w", secret: "s"}
	env := &rules.Env{Ticket: map[string]any{"widget": w, "widgets": []any{w}}}
	for _, tt := range []struct{ src, want string }{
		{`ticket.widget.Close() == nil`, `unknown function "Close"`},
		{`ticket.widgets[0].Close() == nil`, `unknown function "Close"`},
		{`ticket.widget.Name == "w"`, "ticket.widget is *rules_test.widget, which rules cannot read"},
		{`ticket.widget.secret == "s"`, "ticket.widget is *rules_test.widget, which rules cannot read"},
		{`ticket.widget == nil`, "ticket.widget is *rules_test.widget, which rules cannot read"},
		{`any(ticket.widgets, .Name == "w")`, "cannot read a field or an item of *rules_test.widget"},
		{`string(ticket.widget) != ""`, `unknown name "string"`},
		{`toJSON(ticket) != ""`, `unknown name "toJSON"`},
		{`get(ticket, "widget") != nil`, `unknown name "get"`},
		{`$env != nil`, `unknown name "$env"`},
		{`now.Unix() > 0`, `unknown function "Unix"`},
	} {
		r, err := rules.Compile(tt.src)
		if err == nil {
			_, err = r.Eval(env)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.src, err, tt.want)
		}
	}
	if w.Name != "w" {
		t.Errorf("a rule changed the host's value: %+v", w)
	}
}

func TestConstantRangeCostsNothing(t *testing.T) {
	r, err := rules.Compile(`tier in 0..100000000 && escalations not in 5..900000000`, rules.WithMemoryBudget(1), rules.WithMaxSteps(1))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := r.Eval(&rules.Env{Tier: 2, Escalations: 1}); !ok || err != nil {
		t.Errorf("Eval = %v, %v; want true, nil", ok, err)
	}
}
