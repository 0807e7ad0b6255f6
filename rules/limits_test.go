package rules_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// hugePattern is 3,500 bytes of pattern that compiles to half a million
// instructions: compiling it took 0.4 s and 240 MB.
var hugePattern = strings.Repeat(`.{999}`, 580)

// TestLimitErrors: a rule over a limit is refused, or stopped, with an
// *Error that names the rule and the limit, and errors.Is finds ErrLimit;
// other problems are not limits.
func TestLimitErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		opts      []rules.Option
		eval      bool   // the limit is met when the rule runs
		limit     string // "" for a problem that is not a limit
		msg       string
	}{
		{"source", `"` + strings.Repeat("a", 5000) + `" != ""`, nil, false, "MaxSourceLen", "the condition is 5008 bytes long, the limit is 4096"},
		{"depth", strings.Repeat("(", 40) + "true" + strings.Repeat(")", 40), nil, false, "MaxDepth", "the condition nests deeper than 32"},
		{"nodes", strings.Repeat("1 + ", 1000) + "1 > 0", nil, false, "MaxNodes", "the condition has more than 1000 nodes"},
		{"pattern", `ticket.subject matches "` + hugePattern + `"`, nil, false, "MaxRegexSize", "the pattern is larger than 1000 instructions"},
		{"pattern of an option", `ticket.subject matches "[a-z]{20}"`, []rules.Option{rules.WithMaxRegexSize(10)}, false, "MaxRegexSize", "the pattern is larger than 10 instructions"},
		{"steps", `all(1..9000, tier > 1 && tier < 5)`, nil, true, "MaxSteps", "step budget exceeded"},
		{"memory", `len(1..100000000) > 0`, nil, true, "MemoryBudget", "memory budget exceeded"},
		{"long business span", `business_between(date("0001-01-01"), date("9999-12-31")) > duration("1h")`, nil, true, "MaxSteps", "step budget exceeded"},
		{"unknown name", `nope == 1`, nil, false, "", `unknown name "nope"`},
		{"overflow", `9223372036854775807 + tier > 0`, nil, true, "", "integer overflow: 9223372036854775807 + 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			set, err := rules.CompileSet([]rules.Source{{Name: "fine", When: "tier > 1"}, {Name: "x-" + c.name, When: c.src}}, c.opts...)
			if c.eval {
				if err != nil {
					t.Fatal(err)
				}
				_, err = set.Rule(1).Eval(testEnv())
			}
			var e *rules.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is no *rules.Error", err)
			}
			if e.Rule != "x-"+c.name || e.Limit != c.limit || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got rule %q, limit %q, msg %q; want rule %q, limit %q, msg containing %q", e.Rule, e.Limit, e.Msg, "x-"+c.name, c.limit, c.msg)
			}
			if errors.Is(err, rules.ErrLimit) != (c.limit != "") {
				t.Errorf("errors.Is(%v, ErrLimit) = %v", err, !(c.limit != ""))
			}
		})
	}
}

// TestPatternsBounded: forty rules with a huge pattern each (it took 4.3 s
// and 5.5 GB to compile them) are all refused at once, in milliseconds and
// within a few megabytes; forty with the largest pattern allowed compile.
func TestPatternsBounded(t *testing.T) {
	srcs := make([]rules.Source, 40)
	for i := range srcs {
		srcs[i] = rules.Source{Name: fmt.Sprint("r", i), When: fmt.Sprintf(`ticket.subject matches "%s%d"`, hugePattern, i)}
	}
	var err error
	bytes := allocated(func() { _, err = rules.CompileSet(srcs) })
	var es rules.Errors
	if !errors.As(err, &es) || len(es) != 40 {
		t.Fatalf("CompileSet: %v; want 40 problems", err)
	}
	for i, e := range es {
		if e.Rule != fmt.Sprint("r", i) || e.Limit != "MaxRegexSize" {
			t.Errorf("problem %d: rule %q, limit %q", i, e.Rule, e.Limit)
		}
	}
	if bytes > 64<<20 {
		t.Errorf("refusing 40 huge patterns allocated %d MB, want under 64", bytes>>20)
	}

	for i := range srcs {
		srcs[i].When = fmt.Sprintf(`ticket.subject matches "(?:[a-z]?){330}%d"`, i)
	}
	bytes = allocated(func() { _, err = rules.CompileSet(srcs) })
	if err != nil {
		t.Fatal(err)
	}
	if bytes > 64<<20 {
		t.Errorf("compiling 40 of the largest patterns allowed allocated %d MB, want under 64", bytes>>20)
	}
}

