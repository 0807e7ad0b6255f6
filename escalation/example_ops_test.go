package escalation_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// Run in a goroutine handles due work as it falls due: here on a
// simulated clock, which the example moves as time would pass. Run
// sleeps on the clock until the next due instant, so a clock moved past
// it wakes Run at once. Cancelling the context stops Run.
func ExampleEngine_Run() {
	clk := escalation.NewSimClock(exMonday)
	told := make(chan escalation.Notification)
	notify := escalation.NotifierFunc(func(ctx context.Context, n escalation.Notification) error {
		told <- n
		return nil
	})
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithNotifier(notify))
	if err != nil {
		panic(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.Run(ctx) }()

	err = e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(),
		Impact: "high", Urgency: "high", Attrs: map[string]any{"customer": map[string]any{"vip": true}}})
	if err != nil {
		panic(err)
	}
	for _, minutes := range []int{15, 60} { // the VIP rule, the matrix level
		clk.Set(exMonday.Add(time.Duration(minutes) * time.Minute))
		n := <-told
		fmt.Println(n.At.Format("15:04"), n.Rule, "->", n.To)
	}
	stop()
	fmt.Println("Run:", <-done)
	// Output:
	// 09:15 vip-first-response -> [account_manager]
	// 10:00 matrix:P1[0] -> [team_lead]
	// Run: context canceled
}

// Next says when something is next due, so a simulation moves its clock
// straight there and calls Step: a P1 ticket nobody answers, from its
// opening to its resolution breach. At 09:15 the VIP rule's time point
// falls, and its condition is false: nothing is recorded.
func ExampleEngine_Next() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk))
	if err != nil {
		panic(err)
	}
	err = e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(), Impact: "high", Urgency: "high"})
	if err != nil {
		panic(err)
	}
	for {
		next, err := e.Next(ctx)
		if err != nil {
			panic(err)
		}
		if next.IsZero() || next.After(exMonday.Add(8*time.Hour)) {
			break
		}
		clk.Set(next)
		if err := e.Step(ctx); err != nil {
			panic(err)
		}
		fmt.Println("due", next.Format("15:04"))
	}
	hist, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	for _, entry := range hist {
		fmt.Println(escalationtest.Line(entry, time.UTC))
	}
	// Output:
	// due 09:15
	// due 09:30
	// due 10:00
	// due 12:00
	// due 13:00
	// Mon 09:00 opened tier:frontline
	// Mon 09:30 sla_breached (first_response:breach)
	// Mon 10:00 escalated matrix:P1[0] (since_open:1h) tier:frontline -> tier:specialists
	// Mon 10:00 notified matrix:P1[0] (since_open:1h) team_lead
	// Mon 10:00 delivered matrix:P1[0] (since_open:1h) team_lead
	// Mon 12:00 sla_warning (resolution:75%)
	// Mon 13:00 sla_breached (resolution:breach)
}

// An observer counts what the engine does, for metrics: package
// escalation/otel is one for OpenTelemetry. Here it prints each
// observation of a ticket that is escalated by hand, breaches its
// first-response goal and is resolved. The clock moves four hours in one
// go, so Step fires the points that fell meanwhile late, and says so.
func ExampleWithObserver() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	observe := escalation.ObserverFunc(func(o escalation.Observation) {
		line := fmt.Sprintf("%s %-12s %s", o.At.Format("15:04"), o.Kind, o.Ticket)
		switch o.Kind {
		case escalation.ObservedEvent:
			line += " " + string(o.Event)
		case escalation.ObservedMove:
			line += fmt.Sprintf(" %s to %s, manual %v", o.Event, o.Tier, o.Manual())
		case escalation.ObservedBreach:
			line += " " + o.Metric + " " + o.Priority
		case escalation.ObservedOpenTickets:
			line += fmt.Sprintf(" %+d", o.Delta)
		case escalation.ObservedLateness:
			line += fmt.Sprintf(" due %s, %v late", o.Due.Format("15:04"), o.Lateness)
		}
		fmt.Println(line)
	})
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithObserver(observe))
	if err != nil {
		panic(err)
	}
	report := func(ev escalation.Event) {
		ev.Ticket, ev.At = "T-1", clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			panic(err)
		}
	}
	report(escalation.Event{Kind: escalation.Opened, Impact: "low", Urgency: "low"})
	clk.Add(10 * time.Minute)
	report(escalation.Event{Kind: escalation.Escalated, Tier: "specialists", Actor: "ana"})
	clk.Add(4 * time.Hour)
	if err := e.Step(ctx); err != nil {
		panic(err)
	}
	report(escalation.Event{Kind: escalation.Resolved, Actor: "ana"})
	// Output:
	// 09:00 event        T-1 opened
	// 09:00 open_tickets T-1 +1
	// 09:10 event        T-1 escalated
	// 09:10 move         T-1 escalated to specialists, manual true
	// 11:00 lateness     T-1 due 11:00, 2h10m0s late
	// 13:00 lateness     T-1 due 13:00, 10m0s late
	// 13:00 breach       T-1 first_response P3
	// 13:10 event        T-1 resolved
	// 13:10 open_tickets T-1 -1
}

