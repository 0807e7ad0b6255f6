package escalation

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ladder-go/ladder/internal/heap"
)

// Store keeps tickets' states. ladder's in-memory store is the default;
// package sqlstore keeps them in a database, shared by the replicas of a
// service. escalationtest.TestStore checks that a Store keeps this
// contract.
//
// Methods may be called concurrently, for different tickets and for the
// same one, from one engine or from engines in several processes; Save's
// versioning keeps a ticket consistent. ctx cancels a call that blocks.
type Store interface {
	// Load returns the ticket's state, a copy the caller may change, or an
	// error wrapping ErrNotFound.
	Load(ctx context.Context, id string) (*State, error)
	// Save stores st and appends entries to the ticket's history, both or
	// neither, if the stored version is still st.Version (0: the ticket
	// must not exist yet), and then advances st.Version. Otherwise it
	// returns ErrConflict and stores nothing. After a successful Save the
	// caller does not change st again, so a store may keep it; the entries
	// slice is the caller's again when Save returns (the entries in it are
	// never changed and may be kept).
	//
	// A value no store can keep (see CheckSave) is refused with an error
	// wrapping ErrLimit before anything is written. ErrConflict and
	// ErrLimit mean that nothing was stored. Any other error leaves it
	// unknown: a commit whose reply was lost stored everything. The caller
	// loads the ticket again before it retries, as the engine does, so a
	// retry never appends the entries twice.
	Save(ctx context.Context, st *State, entries []Entry) error
	// Due returns up to limit tickets whose Due is at or before now,
	// earliest first (tickets due at the same instant in a stable order),
	// and the earliest instant at which a ticket it did not return can be
	// returned (zero when there is none). A store shared by replicas
	// claims what it returns for a lease, so that each due ticket is
	// handled by one replica: another replica's Due skips the ticket until
	// the lease expires (by now, as the caller's clock says) or another
	// replica saves the ticket. The claimer's own saves keep its lease: a
	// ticket stays due between saving a notification and delivering it.
	// limit 0 claims nothing and only reports next.
	Due(ctx context.Context, now time.Time, limit int) (ids []string, next time.Time, err error)
	// History returns the ticket's history, oldest first, or an error
	// wrapping ErrNotFound. The caller must not change it.
	History(ctx context.Context, id string) ([]Entry, error)
	// Histories streams the tickets opened in [from, to), each with its
	// whole history (a zero from or to leaves that side open), ordered by
	// State.Opened and then ID; a ticket whose Opened is zero comes first
	// when from is zero. Each History is the ticket as one Save left it:
	// its entries are those of its state's version. A store in a database
	// reads tickets in pages, never holding all of them in memory at once.
	// No store holds anything (rows, locks) while the caller's loop body
	// runs, which may call the store. An error ends the sequence: it is
	// yielded once, with a zero History, and nothing follows; a canceled
	// ctx yields an error wrapping ctx's. Breaking out of the loop early
	// releases whatever the store held.
	Histories(ctx context.Context, from, to time.Time) iter.Seq2[History, error]
	// Upcoming streams the tickets whose Due is at or before until,
	// earliest first (the same Due: by ID), as states the caller must not
	// change. Unlike Due it claims nothing and changes nothing: another
	// replica's lease does not hide a ticket, and Upcoming takes none. A
	// store reading in pages may yield a ticket saved meanwhile with a
	// later Due again, or pass over one saved with an earlier Due; the
	// tickets not saved meanwhile come once each. Errors, cancellation,
	// early breaks and the caller's use of the store inside the loop are
	// as for Histories.
	Upcoming(ctx context.Context, until time.Time) iter.Seq2[*State, error]
}

// History is one ticket as a report reads it: its state and its whole
// history, oldest entry first. Neither may be changed by the caller. A
// History is a plain value, safe for concurrent reads.
type History struct {
	State   *State
	Entries []Entry
}

