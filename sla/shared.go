package sla

import (
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"weak"
)

// made holds the calendars NewCalendar has made that are still in use, by
// their spec's key. NewCalendar gives equal specs one calendar, so the
// open intervals of a year are computed and kept once however many
// policies name that calendar: a service hosting a thousand desks with
// the same office hours keeps one. A calendar leaves made when nothing
// else holds it.
var made = struct {
	sync.Mutex
	m map[string]weak.Pointer[Calendar]
}{m: map[string]weak.Pointer[Calendar]{}}

// sharedCalendar returns the calendar made from a spec with key, while
// one is in use, or nil.
func sharedCalendar(key string) *Calendar {
	made.Lock()
	defer made.Unlock()
	return made.m[key].Value()
}

// share records c as the calendar of key and returns it, or returns the
// one another NewCalendar recorded first.
func share(key string, c *Calendar) *Calendar {
	made.Lock()
	defer made.Unlock()
	if first := made.m[key].Value(); first != nil {
		return first
	}
	w := weak.Make(c)
	made.m[key] = w
	runtime.AddCleanup(c, forget, key)
	return c
}

// forget removes key from made once its calendar is gone, unless a new
// one took its place.
func forget(key string) {
	made.Lock()
	defer made.Unlock()
	if made.m[key].Value() == nil {
		delete(made.m, key)
	}
}

// specKey is spec's key in made: equal specs have equal keys, and
// different specs different ones (each string is written after its
// length, each list after its count).
func specKey(spec CalendarSpec) string {
	var b strings.Builder
	put := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	list := func(l []string) {
		put(strconv.Itoa(len(l)))
		for _, s := range l {
			put(s)
		}
	}
	lists := func(m map[string][]string) {
		put(strconv.Itoa(len(m)))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			put(k)
			list(m[k])
		}
	}
	put(spec.Location)
	lists(spec.Week)
	list(spec.Holidays)
	lists(spec.Overrides)
	return b.String()
}
