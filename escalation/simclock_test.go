package escalation_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/matrix"
)

// The engine's clock is any of these.
var (
	_ escalation.Clock = (*escalation.SimClock)(nil)
	_ escalation.Clock = (*clock.Mock)(nil)
	_ escalation.Clock = clock.New()
)

var simStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// simDone reports whether ctx is done now, without waiting.
func simDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

// TestSimClockDeadlines: contexts end exactly when a move reaches their
// deadlines, in order, and not before; each says why and when.
func TestSimClockDeadlines(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	after := []time.Duration{3 * time.Minute, time.Minute, 2 * time.Minute, 2 * time.Minute, 5 * time.Minute}
	ctxs := make([]context.Context, len(after))
	for i, d := range after {
		var cancel context.CancelFunc
		ctxs[i], cancel = sim.WithDeadline(context.Background(), simStart.Add(d))
		defer cancel()
	}
	for _, m := range []struct {
		move func()
		now  time.Duration // where the move leaves the clock
		done []int         // the contexts done after it
	}{
		{func() {}, 0, nil},
		{func() { sim.Set(simStart.Add(59 * time.Second)) }, 59 * time.Second, nil},
		{func() { sim.Add(time.Second) }, time.Minute, []int{1}},
		{func() { sim.Set(simStart.Add(119 * time.Second)) }, 119 * time.Second, []int{1}},
		{func() { sim.Add(time.Second) }, 2 * time.Minute, []int{1, 2, 3}},
		{func() { sim.Set(simStart.Add(4 * time.Minute)) }, 4 * time.Minute, []int{0, 1, 2, 3}},
		{func() { sim.Set(simStart.Add(time.Hour)) }, time.Hour, []int{0, 1, 2, 3, 4}},
	} {
		m.move()
		if got := sim.Now(); !got.Equal(simStart.Add(m.now)) {
			t.Fatalf("Now = %v, want %v", got, simStart.Add(m.now))
		}
		for i, ctx := range ctxs {
			want := false
			for _, j := range m.done {
				want = want || i == j
			}
			if got := simDone(ctx); got != want {
				t.Errorf("at +%v: context %d (deadline +%v) done = %v, want %v", m.now, i, after[i], got, want)
			}
			if want && ctx.Err() != context.DeadlineExceeded {
				t.Errorf("at +%v: context %d: Err = %v, want context.DeadlineExceeded", m.now, i, ctx.Err())
			}
			if !want && ctx.Err() != nil {
				t.Errorf("at +%v: context %d: Err = %v before it is done", m.now, i, ctx.Err())
			}
		}
	}
	for i, ctx := range ctxs {
		if d, ok := ctx.Deadline(); !ok || !d.Equal(simStart.Add(after[i])) {
			t.Errorf("context %d: Deadline = %v, %v; want %v, true", i, d, ok, simStart.Add(after[i]))
		}
		if cause := context.Cause(ctx); cause != context.DeadlineExceeded {
			t.Errorf("context %d: Cause = %v, want context.DeadlineExceeded", i, cause)
		}
	}
}

// TestSimClockBackwards: a clock set back ends nothing, and ends what is
// due when it comes forward again.
func TestSimClockBackwards(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	ctx, cancel := sim.WithDeadline(context.Background(), simStart.Add(time.Minute))
	defer cancel()
	sim.Set(simStart.Add(-time.Hour))
	if simDone(ctx) || !sim.Now().Equal(simStart.Add(-time.Hour)) {
		t.Fatalf("set back: done = %v, Now = %v", simDone(ctx), sim.Now())
	}
	sim.Add(61 * time.Minute)
	if !simDone(ctx) {
		t.Fatal("not done at its deadline")
	}
}

// TestSimClockPassedDeadline: a deadline that is not after now is done at
// once.
func TestSimClockPassedDeadline(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	for _, d := range []time.Duration{0, -time.Nanosecond, -24 * time.Hour} {
		ctx, cancel := sim.WithDeadline(context.Background(), simStart.Add(d))
		if !simDone(ctx) || ctx.Err() != context.DeadlineExceeded {
			t.Errorf("deadline now%+v: done = %v, Err = %v; want done with context.DeadlineExceeded", d, simDone(ctx), ctx.Err())
		}
		if dl, ok := ctx.Deadline(); !ok || !dl.Equal(simStart.Add(d)) {
			t.Errorf("deadline now%+v: Deadline = %v, %v", d, dl, ok)
		}
		cancel()
		if ctx.Err() != context.DeadlineExceeded {
			t.Errorf("deadline now%+v: cancel changed Err to %v", d, ctx.Err())
		}
	}
	ctx, cancel := sim.WithDeadline(context.Background(), simStart.Add(time.Nanosecond))
	defer cancel()
	if simDone(ctx) {
		t.Error("a deadline a nanosecond after now is done at once")
	}
}

