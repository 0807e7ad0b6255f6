package escalation_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
)

// TestPriorityInputs: an impact without an urgency (or the reverse) takes
// the matrix's default, or is refused naming the missing field; a ticket
// opened with neither gets the defaults' cell, or the lowest priority.
func TestPriorityInputs(t *testing.T) {
	ctx := context.Background()
	without := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	for _, ev := range []escalation.Event{
		{Ticket: "I-1", Kind: escalation.Opened, Impact: "high"},
		{Ticket: "I-2", Kind: escalation.Opened, Urgency: "high"},
	} {
		ev.At = without.Now()
		err := without.Engine.Report(ctx, ev)
		missing := map[string]string{"I-1": "urgency", "I-2": "impact"}[ev.Ticket]
		if !errors.Is(err, escalation.ErrIncomplete) || !strings.Contains(err.Error(), missing+" is required") {
			t.Errorf("%s: %v, want ErrIncomplete naming %s", ev.Ticket, err, missing)
		}
	}
	without.Open("I-3", nil, "", "")
	without.Open("I-4", nil, "high", "low")
	without.Report(escalation.Event{Ticket: "I-4", Kind: escalation.FieldsChanged, Urgency: "high"}) // with the impact it has
	p := testPolicy()
	p.Matrix.DefaultImpact, p.Matrix.DefaultUrgency = "low", "high"
	with := escalationtest.New(t, p, monday(t, 10, 0))
	with.Open("D-1", nil, "high", "") // high x high
	with.Open("D-2", nil, "", "low")  // low x low
	with.Open("D-3", nil, "", "")     // low x high
	want := map[*escalationtest.Harness]map[string]string{
		without: {"I-3": "P3", "I-4": "P1"},
		with:    {"D-1": "P1", "D-2": "P3", "D-3": "P2"},
	}
	for h, tickets := range want {
		for id, priority := range tickets {
			st, err := h.Engine.Status(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Priority != priority {
				t.Errorf("%s: priority %s, want %s", id, st.Priority, priority)
			}
		}
	}
}

// contractPolicy gives gold customers a 1h first response on P3 instead
// of 8 business hours.
func contractPolicy() *escalation.Policy {
	p := testPolicy()
	p.Schema["customer"] = rules.Object(rules.Schema{"vip": rules.Bool, "plan": rules.String})
	p.Contracts = []escalation.Contract{{
		Name: "gold", When: `ticket.customer.plan == "gold"`,
		Goals: map[string][]matrix.Goal{"P3": {{Metric: "first_response", Target: hours(1), Calendar: "24x7"}}},
	}}
	return p
}

// TestContracts: the first contract whose condition holds gives the
// ticket its goals; a change of the deciding attribute retargets the
// running clocks, keeping their elapsed time, and a goal already used up
// breaches at that instant.
func TestContracts(t *testing.T) {
	ny := newYork(t)
	ctx := context.Background()
	h := escalationtest.New(t, contractPolicy(), monday(t, 10, 0))
	plan := func(name string) map[string]any { return map[string]any{"customer": map[string]any{"plan": name}} }
	h.Open("K-1", plan("gold"), "low", "low")
	goal := func() (string, time.Duration) {
		st, err := h.Engine.Status(ctx, "K-1")
		if err != nil {
			t.Fatal(err)
		}
		return st.Contract, slaOf(t, st, "first_response").Goal
	}
	if c, g := goal(); c != "gold" || g != time.Hour {
		t.Errorf("opened as gold: contract %q, goal %v; want gold, 1h", c, g)
	}
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "K-1", Kind: escalation.FieldsChanged, Attrs: plan("silver")})
	if c, g := goal(); c != "" || g != 8*time.Hour {
		t.Errorf("after the plan changed to silver: contract %q, goal %v; want none, 8h", c, g)
	}
	h.Advance(time.Hour)
	h.Report(escalation.Event{Ticket: "K-1", Kind: escalation.FieldsChanged, Attrs: plan("gold")}) // 1h30m used of 1h
	h.Advance(time.Minute)
	got := h.Timeline("K-1", ny)
	want := []string{
		"Mon 10:00 opened tier:frontline team:billing",
		"Mon 10:00 contract_applied gold",
		"Mon 10:30 fields_changed",
		"Mon 10:30 contract_applied gold -> -",
		"Mon 11:30 fields_changed",
		"Mon 11:30 contract_applied gold",
		"Mon 11:30 sla_breached (first_response:breach)",
		"Mon 11:30 rule_fired first-response-breached (first_response:breach)",
		"Mon 11:30 notified first-response-breached (first_response:breach) duty_manager",
		"Mon 11:30 delivered first-response-breached (first_response:breach) duty_manager",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

// TestContractChecks: a policy's contracts are checked with the rest,
// every problem at once.
func TestContractChecks(t *testing.T) {
	p := contractPolicy()
	p.Contracts = append(p.Contracts,
		escalation.Contract{Name: "gold", When: `ticket.customer.plan == `, Goals: map[string][]matrix.Goal{
			"P9": {{Metric: "first_response", Target: hours(1)}},
			"P1": {{Metric: "uptime", Target: hours(1)}, {Metric: "resolution", Target: 0}, {Metric: "resolution", Target: hours(2), Calendar: "lunar"}},
		}},
		escalation.Contract{Name: "silver"},
	)
	err := p.Validate()
	want := invalidPolicy(
		`contracts[1].name: duplicate contract name "gold", first at contracts[0]`,
		`contracts[1].goals.P1[0].metric: unknown metric "uptime"; want one of "first_response", "next_response", "resolution"`,
		`contracts[1].goals.P1[1].target: must be positive, got "0s"`,
		`contracts[1].goals.P1[2].metric: metric "resolution" twice for P1`,
		`contracts[1].goals.P1[2].calendar: unknown calendar "lunar"; want one of "24x7", "business"`,
		`contracts[1].goals.P9: unknown priority "P9"; want one of "P1", "P2", "P3"`,
		`contracts[2].when: required; a contract without a condition would apply to every ticket`,
		`contracts[2].goals: empty; want the goals of at least one priority`,
		`contracts[1].when: 1:24: unexpected end of the condition`,
		` | ticket.customer.plan == `,
		` |                        ^`,
	)
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestDeclaredStatuses: with statuses declared, an event's unknown status
// is refused, and every pause key must be declared.
func TestDeclaredStatuses(t *testing.T) {
	p := testPolicy()
	p.Statuses = []string{"open", "pending_customer", "resolved"}
	h := escalationtest.New(t, p, monday(t, 10, 0))
	h.Open("S-1", nil, "low", "low")
	err := h.Engine.Report(context.Background(), escalation.Event{Ticket: "S-1", Kind: escalation.StatusChanged, At: h.Now(), Status: "pending_customr"})
	if !errors.Is(err, escalation.ErrUnknownName) || !strings.Contains(err.Error(), `status "pending_customr" is not one of open, pending_customer, resolved`) {
		t.Errorf("a typo in a status: %v", err)
	}
	h.Report(escalation.Event{Ticket: "S-1", Kind: escalation.StatusChanged, Status: "pending_customer"})

	p.Statuses = []string{"open", "open", ""}
	err = p.Validate()
	want := invalidPolicy(
		`statuses[1]: duplicate status "open", first at statuses[0]`,
		`statuses[2]: empty status`,
		`pause.pending_customer: unknown status "pending_customer"; want one of "open", "open", ""`,
	)
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestMigrateMapsOrRefuses: a ticket whose tier or team the new version
// lacks is not moved unless the call maps them; the refusal lists all
// that is missing and changes nothing. A shorter goal in the new version
// breaches at the migration.
func TestMigrateMapsOrRefuses(t *testing.T) {
	ny := newYork(t)
	ctx := context.Background()
	v1 := testPolicy()
	v2 := testPolicy()
	v2.Version = "v2"
	v2.Tiers = []string{"frontline", "experts", "engineering", "escalation_manager"}
	v2.Teams = map[string]escalation.Team{"money": {}, "network": {}}
	v2.DefaultTeam = "money"
	for i := range v2.Matrix.Priorities {
		for j, l := range v2.Matrix.Priorities[i].Levels {
			if l.Tier == "specialists" {
				v2.Matrix.Priorities[i].Levels[j].Tier = "experts"
			}
		}
	}
	v2.Rules[0].Do[0].Escalate = "experts"
	v2.Matrix.Priorities[2].Goals[0].Target = hours(1) // P3 first response: 1h instead of 8h
	h := escalationtest.New(t, v1, monday(t, 9, 0), escalation.WithPolicies(v2))
	h.Open("V-1", nil, "low", "low")
	h.Report(escalation.Event{Ticket: "V-1", Kind: escalation.Escalated, Tier: "specialists"})
	h.Advance(2 * time.Hour)
	before := h.Timeline("V-1", ny)

	err := h.Engine.Migrate(ctx, "V-1", "v2")
	var me *escalation.MigrationError
	if !errors.As(err, &me) || !slices.Equal(me.Missing, []string{`tier "specialists"`, `team "billing"`}) {
		t.Fatalf("Migrate without maps: %v, want a *MigrationError missing the tier and the team", err)
	}
	if after := h.Timeline("V-1", ny); len(after) != len(before) {
		t.Errorf("a refused migration changed the history: %q", after[len(before):])
	}
	err = h.Engine.Migrate(ctx, "V-1", "v2", escalation.MapTiers(map[string]string{"specialists": "experts"}), escalation.MapTeams(map[string]string{"billing": "money"}))
	if err != nil {
		t.Fatal(err)
	}
	got := h.Timeline("V-1", ny)[len(before):]
	want := []string{
		"Mon 11:00 migrated v1 -> v2",
		"Mon 11:00 sla_breached (first_response:breach)",
		"Mon 11:00 rule_fired first-response-breached (first_response:breach)",
		"Mon 11:00 notified first-response-breached (first_response:breach) duty_manager",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the migration (-want +got):\n%s", diff)
	}
	hist, _ := h.Engine.History(ctx, "V-1")
	if note := hist[len(before)].Note; note != "tier specialists -> experts; team billing -> money" {
		t.Errorf("the migration's note: %q", note)
	}
	st, _ := h.Engine.Status(ctx, "V-1")
	if st.Policy != "v2" || st.Tier != "experts" || st.Team != "money" {
		t.Errorf("after Migrate: policy %s, tier %s, team %s", st.Policy, st.Tier, st.Team)
	}
}
