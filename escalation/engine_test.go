package escalation_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

func hours(h float64) escalation.Duration {
	return escalation.Duration(time.Duration(h * float64(time.Hour)))
}

// testPolicy is small enough to reason about by hand: New York office
// hours, four tiers, two teams, three priorities.
func testPolicy() *escalation.Policy {
	return &escalation.Policy{
		Name: "test", Version: "v1",
		Calendars: map[string]sla.CalendarSpec{
			"business": {Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-17:00"}}, Holidays: []string{"2026-11-26"}},
		},
		Calendar:    "business",
		Tiers:       []string{"frontline", "specialists", "engineering", "escalation_manager"},
		Teams:       map[string]escalation.Team{"billing": {Handoff: []string{"network"}}, "network": {}},
		DefaultTeam: "billing",
		Schema:      rules.Schema{"customer": rules.Object(rules.Schema{"vip": rules.Bool}), "product": rules.String},
		Matrix: matrix.Spec{
			Impacts: []string{"high", "low"}, Urgencies: []string{"high", "low"},
			Grid: [][]string{{"P1", "P2"}, {"P2", "P3"}},
			Priorities: []matrix.PrioritySpec{
				{Name: "P1",
					Goals: []matrix.Goal{
						{Metric: "first_response", Target: hours(1), Calendar: "24x7"},
						{Metric: "next_response", Target: hours(1), Calendar: "24x7"},
						{Metric: "resolution", Target: hours(4), Calendar: "24x7"},
					},
					Levels: []matrix.Level{
						{Clock: matrix.ClockInTier, After: hours(0.5), Tier: "specialists", Notify: []string{"team_lead"}},
						{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 75, Tier: "engineering", Notify: []string{"duty_manager"}},
					}},
				{Name: "P2",
					Goals:  []matrix.Goal{{Metric: "first_response", Target: hours(4)}, {Metric: "next_response", Target: hours(4)}, {Metric: "resolution", Target: hours(16)}},
					Levels: []matrix.Level{{Clock: matrix.ClockSinceOpen, After: hours(8), Tier: "specialists", Notify: []string{"team_lead"}}}},
				{Name: "P3",
					Goals: []matrix.Goal{{Metric: "first_response", Target: hours(8)}, {Metric: "next_response", Target: hours(8)}, {Metric: "resolution", Target: hours(40)}}},
			},
		},
		Targets: map[string]escalation.TargetSettings{"first_response": {WarnPercent: []float64{75}}, "resolution": {WarnPercent: []float64{75}}},
		Pause:   map[string][]string{"pending_customer": {"resolution"}},
		Rules: []escalation.Rule{
			{Name: "vip-fast-lane", On: escalation.Trigger{Event: "opened"}, When: "ticket.customer.vip",
				Do: []escalation.Action{{Escalate: "specialists"}, {Notify: []string{"account_manager"}}}},
			{Name: "first-response-breached", On: escalation.Trigger{Metric: "first_response", Breach: true}, Repeat: hours(0.5), When: "!sla.first_response.met",
				Do: []escalation.Action{{Notify: []string{"duty_manager"}}}},
			{Name: "network-to-network", On: escalation.Trigger{Event: "opened"}, When: `ticket.product == "vpn"`,
				Do: []escalation.Action{{Team: "network"}}},
		},
	}
}

func newYork(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// monday is Monday 2026-11-02 at hh:mm in New York.
func monday(t testing.TB, hh, mm int) time.Time {
	return time.Date(2026, 11, 2, hh, mm, 0, 0, newYork(t))
}

func TestVIPTicketTimeline(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Open("T-1", map[string]any{"customer": map[string]any{"vip": true}}, "high", "high")
	h.Advance(100 * time.Minute) // to 11:40
	h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, Actor: "ana"})
	h.AdvanceTo(monday(t, 15, 0))
	h.ExpectTimeline("T-1", ny, []string{
		"Mon 10:00 opened tier:frontline team:billing",
		"Mon 10:00 rule_fired vip-fast-lane (event:opened)",
		"Mon 10:00 started vip-fast-lane (event:opened) tier:frontline -> tier:specialists",
		"Mon 10:00 notified vip-fast-lane (event:opened) account_manager",
		"Mon 10:00 delivered vip-fast-lane (event:opened) account_manager",
		"Mon 10:30 skipped matrix:P1[0] (in_tier:30m) tier:specialists",
		"Mon 10:45 sla_warning (first_response:75%)",
		"Mon 11:00 sla_breached (first_response:breach)",
		"Mon 11:00 rule_fired first-response-breached (first_response:breach)",
		"Mon 11:00 notified first-response-breached (first_response:breach) duty_manager",
		"Mon 11:00 delivered first-response-breached (first_response:breach) duty_manager",
		"Mon 11:30 rule_fired first-response-breached (first_response:breach (repeat))",
		"Mon 11:30 notified first-response-breached (first_response:breach (repeat)) duty_manager",
		"Mon 11:30 delivered first-response-breached (first_response:breach (repeat)) duty_manager",
		"Mon 11:40 agent_replied",
		"Mon 11:40 sla_met_late first_response",
		"Mon 13:00 sla_warning (resolution:75%)",
		"Mon 13:00 escalated matrix:P1[1] (resolution:75%) tier:specialists -> tier:engineering",
		"Mon 13:00 notified matrix:P1[1] (resolution:75%) duty_manager",
		"Mon 13:00 delivered matrix:P1[1] (resolution:75%) duty_manager",
		"Mon 14:00 sla_breached (resolution:breach)",
	})
	// The notification to the next tier carries the context.
	notes := h.Notes.Delivered()
	last := notes[len(notes)-1]
	if last.FromTier != "specialists" || last.ToTier != "engineering" || last.Priority != "P1" || len(last.SLA) != 2 || len(last.History) == 0 || last.Attrs["customer"] == nil {
		t.Errorf("the engineering notification lacks context: %+v", last)
	}
	if len(notes) != 4 {
		t.Errorf("%d notifications delivered, want 4", len(notes))
	}
}