// MemoryStore is the in-memory Store: tickets in a map, due tickets in a
// heap, so finding what is due costs O(log n) in the number of tickets.
// It is safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	tickets  map[string]*memTicket
	due      dueHeap
	frontier []int                // room for Due's walks of the heap
	rollups  map[[2]string][]byte // Prune's, by tenant and key
}

// memTicket is one ticket of a MemoryStore: its state, its history and its
// position in the due heap (-1 when it is not due).
type memTicket struct {
	id      string
	state   *State
	history []Entry
	due     time.Time // state.Due, kept here for the heap to compare
	pos     int       // in the heap; -1 when not due
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{tickets: map[string]*memTicket{}, due: newDueHeap()}
}

func (m *MemoryStore) Load(_ context.Context, id string) (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tickets[id]
	if !ok {
		return nil, ErrNotFound
	}
	return t.state.Clone(), nil
}

func (m *MemoryStore) Save(_ context.Context, st *State, entries []Entry) error {
	if err := CheckSave(st, entries); err != nil {
		return fmt.Errorf("escalation: ticket %q: save: %w", st.ID, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tickets[st.ID]
	var stored int64
	if ok {
		stored = t.state.Version
	}
	if stored != st.Version {
		return ErrConflict
	}
	if !ok {
		t = &memTicket{id: st.ID, pos: -1}
		m.tickets[st.ID] = t
	}
	st.Version++
	t.state = st // the caller no longer changes it, and Load hands out copies
	t.history = appendHistory(t.history, entries)
	m.due.set(t, st.Due)
	return nil
}

// appendHistory appends entries to a ticket's history. A new history is
// exactly as long as its entries (most tickets are opened and little
// else); a growing one gets room for half as much again as it then holds,
// which is less than append's doubling: histories are most of what a
// ticket takes.
func appendHistory(h, entries []Entry) []Entry {
	if n := len(h) + len(entries); n > cap(h) && len(h) > 0 {
		h = slices.Grow(h, n+n/2-len(h))
	}
	return append(h, entries...)
}

// History returns the ticket's history. It shares the store's entries: they
// are only ever appended to, beyond the returned slice's end.
func (m *MemoryStore) History(_ context.Context, id string) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tickets[id]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clip(t.history), nil
}

func (m *MemoryStore) Due(_ context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	var next time.Time
	m.frontier = m.due.walk(m.frontier, func(t *memTicket) bool {
		at := t.due
		if at.After(now) || len(ids) >= limit {
			next = at // the earliest of the tickets not returned
			return false
		}
		ids = append(ids, t.id)
		return true
	})
	return ids, next, nil
}

// Histories yields the tickets opened in [from, to) in order. It collects
// them under the store's lock, then sorts and yields them, sharing the
// stored states (Save never changes a state it keeps) and histories (only
// ever appended to, beyond the yielded slices' ends): nothing is copied.
func (m *MemoryStore) Histories(ctx context.Context, from, to time.Time) iter.Seq2[History, error] {
	return m.histories(ctx, from, to, func(string) bool { return true })
}

// TenantHistories is Histories for the tickets of tenant (TenantOf) alone.
func (m *MemoryStore) TenantHistories(ctx context.Context, tenant string, from, to time.Time) iter.Seq2[History, error] {
	return m.histories(ctx, from, to, func(id string) bool { return TenantOf(id) == tenant })
}

// histories yields the tickets opened in [from, to) whose IDs keep, in
// order.
func (m *MemoryStore) histories(ctx context.Context, from, to time.Time, keep func(id string) bool) iter.Seq2[History, error] {
	return func(yield func(History, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(History{}, err)
			return
		}
		m.mu.Lock()
		hs := make([]History, 0, len(m.tickets))
		for _, t := range m.tickets {
			opened := t.state.Opened
			if (!from.IsZero() && opened.Before(from)) || (!to.IsZero() && !opened.Before(to)) || !keep(t.id) {
				continue
			}
			hs = append(hs, History{t.state, slices.Clip(t.history)})
		}
		m.mu.Unlock()
		slices.SortFunc(hs, func(a, b History) int {
			if c := a.State.Opened.Compare(b.State.Opened); c != 0 {
				return c
			}
			return strings.Compare(a.State.ID, b.State.ID)
		})
		yieldEach(ctx, hs, yield)
	}
}

// Upcoming yields the tickets due at or before until in order: it walks
// the due heap under the store's lock and yields after, sharing the
// stored states.
func (m *MemoryStore) Upcoming(ctx context.Context, until time.Time) iter.Seq2[*State, error] {
	return func(yield func(*State, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(nil, err)
			return
		}
		var states []*State
		m.mu.Lock()
		m.frontier = m.due.walk(m.frontier, func(t *memTicket) bool {
			if t.due.After(until) {
				return false
			}
			states = append(states, t.state)
			return true
		})
		m.mu.Unlock()
		yieldEach(ctx, states, yield)
	}
}

// yieldEach yields items in order, or ctx's error once ctx has ended: the
// end of an iterator over a snapshot taken under the store's lock.
func yieldEach[T any](ctx context.Context, items []T, yield func(T, error) bool) {
	for _, v := range items {
		if err := ctx.Err(); err != nil {
			var zero T
			yield(zero, err)
			return
		}
		if !yield(v, nil) {
			return
		}
	}
}

// Len is the number of tickets the store holds.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tickets)
}

