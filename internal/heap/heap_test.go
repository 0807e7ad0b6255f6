package heap_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ladder-go/ladder/internal/heap"
)

// item is a value with a position, as the heap's users keep one.
type item struct {
	v   int
	pos int
}

func newHeap() *heap.Indexed[*item] {
	return &heap.Indexed[*item]{
		Less:  func(a, b *item) bool { return a.v < b.v },
		Moved: func(t *item, i int) { t.pos = i },
	}
}

// check fails unless every item knows its position and no child is less
// than its parent.
func check(t *testing.T, h *heap.Indexed[*item]) {
	t.Helper()
	for i := range h.Len() {
		if h.At(i).pos != i {
			t.Fatalf("the item at %d thinks it is at %d", i, h.At(i).pos)
		}
		if i > 0 && h.At(i).v < h.At((i-1)/2).v {
			t.Fatalf("the item at %d (%d) is less than its parent (%d)", i, h.At(i).v, h.At((i-1)/2).v)
		}
	}
}

// TestIndexed pushes, changes, removes and pops random items and checks
// the heap against a sorted list after every step.
func TestIndexed(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	h := newHeap()
	var live []*item
	for step := range 5000 {
		switch op := r.IntN(4); {
		case op == 0 || len(live) == 0:
			it := &item{v: r.IntN(100)}
			h.Push(it)
			live = append(live, it)
		case op == 1:
			it := live[r.IntN(len(live))]
			it.v = r.IntN(100)
			h.Fix(it.pos)
		case op == 2:
			k := r.IntN(len(live))
			it := live[k]
			if got := h.Remove(it.pos); got != it || it.pos != -1 {
				t.Fatalf("step %d: Remove returned %v, position %d", step, got, it.pos)
			}
			live = slices.Delete(live, k, k+1)
		default:
			least := slices.MinFunc(live, func(a, b *item) int { return a.v - b.v })
			got := h.Pop()
			if got.v != least.v || got.pos != -1 {
				t.Fatalf("step %d: Pop gave %d at %d, want %d", step, got.v, got.pos, least.v)
			}
			live = slices.DeleteFunc(live, func(it *item) bool { return it == got })
		}
		if h.Len() != len(live) {
			t.Fatalf("step %d: %d items, want %d", step, h.Len(), len(live))
		}
		check(t, h)
	}
}