func TestPendingCustomerPausesResolution(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	h.Open("T-2", nil, "low", "low") // P3: resolution 40 business hours
	h.Advance(2 * time.Hour)
	h.Report(escalation.Event{Ticket: "T-2", Kind: escalation.AgentReplied, Status: "pending_customer"})
	h.AdvanceTo(monday(t, 9, 0).AddDate(0, 0, 1).Add(2 * time.Hour)) // Tuesday 11:00
	h.Report(escalation.Event{Ticket: "T-2", Kind: escalation.CustomerReplied, Status: "open"})
	st, err := h.Engine.Status(context.Background(), "T-2")
	if err != nil {
		t.Fatal(err)
	}
	res := slaOf(t, st, "resolution")
	// 2h used on Monday; paused from Monday 11:00 to Tuesday 11:00 (8 business hours).
	if res.Elapsed != 2*time.Hour || res.State != sla.Running {
		t.Errorf("resolution after the pause: %+v", res)
	}
	// 38h left from Tuesday 11:00: Tue 6h, Wed, Thu, Fri and Mon 8h each: Monday 17:00.
	if want := time.Date(2026, 11, 9, 17, 0, 0, 0, ny); !res.Due.Equal(want) {
		t.Errorf("resolution due %v, want %v", res.Due.In(ny), want)
	}
	nr := slaOf(t, st, "next_response")
	if nr.State != sla.Running || nr.Cycle != 1 {
		t.Errorf("next_response after the customer's reply: %+v", nr)
	}
}

func slaOf(t *testing.T, st escalation.TicketStatus, metric string) sla.Status {
	t.Helper()
	for _, s := range st.SLA {
		if s.Metric == metric {
			return s
		}
	}
	t.Fatalf("no %s timer in %+v", metric, st)
	return sla.Status{}
}

