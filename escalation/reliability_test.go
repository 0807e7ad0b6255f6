package escalation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/sla"
)

// commitThenFail commits every n-th Save and then returns an error, as a
// PostgreSQL commit whose reply is lost does: the caller cannot know the
// event was applied.
type commitThenFail struct {
	*escalation.MemoryStore
	n, calls int
}

func (s *commitThenFail) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	if err := s.MemoryStore.Save(ctx, st, entries); err != nil {
		return err
	}
	if s.calls++; s.calls%s.n == 0 {
		return errors.New("connection reset after commit")
	}
	return nil
}

// reportUntilKnown reports ev as a host that retries what failed does,
// until the engine answers nil or refuses the event.
func reportUntilKnown(t *testing.T, e *escalation.Engine, ev escalation.Event) (retries int) {
	t.Helper()
	for {
		err := e.Report(context.Background(), ev)
		if err == nil {
			return retries
		}
		var ee *escalation.EventError
		if errors.As(err, &ee) && !strings.Contains(err.Error(), "connection reset") {
			t.Fatalf("%s %s refused: %v", ev.Ticket, ev.Kind, err)
		}
		retries++
	}
}

// TestEventIDExactlyOnce: when a Save commits and then fails, a host that
// retries the Report with the event's ID applies it once; without IDs the
// same retries apply events twice, which is what IDs are for.
func TestEventIDExactlyOnce(t *testing.T) {
	for _, withIDs := range []bool{true, false} {
		t.Run(fmt.Sprint("ids=", withIDs), func(t *testing.T) {
			clk := clock.NewMock()
			at := monday(t, 10, 0)
			clk.Set(at.Add(time.Hour))
			store := &commitThenFail{MemoryStore: escalation.NewMemoryStore(), n: 3}
			e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store))
			if err != nil {
				t.Fatal(err)
			}
			kinds := []escalation.EventKind{escalation.Opened, escalation.CustomerReplied, escalation.AgentReplied, escalation.FieldsChanged, escalation.Resolved}
			retries := 0
			for i := range 40 {
				id := fmt.Sprintf("T-%d", i)
				for j, k := range kinds {
					ev := escalation.Event{Ticket: id, Kind: k, At: at.Add(time.Duration(j) * time.Minute)}
					if k == escalation.Opened {
						ev.Impact, ev.Urgency = "low", "low"
					}
					if withIDs {
						ev.ID = fmt.Sprintf("audit-%d-%d", i, j)
					}
					if k == escalation.Opened && !withIDs {
						// Without an ID a retried open is refused (it exists):
						// the host has to guess it was applied.
						if err := e.Report(context.Background(), ev); err != nil && !errors.Is(err, escalation.ErrExists) && !strings.Contains(err.Error(), "connection reset") {
							t.Fatal(err)
						}
						continue
					}
					retries += reportUntilKnown(t, e, ev)
				}
			}
			if retries == 0 {
				t.Fatal("no Report failed after commit: the test tests nothing")
			}
			dups := 0
			for i := range 40 {
				h, err := e.History(context.Background(), fmt.Sprintf("T-%d", i))
				if err != nil {
					t.Fatal(err)
				}
				seen := map[escalation.What]int{}
				for _, en := range h {
					seen[en.What]++
				}
				for _, k := range kinds {
					if n := seen[escalation.What(k)]; n != 1 {
						dups += n - 1
						if withIDs {
							t.Errorf("T-%d: %d %s entries, want 1", i, n, k)
						}
					}
				}
			}
			if !withIDs && dups == 0 {
				t.Errorf("%d retries without IDs applied nothing twice: the fault is not exercised", retries)
			}
			t.Logf("%d retries; %d events applied twice", retries, dups)
		})
	}
}