// TestSimClockCancel: cancel ends a context with context.Canceled, and a
// later move does not change that; cancel may be called again, and after
// the deadline. A cancelled context leaves the clock: the clock no longer
// holds what it refers to.
func TestSimClockCancel(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	ctx, cancel := sim.WithDeadline(context.Background(), simStart.Add(time.Minute))
	other, cancelOther := sim.WithDeadline(context.Background(), simStart.Add(time.Minute))
	cancel()
	if !simDone(ctx) || ctx.Err() != context.Canceled || context.Cause(ctx) != context.Canceled {
		t.Fatalf("cancelled: done = %v, Err = %v, Cause = %v", simDone(ctx), ctx.Err(), context.Cause(ctx))
	}
	if simDone(other) {
		t.Fatal("cancel ended another context with the same deadline")
	}
	sim.Add(time.Hour)
	cancel()
	cancelOther()
	if ctx.Err() != context.Canceled || other.Err() != context.DeadlineExceeded {
		t.Errorf("after the deadline: Err = %v and %v, want context.Canceled and context.DeadlineExceeded", ctx.Err(), other.Err())
	}

	// Released: a value that only a cancelled context refers to is
	// collected while the clock lives; one that a waiting context refers to
	// is not.
	type key struct{}
	collected := func(cancelIt bool) bool {
		big := new([1 << 16]byte)
		gone := make(chan struct{})
		runtime.AddCleanup(big, func(ch chan struct{}) { close(ch) }, gone)
		_, cancel := sim.WithDeadline(context.WithValue(context.Background(), key{}, big), sim.Now().Add(time.Hour))
		if cancelIt {
			cancel()
		}
		big, cancel = nil, nil
		for range 10 {
			runtime.GC()
			select {
			case <-gone:
				return true
			default:
				runtime.Gosched()
			}
		}
		return false
	}
	if !collected(true) {
		t.Error("the clock still holds a cancelled context")
	}
	if collected(false) {
		t.Error("the clock let go of a waiting context") // the check above would prove nothing
	}
	runtime.KeepAlive(sim)
}

// TestSimClockParent: a context ends when its parent does, at once and
// with the parent's error and cause, without a goroutine of its own; its
// children end when it reaches its deadline.
func TestSimClockParent(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	errGone := errors.New("host shut down")
	parent, cancelParent := context.WithCancelCause(context.Background())
	before := runtime.NumGoroutine()
	var ctxs []context.Context
	for i := range 100 {
		ctx, cancel := sim.WithDeadline(parent, simStart.Add(time.Duration(i+1)*time.Minute))
		defer cancel()
		ctxs = append(ctxs, ctx)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines for 100 contexts, %d before", n, before)
	}
	cancelParent(errGone)
	for i, ctx := range ctxs {
		if !simDone(ctx) || ctx.Err() != context.Canceled || context.Cause(ctx) != errGone {
			t.Fatalf("context %d after its parent ended: done = %v, Err = %v, Cause = %v", i, simDone(ctx), ctx.Err(), context.Cause(ctx))
		}
	}
	sim.Add(time.Hour) // ends nothing that is not done already
	if ctxs[0].Err() != context.Canceled {
		t.Errorf("Err after the deadline: %v, want context.Canceled", ctxs[0].Err())
	}

	// A parent done before the call.
	ctx, cancel := sim.WithDeadline(parent, sim.Now().Add(time.Hour))
	defer cancel()
	if !simDone(ctx) || context.Cause(ctx) != errGone {
		t.Errorf("on a parent that is done: done = %v, Cause = %v", simDone(ctx), context.Cause(ctx))
	}

	// Children of a context of the clock, of package context and of the
	// clock itself, end with it.
	outer, cancelOuter := sim.WithDeadline(context.Background(), sim.Now().Add(time.Minute))
	defer cancelOuter()
	child, cancelChild := context.WithCancel(outer)
	defer cancelChild()
	inner, cancelInner := sim.WithDeadline(outer, sim.Now().Add(time.Hour))
	defer cancelInner()
	sim.Add(time.Minute)
	if !simDone(child) || !simDone(inner) || inner.Err() != context.DeadlineExceeded {
		t.Errorf("children at the parent's deadline: done = %v and %v, Err of the clock's = %v", simDone(child), simDone(inner), inner.Err())
	}
}

