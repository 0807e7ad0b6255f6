// Package escalationtest unit-tests escalation policies, in the spirit of
// net/http/httptest: a Harness runs an engine on a simulated clock with an
// in-memory store and a notifier that records what it is given. Open
// tickets, report events, move time, and compare the timeline.
//
//	func TestOffice(t *testing.T) {
//		friday := time.Date(2026, 11, 6, 16, 0, 0, 0, newYork)
//		h := escalationtest.New(t, policy, friday) // a simulated clock, memory store, Recorder
//		h.Open("T-1", nil, "high", "medium")       // impact and urgency: a P2
//		h.AdvanceTo(friday.Add(66 * time.Hour))   // Monday 10:00, stopping at every due instant
//		h.Report(escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, Actor: "ana"})
//		h.ExpectTimeline("T-1", newYork, []string{
//			"Fri 16:00 opened tier:frontline",
//			"Mon 10:00 sla_breached (first_response:breach)",
//			// ...
//		})
//	}
//
// The clock is an *escalation.SimClock, which never sleeps, so a test can
// move through weeks of tickets in milliseconds. A test that needs the
// timers of a *clock.Mock (github.com/benbjohnson/clock) gives one to
// NewWithClock; the mock sleeps a millisecond of real time on every move.
package escalationtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
)

// Clock is the clock a Harness runs its engine on and moves: an
// escalation.Clock that a test can set and advance. An
// *escalation.SimClock (the default) and a *clock.Mock satisfy it.
// Implementations must be safe for concurrent use.
type Clock interface {
	escalation.Clock
	// Set moves the clock to t, ending the contexts of WithDeadline whose
	// deadlines it reaches.
	Set(t time.Time)
	// Add moves the clock forward by d, as Set does.
	Add(d time.Duration)
}

// Harness runs one engine for one test. Its methods fail the test on
// errors. A Harness is safe for use by one goroutine.
type Harness struct {
	t      testing.TB
	Clock  Clock            // an *escalation.SimClock unless NewWithClock
	Store  escalation.Store // an *escalation.MemoryStore unless NewWithStore or NewWithClock
	Engine *escalation.Engine
	Notes  *Recorder
}

// New returns a harness whose clock, an *escalation.SimClock, reads start,
// running policy p. opts are added after the harness's own clock, store
// and notifier options.
func New(t testing.TB, p *escalation.Policy, start time.Time, opts ...escalation.Option) *Harness {
	t.Helper()
	return NewWithClock(t, escalation.NewSimClock(start), escalation.NewMemoryStore(), p, opts...)
}

// NewWithStore is New on store s: a test of a Store runs policies on it.
func NewWithStore(t testing.TB, s escalation.Store, p *escalation.Policy, start time.Time, opts ...escalation.Option) *Harness {
	t.Helper()
	return NewWithClock(t, escalation.NewSimClock(start), s, p, opts...)
}

// NewWithClock is NewWithStore on clock c, which starts where it reads:
// for a test that needs a *clock.Mock, say, set to the start first. A nil
// s means a new *escalation.MemoryStore.
func NewWithClock(t testing.TB, c Clock, s escalation.Store, p *escalation.Policy, opts ...escalation.Option) *Harness {
	t.Helper()
	if s == nil {
		s = escalation.NewMemoryStore()
	}
	h := &Harness{t: t, Clock: c, Store: s, Notes: &Recorder{}}
	e, err := escalation.New(p, append([]escalation.Option{
		escalation.WithClock(h.Clock), escalation.WithStore(h.Store), escalation.WithNotifier(h.Notes),
	}, opts...)...)
	if err != nil {
		t.Fatalf("escalationtest: %v", err)
	}
	h.Engine = e
	return h
}

// Now is the clock's instant.
func (h *Harness) Now() time.Time { return h.Clock.Now() }

// Report reports ev at the clock's instant (ev.At is set to it) after
// handling everything due until then.
func (h *Harness) Report(ev escalation.Event) {
	h.t.Helper()
	ev.At = h.Now()
	if err := h.Engine.Report(context.Background(), ev); err != nil {
		h.t.Fatalf("escalationtest: %v", err)
	}
}

// Open opens ticket id with attributes and the given priority inputs.
func (h *Harness) Open(id string, attrs map[string]any, impact, urgency string) {
	h.t.Helper()
	h.Report(escalation.Event{Ticket: id, Kind: escalation.Opened, Attrs: attrs, Impact: impact, Urgency: urgency})
}

