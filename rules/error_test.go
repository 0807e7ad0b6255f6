package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ladder-go/ladder/rules"
)

var testSchema = rules.Schema{
	"customer": rules.Object(rules.Schema{"vip": rules.Bool}),
	"subject":  rules.String,
	"pattern":  rules.String,
	"tags":     rules.Strings,
}

// compileErrors is the golden table of compile errors, with the schema
// above.
var compileErrors = []struct {
	src  string
	want string
}{
	{`priorty == "P1"`, `rules: 1:1: unknown name "priorty"
 | priorty == "P1"
 | ^`},
	{`ticket.priorty == "P1"`, `rules: 1:8: unknown field "priorty"
 | ticket.priorty == "P1"
 |        ^`},
	{`ticket.customer.viip`, `rules: 1:17: unknown field "viip"
 | ticket.customer.viip
 |                 ^`},
	{`sla.frist_response.remaining < duration("1h")`, `rules: 1:5: unknown field "frist_response"
 | sla.frist_response.remaining < duration("1h")
 |     ^`},
	{`sla.resolution.remaning > duration("1h")`, `rules: 1:16: unknown field "remaning"
 | sla.resolution.remaning > duration("1h")
 |                ^`},
	{"tier > 1 &&\n\tpriorty == \"P1\"", "rules: 2:2: unknown name \"priorty\"\n | \tpriorty == \"P1\"\n | \t^"},
	{`tier < "3"`, `rules: 1:6: invalid operation: < (mismatched types int and string)
 | tier < "3"
 |      ^`},
	{`ticket.customer.vip && ticket.subject == 1`, `rules: 1:39: invalid operation: == (mismatched types string and int)
 | ticket.customer.vip && ticket.subject == 1
 |                                       ^`},
	{`"a" + 1 == "a1"`, `rules: 1:5: invalid operation: + (mismatched types string and int)
 | "a" + 1 == "a1"
 |     ^`},
	{`sla.resolution.remaining < 0`, `rules: 1:26: invalid operation: < (mismatched types time.Duration and int)
 | sla.resolution.remaining < 0
 |                          ^`},
	{`priority`, `rules: 1:1: the condition is string, not bool
 | priority
 | ^`},
	{`ticket.tags`, `rules: 1:1: the condition is list, not bool
 | ticket.tags
 | ^`},
	{`duration("3x") > idle`, `rules: 1:10: duration: "3x" is not a duration like "30m" or "1h30m"
 | duration("3x") > idle
 |          ^`},
	{`now < date("24/12/2026")`, `rules: 1:12: date: "24/12/2026" is not a date like "2026-03-08" or "2026-03-08T09:00:00Z"
 | now < date("24/12/2026")
 |            ^`},
	{`now(1) > now`, `rules: 1:1: now() takes no arguments
 | now(1) > now
 | ^`},
	{`is_open(1)`, `rules: 1:9: cannot use int as argument (type time.Time) to call is_open
 | is_open(1)
 |         ^`},
	{`business_between(now) > idle`, `rules: 1:1: not enough arguments to call business_between
 | business_between(now) > idle
 | ^`},
	{`is_open`, `rules: 1:1: is_open is a function: call it as is_open(...)
 | is_open
 | ^`},
	{`now.Hour() > 9`, `rules: 1:5: unknown function "Hour"
 | now.Hour() > 9
 |     ^`},
	{`now.Hour != nil`, `rules: 1:5: unknown field "Hour"
 | now.Hour != nil
 |     ^`},
	{`idle.Hours != nil`, `rules: 1:6: unknown field "Hours"
 | idle.Hours != nil
 |      ^`},
	{`ticket.tags()`, `rules: 1:8: unknown function "tags"
 | ticket.tags()
 |        ^`},
	{`reduce(ticket.tags, #acc + 1, 0) > 0`, `rules: 1:1: unknown name "reduce"
 | reduce(ticket.tags, #acc + 1, 0) > 0
 | ^`},
	{`string(tier) == "2"`, `rules: 1:1: unknown name "string"
 | string(tier) == "2"
 | ^`},
	{`$env.priority == "P1"`, `rules: 1:1: unknown name "$env"
 | $env.priority == "P1"
 | ^`},
	{`let $x = 1; $x > 0`, `rules: 1:5: "$x": names starting with $ are reserved
 | let $x = 1; $x > 0
 |     ^`},
	{`let tier = 1; tier > 0`, `rules: 1:5: cannot redeclare tier
 | let tier = 1; tier > 0
 |     ^`},
	{`ticket.subject matches ticket.pattern`, `rules: 1:31: the pattern of matches must be a constant string
 | ticket.subject matches ticket.pattern
 |                               ^`},
	{`ticket.subject matches "(("`, "rules: 1:16: error parsing regexp: missing closing ): `((`\n | ticket.subject matches \"((\"\n |                ^"},
	{`1 % 0 > 0`, `rules: 1:3: integer divide by zero
 | 1 % 0 > 0
 |   ^`},
	{`tier < `, "rules: 1:7: unexpected end of the condition\n | tier < \n |       ^"},
	{`tier == 1 tier == 2`, `rules: 1:11: unexpected token Identifier("tier")
 | tier == 1 tier == 2
 |           ^`},
	{`"unterminated`, `rules: 1:14: literal not terminated
 | "unterminated
 |              ^`},
	{`tier == 1 @ 2`, `rules: 1:11: unrecognized character: U+0040 '@'
 | tier == 1 @ 2
 |           ^`},
	{``, `rules: the condition is empty`},
	{" \n\t", `rules: the condition is empty`},
	{strings.Repeat("(", 33) + "true" + strings.Repeat(")", 33), `rules: 1:33: the condition nests deeper than 32
 | (((((((((((((((((((((((((((((((((true)))))))))))))))))))))))))))))))))
 |                                 ^`},
	{strings.Repeat("!", 33) + "true", `rules: 1:33: the condition nests deeper than 32
 | !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true
 |                                 ^`},
	{`"é" + x`, `rules: 1:7: unknown name "x"
 | "é" + x
 |       ^`},
	{strings.Repeat("x", 4097), `rules: the condition is 4097 bytes long, the limit is 4096`},
}

