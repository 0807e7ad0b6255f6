package escalation_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// policyOptions compare policies as values: a schema's types by their
// contents, and an empty list or map like an absent one (JSON omits both).
var policyOptions = cmp.Options{cmp.AllowUnexported(rules.Type{}), cmpopts.EquateEmpty()}

// readTestdata returns the contents of a file in testdata.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// quickstartJSON is the policy the quickstart runs: the realistic one.
func quickstartJSON(t testing.TB) []byte {
	t.Helper()
	return readTestdata(t, "../../examples/quickstart/policy.json")
}

// acmePolicy returns the quickstart's policy.
func acmePolicy(t testing.TB) *escalation.Policy {
	t.Helper()
	p, err := escalation.ParsePolicy(quickstartJSON(t))
	if err != nil {
		t.Fatalf("the quickstart policy: %v", err)
	}
	return p
}

// invalidPolicy returns the text of a *PolicyError with these problem lines.
func invalidPolicy(lines ...string) string {
	return "escalation: invalid policy:\n\t" + strings.Join(lines, "\n\t")
}

func TestParsePolicyAcme(t *testing.T) {
	p := acmePolicy(t)
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if p.Name != "acme-support" || p.Calendar != "business" || p.DefaultTeam != "billing" {
		t.Errorf("name %q, calendar %q, default team %q", p.Name, p.Calendar, p.DefaultTeam)
	}
	if want := []string{"frontline", "specialists", "engineering", "escalation_manager"}; !slices.Equal(p.Tiers, want) {
		t.Errorf("tiers %q, want %q", p.Tiers, want)
	}
	if got := len(p.Calendars["business"].Holidays); got != 23 {
		t.Errorf("%d holidays, want 23", got)
	}
	var names []string
	for _, r := range p.Rules {
		names = append(names, r.Name)
	}
	want := []string{"vip-fast-lane", "breach-warning", "first-response-breached", "network-outage", "stale-ticket"}
	if !slices.Equal(names, want) {
		t.Errorf("rules %q, want %q", names, want)
	}
	wantRule := escalation.Rule{
		Name:   "first-response-breached",
		On:     escalation.Trigger{Metric: "first_response", Breach: true},
		When:   "!sla.first_response.met",
		Repeat: escalation.Duration(30 * time.Minute),
		Do:     []escalation.Action{{Notify: []string{"duty_manager"}}},
	}
	if diff := cmp.Diff(wantRule, p.Rules[2]); diff != "" {
		t.Errorf("rules[2] (-want +got):\n%s", diff)
	}
	m, err := matrix.New(p.Matrix, p.Tiers)
	if err != nil {
		t.Fatal(err)
	}
	if prio, _ := m.Priority("high", "high"); prio != "P1" {
		t.Errorf("high x high is %q, want P1", prio)
	}
	if prio, _ := m.Priority("low", "low"); prio != "P4" {
		t.Errorf("low x low is %q, want P4", prio)
	}
}

func TestParsePolicyRoundTrip(t *testing.T) {
	p := acmePolicy(t)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := escalation.ParsePolicy(data)
	if err != nil {
		t.Fatalf("ParsePolicy(Marshal(acme)): %v", err)
	}
	if diff := cmp.Diff(p, back, policyOptions); diff != "" {
		t.Errorf("round trip (-policy.json +marshalled):\n%s", diff)
	}
}