// Advance moves the clock forward by d, stopping at every instant at
// which something is due and handling it there, so notifications arrive
// in the order and at the instants they fall.
func (h *Harness) Advance(d time.Duration) { h.AdvanceTo(h.Now().Add(d)) }

// AdvanceTo is Advance up to the instant t.
func (h *Harness) AdvanceTo(t time.Time) {
	h.t.Helper()
	ctx := context.Background()
	for {
		if err := h.Engine.Step(ctx); err != nil {
			h.t.Fatalf("escalationtest: step: %v", err)
		}
		next, err := h.Engine.Next(ctx)
		if err != nil {
			h.t.Fatalf("escalationtest: due: %v", err)
		}
		if next.IsZero() || next.After(t) {
			break
		}
		h.Clock.Set(next)
	}
	h.Clock.Set(t)
	if err := h.Engine.Step(ctx); err != nil {
		h.t.Fatalf("escalationtest: step: %v", err)
	}
}

// Timeline returns the ticket's history as one line an entry, in the form
// "Mon 15:04 what rule trigger from -> to", in loc.
func (h *Harness) Timeline(id string, loc *time.Location) []string {
	h.t.Helper()
	hist, err := h.Engine.History(context.Background(), id)
	if err != nil {
		h.t.Fatalf("escalationtest: %v", err)
	}
	lines := make([]string, 0, len(hist))
	for _, e := range hist {
		lines = append(lines, Line(e, loc))
	}
	return lines
}

// Line formats one history entry for a timeline.
func Line(e escalation.Entry, loc *time.Location) string {
	parts := []string{e.At.In(loc).Format("Mon 15:04"), string(e.What)}
	if e.Rule != "" {
		parts = append(parts, e.Rule)
	}
	if e.Trigger != "" {
		parts = append(parts, "("+e.Trigger+")")
	}
	switch {
	case e.From != "" && e.To != "":
		parts = append(parts, e.From+" -> "+e.To)
	case e.From != "": // to nothing: a contract left for the matrix's goals
		parts = append(parts, e.From+" -> -")
	case e.To != "":
		parts = append(parts, e.To)
	}
	return strings.Join(parts, " ")
}

// ExpectTimeline fails the test with a go-cmp diff unless the ticket's
// timeline is want.
func (h *Harness) ExpectTimeline(id string, loc *time.Location, want []string) {
	h.t.Helper()
	if diff := cmp.Diff(want, h.Timeline(id, loc)); diff != "" {
		h.t.Errorf("timeline of %s (-want +got):\n%s", id, diff)
	}
}

// Recorder is a Notifier that records every notification it is given, and
// fails the next deliveries when told to. It is safe for concurrent use.
type Recorder struct {
	mu sync.Mutex
	// got holds what was delivered in chunks that fill up and are never
	// copied, so a week of tickets does not copy the notifications it
	// recorded again and again as one slice would.
	got   [][]escalation.Notification
	n     int // in got
	fails []error
}

// Notify records n, or returns the next queued failure.
func (r *Recorder) Notify(_ context.Context, n escalation.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.fails) > 0 {
		err := r.fails[0]
		r.fails = r.fails[1:]
		return err
	}
	if len(r.got) == 0 || len(r.got[len(r.got)-1]) == cap(r.got[len(r.got)-1]) {
		r.got = append(r.got, make([]escalation.Notification, 0, min(max(r.n, 8), 1024)))
	}
	last := &r.got[len(r.got)-1]
	*last = append(*last, n)
	r.n++
	return nil
}

// FailNext makes the next deliveries fail with these errors, in order.
func (r *Recorder) FailNext(errs ...error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, errs...)
}

// Delivered returns the notifications delivered so far, in order.
func (r *Recorder) Delivered() []escalation.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return nil
	}
	all := make([]escalation.Notification, 0, r.n)
	for _, c := range r.got {
		all = append(all, c...)
	}
	return all
}

// Summary formats the delivered notifications one a line:
// "Mon 15:04 ticket rule -> recipients", in loc.
func (r *Recorder) Summary(loc *time.Location) []string {
	var out []string
	for _, n := range r.Delivered() {
		out = append(out, fmt.Sprintf("%s %s %s -> %s", n.At.In(loc).Format("Mon 15:04"), n.Ticket, n.Rule, strings.Join(n.To, ", ")))
	}
	return out
}
