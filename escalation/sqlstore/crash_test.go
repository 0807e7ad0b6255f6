package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// crashSetup opens ticket T-1 (P1: its first level notifies the team lead
// 30 minutes later) on an engine with notifier n over a new store owned by
// "a", and moves the clock to that level. It returns the clock, the
// engine, and a function that makes more engines on the same database.
func crashSetup(t *testing.T, b backend, n escalation.NotifierFunc) (*escalation.SimClock, *escalation.Engine, func(owner string, n escalation.Notifier) *escalation.Engine) {
	t.Helper()
	db := b.open(t)
	clk := escalation.NewSimClock(t0)
	engine := func(owner string, n escalation.Notifier) *escalation.Engine {
		t.Helper()
		s, err := sqlstore.New(db, b.dialect, sqlstore.WithOwner(owner))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(s), escalation.WithNotifier(n))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := engine("a", n)
	if err := e.Report(context.Background(), escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: t0, Impact: "high", Urgency: "high"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(30 * time.Minute)
	return clk, e, engine
}

// count returns how many history entries of T-1 are what.
func count(t *testing.T, e *escalation.Engine, what string) int {
	t.Helper()
	h, err := e.History(context.Background(), "T-1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, en := range h {
		if string(en.What) == what {
			n++
		}
	}
	return n
}

// TestCrashBeforeDelivery: an engine saves a notification and dies before
// delivering it (its notifier cancels the engine's context and fails). A
// new engine on the same database delivers it, once: another replica when
// the dead one's lease ends, the same replica restarted at once.
func TestCrashBeforeDelivery(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		for _, c := range []struct {
			name  string
			owner string
			wait  time.Duration // before the new engine may deliver
		}{
			{"another replica", "b", time.Minute},
			{"the same replica restarted", "a", 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var key string
				clk, dying, engine := crashSetup(t, b, func(ctx context.Context, n escalation.Notification) error {
					key = n.Key
					cancel()
					return ctx.Err()
				})
				if err := dying.Step(ctx); !errors.Is(err, context.Canceled) {
					t.Fatalf("the dying engine's step: %v, want context.Canceled", err)
				}
				got := newDeliveries(clk)
				e := engine(c.owner, got.notifier(1))
				if count(t, e, "notified") != 1 || count(t, e, "delivered") != 0 {
					t.Fatal("the notification was not saved before it was delivered")
				}
				if c.wait > 0 {
					if err := e.Step(context.Background()); err != nil {
						t.Fatal(err)
					}
					if got.count[key] != 0 {
						t.Fatalf("delivered under the dead replica's lease")
					}
					clk.Add(c.wait)
				}
				for range 3 {
					if err := e.Step(context.Background()); err != nil {
						t.Fatal(err)
					}
					clk.Add(time.Minute)
				}
				if got.count[key] != 1 || count(t, e, "delivered") != 1 {
					t.Errorf("%s delivered %d times, recorded %d times; want once", key, got.count[key], count(t, e, "delivered"))
				}
			})
		}
	})
}

// TestCrashAfterDelivery: an engine delivers a notification and dies
// before it records the delivery. Delivery is at-least-once: a new engine
// delivers it again, with the same key, so the host can drop the second.
func TestCrashAfterDelivery(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got *deliveries
		clk, dying, engine := crashSetup(t, b, func(ctx context.Context, n escalation.Notification) error {
			got.notifier(0)(ctx, n)
			cancel()
			return nil
		})
		got = newDeliveries(clk)
		if err := dying.Step(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("the dying engine's step: %v, want context.Canceled", err)
		}
		e := engine("a", got.notifier(1))
		if err := e.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(got.count) != 1 {
			t.Fatalf("deliveries %v, want one key twice", got.count)
		}
		for key, n := range got.count {
			if n != 2 || got.by[key][0] != 0 || got.by[key][1] != 1 {
				t.Errorf("%s delivered %d times by %v; want twice, by the dead engine and the new one", key, n, got.by[key])
			}
		}
		if count(t, e, "delivered") != 1 {
			t.Errorf("the delivery is recorded %d times, want once", count(t, e, "delivered"))
		}
	})
}

// TestNoSecondDeliveryWhileDelivering: while replica a delivers a
// notification it saved, replica b steps at the same instant. The ticket
// is still due (its notification is saved, not yet delivered), but a's
// lease outlives a's save, so b leaves it alone.
func TestNoSecondDeliveryWhileDelivering(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		var other *escalation.Engine
		var got *deliveries
		var stepErr error
		clk, first, engine := crashSetup(t, b, func(ctx context.Context, n escalation.Notification) error {
			stepErr = other.Step(ctx)
			return got.notifier(0)(ctx, n)
		})
		got = newDeliveries(clk)
		other = engine("b", got.notifier(1))
		if err := first.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
		if stepErr != nil {
			t.Fatal(stepErr)
		}
		for key, n := range got.count {
			if n != 1 {
				t.Errorf("%s delivered %d times by %v, want once", key, n, got.by[key])
			}
		}
		if len(got.count) != 1 {
			t.Errorf("deliveries %v, want one", got.count)
		}
	})
}
