package rules_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/rules"
)

func TestSchemaConversions(t *testing.T) {
	schema := rules.Schema{
		"s": rules.String, "i": rules.Int, "f": rules.Float, "b": rules.Bool,
		"t": rules.Time, "d": rules.Duration, "ss": rules.Strings, "l": rules.List,
		"o": rules.Object(rules.Schema{"x": rules.Int}), "a": rules.Any,
	}
	for _, tt := range []struct {
		value any    // the host's value of attribute name
		name  string // the attribute
		src   string // a condition that holds
	}{
		{"x", "s", `ticket.s == "x"`},
		{nil, "s", `ticket.s == ""`},
		{7, "i", `ticket.i == 7`},
		{int64(300), "i", `ticket.i == 300`},
		{uint8(3), "i", `ticket.i == 3`},
		{3.0, "i", `ticket.i == 3`},
		{nil, "i", `ticket.i == 0`},
		{1.5, "f", `ticket.f == 1.5`},
		{2, "f", `ticket.f == 2.0`},
		{float32(0.5), "f", `ticket.f == 0.5`},
		{nil, "f", `ticket.f == 0.0`},
		{true, "b", `ticket.b`},
		{nil, "b", `!ticket.b`},
		{t0, "t", `ticket.t == now`},
		{"2026-03-09T11:00:00+01:00", "t", `ticket.t == now`},
		{nil, "t", `ticket.t == date("0001-01-01")`},
		{90 * time.Minute, "d", `ticket.d == duration("1h30m")`},
		{"90m", "d", `ticket.d == duration("1h30m")`},
		{nil, "d", `ticket.d == duration("0s")`},
		{[]string{"a"}, "ss", `ticket.ss == ["a"] && all(ticket.ss, # == "a")`},
		{[]any{"a", "b"}, "ss", `ticket.ss[1] == "b" && len(ticket.ss) == 2`},
		{nil, "ss", `len(ticket.ss) == 0`},
		{[]any{1, "a"}, "l", `ticket.l[0] == 1 && ticket.l[1] == "a"`},
		{nil, "l", `ticket.l == nil`},
		{map[string]any{"x": 2}, "o", `ticket.o.x == 2`},
		{nil, "o", `ticket.o.x == 0 && len(ticket.o) == 0`},
		{map[string]any{"deep": []any{"v"}}, "a", `ticket.a.deep[0] == "v" && ticket.a.other == nil`},
	} {
		r, err := rules.Compile(tt.src, rules.WithSchema(schema))
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		env := &rules.Env{Now: t0, Ticket: map[string]any{tt.name: tt.value}}
		if got, err := r.Eval(env); !got || err != nil {
			t.Errorf("%s = %#v: Eval(%q) = %v, %v; want true", tt.name, tt.value, tt.src, got, err)
		}
	}
}

func TestSchemaConversionErrors(t *testing.T) {
	schema := rules.Schema{
		"s": rules.String, "i": rules.Int, "f": rules.Float, "b": rules.Bool, "t": rules.Time,
		"d": rules.Duration, "ss": rules.Strings, "l": rules.List, "o": rules.Object(nil),
	}
	for _, tt := range []struct {
		name  string
		value any
		want  string
	}{
		{"s", 1, "ticket.s is int 1, the schema says string"},
		{"i", 1.5, "ticket.i is float64 1.5, the schema says int"},
		{"i", uint64(1 << 63), "ticket.i is uint64 9223372036854775808, the schema says int"},
		{"i", "1", "ticket.i is string \"1\", the schema says int"},
		{"f", "1.5", "ticket.f is string \"1.5\", the schema says float"},
		{"b", "true", "ticket.b is string \"true\", the schema says bool"},
		{"t", "yesterday", `ticket.t is the string "yesterday", not an RFC 3339 time`},
		{"t", 5, "ticket.t is int 5, the schema says time"},
		{"d", "soon", `ticket.d is the string "soon", not a duration`},
		{"ss", []any{"a", 1}, "ticket.ss is a list whose item 1 is int, the schema says strings"},
		{"ss", "a", "ticket.ss is string \"a\", the schema says strings"},
		{"l", "a", "ticket.l is string \"a\", the schema says list"},
		{"o", []any{}, "ticket.o is []interface {}, the schema says object"},
	} {
		r, err := rules.Compile(`ticket.`+tt.name+` != nil`, rules.WithSchema(schema))
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		_, err = r.Eval(&rules.Env{Ticket: map[string]any{tt.name: tt.value}})
		var e *rules.Error
		if !errors.As(err, &e) || e.Msg != tt.want {
			t.Errorf("%s = %#v: error %v, want %q", tt.name, tt.value, err, tt.want)
		}
	}
}