// TestEventIDWindow: a retry is recognised while its ID is among the
// ticket's last EventIDWindow; an older one is an event like any other
// (here, out of order).
func TestEventIDWindow(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0))
	at := h.Clock.Now()
	first := escalation.Event{Ticket: "W-1", Kind: escalation.Opened, At: at, Impact: "low", Urgency: "low", ID: "e-0"}
	h.Report(first)
	if err := h.Engine.Report(context.Background(), first); err != nil {
		t.Fatalf("retried open: %v, want nil", err)
	}
	for i := 1; i <= escalation.EventIDWindow; i++ {
		h.Report(escalation.Event{Ticket: "W-1", Kind: escalation.FieldsChanged, At: at, ID: fmt.Sprint("e-", i)})
		if i == escalation.EventIDWindow-1 {
			if err := h.Engine.Report(context.Background(), escalation.Event{Ticket: "W-1", Kind: escalation.FieldsChanged, At: at, ID: "e-1"}); err != nil {
				t.Fatalf("retry of the oldest id in the window: %v", err)
			}
		}
	}
	err := h.Engine.Report(context.Background(), first)
	if !errors.Is(err, escalation.ErrExists) {
		t.Fatalf("retry of an id out of the window: %v, want ErrExists", err)
	}
	hist := historyOf(t, h.Engine, "W-1")
	count := 0
	for _, en := range hist {
		if en.What == escalation.WhatFieldsChanged {
			count++
		}
	}
	if count != escalation.EventIDWindow {
		t.Errorf("%d fields_changed entries, want %d", count, escalation.EventIDWindow)
	}
}

func historyOf(t *testing.T, e *escalation.Engine, id string) []escalation.Entry {
	t.Helper()
	h, err := e.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// countingStore counts loads and saves per ticket and instant of the
// clock.
type countingStore struct {
	escalation.Store
	clk          escalation.Clock
	mu           sync.Mutex
	loads, saves map[string]int // "id@instant"
}

func (s *countingStore) Load(ctx context.Context, id string) (*escalation.State, error) {
	s.mu.Lock()
	s.loads[id+"@"+s.clk.Now().Format(time.RFC3339Nano)]++
	s.mu.Unlock()
	return s.Store.Load(ctx, id)
}

func (s *countingStore) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	s.mu.Lock()
	s.saves[st.ID+"@"+s.clk.Now().Format(time.RFC3339Nano)]++
	s.mu.Unlock()
	return s.Store.Save(ctx, st, entries)
}

// TestStepMakesProgress: states crafted to be odd (due in the past with
// nothing to fire, not opened, timers on a calendar the policy lacks, an
// unknown policy version, an outbox entry for a rule that does not
// exist) are each saved at most once per instant, however often Step
// runs, and after Step nothing is due at or before now: Run would sleep.
func TestStepMakesProgress(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	now := monday(t, 10, 0)
	clk.Set(now)
	mem := escalation.NewMemoryStore()
	store := &countingStore{Store: mem, clk: clk, saves: map[string]int{}, loads: map[string]int{}}
	var log bytes.Buffer
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store),
		escalation.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	past := now.Add(-time.Hour)
	if err := e.Report(ctx, escalation.Event{Ticket: "normal", Kind: escalation.Opened, At: past, Impact: "low", Urgency: "low"}); err != nil {
		t.Fatal(err)
	}
	st, err := mem.Load(ctx, "normal")
	if err != nil {
		t.Fatal(err)
	}
	st.Due = past // due, with nothing to fire
	save := func(st *escalation.State) {
		t.Helper()
		if err := mem.Save(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
	}
	save(st)
	save(&escalation.State{ID: "never-opened", Policy: "v1", Priority: "P1", Tier: "frontline", Due: past}) // stores refuse a Due in year 1 (CheckSave)
	save(&escalation.State{ID: "unknown-policy", Policy: "v0", Priority: "P1", Tier: "frontline", Opened: past, Due: past})
	timer, err := sla.NewTimer(sla.Target{Metric: "resolution", Goal: time.Hour, Calendar: "moon"}, sla.Always)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(must(json.Marshal(timer)), timer); err != nil { // unbound, as from a store
		t.Fatal(err)
	}
	save(&escalation.State{ID: "unbound", Policy: "v1", Priority: "P1", Tier: "frontline", Opened: past, Due: past, Timers: []*sla.Timer{timer}})
	save(&escalation.State{ID: "odd-outbox", Policy: "v1", Priority: "P1", Tier: "frontline", Opened: past, Checked: past, Due: past,
		Outbox: []escalation.Pending{{Notification: escalation.Notification{Key: "odd-outbox/nope/1", Ticket: "odd-outbox", Rule: "nope", To: []string{"x"}}, NextAttempt: past}}})
	clear(store.saves)
	clear(store.loads)

	for round := range 3 {
		for i := range 3 { // Run would step again at once if anything were still due
			err := e.Step(ctx)
			if round == 0 && i == 0 && (err == nil || !strings.Contains(err.Error(), "unknown-policy") || !strings.Contains(err.Error(), `"moon"`)) {
				t.Fatalf("Step: %v, want the two tickets it cannot run", err)
			}
		}
		for k, n := range store.loads {
			if n > 1 {
				t.Errorf("round %d: %s handled %d times", round, k, n)
			}
		}
		for k, n := range store.saves {
			if n > 2 { // the points handled, then what became of the deliveries
				t.Errorf("round %d: %s saved %d times", round, k, n)
			}
		}
		next, err := e.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !next.IsZero() && !next.After(clk.Now()) {
			t.Fatalf("round %d: after Step, something is due at %v, not after now %v: Run would spin", round, next, clk.Now())
		}
		if next.IsZero() {
			break
		}
		clk.Set(next)
	}
}

