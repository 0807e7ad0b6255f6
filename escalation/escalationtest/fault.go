package escalationtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// ErrInjected is what errors.Is finds in every error, and every panic's
// value, that a FaultyStore or a FaultyNotifier injects.
var ErrInjected = errors.New("escalationtest: injected fault")

// StoreFaults says which calls of a FaultyStore fail, counting the calls
// of Load, Save, Due, History and Tail together, from 1. Zero fields
// inject nothing.
type StoreFaults struct {
	// ErrorEvery: every n-th call returns an error without reaching the
	// store.
	ErrorEvery int
	// PanicEvery: every n-th call panics without reaching the store.
	PanicEvery int
	// CommitThenErrorEvery: every n-th Save stores everything and then
	// returns an error, as a commit whose reply is lost does (counted
	// among the Saves only).
	CommitThenErrorEvery int
	// Delay, when set, is called before each call with the method's name:
	// a test makes the store slow there, by moving its clock.
	Delay func(method string)
}

// Injected counts the faults a FaultyStore or a FaultyNotifier injected.
type Injected struct {
	Calls              int // calls made, faulty or not
	Errors             int
	Panics             int
	CommitThenErrors   int // FaultyStore: stored, then failed
	DeliveredThenError int // FaultyNotifier: delivered, then failed
	Permanent          int // FaultyNotifier: failed for good
}

// Total is the number of faults injected.
func (i Injected) Total() int {
	return i.Errors + i.Panics + i.CommitThenErrors + i.DeliveredThenError + i.Permanent
}

// FaultyStore is a Store that injects faults into the calls it passes to
// another, as Faults says: for testing that an engine or a host loses and
// duplicates nothing when its store fails. It is an escalation.TailStore
// (reading the inner store's History when the inner store is not one).
// Histories and Upcoming pass through unharmed. It is safe for concurrent
// use; its faults fall on the n-th call in the order calls arrive.
type FaultyStore struct {
	inner escalation.Store

	mu       sync.Mutex
	faults   StoreFaults
	calls    int
	saves    int
	injected Injected
}

// NewFaultyStore returns a store that passes calls to inner and injects
// faults.
func NewFaultyStore(inner escalation.Store, faults StoreFaults) *FaultyStore {
	return &FaultyStore{inner: inner, faults: faults}
}

// SetFaults replaces the faults from the next call on; the zero
// StoreFaults stops injecting.
func (s *FaultyStore) SetFaults(f StoreFaults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Injected returns the faults injected so far.
func (s *FaultyStore) Injected() Injected {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.injected
}

// Inner returns the store that calls are passed to.
func (s *FaultyStore) Inner() escalation.Store { return s.inner }

// fault is what happens to one call.
type fault int

const (
	noFault fault = iota
	errorFault
	panicFault
	commitThenError
)

// before counts a call of method and returns its fault.
func (s *FaultyStore) before(method string) fault {
	s.mu.Lock()
	s.calls++
	s.injected.Calls++
	f, n := s.faults, s.calls
	var out fault
	switch {
	case every(f.PanicEvery, n):
		s.injected.Panics++
		out = panicFault
	case every(f.ErrorEvery, n):
		s.injected.Errors++
		out = errorFault
	case method == "Save":
		s.saves++
		if every(f.CommitThenErrorEvery, s.saves) {
			s.injected.CommitThenErrors++
			out = commitThenError
		}
	}
	s.mu.Unlock()
	if f.Delay != nil {
		f.Delay(method)
	}
	if out == panicFault {
		panic(fmt.Errorf("%w: panic in %s, call %d", ErrInjected, method, n))
	}
	return out
}

// every reports whether call n is one of every k-th.
func every(k, n int) bool { return k > 0 && n%k == 0 }

// injectedError is the error of a call of method that fails.
func injectedError(method string) error {
	return fmt.Errorf("%w: %s failed", ErrInjected, method)
}

func (s *FaultyStore) Load(ctx context.Context, id string) (*escalation.State, error) {
	if s.before("Load") == errorFault {
		return nil, injectedError("Load")
	}
	return s.inner.Load(ctx, id)
}

func (s *FaultyStore) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	switch s.before("Save") {
	case errorFault:
		return injectedError("Save")
	case commitThenError:
		if err := s.inner.Save(ctx, st, entries); err != nil {
			return err
		}
		return fmt.Errorf("%w: Save committed, and its reply was lost", ErrInjected)
	}
	return s.inner.Save(ctx, st, entries)
}

