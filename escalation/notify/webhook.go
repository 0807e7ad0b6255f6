package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// WebhookOption configures Webhook.
type WebhookOption func(*webhook)

// WithSecret signs each request: the header X-Ladder-Signature is
// "sha256=" followed by the hex HMAC-SHA256 of the body under secret, so
// the receiver can check that ladder sent it. The secret is copied.
func WithSecret(secret []byte) WebhookOption {
	return func(w *webhook) { w.secret = bytes.Clone(secret) }
}

// WithTimeout bounds each request, body included; d <= 0 leaves only
// Notify's context to bound it. The default is 10 seconds.
func WithTimeout(d time.Duration) WebhookOption { return func(w *webhook) { w.timeout = d } }

// WithClient sets the HTTP client; nil means http.DefaultClient, the
// default.
func WithClient(c *http.Client) WebhookOption { return func(w *webhook) { w.client = c } }

// WithHeader sets a header on every request (an API key, say). The headers
// the webhook sets itself, Idempotency-Key and X-Ladder-Signature, cannot
// be replaced; Content-Type can.
func WithHeader(key, value string) WebhookOption {
	return func(w *webhook) { w.header.Set(key, value) }
}

// Webhook returns a Notifier that POSTs each notification as JSON (the
// escalation.Notification's JSON form) to rawURL, with the notification's
// key in the header Idempotency-Key, so that the receiver can drop the
// duplicates of at-least-once delivery.
//
// A 2xx response delivers the notification. A 4xx other than 408 and 429
// fails it for good (escalation.Permanent): the request will not get
// better. 408, 429, 5xx, a network error, and a request that runs past
// the timeout make the engine retry; a Retry-After header (seconds or an
// HTTP date) on such a response puts the next attempt no sooner than it
// says (escalation.RetryAfter, escalation.RetryAt). Any other status, and
// a URL that does not parse, fails for good too. Failures with a response
// are *HTTPError.
//
// Defaults: http.DefaultClient, a timeout of 10 seconds, no signature. The
// Notifier is safe for concurrent use.
func Webhook(rawURL string, opts ...WebhookOption) escalation.Notifier {
	w := &webhook{url: rawURL, timeout: 10 * time.Second, header: http.Header{}}
	for _, o := range opts {
		o(w)
	}
	if w.client == nil {
		w.client = http.DefaultClient
	}
	u, err := url.Parse(rawURL)
	switch {
	case err != nil:
		w.bad = err
	case u.Scheme != "http" && u.Scheme != "https":
		w.bad = fmt.Errorf("notify: webhook %q: the URL is not http or https", rawURL)
	default:
		u.RawQuery, u.Fragment, u.User = "", "", nil // keep secrets out of errors and logs
		w.shown = u.String()
	}
	return w
}

type webhook struct {
	url, shown string // shown: the URL without query or user, for errors
	bad        error  // the URL did not parse
	secret     []byte
	timeout    time.Duration
	client     *http.Client
	header     http.Header
}

// HTTPError is a webhook's response other than 2xx.
type HTTPError struct {
	URL        string // without its query
	StatusCode int
	Status     string // "503 Service Unavailable"
	Body       string // the start of the response's body, for the log
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("notify: webhook %s: %s", e.URL, e.Status)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// maxErrorBody is how much of a failed response's body an HTTPError keeps.
const maxErrorBody = 256

func (w *webhook) Notify(ctx context.Context, n escalation.Notification) error {
	if w.bad != nil {
		return escalation.Permanent(fmt.Errorf("notify: webhook: %w", w.bad))
	}
	body, err := json.Marshal(n)
	if err != nil {
		return escalation.Permanent(fmt.Errorf("notify: webhook %s: %w", w.shown, err))
	}
	if w.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return escalation.Permanent(fmt.Errorf("notify: webhook %s: %w", w.shown, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ladder-notify")
	for k, v := range w.header {
		req.Header[k] = v
	}
	req.Header.Set("Idempotency-Key", n.Key)
	if w.secret != nil {
		req.Header.Set("X-Ladder-Signature", Sign(w.secret, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook %s: %w", w.shown, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	herr := &HTTPError{URL: w.shown, StatusCode: resp.StatusCode, Status: resp.Status,
		Body: strings.TrimSpace(strings.ToValidUTF8(string(snippet), "?"))}
	if !retryable(resp.StatusCode) {
		return escalation.Permanent(herr)
	}
	return retryAfter(herr, resp.Header.Get("Retry-After"))
}

// retryable reports whether a request that got code may succeed later.
func retryable(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500 && code < 600
}

// retryAfter marks err with what a Retry-After header asks: a number of
// seconds, or an HTTP date. A header that is neither is ignored.
func retryAfter(err error, header string) error {
	header = strings.TrimSpace(header)
	if header == "" {
		return err
	}
	if secs, perr := strconv.ParseInt(header, 10, 64); perr == nil {
		if secs < 0 {
			return err
		}
		return escalation.RetryAfter(err, time.Duration(min(secs, int64(365*24*time.Hour/time.Second)))*time.Second)
	}
	if t, perr := http.ParseTime(header); perr == nil {
		return escalation.RetryAt(err, t)
	}
	return err
}

// unwrapURLError drops the *url.Error around a client's error, whose
// message repeats the method and the whole URL, query included.
func unwrapURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// Sign returns the X-Ladder-Signature of body under secret: "sha256="
// followed by the hex HMAC-SHA256. A receiver compares it with the header
// using hmac.Equal.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
