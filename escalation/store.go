package escalation

import (
	"container/heap"
	"context"
	"slices"
	"sync"
	"time"
)

// Store keeps tickets' states. ladder's in-memory store is the default;
// package sqlstore keeps them in a database.
//
// Methods may be called concurrently, for different tickets and for the
// same one; Save's versioning keeps a ticket consistent. ctx cancels a
// call that blocks.
type Store interface {
	// Load returns the ticket's state, a copy the caller may change, or an
	// error wrapping ErrNotFound.
	Load(ctx context.Context, id string) (*State, error)
	// Save stores st and appends entries to the ticket's history, both or
	// neither, if the stored version is still st.Version (0: the ticket
	// must not exist yet), and then advances st.Version. Otherwise it
	// returns ErrConflict and stores nothing.
	Save(ctx context.Context, st *State, entries []Entry) error
	// Due returns up to limit tickets whose Due is at or before now,
	// earliest first, and the earliest Due of the tickets it did not
	// return (zero when there is none).
	Due(ctx context.Context, now time.Time, limit int) (ids []string, next time.Time, err error)
	// History returns the ticket's history, oldest first, or an error
	// wrapping ErrNotFound. The caller must not change it.
	History(ctx context.Context, id string) ([]Entry, error)
}

// MemoryStore is the in-memory Store: states in a map, due tickets in a
// heap, so finding what is due costs O(log n) in the number of tickets.
// It is safe for concurrent use.
type MemoryStore struct {
	mu      sync.Mutex
	states  map[string]*State
	history map[string][]Entry
	due     dueHeap
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{states: map[string]*State{}, history: map[string][]Entry{}, due: dueHeap{index: map[string]int{}}}
}

func (m *MemoryStore) Load(_ context.Context, id string) (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[id]
	if !ok {
		return nil, ErrNotFound
	}
	return st.Clone(), nil
}

func (m *MemoryStore) Save(_ context.Context, st *State, entries []Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var stored int64
	if old, ok := m.states[st.ID]; ok {
		stored = old.Version
	}
	if stored != st.Version {
		return ErrConflict
	}
	st.Version++
	m.states[st.ID] = st.Clone()
	if len(entries) > 0 {
		m.history[st.ID] = append(m.history[st.ID], entries...)
	}
	m.due.set(st.ID, st.Due)
	return nil
}

// History returns the ticket's history. It shares the store's entries: they
// are only ever appended to, beyond the returned slice's end.
func (m *MemoryStore) History(_ context.Context, id string) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.states[id]; !ok {
		return nil, ErrNotFound
	}
	return slices.Clip(m.history[id]), nil
}

func (m *MemoryStore) Due(_ context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	var next time.Time
	m.due.walk(func(id string, at time.Time) bool {
		if at.After(now) || len(ids) >= limit {
			next = at // the earliest of the tickets not returned
			return false
		}
		ids = append(ids, id)
		return true
	})
	return ids, next, nil
}

// Len is the number of tickets the store holds.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.states)
}

// dueHeap is a min-heap of tickets by due time, with each ticket's
// position so an update is O(log n).
type dueHeap struct {
	items []dueItem
	index map[string]int
}

type dueItem struct {
	id string
	at time.Time
}

func (h *dueHeap) Len() int           { return len(h.items) }
func (h *dueHeap) Less(i, j int) bool { return h.items[i].at.Before(h.items[j].at) }
func (h *dueHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.index[h.items[i].id], h.index[h.items[j].id] = i, j
}
func (h *dueHeap) Push(x any) {
	it := x.(dueItem)
	h.index[it.id] = len(h.items)
	h.items = append(h.items, it)
}
func (h *dueHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	delete(h.index, it.id)
	return it
}

// set puts id at due time at, or removes it when at is zero.
func (h *dueHeap) set(id string, at time.Time) {
	i, ok := h.index[id]
	switch {
	case ok && at.IsZero():
		heap.Remove(h, i)
	case ok:
		h.items[i].at = at
		heap.Fix(h, i)
	case !at.IsZero():
		heap.Push(h, dueItem{id, at})
	}
}

// walk visits items in due order, without changing the heap, while visit
// returns true. Visiting k items costs O(k log k): a second heap holds the
// positions whose parents were visited.
func (h *dueHeap) walk(visit func(id string, at time.Time) bool) {
	if len(h.items) == 0 {
		return
	}
	f := &frontier{h: h, pos: []int{0}}
	for f.Len() > 0 {
		i := heap.Pop(f).(int)
		if !visit(h.items[i].id, h.items[i].at) {
			return
		}
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h.items) {
				heap.Push(f, c)
			}
		}
	}
}

// frontier is a min-heap of positions in a dueHeap.
type frontier struct {
	h   *dueHeap
	pos []int
}

func (f *frontier) Len() int           { return len(f.pos) }
func (f *frontier) Less(i, j int) bool { return f.h.Less(f.pos[i], f.pos[j]) }
func (f *frontier) Swap(i, j int)      { f.pos[i], f.pos[j] = f.pos[j], f.pos[i] }
func (f *frontier) Push(x any)         { f.pos = append(f.pos, x.(int)) }
func (f *frontier) Pop() any {
	x := f.pos[len(f.pos)-1]
	f.pos = f.pos[:len(f.pos)-1]
	return x
}