// TestParsePolicyErrors pins the text of the errors of documents that are
// not JSON, or that do not fit a policy's fields.
func TestParsePolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty", " \n", invalidPolicy("empty document")},
		{"syntax", "{\n  \"name\": \"x\",\n  \"tiers\": [\"a\" \"b\"]\n}",
			invalidPolicy(`line 3, column 17: invalid character '"' after array element`)},
		{"truncated", `{"name": "x"`, invalidPolicy("line 1, column 12: unexpected end of JSON input")},
		{"trailing data", `{} x`, invalidPolicy("line 1, column 4: invalid character 'x' after top-level value")},
		{"not an object", `["acme"]`, invalidPolicy("want an object, got an array")},
		{"null", `null`, invalidPolicy(
			"name: required",
			"version: required",
			"tiers: empty; want at least one tier",
			"matrix.impacts: empty; want at least one impact",
			"matrix.urgencies: empty; want at least one urgency",
			"matrix.priorities: empty; want at least one priority",
		)},
		{"unknown fields", `{"name": "x", "Version": "1", "rules": [{"name": "r", "on": {"evnt": "opened"},
			"do": [{"notify": ["a"], "cc": ["b"]}]}], "matrix": {"impacts": ["h"], "urgencies": ["h"], "grid": [["P1"]],
			"priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4h", "warn": 75}]}]},
			"tiers": ["frontline"]}`,
			invalidPolicy(
				"version: required",
				"matrix.priorities[0].goals[0].warn: unknown field; want one of metric, target, calendar",
				"rules[0].on.evnt: unknown field; want one of event, metric, percent, breach, before_due, in_tier, idle, calendar",
				"rules[0].do[0].cc: unknown field; want one of escalate, deescalate, team, notify, set_priority, set_impact, set_urgency, pause, resume",
				"Version: unknown field; want one of name, version, calendars, calendar, tiers, teams, default_team, open_teams, schema, matrix, contracts, targets, statuses, pause, final_close, rules",
			)},
		{"names that are not plain", `{"name": "x", "version": "1", "tiers": ["t"],
			"calendars": {"my office": {"week": {"mon": ["9-5"]}}},
			"teams": {"first line": {"handoff": ["first line"]}}, "default_team": "first line",
			"matrix": {"impacts": ["h"], "urgencies": ["h"], "grid": [["P1"]],
			  "priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}]}]},
			"pause": {"on\nhold": ["resolution", "x"]}}`,
			invalidPolicy(
				`calendars["my office"].week.mon[0]: "9-5": malformed window: want "HH:MM-HH:MM"`,
				`teams["first line"].handoff: hand-offs form a cycle: "first line" -> "first line"`,
				`pause["on\nhold"][1]: unknown metric "x"; want one of "resolution"`,
			)},
		{"wrong types", `{"name": 5, "version": "1", "tiers": "frontline", "teams": [],
			"schema": {"vip": "boolean", "customer": {"n": 1, "m": null}},
			"targets": {"resolution": {"warn_percent": [1e999], "warn_before": [true]}},
			"rules": [{"name": "r", "on": {"percent": "75", "breach": "yes", "idle": 3600, "in_tier": "2 hours"},
			  "repeat": null, "do": {}}]}`,
			invalidPolicy(
				"name: want a string, got 5",
				"tiers: want an array, got \"frontline\"",
				"teams: want an object, got an array",
				"schema.customer.n: want a type name or an object, got 1",
				`schema.vip: unknown attribute type "boolean" (want one of any, string, int, float, bool, time, duration, strings, list or an object)`,
				"matrix.impacts: empty; want at least one impact",
				"matrix.urgencies: empty; want at least one urgency",
				"matrix.priorities: empty; want at least one priority",
				"targets.resolution.warn_percent[0]: number 1e999 is out of range",
				`targets.resolution.warn_before[0]: true is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`rules[0].on.percent: want a number, got "75"`,
				`rules[0].on.breach: want true or false, got "yes"`,
				`rules[0].on.in_tier: "2 hours" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`rules[0].on.idle: 3600 is not a duration (a string such as "30m", "4h" or "1h30m")`,
				"rules[0].do: want an array, got an object",
			)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := escalation.ParsePolicy([]byte(tc.doc))
			if p != nil {
				t.Errorf("ParsePolicy returned a policy with its error")
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParsePolicy:\n%v\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// TestParsePolicyManyMistakes pins the error of a policy with mistakes in
// every part, each reported once, in the order of the policy's fields.
func TestParsePolicyManyMistakes(t *testing.T) {
	_, err := escalation.ParsePolicy(readTestdata(t, "mistakes.json"))
	want := invalidPolicy(
		"name: required",
		`calendars.24x7: "24x7" is predefined (open at every instant) and cannot be redefined`,
		`calendars.office.location: "Mars/Olympus": unknown time zone`,
		`calendars.office.week.mon[0]: "9-5": malformed window: want "HH:MM-HH:MM"`,
		`calendars.office.holidays[0]: "2026-02-30": no such date`,
		`calendar: unknown calendar "ofice"; want one of "24x7", "office"`,
		`tiers[2]: duplicate tier "l2", first at tiers[1]`,
		`teams.network.handoff[1]: unknown team "sales"; want one of "billing", "network"`,
		`teams.billing.handoff: hand-offs form a cycle: billing -> network -> billing`,
		`default_team: unknown team "support"; want one of "billing", "network"`,
		`matrix.priorities[0].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")`,
		`matrix.grid[1][1]: unknown priority "P9"`,
		`matrix.priorities[0].levels[0].tier: unknown tier "l3"; want one of "l1", "l2", "l2"`,
		`matrix.priorities[0].goals[0].calendar: unknown calendar "weekend"; want one of "24x7", "office"`,
		`matrix.priorities[0].levels[0].team: unknown team "ops"; want one of "billing", "network"`,
		`targets.first_reponse: unknown metric "first_reponse"; want one of "first_response", "resolution"`,
		`targets.resolution.warn_percent[1]: 120 is not in (0, 100]`,
		`targets.resolution.warn_before[0]: "10h" is not shorter than the resolution goal of P2, "8h"`,
		`pause.pending_customer[1]: unknown metric "resolve"; want one of "first_response", "resolution"`,
		`rules[4].on.evnt: unknown field; want one of event, metric, percent, breach, before_due, in_tier, idle, calendar`,
		`rules[0].when: 1:1: unknown name "priorty"`,
		` | priorty == "P1"`,
		` | ^`,
		`rules[0].do[0].escalate: unknown tier "l4"; want one of "next", "l1", "l2", "l2"`,
		`rules[1].name: duplicate rule name "a", first at rules[0]`,
		`rules[1].on: more than one of percent, breach and before_due; want exactly one`,
		`rules[1].do: empty; want at least one action`,
		`rules[2].name: required`,
		`rules[2].on: more than one trigger (event, idle); want exactly one`,
		`rules[2].repeat: an event trigger does not repeat; only time triggers do (metric, in_tier, idle)`,
		`rules[2].do[0]: more than one action (team, notify); want exactly one per item`,
		`rules[2].do[1]: no action; want one of escalate, deescalate, team, notify, set_priority, set_impact, set_urgency, pause, resume`,
		`rules[3].on.before_due: "3h" is not shorter than any first_response goal (the longest is "2h", of P2); the rule could never fire`,
		`rules[3].do[0].set_priority: unknown priority "P7"; want one of "P1", "P2"`,
		`rules[3].do[1].pause: unknown metric "sla"; want one of "first_response", "resolution"`,
		`rules[4].on.calendar: unknown calendar "nowhere"; want one of "24x7", "office"`,
		`rules[4].when: 2:26: invalid operation: > (mismatched types float64 and string)`,
		` |   sla.resolution.percent > "75"`,
		` |                          ^`,
		`rules[4].do[0].notify[0]: empty contact`,
		`extra: unknown field; want one of name, version, calendars, calendar, tiers, teams, default_team, open_teams, schema, matrix, contracts, targets, statuses, pause, final_close, rules`,
	)
	if err == nil || err.Error() != want {
		t.Fatalf("ParsePolicy(mistakes.json):\n%v\nwant:\n%s", err, want)
	}
}

// TestPolicyErrorUnwrap checks that errors.As reaches the errors of the
// packages that found problems, and that problems carry their snippets.
func TestPolicyErrorUnwrap(t *testing.T) {
	_, err := escalation.ParsePolicy(readTestdata(t, "mistakes.json"))
	var pe *escalation.PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("%T is not a *PolicyError", err)
	}
	var fe *sla.FieldError
	if !errors.As(err, &fe) || fe.Field != "location" || fe.Value != "Mars/Olympus" {
		t.Errorf("errors.As(*sla.FieldError): %v", fe)
	}
	var re *rules.Error
	if !errors.As(err, &re) || re.Path() != "rules[0].when" || re.Column != 1 {
		t.Errorf("errors.As(*rules.Error): %v", re)
	}
	var me *matrix.Error
	if !errors.As(err, &me) || !slices.Contains(me.Problems, matrix.Problem{Path: "grid[1][1]", Msg: `unknown priority "P9"`}) {
		t.Errorf("errors.As(*matrix.Error): %v", me)
	}
	i := slices.IndexFunc(pe.Problems, func(p escalation.Problem) bool { return p.Path == "rules[4].when" })
	if i < 0 {
		t.Fatal("no problem at rules[4].when")
	}
	want := escalation.Problem{
		Path:    "rules[4].when",
		Msg:     "2:26: invalid operation: > (mismatched types float64 and string)",
		Snippet: " |   sla.resolution.percent > \"75\"\n |                          ^",
	}
	if diff := cmp.Diff(want, pe.Problems[i], cmpopts.IgnoreFields(escalation.Problem{}, "Err")); diff != "" {
		t.Errorf("problem (-want +got):\n%s", diff)
	}

	_, err = escalation.ParsePolicy([]byte(`{"name": }`))
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) || syntax.Offset != 10 {
		t.Errorf("errors.As(*json.SyntaxError): %v", err)
	}
}

