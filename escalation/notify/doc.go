// Package notify holds ready-made escalation.Notifier implementations: a
// structured log record per notification (Log), an HTTP POST of its JSON,
// signed and idempotent (Webhook), delivery to each recipient through its
// own notifier with per-recipient retries (Route), and a text/template
// rendering for mail and chat (Template).
//
//	notifier := notify.Route(map[string]escalation.Notifier{
//		"team_lead":    notify.Webhook("https://chat.example.com/hooks/leads", notify.WithSecret(secret)),
//		"duty_manager": notify.Webhook("https://pager.example.com/v1/events",
//			notify.WithSecret(secret), notify.WithHeader("Authorization", "Bearer "+token)),
//	}, notify.WithDefault(notify.Log(logger)))
//	engine, err := escalation.New(policy, escalation.WithNotifier(notifier))
//	if err != nil {
//		return err
//	}
//	go engine.Run(ctx) // delivers, retries with backoff, records each recipient
//
// # Delivery
//
// The engine saves a notification with the ticket's state before it calls
// the notifier, so a crash delivers it again: delivery is at-least-once,
// and Notification.Key is the idempotency key a receiver drops duplicates
// by (a webhook sends it as the header Idempotency-Key). An error makes
// the engine retry with its backoff; escalation.Permanent stops the
// retries, and escalation.RetryAfter and escalation.RetryAt put the next
// attempt later (a webhook's 429 with Retry-After).
//
// Route delivers to each recipient apart and returns an
// *escalation.PartialError when some of them failed: the engine records a
// delivered or delivery_failed entry for each recipient it settled, and
// retries the notification for the others alone. Each recipient's key is
// the notification's key, "/" and the recipient (Notification.For), the
// same on every attempt.
//
// Only the standard library is imported, besides ladder's own packages.
package notify