// TestCatchUpBound: a ticket brought up to date over three years fires the
// first 10,000 time points (a rule repeating every half hour), records
// what it passed, logs a warning, and is next due after now.
func TestCatchUpBound(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	start := monday(t, 10, 0)
	clk.Set(start)
	var log bytes.Buffer
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithLimits(escalation.Limits{Notifications: math.MaxInt}),
		escalation.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "Y-1", Kind: escalation.Opened, At: start, Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(3 * 365 * 24 * time.Hour) // 8 business hours a day, two repeats an hour: 12,000 and more
	if err := e.Step(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := e.History(ctx, "Y-1")
	if err != nil {
		t.Fatal(err)
	}
	var passed []escalation.Entry
	for _, en := range h {
		if en.What == escalation.WhatPointsPassed {
			passed = append(passed, en)
		}
	}
	if len(passed) != 1 || !strings.Contains(passed[0].Note, "10000 time points fired") {
		t.Fatalf("points_passed entries: %+v", passed)
	}
	if !strings.Contains(log.String(), "more time points due than one run fires") {
		t.Errorf("no warning logged:\n%s", log.String())
	}
	next, err := e.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !next.After(clk.Now()) {
		t.Errorf("next due %v, not after now %v", next, clk.Now())
	}
}

// TestNotificationsPerInstant: a ticket that would send more
// notifications at one instant than Limits.Notifications sends that many
// and records the rest as suppressed.
func TestNotificationsPerInstant(t *testing.T) {
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "loud", On: escalation.Trigger{Event: "fields_changed"},
		Do: []escalation.Action{{Notify: []string{"a"}}, {Notify: []string{"b"}}, {Notify: []string{"c"}}}})
	rec := &escalationtest.Recorder{}
	h := escalationtest.New(t, p, monday(t, 10, 0), escalation.WithNotifier(rec), escalation.WithLimits(escalation.Limits{Notifications: 2}))
	h.Report(escalation.Event{Ticket: "L-1", Kind: escalation.Opened, At: h.Clock.Now(), Impact: "low", Urgency: "low"})
	h.Report(escalation.Event{Ticket: "L-1", Kind: escalation.FieldsChanged, At: h.Clock.Now()})
	h.Advance(0)
	var notified, suppressed []string
	for _, en := range historyOf(t, h.Engine, "L-1") {
		switch en.What {
		case escalation.WhatNotified:
			notified = append(notified, en.To)
		case escalation.WhatNotificationSuppressed:
			suppressed = append(suppressed, en.To)
		}
	}
	if strings.Join(notified, ",") != "a,b" || strings.Join(suppressed, ",") != "c" {
		t.Errorf("notified %v, suppressed %v; want a,b and c", notified, suppressed)
	}
	if n := len(rec.Delivered()); n != 2 {
		t.Errorf("%d delivered, want 2", n)
	}
}

// panicky panics on every fifth call and delivers the others.
type panicky struct {
	mu    sync.Mutex
	calls int
	got   map[string]int // by key
}

func (p *panicky) Notify(_ context.Context, n escalation.Notification) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls++; p.calls%5 == 0 {
		panic(fmt.Sprintf("notifier bug on call %d", p.calls))
	}
	p.got[n.Key]++
	return nil
}

