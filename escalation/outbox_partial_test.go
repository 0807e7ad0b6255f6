package escalation_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// scripted is a notifier that answers each call with the next of its
// answers (nil once they run out) and records "key to attempt" per call.
type scripted struct {
	mu      sync.Mutex
	answers []error
	calls   []string
}

func (s *scripted) Notify(_ context.Context, n escalation.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, strings.Join([]string{n.Key, strings.Join(n.To, ","), string(rune('0' + n.Attempt))}, " "))
	if len(s.answers) == 0 {
		return nil
	}
	err := s.answers[0]
	s.answers = s.answers[1:]
	return err
}

// outboxTimeline is the ticket's history as "minutes-after-start what to:
// note" lines, to the second.
func outboxTimeline(t *testing.T, h *escalationtest.Harness, id string) []string {
	t.Helper()
	hist, err := h.Engine.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range hist {
		line := e.At.Sub(outboxStart).String() + " " + string(e.What)
		if e.To != "" {
			line += " " + e.To
		}
		if e.Note != "" {
			line += ": " + e.Note
		}
		out = append(out, line)
	}
	return out
}

// TestPartialDelivery: a notifier's *PartialError records each recipient
// it settled, and the outbox retries the notification for the others
// alone, with the same key, after the backoff or the later instant a
// failure asks for.
func TestPartialDelivery(t *testing.T) {
	n := &scripted{answers: []error{
		// a took it, b refused it for good, c is rate limited for 5m, d
		// is not mentioned.
		&escalation.PartialError{Delivered: []string{"a"}, Failed: map[string]error{
			"b": escalation.Permanent(errors.New("unknown user")),
			"c": escalation.RetryAfter(errors.New("429"), 5*time.Minute),
		}},
		// d took it; c fails again, asking for a time before the backoff
		// (60s after the second attempt).
		&escalation.PartialError{Delivered: []string{"d", "zz"}, Failed: map[string]error{
			"c":  escalation.RetryAt(errors.New("503"), outboxStart.Add(5*time.Minute+10*time.Second)),
			"zz": errors.New("not a recipient"),
		}},
		nil, // c took it
	}}
	h := escalationtest.New(t, outboxPolicy("a", "b", "c", "d"), outboxStart, escalation.WithNotifier(n))
	h.Open("T-1", nil, "any", "any")
	h.Advance(30 * time.Minute)
	want := []string{
		"0s opened tier:l1",
		"0s rule_fired",
		"0s notified a, b, c, d",
		"0s delivered a",
		"0s delivery_failed b: permanent: unknown user",
		"5m0s delivered d",
		"6m0s delivered c",
	}
	if diff := cmp.Diff(want, outboxTimeline(t, h, "T-1")); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	wantCalls := []string{"T-1/page/2 a,b,c,d 1", "T-1/page/2 c,d 2", "T-1/page/2 c 3"}
	if diff := cmp.Diff(wantCalls, n.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	hist, _ := h.Engine.History(context.Background(), "T-1")
	for _, e := range hist[3:] {
		if e.Rule != "page" || e.Trigger != "event:opened" || e.Policy != "v1" || e.By != "" {
			t.Errorf("outcome entry %+v", e)
		}
	}
}

// TestPartialDeliveryAcrossRestart: the recipients left are kept with the
// ticket's state, so an engine started anew on the store retries them
// alone.
func TestPartialDeliveryAcrossRestart(t *testing.T) {
	first := &scripted{answers: []error{&escalation.PartialError{Delivered: []string{"a"}, Failed: map[string]error{"b": errors.New("busy")}}}}
	h := escalationtest.New(t, outboxPolicy("a", "b"), outboxStart, escalation.WithNotifier(first))
	h.Open("T-1", nil, "any", "any")
	h.Advance(0)

	second := &scripted{}
	h2 := escalationtest.NewWithClock(t, h.Clock, h.Store, outboxPolicy("a", "b"), escalation.WithNotifier(second))
	h2.Advance(time.Minute)
	want := []string{
		"0s opened tier:l1",
		"0s rule_fired",
		"0s notified a, b",
		"0s delivered a",
		"30s delivered b",
	}
	if diff := cmp.Diff(want, outboxTimeline(t, h2, "T-1")); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"T-1/page/2 b 2"}, second.calls); diff != "" {
		t.Errorf("calls after the restart (-want +got):\n%s", diff)
	}
}

