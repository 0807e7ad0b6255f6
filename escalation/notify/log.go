package notify

import (
	"context"
	"log/slog"
	"strings"

	"github.com/ladder-go/ladder/escalation"
)

// Log returns a Notifier that writes one record at level Info per
// notification to l, with the message "notification" and the attributes
// ticket, key, to (the recipients, comma-separated), rule, trigger,
// from_tier, to_tier, from_team, to_team, priority and attempt; from_tier,
// from_team, to_team and trigger are left out when empty. A nil l means
// slog.Default(). It never fails. The Notifier is safe for concurrent use.
func Log(l *slog.Logger) escalation.Notifier {
	if l == nil {
		l = slog.Default()
	}
	return escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) error {
		attrs := make([]slog.Attr, 0, 11)
		attrs = append(attrs, slog.String("ticket", n.Ticket), slog.String("key", n.Key),
			slog.String("to", strings.Join(n.To, ",")), slog.String("rule", n.Rule))
		add := func(key, value string) {
			if value != "" {
				attrs = append(attrs, slog.String(key, value))
			}
		}
		add("trigger", n.Trigger)
		add("from_tier", n.FromTier)
		attrs = append(attrs, slog.String("to_tier", n.ToTier))
		add("from_team", n.FromTeam)
		add("to_team", n.ToTeam)
		attrs = append(attrs, slog.String("priority", n.Priority), slog.Int("attempt", n.Attempt))
		l.LogAttrs(ctx, slog.LevelInfo, "notification", attrs...)
		return nil
	})
}