// TestNotifierPanics: a notifier that panics on every fifth call does not
// stop the engine: each panic is a failed attempt, retried with backoff,
// logged with its stack and observed, and every notification is
// delivered.
func TestNotifierPanics(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	notifier := &panicky{got: map[string]int{}}
	var log bytes.Buffer
	var mu sync.Mutex
	panics := 0
	obs := escalation.ObserverFunc(func(o escalation.Observation) {
		if o.Kind == escalation.ObservedPanic {
			mu.Lock()
			panics++
			mu.Unlock()
		}
	})
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithNotifier(notifier), escalation.WithObserver(obs),
		escalation.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	const tickets = 30
	for i := range tickets {
		// VIPs: each notifies its account manager on opening.
		if err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprint("P-", i), Kind: escalation.Opened, At: clk.Now(), Impact: "low", Urgency: "low",
			Attrs: map[string]any{"customer": map[string]any{"vip": true}}}); err != nil {
			t.Fatal(err)
		}
	}
	for range 10 {
		if err := e.Step(ctx); err != nil {
			t.Fatalf("Step: %v", err)
		}
		clk.Add(time.Hour) // past every backoff
	}
	notified := 0
	for i := range tickets {
		h, err := e.History(ctx, fmt.Sprint("P-", i))
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range h {
			if en.What == escalation.WhatNotified {
				notified++
			}
		}
	}
	if notified < tickets {
		t.Fatalf("%d notifications saved, want at least %d", notified, tickets)
	}
	if len(notifier.got) != notified {
		t.Errorf("%d of %d notifications delivered", len(notifier.got), notified)
	}
	for k, n := range notifier.got {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
	if panics == 0 || panics != notifier.calls/5 {
		t.Errorf("%d panics observed, %d calls made", panics, notifier.calls)
	}
	if !strings.Contains(log.String(), "recovered a panic") || !strings.Contains(log.String(), "goroutine") {
		t.Errorf("the panic was not logged with its stack")
	}
}

// panickingStore panics in Save for one ticket.
type panickingStore struct {
	*escalation.MemoryStore
	bad string
}

func (s *panickingStore) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	if st.ID == s.bad && st.Version > 0 {
		panic("store bug")
	}
	return s.MemoryStore.Save(ctx, st, entries)
}

// TestStorePanics: a Store that panics for one ticket fails that ticket's
// Report and Step with a *PanicError; the others are handled.
func TestStorePanics(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	store := &panickingStore{MemoryStore: escalation.NewMemoryStore(), bad: "B-1"}
	rec := &escalationtest.Recorder{}
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"A-1", "B-1", "C-1"} {
		if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
			t.Fatal(err)
		}
	}
	var pe *escalation.PanicError
	err = e.Report(ctx, escalation.Event{Ticket: "B-1", Kind: escalation.CustomerReplied, At: clk.Now()})
	if !errors.As(err, &pe) || pe.Value != "store bug" {
		t.Fatalf("Report on the panicking ticket: %v, want a *PanicError", err)
	}
	clk.Add(45 * time.Minute) // the 30-minute level notifies the team lead
	err = e.Step(ctx)
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), `"B-1"`) {
		t.Fatalf("Step: %v, want B-1's panic", err)
	}
	got := map[string]bool{}
	for _, n := range rec.Delivered() {
		got[n.Ticket] = true
	}
	if !got["A-1"] || !got["C-1"] || got["B-1"] {
		t.Errorf("delivered for %v, want A-1 and C-1", got)
	}
}

// TestAttrsCopied: the engine keeps a copy of an event's attributes and
// hands the notifier another, so neither a host reusing its map nor a
// notifier writing into the notification's changes the ticket.
func TestAttrsCopied(t *testing.T) {
	ctx := context.Background()
	scribbler := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		n.Attrs["product"] = "scribbled"
		n.Attrs["customer"].(map[string]any)["vip"] = false
		return nil
	})
	h := escalationtest.New(t, testPolicy(), monday(t, 10, 0), escalation.WithNotifier(scribbler))
	attrs := map[string]any{"customer": map[string]any{"vip": true}, "product": "vpn"}
	h.Report(escalation.Event{Ticket: "C-1", Kind: escalation.Opened, At: h.Clock.Now(), Impact: "low", Urgency: "low", Attrs: attrs})
	attrs["product"] = "reused"
	attrs["customer"].(map[string]any)["vip"] = false
	h.Advance(0) // delivers the VIP notification to the scribbler
	st, err := h.Store.Load(ctx, "C-1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"customer": map[string]any{"vip": true}, "product": "vpn"}
	if fmt.Sprint(st.Attrs) != fmt.Sprint(want) {
		t.Errorf("stored attrs %v, want %v", st.Attrs, want)
	}
}

