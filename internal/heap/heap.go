// Package heap is a binary min-heap of items that know their position in
// it, so that an item can be moved or removed in O(log n): what
// container/heap does, without boxing the items or writing its five
// methods again for every kind of item.
package heap

// Indexed is a min-heap of items ordered by Less. Moved tells an item
// its new position each time it moves, and -1 when it leaves the heap.
// The zero Indexed is not usable: set Less and Moved. An Indexed is not
// safe for concurrent use.
type Indexed[T any] struct {
	Less  func(a, b T) bool
	Moved func(t T, i int)
	items []T
}

// Len is the number of items.
func (h *Indexed[T]) Len() int { return len(h.items) }

// At returns the item at position i; position 0 holds the least, and the
// children of position i are at 2i+1 and 2i+2.
func (h *Indexed[T]) At(i int) T { return h.items[i] }

// Push adds t.
func (h *Indexed[T]) Push(t T) {
	h.items = append(h.items, t)
	h.Moved(t, len(h.items)-1)
	h.up(len(h.items) - 1)
}

// Pop removes and returns the least item.
func (h *Indexed[T]) Pop() T { return h.Remove(0) }

// Remove removes and returns the item at position i.
func (h *Indexed[T]) Remove(i int) T {
	t, last := h.items[i], len(h.items)-1
	if i != last {
		h.swap(i, last)
	}
	var zero T
	h.items[last] = zero
	h.items = h.items[:last]
	if i != last {
		h.Fix(i)
	}
	h.Moved(t, -1)
	return t
}

// Fix restores the order after the item at position i changed.
func (h *Indexed[T]) Fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

func (h *Indexed[T]) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.Moved(h.items[i], i)
	h.Moved(h.items[j], j)
}

func (h *Indexed[T]) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.Less(h.items[i], h.items[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

// down moves the item at i down to its place; it reports whether it moved.
func (h *Indexed[T]) down(i int) bool {
	start, n := i, len(h.items)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.Less(h.items[c+1], h.items[c]) {
			c++
		}
		if !h.Less(h.items[c], h.items[i]) {
			break
		}
		h.swap(i, c)
		i = c
	}
	return i > start
}
