package escalationtest_test

import (
	"context"
	"encoding/json"
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