// dueHeap is a min-heap of the tickets that are due, by due time (ties
// by id, a stable order); each ticket knows its position, so an update is
// O(log n).
type dueHeap struct{ heap.Indexed[*memTicket] }

func newDueHeap() dueHeap {
	return dueHeap{heap.Indexed[*memTicket]{
		Less: func(a, b *memTicket) bool {
			return a.due.Before(b.due) || (a.due.Equal(b.due) && a.id < b.id)
		},
		Moved: func(t *memTicket, i int) { t.pos = i },
	}}
}

// less orders the tickets at positions i and j.
func (h *dueHeap) less(i, j int) bool { return h.Less(h.At(i), h.At(j)) }

// set puts t in the heap at instant at, or takes it out when at is zero.
func (h *dueHeap) set(t *memTicket, at time.Time) {
	was := t.due
	t.due = at
	switch {
	case t.pos >= 0 && at.IsZero():
		h.Remove(t.pos)
	case t.pos >= 0:
		if !at.Equal(was) {
			h.Fix(t.pos)
		}
	case !at.IsZero():
		h.Push(t)
	}
}

// walk visits items in due order, without changing the heap, while visit
// returns true. Visiting k items costs O(k log k): a second heap, the
// frontier, holds the positions whose parents were visited. buf is room
// for the frontier; walk returns it, grown, for the next walk.
func (h *dueHeap) walk(buf []int, visit func(t *memTicket) bool) []int {
	if h.Len() == 0 {
		return buf
	}
	f := frontier{h: h, pos: append(buf[:0], 0)}
	for len(f.pos) > 0 {
		i := f.pop()
		if !visit(h.At(i)) {
			break
		}
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < h.Len() {
				f.push(c)
			}
		}
	}
	return f.pos
}

// frontier is a min-heap of positions in a dueHeap.
type frontier struct {
	h   *dueHeap
	pos []int
}

func (f *frontier) less(a, b int) bool { return f.h.less(f.pos[a], f.pos[b]) }

// push adds position i.
func (f *frontier) push(i int) {
	f.pos = append(f.pos, i)
	for c := len(f.pos) - 1; c > 0; {
		p := (c - 1) / 2
		if !f.less(c, p) {
			break
		}
		f.pos[c], f.pos[p] = f.pos[p], f.pos[c]
		c = p
	}
}

// pop removes and returns the earliest position.
func (f *frontier) pop() int {
	top, last := f.pos[0], len(f.pos)-1
	f.pos[0] = f.pos[last]
	f.pos = f.pos[:last]
	for p := 0; ; {
		c := 2*p + 1
		if c >= last {
			break
		}
		if c+1 < last && f.less(c+1, c) {
			c++
		}
		if !f.less(c, p) {
			break
		}
		f.pos[c], f.pos[p] = f.pos[p], f.pos[c]
		p = c
	}
	return top
}