func (s *FaultyStore) Due(ctx context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	if s.before("Due") == errorFault {
		return nil, time.Time{}, injectedError("Due")
	}
	return s.inner.Due(ctx, now, limit)
}

func (s *FaultyStore) History(ctx context.Context, id string) ([]escalation.Entry, error) {
	if s.before("History") == errorFault {
		return nil, injectedError("History")
	}
	return s.inner.History(ctx, id)
}

func (s *FaultyStore) Tail(ctx context.Context, id string, n int) ([]escalation.Entry, int, error) {
	if s.before("Tail") == errorFault {
		return nil, 0, injectedError("Tail")
	}
	if ts, ok := s.inner.(escalation.TailStore); ok {
		return ts.Tail(ctx, id, n)
	}
	h, err := s.inner.History(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if n >= 0 && n < len(h) {
		return h[len(h)-n:], len(h), nil
	}
	return h, len(h), nil
}

func (s *FaultyStore) Histories(ctx context.Context, from, to time.Time) iter.Seq2[escalation.History, error] {
	return s.inner.Histories(ctx, from, to)
}

func (s *FaultyStore) Upcoming(ctx context.Context, until time.Time) iter.Seq2[*escalation.State, error] {
	return s.inner.Upcoming(ctx, until)
}

// NotifierFaults says which calls of a FaultyNotifier fail, counting its
// calls from 1. Zero fields inject nothing.
type NotifierFaults struct {
	// ErrorEvery: every n-th call returns an error without delivering.
	ErrorEvery int
	// PanicEvery: every n-th call panics without delivering.
	PanicEvery int
	// DeliveredThenErrorEvery: every n-th call delivers, then returns an
	// error, as a receiver whose reply is lost does.
	DeliveredThenErrorEvery int
	// PermanentEvery: every n-th call fails for good
	// (escalation.Permanent) without delivering.
	PermanentEvery int
}

// FaultyNotifier is a Notifier that injects faults into the calls it
// passes to another, as its faults say. It is safe for concurrent use.
type FaultyNotifier struct {
	inner escalation.Notifier

	mu       sync.Mutex
	faults   NotifierFaults
	calls    int
	injected Injected
}

// NewFaultyNotifier returns a notifier that passes calls to inner and
// injects faults.
func NewFaultyNotifier(inner escalation.Notifier, faults NotifierFaults) *FaultyNotifier {
	return &FaultyNotifier{inner: inner, faults: faults}
}

// SetFaults replaces the faults from the next call on; the zero
// NotifierFaults stops injecting.
func (n *FaultyNotifier) SetFaults(f NotifierFaults) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.faults = f
}

// Injected returns the faults injected so far.
func (n *FaultyNotifier) Injected() Injected {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.injected
}

func (n *FaultyNotifier) Notify(ctx context.Context, note escalation.Notification) error {
	n.mu.Lock()
	n.calls++
	n.injected.Calls++
	f, call := n.faults, n.calls
	var out fault
	switch {
	case every(f.PanicEvery, call):
		n.injected.Panics++
		out = panicFault
	case every(f.ErrorEvery, call):
		n.injected.Errors++
		out = errorFault
	case every(f.PermanentEvery, call):
		n.injected.Permanent++
		n.mu.Unlock()
		return escalation.Permanent(fmt.Errorf("%w: refused for good", ErrInjected))
	case every(f.DeliveredThenErrorEvery, call):
		n.injected.DeliveredThenError++
		out = commitThenError
	}
	n.mu.Unlock()
	switch out {
	case panicFault:
		panic(fmt.Errorf("%w: panic in Notify, call %d", ErrInjected, call))
	case errorFault:
		return fmt.Errorf("%w: Notify failed", ErrInjected)
	case commitThenError:
		if err := n.inner.Notify(ctx, note); err != nil {
			return err
		}
		return fmt.Errorf("%w: delivered, and the reply was lost", ErrInjected)
	}
	return n.inner.Notify(ctx, note)
}