func TestClosedTicketsNeverEscalate(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Open("T-3", nil, "high", "high")
	h.Advance(10 * time.Minute)
	h.Report(escalation.Event{Ticket: "T-3", Kind: escalation.Closed})
	before := len(h.Timeline("T-3", time.UTC))
	h.Advance(30 * 24 * time.Hour)
	if after := h.Timeline("T-3", time.UTC); len(after) != before {
		t.Errorf("a closed ticket's history grew: %v", after[before:])
	}
	err := h.Engine.Report(context.Background(), escalation.Event{Ticket: "T-3", Kind: escalation.AgentReplied, At: h.Now()})
	if !errors.Is(err, escalation.ErrClosed) {
		t.Errorf("event on a closed ticket: %v, want ErrClosed", err)
	}
	h.Report(escalation.Event{Ticket: "T-3", Kind: escalation.Reopened})
	if st, _ := h.Engine.Status(context.Background(), "T-3"); st.Closed {
		t.Errorf("reopened ticket is still closed")
	}
}

func TestRefusedEvents(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Open("T-4", nil, "low", "high")
	ctx := context.Background()
	cases := []struct {
		name string
		ev   escalation.Event
		want error
	}{
		{"unknown ticket", escalation.Event{Ticket: "nope", Kind: escalation.AgentReplied, At: h.Now()}, escalation.ErrNotFound},
		{"opened twice", escalation.Event{Ticket: "T-4", Kind: escalation.Opened, At: h.Now()}, escalation.ErrExists},
		{"unknown kind", escalation.Event{Ticket: "T-4", Kind: "teleported", At: h.Now()}, escalation.ErrUnknownEvent},
		{"reported handed_off", escalation.Event{Ticket: "T-4", Kind: escalation.HandedOff, At: h.Now()}, escalation.ErrUnknownEvent},
		{"no instant", escalation.Event{Ticket: "T-4", Kind: escalation.AgentReplied}, escalation.ErrNoInstant},
		{"from the future", escalation.Event{Ticket: "T-4", Kind: escalation.AgentReplied, At: h.Now().Add(5*time.Minute + time.Second)}, escalation.ErrFuture},
		{"out of order", escalation.Event{Ticket: "T-4", Kind: escalation.AgentReplied, At: h.Now().Add(-time.Minute)}, escalation.ErrOutOfOrder},
		{"schema broken", escalation.Event{Ticket: "T-4", Kind: escalation.FieldsChanged, At: h.Now(), Attrs: map[string]any{"customer": map[string]any{"vip": "yes"}}}, escalation.ErrAttrs},
		{"reopen an open ticket", escalation.Event{Ticket: "T-4", Kind: escalation.Reopened, At: h.Now()}, escalation.ErrNotResolved},
		{"unknown priority", escalation.Event{Ticket: "T-4", Kind: escalation.FieldsChanged, At: h.Now(), Priority: "P9"}, escalation.ErrUnknownName},
		{"unknown team", escalation.Event{Ticket: "T-4", Kind: escalation.FieldsChanged, At: h.Now(), Team: "sales"}, escalation.ErrUnknownName},
		{"unknown impact", escalation.Event{Ticket: "T-4", Kind: escalation.FieldsChanged, At: h.Now(), Impact: "huge"}, escalation.ErrUnknownName},
		{"opened on an unknown team", escalation.Event{Ticket: "T-9", Kind: escalation.Opened, At: h.Now(), Team: "sales"}, escalation.ErrUnknownName},
	}
	for _, tc := range cases {
		before, _ := h.Engine.History(ctx, "T-4")
		err := h.Engine.Report(ctx, tc.ev)
		var ee *escalation.EventError
		if !errors.Is(err, tc.want) || !errors.As(err, &ee) {
			t.Errorf("%s: %v, want an *EventError wrapping %v", tc.name, err, tc.want)
		}
		if after, _ := h.Engine.History(ctx, "T-4"); len(after) != len(before) {
			t.Errorf("%s: the refused event changed the history", tc.name)
		}
	}
}

