package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/notify"
)

var secret = []byte("s3cret")

// request is what a test server received.
type request struct {
	method string
	header http.Header
	body   []byte
}

// server is an httptest server that answers with handle and records
// each request.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []request
}

func newServer(t *testing.T, handle http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, request{r.Method, r.Header.Clone(), body})
		s.mu.Unlock()
		handle(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]request(nil), s.reqs...)
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code)+"\n")
	}
}

// TestWebhookRequest: the request is a signed POST of the notification's
// JSON, with the idempotency key and the configured headers.
func TestWebhookRequest(t *testing.T) {
	srv := newServer(t, status(http.StatusNoContent))
	n := notification()
	wh := notify.Webhook(srv.URL+"/hook?token=abc", notify.WithSecret(secret), notify.WithHeader("Authorization", "Bearer xyz"))
	if err := wh.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPost {
		t.Errorf("method %s, want POST", r.method)
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(r.body)
	wantSig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	for _, h := range []struct{ key, want string }{
		{"Content-Type", "application/json"},
		{"Idempotency-Key", "T-1/matrix:P1[0]/3"},
		{"X-Ladder-Signature", wantSig},
		{"Authorization", "Bearer xyz"},
	} {
		if got := r.header.Get(h.key); got != h.want {
			t.Errorf("header %s = %q, want %q", h.key, got, h.want)
		}
	}
	if got := notify.Sign(secret, r.body); got != wantSig {
		t.Errorf("Sign = %q, want %q", got, wantSig)
	}
	var got escalation.Notification
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("body is not a notification: %v\n%s", err, r.body)
	}
	if diff := cmp.Diff(n, got); diff != "" {
		t.Errorf("body (-sent +received):\n%s", diff)
	}
	if !strings.Contains(string(r.body), `"history_total":0`) {
		t.Errorf("body lacks history_total: %s", r.body)
	}
}

// TestWebhookUnsigned: without a secret there is no signature header.
func TestWebhookUnsigned(t *testing.T) {
	srv := newServer(t, status(http.StatusOK))
	if err := notify.Webhook(srv.URL).Notify(context.Background(), notification()); err != nil {
		t.Fatal(err)
	}
	if sig, ok := srv.requests()[0].header["X-Ladder-Signature"]; ok {
		t.Errorf("unsigned request has a signature %q", sig)
	}
}

// TestWebhookResponses: each kind of response is delivered, failed for
// good or retried, through the engine, and a Retry-After puts the next
// attempt where it says. The engine's backoff before the first retry is
// 30s.
func TestWebhookResponses(t *testing.T) {
	at := monday
	cases := []struct {
		name      string
		handle    http.HandlerFunc
		last      string        // the last line of the timeline
		retryIn   time.Duration // when retried, how long after the failure
		errSubstr string        // in a direct Notify's error
	}{
		{"200", status(200), "Mon 10:00 delivered page (event:opened) ops", 0, ""},
		{"202", status(202), "Mon 10:00 delivered page (event:opened) ops", 0, ""},
		{"400", status(400), "Mon 10:00 delivery_failed page (event:opened) ops", 0, "400 Bad Request: Bad Request"},
		{"404", status(404), "Mon 10:00 delivery_failed page (event:opened) ops", 0, "404 Not Found"},
		{"408", status(408), "Mon 10:00 notified page (event:opened) ops", 30 * time.Second, "408 Request Timeout"},
		{"429 Retry-After seconds", status(429, "Retry-After", "120"), "Mon 10:00 notified page (event:opened) ops", 2 * time.Minute, "429 Too Many Requests"},
		{"429 Retry-After shorter than the backoff", status(429, "Retry-After", "5"), "Mon 10:00 notified page (event:opened) ops", 30 * time.Second, "429"},
		{"429 Retry-After date", status(429, "Retry-After", at.Add(10*time.Minute).Format(http.TimeFormat)), "Mon 10:00 notified page (event:opened) ops", 10 * time.Minute, "429"},
		{"429 Retry-After garbage", status(429, "Retry-After", "soon"), "Mon 10:00 notified page (event:opened) ops", 30 * time.Second, "429"},
		{"500", status(500), "Mon 10:00 notified page (event:opened) ops", 30 * time.Second, "500 Internal Server Error"},
		{"503 Retry-After", status(503, "Retry-After", "3600"), "Mon 10:00 notified page (event:opened) ops", time.Hour, "503 Service Unavailable"},
		{"304", status(304), "Mon 10:00 delivery_failed page (event:opened) ops", 0, "304 Not Modified"},
		{"connection closed", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, "Mon 10:00 notified page (event:opened) ops", 30 * time.Second, "EOF"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.handle)
			h := escalationtest.New(t, policy("ops"), at, escalation.WithNotifier(notify.Webhook(srv.URL)))
			h.Open("T-1", nil, "any", "any")
			h.Advance(0)
			tl := h.Timeline("T-1", time.UTC)
			if got := tl[len(tl)-1]; got != tc.last {
				t.Errorf("last entry %q, want %q\n%s", got, tc.last, strings.Join(tl, "\n"))
			}
			next, err := h.Engine.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wantNext := at.Add(time.Hour) // the matrix level
			if tc.retryIn > 0 {
				wantNext = at.Add(tc.retryIn)
			}
			if !next.Equal(wantNext) {
				t.Errorf("next due %v, want %v", next, wantNext)
			}
			err = notify.Webhook(srv.URL).Notify(context.Background(), notification())
			switch {
			case tc.errSubstr == "" && err != nil:
				t.Errorf("Notify: %v", err)
			case tc.errSubstr != "" && (err == nil || !strings.Contains(err.Error(), tc.errSubstr)):
				t.Errorf("Notify: %v, want an error with %q", err, tc.errSubstr)
			case err != nil && escalation.IsPermanent(err) != (tc.retryIn == 0):
				t.Errorf("Notify: %v: permanent %v, want %v", err, escalation.IsPermanent(err), tc.retryIn == 0)
			}
		})
	}
}