// TestPartialDeliveryOutcomes: a *PartialError that settles every
// recipient leaves nothing to retry, and one wrapped in another error is
// found; a recipient both delivered and failed counts as delivered.
func TestPartialDeliveryOutcomes(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"all delivered", &escalation.PartialError{Delivered: []string{"b", "a"}},
			[]string{"0s delivered a", "0s delivered b"}},
		{"all failed for good", &escalation.PartialError{Failed: map[string]error{"a": escalation.Permanent(errors.New("x")), "b": escalation.Permanent(errors.New("y"))}},
			[]string{"0s delivery_failed a: permanent: x", "0s delivery_failed b: permanent: y"}},
		{"wrapped", errors.Join(errors.New("route"), &escalation.PartialError{Delivered: []string{"a"}, Failed: map[string]error{"b": escalation.Permanent(errors.New("y"))}}),
			[]string{"0s delivered a", "0s delivery_failed b: permanent: y"}},
		{"both", &escalation.PartialError{Delivered: []string{"a", "b"}, Failed: map[string]error{"a": errors.New("x")}},
			[]string{"0s delivered a", "0s delivered b"}},
		{"nothing said: all retried", &escalation.PartialError{},
			[]string{"30s delivered a, b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := &scripted{answers: []error{tc.err}}
			h := escalationtest.New(t, outboxPolicy("a", "b"), outboxStart, escalation.WithNotifier(n))
			h.Open("T-1", nil, "any", "any")
			h.Advance(30 * time.Minute)
			got := outboxTimeline(t, h, "T-1")[3:]
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if next, _ := h.Engine.Next(context.Background()); !next.Equal(outboxStart.Add(time.Hour)) {
				t.Errorf("next due %v, want the matrix level: nothing left to deliver", next)
			}
		})
	}
}

// TestRetryAfterWholeNotification: RetryAfter and RetryAt put the next
// attempt of a plain notifier later than the backoff, never sooner; a
// permanent error is not retried whatever it asks.
func TestRetryAfterWholeNotification(t *testing.T) {
	busy := errors.New("busy")
	cases := []struct {
		name string
		err  error
		want string // the delivery's line
	}{
		{"backoff", busy, "30s delivered a"},
		{"after 10m", escalation.RetryAfter(busy, 10*time.Minute), "10m0s delivered a"},
		{"after less than the backoff", escalation.RetryAfter(busy, time.Second), "30s delivered a"},
		{"at 10:07", escalation.RetryAt(busy, outboxStart.Add(7*time.Minute)), "7m0s delivered a"},
		{"at a past instant", escalation.RetryAt(busy, outboxStart.Add(-time.Hour)), "30s delivered a"},
		{"permanent", escalation.Permanent(escalation.RetryAfter(busy, time.Minute)), "0s delivery_failed a: permanent: busy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := escalationtest.New(t, outboxPolicy("a"), outboxStart)
			h.Notes.FailNext(tc.err)
			h.Open("T-1", nil, "any", "any")
			h.Advance(30 * time.Minute)
			got := outboxTimeline(t, h, "T-1")
			if got[len(got)-1] != tc.want {
				t.Errorf("got %q, want %q", got[len(got)-1], tc.want)
			}
			if !errors.Is(tc.err, busy) || tc.err.Error() != busy.Error() && !escalation.IsPermanent(tc.err) {
				t.Errorf("%v does not wrap busy transparently", tc.err)
			}
		})
	}
}

func TestRetryAfterNil(t *testing.T) {
	if err := escalation.RetryAfter(nil, time.Minute); err != nil {
		t.Errorf("RetryAfter(nil) = %v", err)
	}
	if err := escalation.RetryAt(nil, outboxStart); err != nil {
		t.Errorf("RetryAt(nil) = %v", err)
	}
}