// TestValidateErrors pins the text of the errors of policies built in Go:
// the acme policy with mistakes.
func TestValidateErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *escalation.Policy)
		want   string
	}{
		{"zero", func(p *escalation.Policy) { *p = escalation.Policy{} }, invalidPolicy(
			"name: required",
			"version: required",
			"tiers: empty; want at least one tier",
			"matrix.impacts: empty; want at least one impact",
			"matrix.urgencies: empty; want at least one urgency",
			"matrix.priorities: empty; want at least one priority",
		)},
		{"tiers", func(p *escalation.Policy) { p.Tiers = []string{"frontline", "", "frontline", "specialists"} }, invalidPolicy(
			"tiers[1]: empty tier",
			`tiers[2]: duplicate tier "frontline", first at tiers[0]`,
			`matrix.priorities[0].levels[1].tier: unknown tier "engineering"; want one of "frontline", "", "frontline", "specialists"`,
			`matrix.priorities[0].levels[2].tier: unknown tier "escalation_manager"; want one of "frontline", "", "frontline", "specialists"`,
			`matrix.priorities[1].levels[1].tier: unknown tier "engineering"; want one of "frontline", "", "frontline", "specialists"`,
			`matrix.priorities[2].levels[1].tier: unknown tier "engineering"; want one of "frontline", "", "frontline", "specialists"`,
		)},
		{"calendars", func(p *escalation.Policy) {
			p.Calendars["24x7"] = sla.CalendarSpec{Week: map[string][]string{"mon-sun": {"00:00-24:00"}}}
			p.Calendars[""] = sla.CalendarSpec{Week: map[string][]string{"mon": {"09:00-17:00"}}}
			p.Calendars["night"] = sla.CalendarSpec{Week: map[string][]string{"mon-frx": {"22:00-06:00"}, "sat": {"25:00-26:00"}}}
			p.Calendar = "office"
		}, invalidPolicy(
			"calendars: a calendar has an empty name",
			`calendars.24x7: "24x7" is predefined (open at every instant) and cannot be redefined`,
			`calendars.night.week: "mon-frx": unknown day: want "mon".."sun" or a range such as "mon-fri"`,
			`calendars.night.week.sat[0]: "25:00-26:00": hour out of range in "25:00": want 00-23, or 24:00 as an end`,
			`calendar: unknown calendar "office"; want one of "24x7", "business", "night"`,
		)},
		{"teams", func(p *escalation.Policy) {
			p.Teams = map[string]escalation.Team{
				"billing": {Handoff: []string{"network", "billing"}},
				"network": {Handoff: []string{"sales"}},
				"sales":   {Handoff: []string{"billing", "network"}},
				"support": {Handoff: []string{"support", "billing", "desk"}},
			}
			p.DefaultTeam = ""
		}, invalidPolicy(
			`teams.support.handoff[2]: unknown team "desk"; want one of "billing", "network", "sales", "support"`,
			`teams.billing.handoff: hand-offs form a cycle: billing -> network -> sales -> billing`,
			`teams.support.handoff: hand-offs form a cycle: support -> support`,
			"default_team: required when teams are declared",
		)},
		{"no teams", func(p *escalation.Policy) {
			p.Teams = nil
			p.Matrix.Priorities[0].Levels[0].Team = "network"
		}, invalidPolicy(
			`default_team: unknown team "billing"; none is declared`,
			`matrix.priorities[0].levels[0].team: unknown team "network"; none is declared`,
			`rules[3].do[0].team: unknown team "network"; none is declared`,
		)},
		{"targets and pause", func(p *escalation.Policy) {
			p.Targets["resolution"] = escalation.TargetSettings{
				WarnPercent: []float64{50, 0, -5, 100},
				WarnBefore:  []escalation.Duration{escalation.Duration(-time.Minute), 0, escalation.Duration(4 * time.Hour)},
			}
			p.Targets["next_response"] = escalation.TargetSettings{WarnBefore: []escalation.Duration{escalation.Duration(time.Hour)}}
			p.Pause[""] = []string{"resolution"}
			p.Pause["on_hold"] = []string{"resolution", "first_responce"}
		}, invalidPolicy(
			`targets.next_response.warn_before[0]: "1h" is not shorter than the next_response goal of P1, "1h"`,
			"targets.resolution.warn_percent[1]: 0 is not in (0, 100]",
			"targets.resolution.warn_percent[2]: -5 is not in (0, 100]",
			`targets.resolution.warn_before[0]: must be positive, got "-1m"`,
			`targets.resolution.warn_before[1]: must be positive, got "0s"`,
			`targets.resolution.warn_before[2]: "4h" is not shorter than the resolution goal of P1, "4h"`,
			"pause: a status has an empty name",
			`pause.on_hold: unknown status "on_hold"; want one of "open", "pending_customer", "resolved", "closed"`,
			`pause.on_hold[1]: unknown metric "first_responce"; want one of "first_response", "next_response", "resolution"`,
		)},
		{"triggers", func(p *escalation.Policy) {
			p.Rules = []escalation.Rule{
				{Name: "none", Do: anyAction},
				{Name: "event", On: escalation.Trigger{Event: "assigned"}, Do: anyAction},
				{Name: "metric", On: escalation.Trigger{Metric: "resolution"}, Do: anyAction},
				{Name: "point", On: escalation.Trigger{Percent: 120, BeforeDue: -1}, Do: anyAction},
				{Name: "custom", On: escalation.Trigger{Metric: "handover", Breach: true}, Do: anyAction},
				{Name: "late", On: escalation.Trigger{Metric: "resolution", BeforeDue: escalation.Duration(40 * time.Hour)}, Do: anyAction},
				{Name: "times", On: escalation.Trigger{InTier: -1, Idle: escalation.Duration(-time.Minute)}, Do: anyAction},
				{Name: "calendar", On: escalation.Trigger{Event: "opened", Calendar: "business"}, Do: anyAction},
				{Name: "nowhere", On: escalation.Trigger{Idle: escalation.Duration(time.Minute), Calendar: "weekend"}, Do: anyAction},
			}
		}, invalidPolicy(
			"rules[0].on: no trigger; want one of event, metric, in_tier or idle",
			`rules[1].on.event: unknown event "assigned"; want one of "opened", "agent_replied", "customer_replied", "status_changed", "fields_changed", "resolved", "reopened", "closed", "escalated", "de_escalated", "handed_off"`,
			"rules[2].on: a metric trigger needs one of percent, breach or before_due",
			"rules[3].on.percent: 120 is not in (0, 100]",
			`rules[3].on.before_due: must be positive, got "-1ns"`,
			"rules[3].on.metric: required with percent and before_due",
			"rules[3].on: more than one of percent, breach and before_due; want exactly one",
			`rules[4].on.metric: unknown metric "handover"; want one of "first_response", "next_response", "resolution"`,
			`rules[5].on.before_due: "40h" is not shorter than any resolution goal (the longest is "40h", of P4); the rule could never fire`,
			`rules[6].on.in_tier: must be positive, got "-1ns"`,
			`rules[6].on.idle: must be positive, got "-1m"`,
			"rules[6].on: more than one trigger (in_tier, idle); want exactly one",
			`rules[7].on.calendar: "business" has no effect: only in_tier, idle and repeat run on a calendar`,
			`rules[8].on.calendar: unknown calendar "weekend"; want one of "24x7", "business"`,
		)},
		{"repeat", func(p *escalation.Policy) {
			p.Rules[0].Repeat = escalation.Duration(time.Hour)
			p.Rules[1].Repeat = escalation.Duration(time.Hour)
			p.Rules[2].Repeat = escalation.Duration(-time.Hour)
		}, invalidPolicy(
			"rules[0].repeat: an event trigger does not repeat; only time triggers do (metric, in_tier, idle)",
			"rules[1].repeat: needs a when condition, which stops the repeats",
			`rules[2].repeat: must be positive, got "-1h"`,
		)},
		{"actions", func(p *escalation.Policy) {
			p.Rules[0].Do = []escalation.Action{
				{Escalate: "frontline"},
				{Escalate: "managers"},
				{Deescalate: true, SetImpact: "critical"},
				{Notify: []string{}},
				{Notify: []string{"a", ""}},
				{SetUrgency: "whenever"},
				{SetPriority: "P0"},
				{Resume: "response"},
			}
			p.Rules[1].Do = nil
		}, invalidPolicy(
			`rules[0].do[0].escalate: "frontline" is the lowest tier; no ticket can move up to it`,
			`rules[0].do[1].escalate: unknown tier "managers"; want one of "next", "frontline", "specialists", "engineering", "escalation_manager"`,
			"rules[0].do[2]: more than one action (deescalate, set_impact); want exactly one per item",
			`rules[0].do[2].set_impact: unknown impact "critical"; want one of "high", "medium", "low"`,
			"rules[0].do[3].notify: empty; want at least one contact",
			"rules[0].do[4].notify[1]: empty contact",
			`rules[0].do[5].set_urgency: unknown urgency "whenever"; want one of "high", "medium", "low"`,
			`rules[0].do[6].set_priority: unknown priority "P0"; want one of "P1", "P2", "P3", "P4"`,
			`rules[0].do[7].resume: unknown metric "response"; want one of "first_response", "next_response", "resolution"`,
			"rules[1].do: empty; want at least one action",
		)},
		{"conditions", func(p *escalation.Policy) {
			p.Rules[0].When = `ticket.customer.vipp`
			p.Rules[1].When = " "
			p.Rules[3].When = "ticket.product == \"network\" &&\n\tsla.handover.breached"
			p.Rules[4].Name = p.Rules[0].Name
		}, invalidPolicy(
			`rules[0].when: 1:17: unknown field "vipp"`,
			` | ticket.customer.vipp`,
			` |                 ^`,
			"rules[1].when: the condition is empty",
			`rules[3].when: 2:6: unknown field "handover"`,
			" | \tsla.handover.breached",
			" | \t    ^",
			`rules[4].name: duplicate rule name "vip-fast-lane", first at rules[0]`,
		)},
		{"empty schema", func(p *escalation.Policy) {
			p.Schema = rules.Schema{}
			p.Rules[0].When = "ticket.anything.goes"
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := acmePolicy(t)
			tc.change(p)
			err := p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("Validate:\n%v\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// anyAction is an action for rules whose actions a test does not care about.
var anyAction = []escalation.Action{{Notify: []string{"team_lead"}}}

func TestValidateNil(t *testing.T) {
	var p *escalation.Policy
	if err := p.Validate(); err == nil || err.Error() != invalidPolicy("no policy") {
		t.Errorf("Validate: %v", err)
	}
}

// ExampleParsePolicy shows the problems of a policy, one by one, as a
// host that edits policies would show them next to their fields.
func ExampleParsePolicy() {
	_, err := escalation.ParsePolicy([]byte(`{
	  "name": "example",
	  "version": "1",
	  "tiers": ["frontline", "specialists"],
	  "matrix": {
	    "impacts": ["high"], "urgencies": ["high"], "grid": [["P1"]],
	    "priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}]}]
	  },
	  "rules": [{
	    "name": "vip",
	    "on": {"event": "opend"},
	    "when": "ticket.vip",
	    "do": [{"escalate": "managers"}]
	  }]
	}`))
	var pe *escalation.PolicyError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			fmt.Printf("%s: %s\n", p.Path, p.Msg)
		}
	}
	// Output:
	// rules[0].on.event: unknown event "opend"; want one of "opened", "agent_replied", "customer_replied", "status_changed", "fields_changed", "resolved", "reopened", "closed", "escalated", "de_escalated", "handed_off"
	// rules[0].do[0].escalate: unknown tier "managers"; want one of "next", "frontline", "specialists"
}

func BenchmarkParsePolicy(b *testing.B) {
	data := quickstartJSON(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := escalation.ParsePolicy(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	p := acmePolicy(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
