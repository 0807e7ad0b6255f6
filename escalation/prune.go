package escalation

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
)

// Histories need not grow forever. A store that is a Pruner deletes the
// tickets closed before a retention instant, with their histories, a
// batch at a time, after a Fold has added them to rollups that the store
// keeps in the same transaction: report.Folder folds each ticket into the
// rollup of its tenant and opening week, and a report adds the rollups
// (report.Aggregator.AddRollup) and the histories still kept. A pruned
// ticket is gone: Load answers ErrNotFound, and an event for it is
// refused as for a ticket never opened.

// Rollup is a Pruner's rollup: data a Fold put under a tenant and a key.
type Rollup struct {
	Tenant string
	Key    string
	Data   []byte
}

// Rollups are the rollups a Fold reads and writes, within the batch's
// transaction.
type Rollups interface {
	// Get returns the data of the tenant's rollup under key, nil when
	// there is none.
	Get(tenant, key string) ([]byte, error)
	// Put replaces the data of the tenant's rollup under key.
	Put(tenant, key string, data []byte) error
}

// Fold adds a batch of closed tickets that a Pruner is about to delete to
// rollups. The store deletes the batch and keeps what Fold put only when
// Fold returns nil; an error stops Prune and changes nothing of the batch.
type Fold func(batch []History, rollups Rollups) error

// Pruner is a Store that deletes closed tickets: MemoryStore and package
// sqlstore's Store are.
type Pruner interface {
	// Prune deletes the tickets closed before closedBefore (a ticket's
	// closing instant is its last event's: State.LastEvent of a State
	// with Closed set) that have nothing due (State.Due zero: a closed
	// ticket whose notification is still to be delivered is kept until
	// it is), with their histories, batch tickets at a time, oldest
	// closed first. Each batch is folded and deleted in one
	// transaction, so that a crash neither loses a ticket from the
	// rollups nor adds one twice, and live work on other tickets waits
	// for one batch at most. It returns how many tickets it deleted; on
	// an error (fold's, the store's, ctx's) the batches before are
	// deleted and the rest are kept.
	Prune(ctx context.Context, closedBefore time.Time, batch int, fold Fold) (int, error)
	// Rollups streams the tenant's rollups by key.
	Rollups(ctx context.Context, tenant string) iter.Seq2[Rollup, error]
}

// ClosedAt is the instant a closed ticket closed, zero for a ticket not
// closed: what Prune compares with its retention instant.
func ClosedAt(st *State) time.Time {
	if !st.Closed {
		return time.Time{}
	}
	return st.LastEvent
}

// prunable reports whether Prune at closedBefore deletes st.
func prunable(st *State, closedBefore time.Time) bool {
	at := ClosedAt(st)
	return !at.IsZero() && at.Before(closedBefore) && st.Due.IsZero()
}

// MaxPruneBatch is the most tickets a batch of Prune may hold: a batch's
// tickets are one statement's parameters in a SQL store.
const MaxPruneBatch = 10_000

// CheckPrune reports what is wrong with Prune's arguments.
func CheckPrune(batch int, fold Fold) error {
	switch {
	case batch <= 0 || batch > MaxPruneBatch:
		return fmt.Errorf("escalation: prune: batch %d: must be from 1 to %d", batch, MaxPruneBatch)
	case fold == nil:
		return fmt.Errorf("escalation: prune: no fold: the tickets would be lost to reports")
	}
	return nil
}

// memRollups are a MemoryStore's rollups, and the changes of the batch
// being folded.
type memRollups struct {
	kept, put map[[2]string][]byte
}

func (r *memRollups) Get(tenant, key string) ([]byte, error) {
	if d, ok := r.put[[2]string{tenant, key}]; ok {
		return d, nil
	}
	return r.kept[[2]string{tenant, key}], nil
}

func (r *memRollups) Put(tenant, key string, data []byte) error {
	r.put[[2]string{tenant, key}] = slices.Clone(data)
	return nil
}

// Prune deletes the tickets closed before closedBefore, batch at a time,
// after fold added them to the rollups. It finds them in one pass over
// the tickets, then takes the store's lock for one batch at a time.
func (m *MemoryStore) Prune(ctx context.Context, closedBefore time.Time, batch int, fold Fold) (int, error) {
	if err := CheckPrune(batch, fold); err != nil {
		return 0, err
	}
	type candidate struct {
		id     string
		closed time.Time
	}
	var cs []candidate
	m.mu.Lock()
	for id, t := range m.tickets {
		if prunable(t.state, closedBefore) {
			cs = append(cs, candidate{id, ClosedAt(t.state)})
		}
	}
	m.mu.Unlock()
	slices.SortFunc(cs, func(a, b candidate) int {
		if c := a.closed.Compare(b.closed); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	pruned := 0
	for chunk := range slices.Chunk(cs, batch) {
		if err := ctx.Err(); err != nil {
			return pruned, err
		}
		ids := make([]string, len(chunk))
		for i, c := range chunk {
			ids[i] = c.id
		}
		n, err := m.pruneBatch(ids, closedBefore, fold)
		pruned += n
		if err != nil {
			return pruned, err
		}
	}
	return pruned, nil
}

// pruneBatch folds and deletes the tickets of ids that are still closed
// before closedBefore (one may have been reopened since), under the
// store's lock.
func (m *MemoryStore) pruneBatch(ids []string, closedBefore time.Time, fold Fold) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var hs []History
	for _, id := range ids {
		t, ok := m.tickets[id]
		if !ok {
			continue
		}
		if prunable(t.state, closedBefore) {
			hs = append(hs, History{t.state, slices.Clip(t.history)})
		}
	}
	if len(hs) == 0 {
		return 0, nil
	}
	if m.rollups == nil {
		m.rollups = map[[2]string][]byte{}
	}
	r := &memRollups{kept: m.rollups, put: map[[2]string][]byte{}}
	if err := fold(hs, r); err != nil {
		return 0, err
	}
	for k, d := range r.put {
		m.rollups[k] = d
	}
	for _, h := range hs {
		m.due.set(m.tickets[h.State.ID], time.Time{})
		delete(m.tickets, h.State.ID)
	}
	return len(hs), nil
}

// Rollups yields the tenant's rollups by key.
func (m *MemoryStore) Rollups(ctx context.Context, tenant string) iter.Seq2[Rollup, error] {
	return func(yield func(Rollup, error) bool) {
		m.mu.Lock()
		var rs []Rollup
		for k, d := range m.rollups {
			if k[0] == tenant {
				rs = append(rs, Rollup{Tenant: k[0], Key: k[1], Data: d})
			}
		}
		m.mu.Unlock()
		slices.SortFunc(rs, func(a, b Rollup) int { return strings.Compare(a.Key, b.Key) })
		yieldEach(ctx, rs, yield)
	}
}