// TestSimClockConcurrent moves the clock in one goroutine while others
// read it and wait on deadlines they ask for: each wait ends, and never
// before the clock reaches it. Run it with -race.
func TestSimClockConcurrent(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	const moves = 500
	end := simStart.Add(moves * time.Second)
	var wg sync.WaitGroup
	early := make(chan string, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				deadline := simStart.Add(time.Duration((g*50+i*7)%moves+1) * time.Second)
				ctx, cancel := sim.WithDeadline(context.Background(), deadline)
				if i%5 == 4 {
					cancel() // some are given up
				}
				<-ctx.Done()
				if now := sim.Now(); ctx.Err() == context.DeadlineExceeded && now.Before(deadline) {
					select {
					case early <- fmt.Sprintf("deadline %v done at %v", deadline, now):
					default:
					}
				}
				cancel()
			}
		})
	}
	wg.Go(func() {
		for range moves {
			sim.Add(time.Second)
		}
	})
	wg.Wait()
	close(early)
	for msg := range early {
		t.Error(msg)
	}
	if !sim.Now().Equal(end) {
		t.Errorf("Now = %v, want %v", sim.Now(), end)
	}
}

// simPolicy notifies "lead" one and two hours after a ticket opens.
func simPolicy() *escalation.Policy {
	hour := escalation.Duration(time.Hour)
	return &escalation.Policy{
		Name: "sim", Version: "1",
		Tiers: []string{"l1", "l2", "l3"},
		Matrix: matrix.Spec{
			Impacts: []string{"any"}, Urgencies: []string{"any"}, Grid: [][]string{{"P"}},
			Priorities: []matrix.PrioritySpec{{
				Name:  "P",
				Goals: []matrix.Goal{{Metric: "resolution", Target: 10 * hour}},
				Levels: []matrix.Level{
					{Clock: matrix.ClockSinceOpen, After: hour, Tier: "l2", Notify: []string{"lead"}},
					{Clock: matrix.ClockSinceOpen, After: 2 * hour, Tier: "l3", Notify: []string{"lead"}},
				},
			}},
		},
	}
}

// TestRunOnSimClock: Run on a SimClock sleeps until the next due instant
// and wakes when the test moves the clock there, not before.
func TestRunOnSimClock(t *testing.T) {
	sim := escalation.NewSimClock(simStart)
	notes := make(chan escalation.Notification, 8)
	e, err := escalation.New(simPolicy(), escalation.WithClock(sim), escalation.WithNotifier(escalation.NotifierFunc(
		func(_ context.Context, n escalation.Notification) error {
			notes <- n
			return nil
		})))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := e.Report(ctx, escalation.Event{Ticket: "S-1", Kind: escalation.Opened, At: simStart, Impact: "any", Urgency: "any"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()

	for _, level := range []time.Duration{time.Hour, 2 * time.Hour} {
		due := simStart.Add(level)
		sim.Set(due.Add(-time.Minute))
		select {
		case n := <-notes:
			t.Fatalf("delivered %s at %v, before the clock reached %v", n.Key, n.At, due)
		default:
		}
		sim.Set(due)
		n := <-notes
		if !n.At.Equal(due) || n.Ticket != "S-1" || n.Attempt != 1 {
			t.Errorf("delivered %s of %s at %v on attempt %d, want at %v on attempt 1", n.Key, n.Ticket, n.At, n.Attempt, due)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	select {
	case n := <-notes:
		t.Errorf("delivered %s as well", n.Key)
	default:
	}
}

// A SimClock moves only when told to; contexts on it end as it passes
// their deadlines.
func ExampleSimClock() {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	sim := escalation.NewSimClock(start)
	ctx, cancel := sim.WithDeadline(context.Background(), start.Add(30*time.Minute))
	defer cancel()

	sim.Add(29 * time.Minute)
	fmt.Println(sim.Now().Format("15:04"), ctx.Err())
	sim.Add(time.Minute)
	fmt.Println(sim.Now().Format("15:04"), ctx.Err())
	// Output:
	// 09:29 <nil>
	// 09:30 context deadline exceeded
}