// TestLimits: each limit refuses what is over it with a *LimitError that
// names the field and the limit, every problem of an event at once, and
// nothing is saved; what is at a limit is taken.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	at := monday(t, 10, 0)
	nest := func(depth int) map[string]any {
		m := map[string]any{"leaf": 1}
		for range depth - 1 {
			m = map[string]any{"n": m}
		}
		return m
	}
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	loop := []any{1}
	loop[0] = loop
	long := strings.Repeat("x", 257)
	for _, c := range []struct {
		name string
		ev   escalation.Event
		want []string // each a field and its limit, as the error names them
	}{
		{"at the limits", escalation.Event{Ticket: strings.Repeat("é", 128), ID: strings.Repeat("i", 256), Status: strings.Repeat("s", 256),
			Attrs: map[string]any{"deep": nest(31), "big": strings.Repeat("b", 60<<10)}}, nil},
		{"empty id", escalation.Event{Ticket: ""}, []string{"ticket: empty (Limits.TicketID)"}},
		{"invalid id", escalation.Event{Ticket: "T-\xff"}, []string{"ticket: not valid UTF-8 (Limits.TicketID)"}},
		{"long id", escalation.Event{Ticket: strings.Repeat("t", 257)}, []string{"ticket: 257 bytes, over 256 (Limits.TicketID)"}},
		{"NUL in id", escalation.Event{Ticket: "T-\x001"}, []string{"ticket: holds a NUL byte (Limits.TicketID)"}},
		{"far future", escalation.Event{Ticket: "T-1", At: time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)},
			[]string{"at: 2262-01-01T00:00:00Z is outside 1678-01-01 to 2261-12-31 (Limits.Latest)"}},
		{"everything", escalation.Event{Ticket: "T-1", ID: long, Status: long, Team: long, Actor: "\xff",
			At:    time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
			Attrs: map[string]any{"deep": nest(32), "self": cyclic, "loop": loop, "nan": math.NaN(), "ch": make(chan int), "big": strings.Repeat("<", 11<<10)}},
			[]string{"id: 257 bytes, over 256 (Limits.EventID)", "status: 257 bytes", "team: 257 bytes", "actor: not valid UTF-8",
				"at: 1600-01-01T00:00:00Z is outside 1678-01-01 to 2261-12-31", "attrs.deep.n.n", "nested deeper than 32 (Limits.AttrDepth)",
				"attrs.self.self: cyclic", "attrs.loop[0]: cyclic", "attrs.nan: NaN", "attrs.ch: a chan int is not data",
				"attrs: 67", "bytes encoded, over 65536 (Limits.AttrBytes)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := escalation.NewMemoryStore()
			e, err := escalation.New(testPolicy(), escalation.WithClock(escalation.NewSimClock(at)), escalation.WithStore(store))
			if err != nil {
				t.Fatal(err)
			}
			ev := c.ev
			ev.Kind, ev.Impact, ev.Urgency = escalation.Opened, "low", "low"
			if ev.At.IsZero() {
				ev.At = at
			}
			if c.want == nil {
				ev.Attrs["customer"] = map[string]any{"vip": false}
			}
			err = e.Report(ctx, ev)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused at the limits: %v", err)
				}
				return
			}
			if !errors.Is(err, escalation.ErrLimit) {
				t.Fatalf("error %v is not ErrLimit", err)
			}
			var le *escalation.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("error %v holds no *LimitError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if _, err := store.Load(ctx, ev.Ticket); !errors.Is(err, escalation.ErrNotFound) {
				t.Errorf("the refused ticket was saved: %v", err)
			}
		})
	}
}