// TestWebhookRetryThenDeliver: a 503 with Retry-After, then a 200: the
// second attempt is at the instant the server asked for, with the same
// idempotency key and the attempt counted.
func TestWebhookRetryThenDeliver(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			status(503, "Retry-After", "90")(w, r)
			return
		}
		w.WriteHeader(200)
	})
	h := escalationtest.New(t, policy("ops"), monday, escalation.WithNotifier(notify.Webhook(srv.URL, notify.WithSecret(secret))))
	h.Open("T-1", nil, "any", "any")
	h.Advance(5 * time.Minute)
	h.ExpectTimeline("T-1", time.UTC, []string{
		"Mon 10:00 opened tier:l1",
		"Mon 10:00 rule_fired page (event:opened)",
		"Mon 10:00 notified page (event:opened) ops",
		"Mon 10:01 delivered page (event:opened) ops",
	})
	hist, _ := h.Engine.History(context.Background(), "T-1")
	if at := hist[len(hist)-1].At; !at.Equal(monday.Add(90 * time.Second)) {
		t.Errorf("delivered at %v, want 90s after the failure", at)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	var attempts []int
	for _, r := range reqs {
		if k0, k := reqs[0].header.Get("Idempotency-Key"), r.header.Get("Idempotency-Key"); k != k0 || k == "" {
			t.Errorf("idempotency keys %q and %q", k0, k)
		}
		if sig := r.header.Get("X-Ladder-Signature"); sig != notify.Sign(secret, r.body) {
			t.Errorf("signature %q does not match the body", sig)
		}
		var n escalation.Notification
		if err := json.Unmarshal(r.body, &n); err != nil {
			t.Fatal(err)
		}
		attempts = append(attempts, n.Attempt)
	}
	if diff := cmp.Diff([]int{1, 2}, attempts); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
}

// TestWebhookNetworkFailures: a refused connection and a server slower
// than the timeout are retried.
func TestWebhookNetworkFailures(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()

	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })

	for _, tc := range []struct {
		name string
		wh   escalation.Notifier
		is   error
	}{
		{"connection refused", notify.Webhook(refusedURL), nil},
		{"slow server", notify.Webhook(slow.URL, notify.WithTimeout(20*time.Millisecond)), context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.wh.Notify(context.Background(), notification())
			if err == nil || escalation.IsPermanent(err) {
				t.Fatalf("Notify: %v, want an error to retry", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Notify: %v, want %v", err, tc.is)
			}
			if !strings.HasPrefix(err.Error(), "notify: webhook http://127.0.0.1:") {
				t.Errorf("error %q does not name the webhook", err)
			}
			h := escalationtest.New(t, policy("ops"), monday, escalation.WithNotifier(tc.wh))
			h.Open("T-1", nil, "any", "any")
			h.Advance(0)
			if next, _ := h.Engine.Next(context.Background()); !next.Equal(monday.Add(30 * time.Second)) {
				t.Errorf("next due %v, want the retry 30s later", next)
			}
		})
	}
}

// TestWebhookErrors: a failed response is an *HTTPError with the start of
// the body; the query of the URL stays out of errors; a bad URL fails for
// good.
func TestWebhookErrors(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(422)
		io.WriteString(w, strings.Repeat("x", 1000))
	})
	err := notify.Webhook(srv.URL+"/hook?token=secret-token").Notify(context.Background(), notification())
	var he *notify.HTTPError
	if !errors.As(err, &he) || !escalation.IsPermanent(err) {
		t.Fatalf("Notify: %v, want a permanent *HTTPError", err)
	}
	if he.StatusCode != 422 || he.URL != srv.URL+"/hook" || len(he.Body) != 256 {
		t.Errorf("HTTPError %+v", he)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("error shows the query: %v", err)
	}
	for _, bad := range []string{"://nope", "ftp://example.com/x", ""} {
		if err := notify.Webhook(bad).Notify(context.Background(), notification()); !escalation.IsPermanent(err) {
			t.Errorf("Webhook(%q): %v, want a permanent error", bad, err)
		}
	}
}