// TestOverflow: integer arithmetic that overflows is an evaluation error
// (a compile error when both operands are constants), never a wrapped
// value; arithmetic that fits gives what it always gave.
func TestOverflow(t *testing.T) {
	env := testEnv() // tier 2, escalations 1, time_in_tier 5h
	for _, c := range []struct {
		src     string
		want    bool
		compile string // the compile error, if any
		eval    string // the evaluation error, if any
	}{
		{src: `tier + 1 == 3`, want: true},
		{src: `tier - 5 == -3`, want: true},
		{src: `tier * -4 == -8`, want: true},
		{src: `-tier == -2`, want: true},
		{src: `-(tier - 3) == 1`, want: true},
		{src: `tier % 2 == 0`, want: true},
		{src: `time_in_tier * 2 == duration("10h")`, want: true},
		{src: `time_in_tier - duration("6h") < duration("0s")`, want: true},
		{src: `(2 + 3) * tier == 10`, want: true},
		{src: `9223372036854775807 - tier > 0`, want: true},
		{src: `9223372036854775807 + tier > 0`, eval: "integer overflow: 9223372036854775807 + 2"},
		{src: `-9223372036854775807 - tier < 0`, eval: "integer overflow: -9223372036854775807 - 2"},
		{src: `escalations * 4611686018427387904 * 2 == 0`, eval: "integer overflow: 4611686018427387904 * 2"},
		{src: `tier * 4611686018427387904 > 0`, eval: "integer overflow: 2 * 4611686018427387904"},
		{src: `-(-9223372036854775807 - escalations) > 0`, eval: "integer overflow: -(-9223372036854775808)"},
		{src: `time_in_tier * 9223372036854775807 > duration("0s")`, eval: "integer overflow: 5h0m0s * 9223372036854775807"},
		{src: `duration("2562047h") + time_in_tier > duration("0s")`, eval: "integer overflow: 2562047h0m0s + 5h0m0s"},
		{src: `9223372036854775807 + 1 > 0`, compile: "integer overflow: 9223372036854775807 + 1"},
		{src: `3037000500 * 3037000500 > 0`, compile: "integer overflow: 3037000500 * 3037000500"},
	} {
		r, err := rules.Compile(c.src)
		if c.compile != "" {
			if err == nil || !strings.Contains(err.Error(), c.compile) {
				t.Errorf("%s: Compile = %v, want %q", c.src, err, c.compile)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		got, err := r.Eval(env)
		switch {
		case c.eval != "" && (err == nil || !strings.Contains(err.Error(), c.eval)):
			t.Errorf("%s: Eval = %v, %v; want the error %q", c.src, got, err, c.eval)
		case c.eval == "" && (err != nil || got != c.want):
			t.Errorf("%s: Eval = %v, %v; want %v", c.src, got, err, c.want)
		}
	}
}

// TestBusinessBetweenBounded: business time over a span the budget allows
// is the calendar's, exactly; over years 1 to 9999 (138 ms and 41 MB on a
// calendar that had computed nothing) it stops at once.
func TestBusinessBetweenBounded(t *testing.T) {
	cal := newYorkOffice(t)
	env := testEnv()
	env.Calendar = cal
	from := env.Now.AddDate(-10, 0, 0)
	r, err := rules.Compile(`business_between(ticket.from, now) == ticket.want`)
	if err != nil {
		t.Fatal(err)
	}
	env.Ticket["from"], env.Ticket["want"] = from, cal.Between(from, env.Now)
	if ok, err := r.Eval(env); !ok || err != nil {
		t.Errorf("ten years of business time: %v, %v; want the calendar's %v", ok, err, cal.Between(from, env.Now))
	}

	long, err := rules.Compile(`business_between(date("0001-01-01"), date("9999-12-31")) > duration("1h")`)
	if err != nil {
		t.Fatal(err)
	}
	env.Calendar = newYorkOffice(t)
	start := time.Now()
	bytes := allocated(func() { _, err = long.Eval(env) })
	if !errors.Is(err, rules.ErrLimit) {
		t.Errorf("years 1 to 9999: %v, want the step budget exceeded", err)
	}
	if bytes > 1<<20 {
		t.Errorf("years 1 to 9999 allocated %d KB before stopping, in %v", bytes>>10, time.Since(start))
	}
}