func TestCompileErrors(t *testing.T) {
	for _, tt := range compileErrors {
		_, err := rules.Compile(tt.src, rules.WithSchema(testSchema))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Compile(%q) error:\n%v\nwant:\n%s", tt.src, err, tt.want)
		}
	}
}

func TestCompileErrorFields(t *testing.T) {
	_, err := rules.Compile("tier > 1 &&\n  priorty == \"P1\"")
	var e *rules.Error
	if !errors.As(err, &e) {
		t.Fatalf("Compile error %v is not an *Error", err)
	}
	want := rules.Error{
		Index: -1, Line: 2, Column: 3,
		Msg:     `unknown name "priorty"`,
		Snippet: " |   priorty == \"P1\"\n |   ^",
	}
	if *e != want {
		t.Errorf("error = %#v\nwant %#v", *e, want)
	}
}

func TestCompileSetErrors(t *testing.T) {
	_, err := rules.CompileSet([]rules.Source{
		{Name: "vip", When: `ticket.customer.vip && tier < 3`},
		{Name: "typo", When: `priority == "P1" && tier < 3 && priorty == "P2"`},
		{Name: "fine", When: `idle > duration("2h")`},
		{When: `sla.resolution.breached && status == 1`},
		{Name: "long", When: strings.Repeat(" ", 60) + "true"},
	}, rules.WithSchema(testSchema), rules.WithMaxSourceLen(50))
	want := `rules: rules[1].when: 1:33: unknown name "priorty"
 | priority == "P1" && tier < 3 && priorty == "P2"
 |                                 ^
rules: rules[3].when: 1:35: invalid operation: == (mismatched types string and int)
 | sla.resolution.breached && status == 1
 |                                   ^
rules: rules[4].when: the condition is 64 bytes long, the limit is 50`
	if err == nil || err.Error() != want {
		t.Fatalf("CompileSet error:\n%v\nwant:\n%s", err, want)
	}
	var list rules.Errors
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("error %T is not an Errors of 3", err)
	}
	got := []rules.Error{*list[0], *list[1], *list[2]}
	wantFields := []struct {
		rule        string
		index, line int
	}{{"typo", 1, 1}, {"", 3, 1}, {"long", 4, 0}}
	for i, w := range wantFields {
		if got[i].Rule != w.rule || got[i].Index != w.index || got[i].Field != "when" || got[i].Line != w.line {
			t.Errorf("error %d = %+v, want rule %q index %d line %d", i, got[i], w.rule, w.index, w.line)
		}
		if got[i].Path() != "rules["+string(rune('0'+w.index))+"].when" {
			t.Errorf("error %d path = %q", i, got[i].Path())
		}
	}
	var first *rules.Error
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As(*Error) = %v, want the first problem", first)
	}
}
