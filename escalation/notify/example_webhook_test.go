package notify_test

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/notify"
)

// A receiver that checks the signature and drops the duplicates of
// at-least-once delivery by the Idempotency-Key header. Its first answer
// is a 503 asking for two minutes: the engine retries no sooner (the
// error carries the Retry-After, escalation.RetryAfter).
// Then the notification is delivered, and a second delivery of the same
// key is dropped. A 400 fails the notification for good.
func ExampleWebhook() {
	secret := []byte("s3cret")
	seen := map[string]bool{}
	busy := true
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch {
		case !hmac.Equal([]byte(r.Header.Get("X-Ladder-Signature")), []byte(notify.Sign(secret, body))):
			http.Error(w, "bad signature", http.StatusBadRequest)
		case r.Header.Get("X-Team") != "network":
			http.Error(w, "unknown team", http.StatusBadRequest)
		case busy:
			busy = false
			w.Header().Set("Retry-After", "120")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case seen[r.Header.Get("Idempotency-Key")]:
			fmt.Println("receiver: duplicate", r.Header.Get("Idempotency-Key"), "dropped")
		default:
			seen[r.Header.Get("Idempotency-Key")] = true
			fmt.Println("receiver: got", r.Header.Get("Idempotency-Key"))
		}
	}))
	defer receiver.Close()

	hook := notify.Webhook(receiver.URL, notify.WithSecret(secret), notify.WithHeader("X-Team", "network"),
		notify.WithTimeout(5*time.Second), notify.WithClient(receiver.Client()))
	n := notification()
	ctx := context.Background()
	err := hook.Notify(ctx, n)
	var h *notify.HTTPError
	if errors.As(err, &h) {
		fmt.Println("attempt 1:", h.Status, h.Body, "permanent:", escalation.IsPermanent(err))
	}
	fmt.Println("attempt 2:", hook.Notify(ctx, n))
	fmt.Println("attempt 3:", hook.Notify(ctx, n))

	unsigned := notify.Webhook(receiver.URL, notify.WithClient(receiver.Client()))
	err = unsigned.Notify(ctx, n)
	fmt.Println("unsigned: permanent:", escalation.IsPermanent(err))
	// Output:
	// attempt 1: 503 Service Unavailable busy permanent: false
	// receiver: got T-1/matrix:P1[0]/3
	// attempt 2: <nil>
	// receiver: duplicate T-1/matrix:P1[0]/3 dropped
	// attempt 3: <nil>
	// unsigned: permanent: true
}

// A receiver in Go checks a request's X-Ladder-Signature header with Sign
// and hmac.Equal, over the body exactly as it arrived. (The signature
// below is the one Python's hmac module computes for the same body.)
func ExampleSign() {
	secret := []byte("s3cret")
	body := []byte(`{"key":"T-1/page/2","ticket":"T-1"}`)
	header := notify.Sign(secret, body) // what the webhook sent
	fmt.Println(header)
	fmt.Println("valid:", hmac.Equal([]byte(header), []byte(notify.Sign(secret, body))))
	fmt.Println("tampered:", hmac.Equal([]byte(header), []byte(notify.Sign(secret, append(body, ' ')))))
	// Output:
	// sha256=dff52d0aef600379f95a621e2542cc0d8a5a5bdb069e64742265c60573b7db87
	// valid: true
	// tampered: false
}

// A template of one's own, for a chat line: the functions of the
// template language (when, clock, line, last) format times, SLA clocks
// and history entries. A mistake is reported with its line.
func ExampleNewTemplate() {
	chat, err := notify.NewTemplate(
		`{{.Ticket}} needs {{.ToTier}}`,
		`{{.Rule}} at {{when .At}}{{range .SLA}}; {{.Metric}} {{clock .}}{{end}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := notification()
	n.SLA = slaStatuses()
	subject, body, err := chat.Render(n)
	fmt.Println(subject)
	fmt.Println(body)
	fmt.Println(err)

	_, err = notify.NewTemplate("{{.Ticket}}", "line 1\n{{nope .At}}")
	fmt.Println(err)
	// Output:
	// T-1 needs l2
	// matrix:P1[0] at Mon 2 Nov 11:00 UTC; first_response breached, 30m over the goal of 30m, due Mon 2 Nov 10:30 UTC; resolution 3h left of 4h (25% used), due Mon 2 Nov 14:00 UTC
	// <nil>
	// notify: template: body:2: function "nope" not defined
}

// Recipients that no route names go to the default: here the lead is
// told in chat and everyone else by mail, each with the notification's
// key followed by the recipient.
func ExampleWithDefault() {
	via := func(name string) escalation.Notifier {
		return escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
			fmt.Println(name+":", n.To, n.Key)
			return nil
		})
	}
	n := notification()
	n.To = []string{"lead", "duty_manager", "pager"}
	notifier := notify.Route(map[string]escalation.Notifier{"lead": via("chat")}, notify.WithDefault(via("mail")))
	fmt.Println(notifier.Notify(context.Background(), n))
	// Output:
	// chat: [lead] T-1/matrix:P1[0]/3/lead
	// mail: [duty_manager] T-1/matrix:P1[0]/3/duty_manager
	// mail: [pager] T-1/matrix:P1[0]/3/pager
	// <nil>
}
