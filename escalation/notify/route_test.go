package notify_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/notify"
)

// fake is a notifier that records what it is given and fails with the
// errors queued for it, one a call.
type fake struct {
	mu    sync.Mutex
	got   []escalation.Notification
	fails []error
}

func (f *fake) Notify(_ context.Context, n escalation.Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, n)
	if len(f.fails) > 0 {
		err := f.fails[0]
		f.fails = f.fails[1:]
		return err
	}
	return nil
}

// calls lists "key to attempt" for each notification given.
func (f *fake) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, n := range f.got {
		out = append(out, n.Key+" "+strings.Join(n.To, ",")+" "+string(rune('0'+n.Attempt)))
	}
	return out
}

func TestRouteAllDelivered(t *testing.T) {
	lead, pager, other := &fake{}, &fake{}, &fake{}
	r := notify.Route(map[string]escalation.Notifier{"lead": lead, "pager": pager}, notify.WithDefault(other))
	n := notification()
	n.To = []string{"lead", "pager", "ops"}
	if err := r.Notify(context.Background(), n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	for _, tc := range []struct {
		name string
		f    *fake
		want []string
	}{
		{"lead", lead, []string{"T-1/matrix:P1[0]/3/lead lead 1"}},
		{"pager", pager, []string{"T-1/matrix:P1[0]/3/pager pager 1"}},
		{"default", other, []string{"T-1/matrix:P1[0]/3/ops ops 1"}},
	} {
		if diff := cmp.Diff(tc.want, tc.f.calls()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// Each gets the whole notification but for To and Key.
	got := lead.got[0]
	if got.Rule != n.Rule || got.Ticket != n.Ticket || got.ToTier != n.ToTier || len(got.Why) != 1 {
		t.Errorf("the route's notification lost context: %+v", got)
	}
}

func TestRoutePartial(t *testing.T) {
	busy := errors.New("busy")
	gone := escalation.Permanent(errors.New("no such mailbox"))
	lead, pager, mail := &fake{}, &fake{fails: []error{busy}}, &fake{fails: []error{gone}}
	r := notify.Route(map[string]escalation.Notifier{"lead": lead, "pager": pager, "mail": mail, "nil": nil})
	n := notification()
	n.To = []string{"lead", "pager", "mail", "sms", "nil", "lead"}
	err := r.Notify(context.Background(), n)
	var pe *escalation.PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("Notify: %v, want a *PartialError", err)
	}
	if diff := cmp.Diff([]string{"lead"}, pe.Delivered); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	if keys := slices.Sorted(maps.Keys(pe.Failed)); !slices.Equal(keys, []string{"mail", "nil", "pager", "sms"}) {
		t.Errorf("failed %v", keys)
	}
	if !errors.Is(pe.Failed["pager"], busy) || escalation.IsPermanent(pe.Failed["pager"]) {
		t.Errorf("pager: %v, want busy, to retry", pe.Failed["pager"])
	}
	for _, to := range []string{"mail", "sms", "nil"} {
		if !escalation.IsPermanent(pe.Failed[to]) {
			t.Errorf("%s: %v, want a permanent failure", to, pe.Failed[to])
		}
	}
	if len(lead.got) != 1 {
		t.Errorf("lead named twice got %d notifications", len(lead.got))
	}
	want := `escalation: delivered to 1 recipient(s), failed for 4: mail: permanent: no such mailbox; nil: permanent: notify: no route for recipient "nil"; ` +
		`pager: busy; sms: permanent: notify: no route for recipient "sms"`
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
}

// TestRouteCanceled: recipients not tried before ctx ended are in neither
// list, so the engine retries them.
func TestRouteCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	first := escalation.NotifierFunc(func(context.Context, escalation.Notification) error { cancel(); return nil })
	second := &fake{}
	r := notify.Route(map[string]escalation.Notifier{"lead": first, "pager": second})
	err := r.Notify(ctx, notification())
	var pe *escalation.PartialError
	if !errors.As(err, &pe) || !slices.Equal(pe.Delivered, []string{"lead"}) || len(pe.Failed) != 0 || len(second.got) != 0 {
		t.Fatalf("Notify: %#v, want lead delivered and pager untried", err)
	}
}

// TestRoutePerRecipientRetries runs Route in an engine: each recipient's
// outcome is recorded once, and each retry goes only to the recipients
// that have not taken the notification, with the same keys.
func TestRoutePerRecipientRetries(t *testing.T) {
	lead := &fake{}
	pager := &fake{fails: []error{errors.New("busy"), escalation.RetryAfter(errors.New("rate limited"), 10*time.Minute)}}
	chat := &fake{fails: []error{errors.New("timeout")}}
	mail := &fake{fails: []error{escalation.Permanent(errors.New("550 no such user"))}}
	var routed []string // the recipients Route is given on each attempt
	var mu sync.Mutex
	route := notify.Route(map[string]escalation.Notifier{"lead": lead, "pager": pager, "chat": chat, "mail": mail})
	spy := escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) error {
		mu.Lock()
		routed = append(routed, strings.Join(n.To, ","))
		mu.Unlock()
		return route.Notify(ctx, n)
	})
	h := escalationtest.New(t, policy("lead", "pager", "chat", "mail"), monday, escalation.WithNotifier(spy))
	h.Open("T-1", nil, "any", "any")
	h.Advance(30 * time.Minute)
	// 10:00 lead takes it, mail refuses it for good, pager and chat fail;
	// 10:00:30 chat takes it, pager is rate limited for 10 minutes; 10:10:30
	// pager takes it.
	h.ExpectTimeline("T-1", time.UTC, []string{
		"Mon 10:00 opened tier:l1",
		"Mon 10:00 rule_fired page (event:opened)",
		"Mon 10:00 notified page (event:opened) lead, pager, chat, mail",
		"Mon 10:00 delivered page (event:opened) lead",
		"Mon 10:00 delivery_failed page (event:opened) mail",
		"Mon 10:00 delivered page (event:opened) chat",
		"Mon 10:10 delivered page (event:opened) pager",
	})
	hist, _ := h.Engine.History(context.Background(), "T-1")
	var ats []time.Duration
	for _, e := range hist[3:] {
		ats = append(ats, e.At.Sub(monday))
	}
	if diff := cmp.Diff([]time.Duration{0, 0, 30 * time.Second, 10*time.Minute + 30*time.Second}, ats); diff != "" {
		t.Errorf("instants of the outcomes (-want +got):\n%s", diff)
	}
	if note := hist[4].Note; note != "permanent: 550 no such user" {
		t.Errorf("mail's note %q", note)
	}
	if diff := cmp.Diff([]string{"lead,pager,chat,mail", "pager,chat", "pager"}, routed); diff != "" {
		t.Errorf("recipients of each attempt (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name string
		f    *fake
		want []string
	}{
		{"lead", lead, []string{"T-1/page/2/lead lead 1"}},
		{"pager", pager, []string{"T-1/page/2/pager pager 1", "T-1/page/2/pager pager 2", "T-1/page/2/pager pager 3"}},
		{"chat", chat, []string{"T-1/page/2/chat chat 1", "T-1/page/2/chat chat 2"}},
		{"mail", mail, []string{"T-1/page/2/mail mail 1"}},
	} {
		if diff := cmp.Diff(tc.want, tc.f.calls()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if next, _ := h.Engine.Next(context.Background()); !next.Equal(monday.Add(time.Hour)) {
		t.Errorf("next due %v, want only the matrix level at 11:00: the outbox is empty", next)
	}
}

// TestRouteWebhooks: routed webhooks send one request per recipient, each
// with its own idempotency key; a 429 is retried alone.
func TestRouteWebhooks(t *testing.T) {
	ok := newServer(t, status(http.StatusOK))
	var mu sync.Mutex
	limited := 0
	flaky := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		limited++
		first := limited == 1
		mu.Unlock()
		if first {
			status(429, "Retry-After", "60")(w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	r := notify.Route(map[string]escalation.Notifier{"lead": notify.Webhook(ok.URL), "pager": notify.Webhook(flaky.URL)})
	h := escalationtest.New(t, policy("lead", "pager"), monday, escalation.WithNotifier(r))
	h.Open("T-1", nil, "any", "any")
	h.Advance(5 * time.Minute)
	h.ExpectTimeline("T-1", time.UTC, []string{
		"Mon 10:00 opened tier:l1",
		"Mon 10:00 rule_fired page (event:opened)",
		"Mon 10:00 notified page (event:opened) lead, pager",
		"Mon 10:00 delivered page (event:opened) lead",
		"Mon 10:01 delivered page (event:opened) pager",
	})
	keys := func(s *server) []string {
		var out []string
		for _, r := range s.requests() {
			out = append(out, r.header.Get("Idempotency-Key"))
		}
		return out
	}
	if diff := cmp.Diff([]string{"T-1/page/2/lead"}, keys(ok)); diff != "" {
		t.Errorf("lead's requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"T-1/page/2/pager", "T-1/page/2/pager"}, keys(flaky)); diff != "" {
		t.Errorf("pager's requests (-want +got):\n%s", diff)
	}
}
