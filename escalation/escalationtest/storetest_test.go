package escalationtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

func TestMemoryStore(t *testing.T) {
	escalationtest.TestStore(t, func(t *testing.T, replicas int) []escalation.Store {
		if replicas > 1 {
			t.Skip("the in-memory store cannot be shared")
		}
		return []escalation.Store{escalation.NewMemoryStore()}
	})
}

// TestMemoryStoreHistoriesShare: the in-memory store's Histories hands out
// the entries it keeps, as History does, without copying them.
func TestMemoryStoreHistoriesShare(t *testing.T) {
	ctx := context.Background()
	s := escalation.NewMemoryStore()
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st := &escalation.State{ID: "A", Policy: "v1", Opened: opened}
	if err := s.Save(ctx, st, []escalation.Entry{{At: opened, What: "opened"}, {At: opened, What: "notified"}}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for got, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if len(got.Entries) != 2 || &got.Entries[0] != &h[0] {
			t.Errorf("Histories' entries of A are not the store's: %d entries", len(got.Entries))
		}
	}
	if n != 1 {
		t.Errorf("Histories yielded %d tickets, want 1", n)
	}
}

// BenchmarkMemoryStoreHistories reads 1,000 tickets of 20 entries each:
// the allocations are the list of tickets, not their entries.
func BenchmarkMemoryStoreHistories(b *testing.B) {
	ctx := context.Background()
	s := escalation.NewMemoryStore()
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	entries := make([]escalation.Entry, 20)
	for i := range 1000 {
		st := &escalation.State{ID: fmt.Sprint("T-", i), Policy: "v1", Opened: opened.Add(time.Duration(i%100) * time.Minute)}
		if err := s.Save(ctx, st, entries); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for h, err := range s.Histories(ctx, time.Time{}, time.Time{}) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(h.Entries)
		}
		if n != 20_000 {
			b.Fatalf("%d entries, want 20,000", n)
		}
	}
}

// TestSharedJSONStore runs the suite on replicas of a store that keeps
// states and entries as JSON, the way a database does, and leases what Due
// returns, the way a store shared by replicas does.
func TestSharedJSONStore(t *testing.T) {
	escalationtest.TestStore(t, func(t *testing.T, replicas int) []escalation.Store {
		d := &dataset{mem: escalation.NewMemoryStore(), leases: map[string]lease{}}
		stores := make([]escalation.Store, replicas)
		for i := range stores {
			stores[i] = &replica{dataset: d, id: i}
		}
		return stores
	})
}

// dataset is what the replicas share: the states, kept as JSON, and the
// leases of due tickets.
type dataset struct {
	mu     sync.Mutex // held by Save and Due, so a save ends a lease atomically
	mem    *escalation.MemoryStore
	leases map[string]lease // by ticket
}

// lease is a replica's claim on a due ticket.
type lease struct {
	replica int
	until   time.Time
}

// leaseFor is how long a claim lasts.
const leaseFor = time.Minute

// replica is one replica's Store on a dataset.
type replica struct {
	*dataset
	id int
}

func (r *replica) Load(ctx context.Context, id string) (*escalation.State, error) {
	st, err := r.mem.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return roundTrip(*st)
}

func (r *replica) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	if err := escalation.CheckSave(st, entries); err != nil { // JSON would mend an id that is not UTF-8
		return err
	}
	cp, err := roundTrip(*st)
	if err != nil {
		return err
	}
	kept, err := roundTrip(entries)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.mem.Save(ctx, cp, *kept); err != nil {
		return err
	}
	if l, ok := r.leases[st.ID]; ok && l.replica != r.id {
		delete(r.leases, st.ID) // another replica's claim ends; this one's holds
	}
	st.Version = cp.Version
	return nil
}

func (r *replica) History(ctx context.Context, id string) ([]escalation.Entry, error) {
	h, err := r.mem.History(ctx, id)
	if err != nil {
		return nil, err
	}
	back, err := roundTrip(h)
	if err != nil {
		return nil, err
	}
	return *back, nil
}

// Histories reads the in-memory store's and yields copies made through
// JSON, as a database would.
func (r *replica) Histories(ctx context.Context, from, to time.Time) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		for h, err := range r.mem.Histories(ctx, from, to) {
			if err == nil {
				h, err = roundTripHistory(h)
			}
			if !yield(h, err) || err != nil {
				return
			}
		}
	}
}

// roundTripHistory returns a copy of h made through JSON.
func roundTripHistory(h escalation.History) (escalation.History, error) {
	st, err := roundTrip(*h.State)
	if err != nil {
		return escalation.History{}, err
	}
	entries, err := roundTrip(h.Entries)
	if err != nil {
		return escalation.History{}, err
	}
	return escalation.History{State: st, Entries: *entries}, nil
}

// Upcoming reads the in-memory store's, whatever the leases, and yields
// copies made through JSON.
func (r *replica) Upcoming(ctx context.Context, until time.Time) iter.Seq2[*escalation.State, error] {
	return func(yield func(*escalation.State, error) bool) {
		for st, err := range r.mem.Upcoming(ctx, until) {
			if err == nil {
				st, err = roundTrip(*st)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(st, nil) {
				return
			}
		}
	}
}

// Due takes every due ticket from the in-memory store, skips those another
// replica holds a live lease on, and claims up to limit of the others.
func (r *replica) Due(ctx context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	due, next, err := r.mem.Due(ctx, now, math.MaxInt)
	if err != nil {
		return nil, time.Time{}, err
	}
	earliest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	var ids []string
	for _, id := range due {
		if l, ok := r.leases[id]; ok && l.replica != r.id && l.until.After(now) {
			earliest(l.until)
			continue
		}
		if len(ids) == limit {
			st, err := r.mem.Load(ctx, id)
			if err != nil {
				return nil, time.Time{}, err
			}
			earliest(st.Due)
			continue
		}
		ids = append(ids, id)
		r.leases[id] = lease{r.id, now.Add(leaseFor)}
	}
	return ids, next, nil
}

// roundTrip returns a copy of v made through JSON.
func roundTrip[T any](v T) (*T, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	back := new(T)
	if err := json.Unmarshal(data, back); err != nil {
		return nil, err
	}
	return back, nil
}