func TestDeliveryRetriesAndPermanentFailures(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Notes.FailNext(errors.New("smtp: 451 try later"), errors.New("smtp: 451 try later"), escalation.Permanent(errors.New("no such mailbox")))
	h.Open("T-5", map[string]any{"customer": map[string]any{"vip": true}}, "low", "low")
	h.Advance(5 * time.Minute)
	// The account manager's notification failed at 10:00, again 30s
	// later, and for good 1m after that; P3 has no levels, so nothing else
	// was due.
	got := h.Timeline("T-5", ny)
	want := []string{
		"Mon 10:00 opened tier:frontline team:billing",
		"Mon 10:00 rule_fired vip-fast-lane (event:opened)",
		"Mon 10:00 started vip-fast-lane (event:opened) tier:frontline -> tier:specialists",
		"Mon 10:00 notified vip-fast-lane (event:opened) account_manager",
		"Mon 10:01 delivery_failed vip-fast-lane (event:opened) account_manager",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if n := len(h.Notes.Delivered()); n != 0 {
		t.Errorf("%d notifications delivered, want none", n)
	}
}

func TestPlan(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Open("T-6", nil, "high", "low") // P2, business hours
	h.Advance(5 * time.Minute)
	h.Report(escalation.Event{Ticket: "T-6", Kind: escalation.AgentReplied}) // no first-response breach to come
	before := len(h.Timeline("T-6", ny))
	plan, err := h.Engine.Plan(context.Background(), "T-6", monday(t, 10, 0).AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range plan {
		got = append(got, escalationtest.Line(e, ny))
	}
	// P2's level: 8 business hours after opening, Tuesday 10:00.
	want := []string{
		"Tue 10:00 escalated matrix:P2[0] (since_open:8h) tier:frontline -> tier:specialists",
		"Tue 10:00 notified matrix:P2[0] (since_open:8h) team_lead",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	st, _ := h.Engine.Status(context.Background(), "T-6")
	if !st.HasNext || st.Next.What != "escalated" {
		t.Errorf("status does not say what comes next: %+v", st)
	}
	// Planning changed nothing.
	if tl := h.Timeline("T-6", ny); len(tl) != before {
		t.Errorf("planning wrote history: %v", tl)
	}
}

func TestRestartFiresOnce(t *testing.T) {
	store := escalation.NewMemoryStore()
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	rec := &escalationtest.Recorder{}
	newEngine := func() *escalation.Engine {
		e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(rec))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ctx := context.Background()
	e1 := newEngine()
	if err := e1.Report(ctx, escalation.Event{Ticket: "T-7", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(61 * time.Minute)
	if err := e1.Step(ctx); err != nil {
		t.Fatal(err)
	}
	e2 := newEngine() // a restart: same store, new engine
	for range 3 {
		if err := e2.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for _, n := range rec.Delivered() {
		count[n.Key]++
	}
	for key, c := range count {
		if c != 1 {
			t.Errorf("notification %s delivered %d times", key, c)
		}
	}
	if len(count) != 2 { // team lead (in tier 30m) and duty manager (breach at 11:00)
		t.Errorf("delivered %v, want the 30m level and the breach", count)
	}
}

func TestMigrate(t *testing.T) {
	v1 := testPolicy()
	v2 := testPolicy()
	v2.Version = "v2"
	v2.Matrix.Priorities[2].Goals[2].Target = hours(80) // P3 resolution doubled
	h := escalationtest.New(t, v1, monday(t, 9, 0))
	h.Open("T-8", nil, "low", "low")
	if err := h.Engine.Use(v2); err != nil {
		t.Fatal(err)
	}
	h.Open("T-9", nil, "low", "low")
	h.Advance(3 * time.Hour)
	ctx := context.Background()
	st8, _ := h.Engine.Status(ctx, "T-8")
	st9, _ := h.Engine.Status(ctx, "T-9")
	if st8.Policy != "v1" || st9.Policy != "v2" || slaOf(t, st8, "resolution").Goal != 40*time.Hour {
		t.Fatalf("a policy change rewrote a running ticket: %+v", st8)
	}
	if err := h.Engine.Migrate(ctx, "T-8", "v2"); err != nil {
		t.Fatal(err)
	}
	st8, _ = h.Engine.Status(ctx, "T-8")
	res := slaOf(t, st8, "resolution")
	if st8.Policy != "v2" || res.Goal != 80*time.Hour || res.Elapsed != 3*time.Hour {
		t.Errorf("after Migrate: %+v %+v", st8, res)
	}
	if err := h.Engine.Migrate(ctx, "T-8", "v9"); !errors.Is(err, escalation.ErrUnknownPolicy) {
		t.Errorf("Migrate to an unknown version: %v", err)
	}
	tl := h.Timeline("T-8", time.UTC)
	if last := tl[len(tl)-1]; last != "Mon 17:00 migrated v1 -> v2" {
		t.Errorf("history does not record the migration: %q", last)
	}
}

// TestConcurrentEvents reports events for many tickets from many
// goroutines while Run handles due work (run with -race).
func TestConcurrentEvents(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0), escalation.WithSkew(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Engine.Run(ctx) }()
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	at := h.Now()
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				id := fmt.Sprintf("C-%d-%d", g, i%5)
				kind := escalation.Opened
				if i >= 5 {
					kind = []escalation.EventKind{escalation.AgentReplied, escalation.CustomerReplied, escalation.FieldsChanged}[i%3]
				}
				err := h.Engine.Report(ctx, escalation.Event{Ticket: id, Kind: kind, At: at.Add(time.Duration(i) * time.Minute), Impact: "high", Urgency: "high"})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := h.Store.(*escalation.MemoryStore).Len(); n != 40 {
		t.Errorf("%d tickets stored, want 40", n)
	}
}

// TestStepHandlesEverythingDue has more tickets due at one instant than
// Step takes from the store at a time.
func TestStepHandlesEverythingDue(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	const n = 700
	for i := range n {
		h.Open(fmt.Sprint("S-", i), nil, "high", "high")
	}
	h.Advance(30 * time.Minute) // every ticket's 30-minute level
	if got := len(h.Notes.Delivered()); got != n {
		t.Errorf("%d notifications delivered, want %d", got, n)
	}
	ctx := context.Background()
	if ids, _, _ := h.Store.Due(ctx, h.Now(), n); len(ids) != 0 {
		t.Errorf("%d tickets still due after Step", len(ids))
	}
}

// TestNewTicketHasNoPastTimePoints: an idle rule counts from the opening,
// not from before it.
func TestNewTicketHasNoPastTimePoints(t *testing.T) {
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "stale", On: escalation.Trigger{Idle: hours(8)}, Do: []escalation.Action{{Notify: []string{"team_lead"}}}})
	h := escalationtest.New(t, p, monday(t, 10, 0))
	h.Open("T-10", nil, "low", "low")
	h.Advance(time.Hour)
	if got := h.Notes.Summary(newYork(t)); len(got) != 0 {
		t.Errorf("notified within an hour of opening: %v", got)
	}
	plan, _ := h.Engine.Plan(context.Background(), "T-10", monday(t, 10, 0).AddDate(0, 0, 2))
	var stale []time.Time
	for _, e := range plan {
		if e.Rule == "stale" {
			stale = append(stale, e.At)
		}
	}
	if len(stale) != 1 || !stale[0].Equal(monday(t, 10, 0).AddDate(0, 0, 1)) {
		t.Errorf("stale notices planned at %v, want one on Tuesday 10:00 (8 business hours)", stale)
	}
}

// flakyStore fails every Save while failing is set.
type flakyStore struct {
	*escalation.MemoryStore
	failing bool
}

func (f *flakyStore) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	if f.failing {
		return errors.New("database is down")
	}
	return f.MemoryStore.Save(ctx, st, entries)
}

// TestFailingStoreLosesNothing: while the store fails, events are refused
// and due work waits; nothing is delivered that was not saved first, and
// once the store is back every notification is delivered exactly once.
func TestFailingStoreLosesNothing(t *testing.T) {
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	store := &flakyStore{MemoryStore: escalation.NewMemoryStore()}
	rec := &escalationtest.Recorder{}
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(rec))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := e.Report(ctx, escalation.Event{Ticket: "F-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	store.failing = true
	if err := e.Report(ctx, escalation.Event{Ticket: "F-1", Kind: escalation.FieldsChanged, At: clk.Now(), Priority: "P3"}); err == nil {
		t.Fatal("an event was accepted while the store failed")
	}
	clk.Add(45 * time.Minute) // the 30-minute level is due
	if err := e.Step(ctx); err == nil {
		t.Error("Step reported no error while the store failed")
	}
	if n := len(rec.Delivered()); n != 0 {
		t.Errorf("%d notifications delivered that were never saved", n)
	}
	store.failing = false
	if err := e.Step(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Status(ctx, "F-1")
	if st.Priority != "P1" {
		t.Errorf("the refused priority change was applied: %s", st.Priority)
	}
	if got := rec.Summary(newYork(t)); len(got) != 1 || got[0] != "Mon 10:30 F-1 matrix:P1[0] -> team_lead" {
		t.Errorf("delivered %v, want the 30-minute level once", got)
	}
}

// TestEveryProblemOfAnEvent: an event with several mistakes is refused
// with all of them, and errors.Is finds each kind.
func TestEveryProblemOfAnEvent(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	err := h.Engine.Report(context.Background(), escalation.Event{Ticket: "E-1", Kind: escalation.Opened, At: h.Now(),
		Impact: "huge", Urgency: "whenever", Priority: "P9", Team: "sales",
		Attrs: map[string]any{"customer": map[string]any{"vip": "yes"}}})
	want := `escalation: ticket "E-1": opened: escalation: the event names what the policy does not declare:
impact "huge" is not one of high, low
urgency "whenever" is not one of high, low
priority "P9" is not one of P1, P2, P3
team "sales" is not one of billing, network
escalation: attributes break the schema:
ticket.customer.vip: is string "yes", the schema says bool`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if !errors.Is(err, escalation.ErrUnknownName) || !errors.Is(err, escalation.ErrAttrs) {
		t.Errorf("errors.Is misses a kind of problem: %v", err)
	}
	if _, err := h.Engine.Status(context.Background(), "E-1"); !errors.Is(err, escalation.ErrNotFound) {
		t.Errorf("the refused ticket was stored: %v", err)
	}
}

// TestDeliveryAfterAConcurrentSave: while a notification is being
// delivered, another replica saves the ticket (here an agent replies
// through a second engine on the same store). The delivery is recorded
// once, on top of what the other replica saved, and the reply is kept.
func TestDeliveryAfterAConcurrentSave(t *testing.T) {
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	store := escalation.NewMemoryStore()
	other, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var delivered []string
	notifier := escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) error {
		delivered = append(delivered, n.Key)
		if len(delivered) == 1 { // the other replica saves the ticket meanwhile
			return other.Report(ctx, escalation.Event{Ticket: "D-1", Kind: escalation.AgentReplied, At: clk.Now(), Actor: "ana"})
		}
		return nil
	})
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(notifier))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "D-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(30 * time.Minute) // the 30-minute level notifies the team lead
	if err := e.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if len(delivered) != 1 {
		t.Errorf("delivered %v, want one notification once", delivered)
	}
	h, err := e.History(ctx, "D-1")
	if err != nil {
		t.Fatal(err)
	}
	var whats []string
	for _, entry := range h {
		whats = append(whats, string(entry.What))
	}
	want := []string{"opened", "escalated", "notified", "agent_replied", "sla_met", "delivered"}
	if diff := cmp.Diff(want, whats); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if st, _ := e.Status(ctx, "D-1"); slaOf(t, st, "first_response").State != sla.Met {
		t.Errorf("the other replica's reply was lost: %+v", st.SLA)
	}
}

// TestRunStepsAndEventsTogether runs Run, two goroutines calling Step and
// four reporting events while the mock clock moves through a day. Every
// notification is delivered exactly once and recorded as delivered.
func TestRunStepsAndEventsTogether(t *testing.T) {
	// A *clock.Mock, not the harness's SimClock: each of its moves sleeps a
	// millisecond of real time, so the day passes while events come in.
	mock := clock.NewMock()
	mock.Set(monday(t, 9, 0))
	h := escalationtest.NewWithClock(t, mock, nil, testPolicy())
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- h.Engine.Run(ctx) }()

	var wg sync.WaitGroup
	errs := make(chan error, 10_000)
	var moving sync.WaitGroup
	moving.Add(1)
	go func() { // the clock: a day in five-minute steps
		defer moving.Done()
		for range 12 * 24 {
			h.Clock.Add(5 * time.Minute)
		}
	}()
	for g := range 4 {
		wg.Go(func() {
			for i := range 10 {
				id := fmt.Sprintf("R-%d-%d", g, i)
				vip := map[string]any{"customer": map[string]any{"vip": i%2 == 0}}
				for _, kind := range []escalation.EventKind{escalation.Opened, escalation.CustomerReplied, escalation.AgentReplied, escalation.CustomerReplied} {
					if err := h.Engine.Report(ctx, escalation.Event{Ticket: id, Kind: kind, At: h.Clock.Now(), Attrs: vip, Impact: "high", Urgency: "high"}); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 200 {
				if err := h.Engine.Step(ctx); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	moving.Wait()
	cancel()
	if err := <-runDone; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := h.Engine.Step(context.Background()); err != nil { // whatever the last moves made due
		t.Fatal(err)
	}

	delivered := map[string]int{}
	for _, n := range h.Notes.Delivered() {
		delivered[n.Key]++
	}
	notified := 0
	for g := range 4 {
		for i := range 10 {
			id := fmt.Sprintf("R-%d-%d", g, i)
			hist, err := h.Engine.History(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			var n, d int
			for _, e := range hist {
				switch e.What {
				case "notified":
					n++
				case "delivered":
					d++
				}
			}
			if n == 0 || n != d {
				t.Errorf("%s: %d notified, %d delivered", id, n, d)
			}
			notified += n
		}
	}
	if len(delivered) != notified {
		t.Errorf("%d distinct notifications delivered, %d recorded", len(delivered), notified)
	}
	for key, times := range delivered {
		if times != 1 {
			t.Errorf("%s delivered %d times", key, times)
		}
	}
}

// sleepClock is a mock clock that hands every sleep Run asks for to the
// test, which then moves the clock.
type sleepClock struct {
	*clock.Mock
	sleeps chan time.Duration
}

func (c *sleepClock) WithDeadline(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	ctx, cancel := c.Mock.WithDeadline(parent, deadline)
	c.sleeps <- deadline.Sub(c.Now())
	return ctx, cancel
}

// downStore is a store whose database is down for Due.
type downStore struct{ *escalation.MemoryStore }

func (downStore) Due(context.Context, time.Time, int) ([]string, time.Time, error) {
	return nil, time.Time{}, errors.New("database is down")
}

// TestRunSleeps: Run sleeps until the next due instant, bounded by
// WithMaxSleep, and backs off while the store fails instead of spinning.
func TestRunSleeps(t *testing.T) {
	cases := []struct {
		name  string
		store escalation.Store
		opts  []escalation.Option
		open  bool // open a P1 ticket first: its first point is 11m15s away
		want  []time.Duration
	}{
		{"until the next point", escalation.NewMemoryStore(), nil, true, []time.Duration{11*time.Minute + 15*time.Second}},
		{"bounded", escalation.NewMemoryStore(), []escalation.Option{escalation.WithMaxSleep(5 * time.Minute)}, true, []time.Duration{5 * time.Minute, 5 * time.Minute, 75 * time.Second}},
		{"nothing due, bounded", escalation.NewMemoryStore(), []escalation.Option{escalation.WithMaxSleep(time.Minute)}, false, []time.Duration{time.Minute, time.Minute}},
		{"store down", downStore{escalation.NewMemoryStore()}, nil, false, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &sleepClock{clock.NewMock(), make(chan time.Duration)}
			clk.Set(monday(t, 10, 0))
			p := acmePolicy(t)
			e, err := escalation.New(p, append([]escalation.Option{escalation.WithClock(clk), escalation.WithStore(tc.store)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			if tc.open { // through another engine, so that e's Run is not woken
				other, err := escalation.New(p, escalation.WithClock(clk.Mock), escalation.WithStore(tc.store))
				if err != nil {
					t.Fatal(err)
				}
				if err := other.Report(ctx, escalation.Event{Ticket: "S-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error, 1)
			go func() { done <- e.Run(ctx) }()
			var got []time.Duration
			for range tc.want {
				d := <-clk.sleeps
				got = append(got, d)
				clk.Add(d)
			}
			cancel()
			go func() { // Run may ask for one more sleep before it sees ctx end
				for range clk.sleeps {
				}
			}()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewRefusesNilOptions: a nil clock, store, notifier or backoff is an
// error from New, every one at once, not a panic later.
func TestNewRefusesNilOptions(t *testing.T) {
	_, err := escalation.New(testPolicy(), escalation.WithClock(nil), escalation.WithStore(nil), escalation.WithNotifier(nil),
		escalation.WithBackoff(nil), escalation.WithSkew(-time.Second))
	want := "escalation: WithClock(nil): the engine needs a clock\n" +
		"escalation: WithStore(nil): the engine needs a store\n" +
		"escalation: WithNotifier(nil): the engine needs a notifier\n" +
		"escalation: WithBackoff(nil): the engine needs a backoff\n" +
		"escalation: WithSkew: negative skew"
	if err == nil || err.Error() != want {
		t.Errorf("New with nil options: %v, want:\n%s", err, want)
	}
}

// TestZeroEngine: every method of an Engine not made by New returns
// ErrNoEngine instead of panicking.
func TestZeroEngine(t *testing.T) {
	var e escalation.Engine
	ctx := context.Background()
	at := monday(t, 10, 0)
	_, statusErr := e.Status(ctx, "T")
	_, historyErr := e.History(ctx, "T")
	_, planErr := e.Plan(ctx, "T", at)
	_, nextErr := e.Next(ctx)
	_, riskErr := e.AtRisk(ctx, time.Hour)
	errs := map[string]error{
		"Report":  e.Report(ctx, escalation.Event{Ticket: "T", Kind: escalation.Opened, At: at}),
		"Step":    e.Step(ctx),
		"Run":     e.Run(ctx),
		"Status":  statusErr,
		"History": historyErr,
		"Plan":    planErr,
		"Next":    nextErr,
		"AtRisk":  riskErr,
		"Migrate": e.Migrate(ctx, "T", "v1"),
		"Use":     e.Use(testPolicy()),
	}
	for name, err := range errs {
		if !errors.Is(err, escalation.ErrNoEngine) {
			t.Errorf("%s on the zero Engine: %v, want ErrNoEngine", name, err)
		}
	}
	var nilEngine *escalation.Engine
	if err := nilEngine.Step(ctx); !errors.Is(err, escalation.ErrNoEngine) {
		t.Errorf("Step on a nil *Engine: %v, want ErrNoEngine", err)
	}
}

// TestJSONDurations: a ticket's status and a notification write their
// durations as Go duration strings, and the history its kinds as the
// constants' values.
func TestJSONDurations(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	h.Open("J-1", map[string]any{"customer": map[string]any{"vip": true}}, "high", "high")
	h.Advance(90 * time.Minute)
	st, err := h.Engine.Status(context.Background(), "J-1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st.SLA[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metric":"first_response","state":"breached","cycle":1,"goal":"1h","elapsed":"1h30m","remaining":"-30m","paused_for":"0s","resolved_for":"0s","percent":150,"due":"2026-11-02T11:00:00-05:00","breached":true}`
	if string(b) != want {
		t.Errorf("status JSON:\n%s\nwant:\n%s", b, want)
	}
	n := h.Notes.Delivered()[0]
	nb, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(nb), `"goal":"1h","elapsed":"0s","remaining":"1h"`) {
		t.Errorf("notification JSON has no duration strings: %s", nb)
	}
	hist, _ := h.Engine.History(context.Background(), "J-1")
	hb, err := json.Marshal(hist[2])
	if err != nil {
		t.Fatal(err)
	}
	if wantEntry := `{"at":"2026-11-02T10:00:00-05:00","what":"started","by":"rule","rule":"vip-fast-lane","trigger":"event:opened","why":[{"text":"ticket.customer.vip","value":true}],"policy":"v1","from":"tier:frontline","to":"tier:specialists"}`; string(hb) != wantEntry {
		t.Errorf("entry JSON:\n%s\nwant:\n%s", hb, wantEntry)
	}
}