// Limits bound what a host can hand the engine. Everything wrong with an
// event is reported at once, and nothing is saved; errors.Is finds
// ErrLimit, and errors.As the *LimitError of each limit passed.
func ExampleWithLimits() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	e, err := escalation.New(exDesk(), escalation.WithClock(clk),
		escalation.WithLimits(escalation.Limits{TicketID: 8, Reason: 16})) // the rest keep DefaultLimits
	if err != nil {
		panic(err)
	}
	err = e.Report(ctx, escalation.Event{Ticket: "INC-2026-000123", Kind: escalation.Opened, At: clk.Now(),
		Impact: "low", Urgency: "low", Reason: "the printer on the third floor is on fire"})
	fmt.Println(err)
	fmt.Println("a limit:", errors.Is(err, escalation.ErrLimit))
	var limit *escalation.LimitError
	if errors.As(err, &limit) {
		fmt.Println("first:", limit.Limit)
	}
	_, err = e.Status(ctx, "INC-2026-000123")
	fmt.Println("saved:", err == nil)
	// Output:
	// escalation: ticket "INC-2026-000123": opened: ticket: 15 bytes, over 8 (Limits.TicketID)
	// reason: 41 bytes, over 16 (Limits.Reason)
	// a limit: true
	// first: TicketID
	// saved: false
}

// A notifier that is told to wait (an HTTP 429 with Retry-After, say)
// returns RetryAfter: the engine tries again no sooner, even when its
// backoff (30 seconds at first) is shorter. The history records the
// delivery when it is made.
func ExampleRetryAfter() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	busy := true
	notify := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		if busy {
			busy = false
			return escalation.RetryAfter(errors.New("429 Too Many Requests"), 10*time.Minute)
		}
		fmt.Println(clk.Now().Format("15:04"), "delivered", n.Key, "attempt", n.Attempt)
		return nil
	})
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithNotifier(notify))
	if err != nil {
		panic(err)
	}
	err = e.Report(ctx, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: clk.Now(),
		Impact: "high", Urgency: "high", Attrs: map[string]any{"customer": map[string]any{"vip": true}}})
	if err != nil {
		panic(err)
	}
	for clk.Now().Before(exMonday.Add(30 * time.Minute)) {
		next, err := e.Next(ctx)
		if err != nil {
			panic(err)
		}
		clk.Set(next)
		if err := e.Step(ctx); err != nil {
			panic(err)
		}
	}
	hist, err := e.History(ctx, "T-1")
	if err != nil {
		panic(err)
	}
	for _, entry := range hist {
		if entry.Rule == "vip-first-response" {
			fmt.Println(escalationtest.Line(entry, time.UTC))
		}
	}
	// Output:
	// 09:25 delivered T-1/vip-first-response/2 attempt 2
	// Mon 09:15 rule_fired vip-first-response (first_response:50%)
	// Mon 09:15 notified vip-first-response (first_response:50%) account_manager
	// Mon 09:25 delivered vip-first-response (first_response:50%) account_manager
}

// A MemoryStore is the default store; a host makes one itself to share
// it (between an engine and a report, say) or to look inside it. It
// keeps every ticket and its history in memory, and its due index in a
// heap: Upcoming walks the tickets due soonest.
func ExampleNewMemoryStore() {
	ctx := context.Background()
	clk := escalation.NewSimClock(exMonday)
	store := escalation.NewMemoryStore()
	e, err := escalation.New(exDesk(), escalation.WithClock(clk), escalation.WithStore(store),
		escalation.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		panic(err)
	}
	for i, grid := range [][2]string{{"low", "low"}, {"high", "high"}, {"high", "low"}} {
		err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprintf("T-%d", i+1), Kind: escalation.Opened, At: clk.Now(),
			Impact: grid[0], Urgency: grid[1]})
		if err != nil {
			panic(err)
		}
	}
	fmt.Println(store.Len(), "tickets")
	for st, err := range store.Upcoming(ctx, exMonday.Add(2*time.Hour)) {
		if err != nil {
			panic(err)
		}
		fmt.Println(st.ID, st.Priority, "due", st.Due.Format("15:04"))
	}
	// Output:
	// 3 tickets
	// T-2 P1 due 09:15
	// T-3 P2 due 09:30
	// T-1 P3 due 11:00
}
