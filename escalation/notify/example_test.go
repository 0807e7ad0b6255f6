package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/notify"
)

func ExampleLog() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // no time, so the output is the same each run
			}
			return a
		},
	}))
	n := escalation.Notification{
		Key: "T-1/matrix:P1[0]/3", Ticket: "T-1", To: []string{"lead", "pager"},
		Rule: "matrix:P1[0]", Trigger: "since_open:1h",
		FromTier: "l1", ToTier: "l2", ToTeam: "network", Priority: "P1", Attempt: 1,
	}
	if err := notify.Log(logger).Notify(context.Background(), n); err != nil {
		fmt.Println(err)
	}
	// Output:
	// level=INFO msg=notification ticket=T-1 key=T-1/matrix:P1[0]/3 to=lead,pager rule=matrix:P1[0] trigger=since_open:1h from_tier=l1 to_tier=l2 to_team=network priority=P1 attempt=1
}

// A rule notifies three recipients: the lead by chat, the pager, which is
// busy at first, and sms, which no route names. The lead's delivery and
// the sms failure are recorded at once; the pager alone is tried again
// after the engine's backoff, with the same key.
func ExampleRoute() {
	say := func(via string, fail ...error) escalation.Notifier {
		return escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
			if len(fail) > 0 {
				err := fail[0]
				fail = fail[1:]
				fmt.Printf("%s: %s attempt %d: %v\n", via, n.Key, n.Attempt, err)
				return err
			}
			fmt.Printf("%s: %s attempt %d: delivered\n", via, n.Key, n.Attempt)
			return nil
		})
	}
	notifier := notify.Route(map[string]escalation.Notifier{
		"lead":  say("chat"),
		"pager": say("pager", errors.New("busy")),
	})

	clk := escalation.NewSimClock(monday)
	engine, err := escalation.New(policy("lead", "pager", "sms"), escalation.WithClock(clk), escalation.WithNotifier(notifier))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	engine.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "any", Urgency: "any"})
	engine.Step(ctx)
	clk.Add(30 * time.Second)
	engine.Step(ctx)

	history, _ := engine.History(ctx, "T-1")
	for _, e := range history {
		if e.Note != "" {
			fmt.Println(escalationtest.Line(e, time.UTC) + ": " + e.Note)
			continue
		}
		fmt.Println(escalationtest.Line(e, time.UTC))
	}
	// Output:
	// chat: T-1/page/2/lead attempt 1: delivered
	// pager: T-1/page/2/pager attempt 1: busy
	// pager: T-1/page/2/pager attempt 2: delivered
	// Mon 10:00 opened tier:l1
	// Mon 10:00 rule_fired page (event:opened)
	// Mon 10:00 notified page (event:opened) lead, pager, sms
	// Mon 10:00 delivered page (event:opened) lead
	// Mon 10:00 delivery_failed page (event:opened) sms: permanent: notify: no route for recipient "sms"
	// Mon 10:00 delivered page (event:opened) pager
}

func ExampleTemplate() {
	n := notification()
	n.SLA = slaStatuses()
	n.History = []escalation.Entry{
		{At: monday, What: escalation.WhatOpened, To: "tier:l1 team:network", Actor: "ana"},
		{At: monday.Add(time.Hour), What: escalation.WhatEscalated, By: escalation.ByMatrix, Rule: "matrix:P1[0]", Trigger: "since_open:1h", From: "tier:l1", To: "tier:l2"},
		{At: monday.Add(time.Hour), What: escalation.WhatNotified, By: escalation.ByMatrix, Rule: "matrix:P1[0]", Trigger: "since_open:1h", To: "lead, pager"},
	}
	n.HistoryTotal = 3
	subject, body, err := notify.DefaultTemplate.Render(n)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(subject)
	fmt.Println()
	fmt.Print(body)
	// Output:
	// [P1] T-1 on l2/network: matrix:P1[0]
	//
	// Ticket T-1, priority P1, status open.
	// Now on tier l2, team network; before on tier l1.
	// Why: matrix:P1[0] on since_open:1h, Mon 2 Nov 11:00 UTC.
	//   ticket.customer.vip: true
	//
	// SLA:
	//   first_response: breached, 30m over the goal of 30m, due Mon 2 Nov 10:30 UTC
	//   resolution: 3h left of 4h (25% used), due Mon 2 Nov 14:00 UTC
	//
	// History:
	//   Mon 2 Nov 10:00 opened tier:l1 team:network by ana
	//   Mon 2 Nov 11:00 escalated matrix:P1[0] (since_open:1h) tier:l1 -> tier:l2
	//   Mon 2 Nov 11:00 notified matrix:P1[0] (since_open:1h) lead, pager
}