func TestSchemaJSON(t *testing.T) {
	schema := rules.Schema{
		"region":   rules.String,
		"tags":     rules.Strings,
		"customer": rules.Object(rules.Schema{"vip": rules.Bool, "since": rules.Time}),
		"extra":    rules.Any,
		"empty":    rules.Object(nil),
	}
	data, err := json.Marshal(schema)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"customer":{"since":"time","vip":"bool"},"empty":{},"extra":"any","region":"string","tags":"strings"}`
	if string(data) != want {
		t.Errorf("Marshal = %s\nwant %s", data, want)
	}
	var back rules.Schema
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != want {
		t.Errorf("Marshal(Unmarshal) = %s\nwant %s", again, want)
	}
	if _, err := rules.Compile(`ticket.customer.vip && ticket.customer.since < now`, rules.WithSchema(back)); err != nil {
		t.Errorf("Compile with the decoded schema: %v", err)
	}
	for _, tt := range []struct{ in, want string }{
		{`{"a": "strng"}`, `rules: unknown attribute type "strng" (want one of any, string, int, float, bool, time, duration, strings, list or an object)`},
		{`{"a": "object"}`, `rules: unknown attribute type "object" (want one of any, string, int, float, bool, time, duration, strings, list or an object)`},
		{`{"a": 3}`, `rules: an attribute type is a name or an object: json: cannot unmarshal number into Go value of type rules.Schema`},
	} {
		var s rules.Schema
		err := json.Unmarshal([]byte(tt.in), &s)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
	if rules.Strings.String() != "strings" || rules.Object(nil).String() != "object" || (rules.Type{}).String() != "any" {
		t.Errorf("String() = %q %q %q", rules.Strings, rules.Object(nil), rules.Type{})
	}
}

func TestOptions(t *testing.T) {
	env := &rules.Env{Tier: 2, Ticket: map[string]any{"subject": strings.Repeat("x", 20)}}
	for _, tt := range []struct {
		src  string
		opt  rules.Option
		want string // "" when it compiles and holds
	}{
		{`tier == 2`, rules.WithMaxSourceLen(9), ""},
		{`tier == 2 `, rules.WithMaxSourceLen(9), "rules: the condition is 10 bytes long, the limit is 9"},
		{`tier == 2`, rules.WithMaxSourceLen(-1), ""},
		{`((tier == 2))`, rules.WithMaxDepth(2), ""},
		{`(((tier == 2)))`, rules.WithMaxDepth(2), "rules: 1:3: the condition nests deeper than 2\n | (((tier == 2)))\n |   ^"},
		{`!!(tier == 2)`, rules.WithMaxDepth(2), ""},
		{`!!!(tier == 2)`, rules.WithMaxDepth(2), "rules: 1:3: the condition nests deeper than 2\n | !!!(tier == 2)\n |   ^"},
		{`tier > 1 && tier < 3`, rules.WithMaxNodes(7), ""},
		{`tier > 1 && tier < 3`, rules.WithMaxNodes(6), "rules: the condition has more than 6 nodes"},
		{`len(1..9) == 9`, rules.WithMemoryBudget(10), ""},
		{`len(1..10) == 10`, rules.WithMemoryBudget(10), "rules: 1:6: memory budget exceeded\n | len(1..10) == 10\n |      ^"},
		{`lower(ticket.subject) != ""`, rules.WithMemoryBudget(20), ""},
		{`lower(ticket.subject) != ""`, rules.WithMemoryBudget(19), "rules: 1:1: memory budget exceeded\n | lower(ticket.subject) != \"\"\n | ^"},
		{`all(1..5, true)`, rules.WithMaxSteps(5), ""},
		{`all(1..6, true)`, rules.WithMaxSteps(5), "rules: 1:11: step budget exceeded\n | all(1..6, true)\n |           ^"},
		{`"x" in ticket.list`, rules.WithMaxSteps(3), "rules: 1:15: step budget exceeded\n | \"x\" in ticket.list\n |               ^"},
		{`sla.escalation_ack.met == false`, rules.WithMetrics("escalation_ack"), ""},
		{`sla.escalation_ack.met == false`, rules.WithMetrics(), "rules: 1:5: unknown field \"escalation_ack\"\n | sla.escalation_ack.met == false\n |     ^"},
	} {
		env.Ticket["list"] = []any{"a", "b", "c"}
		r, err := rules.Compile(tt.src, tt.opt)
		if err == nil {
			var ok bool
			if ok, err = r.Eval(env); err == nil && !ok {
				t.Errorf("Eval(%q) = false, want true", tt.src)
			}
		}
		if got := errorText(err); got != tt.want {
			t.Errorf("%q: error\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSchemaCheck(t *testing.T) {
	schema := rules.Schema{"product": rules.String, "seats": rules.Int, "customer": rules.Object(rules.Schema{"vip": rules.Bool, "since": rules.Time})}
	err := schema.Check(map[string]any{
		"product":  42,
		"seats":    float64(12), // JSON numbers are float64: converts without loss
		"other":    struct{}{},  // not declared: no rule can read it
		"customer": map[string]any{"vip": "yes", "since": "last year"},
	})
	want := "ticket.customer.since: is the string \"last year\", not an RFC 3339 time\nticket.customer.vip: is string \"yes\", the schema says bool\nticket.product: is int 42, the schema says string"
	if err == nil || err.Error() != want {
		t.Errorf("Check:\n%v\nwant:\n%s", err, want)
	}
	if err := schema.Check(map[string]any{"product": "vpn", "customer": map[string]any{"vip": true}}); err != nil {
		t.Errorf("Check of fitting attributes: %v", err)
	}
	if err := rules.Schema(nil).Check(map[string]any{"x": struct{}{}}); err == nil {
		t.Errorf("a nil schema accepted a value rules cannot read")
	}
}