// TestBackdatedNoStorm: a ticket reported three days late fires its
// points when Step catches up; the notifications that fell more than the
// staleness (an hour) before now are recorded as caught up and reach the
// notifier as one, to all their recipients; those of the last hour are
// sent on their own.
func TestBackdatedNoStorm(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		opts      []escalation.Option
		wantStale bool
	}{
		{"default staleness", nil, true},
		{"every notification on its own", []escalation.Option{escalation.WithStaleness(-1)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := clock.NewMock()
			now := monday(t, 10, 0).AddDate(0, 0, 3) // Thursday 10:00
			clk.Set(now)
			rec := &escalationtest.Recorder{}
			e, err := escalation.New(testPolicy(), append([]escalation.Option{escalation.WithClock(clk), escalation.WithNotifier(rec)}, c.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			opened := monday(t, 10, 0)
			if err := e.Report(ctx, escalation.Event{Ticket: "B-1", Kind: escalation.Opened, At: opened, Impact: "high", Urgency: "high", ID: "backfill-1"}); err != nil {
				t.Fatal(err)
			}
			if err := e.Step(ctx); err != nil {
				t.Fatal(err)
			}
			var caught, notified []escalation.Entry
			for _, en := range historyOf(t, e, "B-1") {
				switch en.What {
				case escalation.WhatCaughtUp:
					caught = append(caught, en)
				case escalation.WhatNotified:
					notified = append(notified, en)
				}
			}
			// The points that notify: the P1 levels (team_lead at 10:30, duty_manager
			// at 75% of four hours, 13:00) and the first-response breach (11:00)
			// repeating every half hour of business time while unmet: Monday to
			// Thursday 10:00, all but the last hour's more than an hour old.
			fresh := 0
			for _, n := range rec.Delivered() {
				if c.wantStale && n.Rule != "caught_up" && n.At.Before(now.Add(-time.Hour)) {
					t.Errorf("a stale notification sent on its own: %s %s at %v", n.Rule, n.Trigger, n.At)
				}
				if n.Rule != "caught_up" {
					fresh++
				}
			}
			if !c.wantStale {
				if len(caught) != 0 || len(rec.Delivered()) != len(notified) || len(notified) < 40 {
					t.Fatalf("caught %d, notified %d, delivered %d: want every one sent", len(caught), len(notified), len(rec.Delivered()))
				}
				return
			}
			if len(caught) < 40 {
				t.Fatalf("%d notifications caught up, want the three days' (more than 40)", len(caught))
			}
			var summary []escalation.Notification
			for _, n := range rec.Delivered() {
				if n.Rule == "caught_up" {
					summary = append(summary, n)
				}
			}
			if len(summary) != 1 {
				t.Fatalf("%d summaries delivered, want 1", len(summary))
			}
			s := summary[0]
			if strings.Join(s.To, ",") != "team_lead,duty_manager" && strings.Join(s.To, ",") != "duty_manager,team_lead" {
				t.Errorf("summary to %v, want the caught-up recipients", s.To)
			}
			if s.Trigger != fmt.Sprint("stale:", len(caught)) || !s.At.Equal(now) {
				t.Errorf("summary trigger %q at %v, want stale:%d at now", s.Trigger, s.At, len(caught))
			}
			if len(notified) != 1+fresh {
				t.Errorf("%d notified entries, want the summary and %d fresh", len(notified), fresh)
			}
			t.Logf("%d caught up, %d sent on their own, one summary", len(caught), fresh)
		})
	}
}

// tailCounter counts reads of histories and fails the first.
type tailCounter struct {
	*escalation.MemoryStore
	reads int
}

func (s *tailCounter) Tail(ctx context.Context, id string, n int) ([]escalation.Entry, int, error) {
	if s.reads++; s.reads == 1 {
		return nil, 0, errors.New("history unreadable")
	}
	return s.MemoryStore.Tail(ctx, id, n)
}

// TestDeliveryReadsOnce: a Step reads a ticket's history once for all its
// deliveries, the end of it only; when that read fails nothing is
// delivered, and the next Step delivers each notification once.
func TestDeliveryReadsOnce(t *testing.T) {
	ctx := context.Background()
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "loud", On: escalation.Trigger{Event: "fields_changed"},
		Do: []escalation.Action{{Notify: []string{"a"}}, {Notify: []string{"b"}}, {Notify: []string{"c"}}}})
	clk := clock.NewMock()
	clk.Set(monday(t, 10, 0))
	store := &tailCounter{MemoryStore: escalation.NewMemoryStore()}
	rec := &escalationtest.Recorder{}
	e, err := escalation.New(p, escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []escalation.EventKind{escalation.Opened, escalation.FieldsChanged} {
		if err := e.Report(ctx, escalation.Event{Ticket: "R-1", Kind: k, At: clk.Now(), Impact: "low", Urgency: "low"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Step(ctx); err == nil || len(rec.Delivered()) != 0 {
		t.Fatalf("Step with the history unreadable: %v, %d delivered", err, len(rec.Delivered()))
	}
	if err := e.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if store.reads != 2 || len(rec.Delivered()) != 3 {
		t.Errorf("%d reads for %d deliveries; want 2 reads (one failed) for 3", store.reads, len(rec.Delivered()))
	}
	for _, n := range rec.Delivered() {
		if n.HistoryTotal != len(historyOf(t, e, "R-1"))-3 || len(n.History) != min(n.HistoryTotal, escalation.DefaultNotificationHistory) {
			t.Errorf("%s carries %d of %d entries", n.Key, len(n.History), n.HistoryTotal)
		}
	}
}

// TestRuleOverflowRecorded: a rule whose arithmetic overflows is recorded
// as failed, with the reason, and fires nothing; the ticket goes on.
func TestRuleOverflowRecorded(t *testing.T) {
	ctx := context.Background()
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "overflows", On: escalation.Trigger{Event: "opened"},
		When: "9223372036854775807 + tier > 0", Do: []escalation.Action{{Notify: []string{"team_lead"}}}})
	at := monday(t, 10, 0)
	e, err := escalation.New(p, escalation.WithClock(escalation.NewSimClock(at)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Impact: "low", Urgency: "low"}); err != nil {
		t.Fatal(err)
	}
	hist, err := e.History(ctx, "T-1")
	if err != nil {
		t.Fatal(err)
	}
	var failed []escalation.Entry
	for _, h := range hist {
		if h.Rule == "overflows" {
			failed = append(failed, h)
		}
	}
	if len(failed) != 1 || failed[0].What != escalation.WhatRuleFailed || !strings.Contains(failed[0].Note, "integer overflow: 9223372036854775807 + 1") {
		t.Errorf("the overflowing rule's entries: %+v; want one rule_failed saying integer overflow", failed)
	}
}

// duePanics is a store whose Due, Upcoming and History panic while bad is
// set.
type duePanics struct {
	*escalation.MemoryStore
	bad bool
}

func (s *duePanics) Due(ctx context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	if s.bad {
		panic("due index bug")
	}
	return s.MemoryStore.Due(ctx, now, limit)
}

func (s *duePanics) History(ctx context.Context, id string) ([]escalation.Entry, error) {
	if s.bad {
		panic("history bug")
	}
	return s.MemoryStore.History(ctx, id)
}

// TestDuePanics: a panic in the store's Due (which Step, Next and Run
// call before any ticket), in History or in Load for Status reaches the
// caller as a *PanicError, and the engine goes on once the store does.
func TestDuePanics(t *testing.T) {
	ctx := context.Background()
	clk := escalation.NewSimClock(monday(t, 10, 0))
	store := &duePanics{MemoryStore: escalation.NewMemoryStore()}
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(store),
		escalation.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Report(ctx, escalation.Event{Ticket: "A-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	store.bad = true
	var pe *escalation.PanicError
	if err := e.Step(ctx); !errors.As(err, &pe) || pe.Value != "due index bug" {
		t.Errorf("Step: %v, want the panic of Due", err)
	}
	if _, err := e.Next(ctx); !errors.As(err, &pe) {
		t.Errorf("Next: %v, want the panic of Due", err)
	}
	if _, err := e.History(ctx, "A-1"); !errors.As(err, &pe) || pe.Value != "history bug" {
		t.Errorf("History: %v, want the panic of History", err)
	}
	store.bad = false
	clk.Add(time.Hour)
	if err := e.Step(ctx); err != nil {
		t.Errorf("Step once the store is well: %v", err)
	}
}
