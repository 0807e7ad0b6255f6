package escalation

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits bound what one event may carry and what one ticket may do at one
// instant, the same on every store: what a store could not keep is refused
// before anything is written, and nothing grows without bound. A zero
// field takes its default, from DefaultLimits.
type Limits struct {
	// TicketID bounds a ticket id, in bytes; ids must also be non-empty
	// and valid UTF-8.
	TicketID int
	// EventID bounds an event's ID, in bytes.
	EventID int
	// Name bounds a status, team, actor (and every other name an event
	// carries), in bytes.
	Name int
	// Reason bounds an event's Reason, in bytes.
	Reason int
	// AttrDepth bounds how deeply attributes nest: {"a": {"b": 1}} is 2.
	AttrDepth int
	// AttrBytes bounds the attributes' size encoded as JSON.
	AttrBytes int
	// Notifications bounds the notifications one ticket sends at one
	// instant: past it, the rest are recorded in the history as
	// suppressed rather than sent.
	Notifications int
	// Earliest and Latest bound an event's instant: the SQL stores keep
	// the years 1678 to 2261.
	Earliest, Latest time.Time
}

// DefaultLimits are the limits of an engine not given WithLimits.
var DefaultLimits = Limits{
	TicketID:      256,
	EventID:       256,
	Name:          256,
	Reason:        4096,
	AttrDepth:     32,
	AttrBytes:     64 << 10,
	Notifications: 100,
	Earliest:      time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC),
	Latest:        time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC),
}

// WithLimits sets the engine's limits; zero fields keep their defaults.
// Limits wider than what ladder's stores keep (see CheckSave) are
// narrowed to it: TicketID to MaxTicketID, Earliest and Latest to those
// of DefaultLimits.
func WithLimits(l Limits) Option { return func(e *Engine) { e.limits = l.withDefaults() } }

// MaxTicketID is the longest ticket id, in bytes, that ladder's stores
// keep.
const MaxTicketID = 1024

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.TicketID, d.TicketID)
	l.TicketID = min(l.TicketID, MaxTicketID)
	pick(&l.EventID, d.EventID)
	pick(&l.Name, d.Name)
	pick(&l.Reason, d.Reason)
	pick(&l.AttrDepth, d.AttrDepth)
	pick(&l.AttrBytes, d.AttrBytes)
	pick(&l.Notifications, d.Notifications)
	if l.Earliest.IsZero() {
		l.Earliest = d.Earliest
	}
	if l.Earliest.IsZero() || l.Earliest.Before(d.Earliest) {
		l.Earliest = d.Earliest
	}
	if l.Latest.IsZero() || l.Latest.After(d.Latest) {
		l.Latest = d.Latest
	}
	return l
}

// CheckSave returns what of a Save's state and entries no store of
// ladder's can keep, as *LimitError values joined (nil when there is
// nothing): a ticket id that is empty, not valid UTF-8, holds a NUL byte
// or is longer than MaxTicketID, and an instant of the state (Opened,
// TierSince, LastEvent, Checked, Due) or of an entry (At) outside
// DefaultLimits.Earliest to Latest, the years the SQL stores keep. Zero
// instants are fine: they mean none.
//
// Every store of ladder's calls it before it writes anything, so each
// keeps the same values and refuses the same ones, and a host's own Store
// should call it too. The engine refuses such values in events before
// they reach a store (Limits).
func CheckSave(st *State, entries []Entry) error {
	l := Limits{TicketID: MaxTicketID, Earliest: DefaultLimits.Earliest, Latest: DefaultLimits.Latest}
	var errs []error
	if err := l.checkID(st.ID); err != nil {
		errs = append(errs, err)
	}
	for _, f := range [...]struct {
		field string
		t     time.Time
	}{{"opened", st.Opened}, {"tier_since", st.TierSince}, {"last_event", st.LastEvent}, {"checked", st.Checked}, {"due", st.Due}} {
		if err := l.checkInstant(f.field, f.t); err != nil {
			errs = append(errs, err)
		}
	}
	for i := range entries {
		if !l.inRange(entries[i].At) {
			errs = append(errs, l.checkInstant(fmt.Sprintf("entries[%d].at", i), entries[i].At))
		}
	}
	return errors.Join(errs...)
}

// inRange reports whether t is zero or within Earliest to Latest.
func (l *Limits) inRange(t time.Time) bool {
	return t.IsZero() || !t.Before(l.Earliest) && !t.After(l.Latest)
}

// checkInstant refuses a non-zero instant t of field outside Earliest to
// Latest.
func (l *Limits) checkInstant(field string, t time.Time) error {
	if l.inRange(t) {
		return nil
	}
	limit := "Earliest"
	if t.After(l.Latest) {
		limit = "Latest"
	}
	return &LimitError{field, limit, fmt.Sprintf("%s is outside %s to %s",
		t.Format(time.RFC3339Nano), l.Earliest.Format(time.DateOnly), l.Latest.Format(time.DateOnly))}
}

// ErrLimit is what errors.Is finds in a *LimitError.
var ErrLimit = errors.New("escalation: over a limit")

// LimitError is a value over one of the engine's Limits (or not what the
// limit requires: an empty or invalid id, a cyclic attribute). Field
// names the event's field ("ticket", "id", "attrs.customer.notes"),
// Limit the field of Limits that bounds it.
type LimitError struct {
	Field  string
	Limit  string // "TicketID", "AttrBytes", ...
	Detail string // what is wrong: "300 bytes, over 256"
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s: %s (Limits.%s)", e.Field, e.Detail, e.Limit)
}

func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// checkID refuses a ticket id a store could not keep.
func (l *Limits) checkID(id string) error {
	switch {
	case id == "":
		return &LimitError{"ticket", "TicketID", "empty"}
	case !utf8.ValidString(id):
		return &LimitError{"ticket", "TicketID", "not valid UTF-8"}
	case strings.IndexByte(id, 0) >= 0:
		return &LimitError{"ticket", "TicketID", "holds a NUL byte"}
	case len(id) > l.TicketID:
		return &LimitError{"ticket", "TicketID", fmt.Sprintf("%d bytes, over %d", len(id), l.TicketID)}
	}
	return nil
}

// check refuses what of ev is over the limits, every problem at once.
// It returns ev's attributes copied, so that the caller's map is not
// kept, and the engine's is not handed back.
func (l *Limits) check(ev Event) (map[string]any, error) {
	var errs []error
	if err := l.checkID(ev.Ticket); err != nil {
		errs = append(errs, err)
	}
	text := func(field, s string, max int, limit string) {
		switch {
		case len(s) > max:
			errs = append(errs, &LimitError{field, limit, fmt.Sprintf("%d bytes, over %d", len(s), max)})
		case !utf8.ValidString(s):
			errs = append(errs, &LimitError{field, limit, "not valid UTF-8"})
		}
	}
	text("id", ev.ID, l.EventID, "EventID")
	for _, f := range [...]struct{ field, s string }{{"status", ev.Status}, {"team", ev.Team}, {"tier", ev.Tier},
		{"priority", ev.Priority}, {"impact", ev.Impact}, {"urgency", ev.Urgency}, {"actor", ev.Actor}} {
		text(f.field, f.s, l.Name, "Name")
	}
	text("reason", ev.Reason, l.Reason, "Reason")
	if err := l.checkInstant("at", ev.At); err != nil {
		errs = append(errs, err)
	}
	var attrs map[string]any
	if ev.Attrs != nil {
		c := newCopier(l)
		v, size := c.copy(ev.Attrs, 0)
		attrs, _ = v.(map[string]any)
		if size > l.AttrBytes {
			c.errs = append(c.errs, &LimitError{"attrs", "AttrBytes", fmt.Sprintf("%d bytes encoded, over %d", size, l.AttrBytes)})
		}
		// The problems in a map come in its random order: sort them.
		slices.SortStableFunc(c.errs, func(a, b error) int { return strings.Compare(a.(*LimitError).Field, b.(*LimitError).Field) })
		errs = append(errs, c.errs...)
		c.free()
	}
	return attrs, errors.Join(errs...)
}

// copier deep-copies attributes, measuring their size encoded as JSON and
// refusing what JSON cannot encode, what nests too deeply and cycles. The
// common types (what encoding/json decodes to, and ints) are copied
// without reflection; the path to a value is spelt out only for an error.
type copier struct {
	limits *Limits
	keys   []step    // the path to the value being copied
	seen   []uintptr // the maps and slices being copied, to find cycles
	errs   []error
	num    [32]byte // room to format a number

	keyBuf  [8]step // room for keys and seen, a few levels deep
	seenBuf [8]uintptr
}

// copiers recycles copiers, which are too large to make for every event.
var copiers = sync.Pool{New: func() any { return new(copier) }}

// newCopier returns a copier within l; free gives it back.
func newCopier(l *Limits) *copier {
	c := copiers.Get().(*copier)
	c.limits = l
	c.keys, c.seen = c.keyBuf[:0], c.seenBuf[:0]
	return c
}

// free returns c to the pool, keeping nothing it copied.
func (c *copier) free() {
	*c = copier{}
	copiers.Put(c)
}

// step is one step of a path into attributes: a map's key, or a slice's
// index when key is "" and index is not negative.
type step struct {
	key   string
	index int
}

// fail records a problem with the value being copied.
func (c *copier) fail(limit, detail string) {
	var b strings.Builder
	b.WriteString("attrs")
	for _, k := range c.keys {
		if k.index >= 0 {
			fmt.Fprintf(&b, "[%d]", k.index)
			continue
		}
		b.WriteByte('.')
		b.WriteString(k.key)
	}
	c.errs = append(c.errs, &LimitError{b.String(), limit, detail})
}

// enter starts copying a map or slice at pointer p, depth levels deep; it
// reports false, having recorded why, when it must not be copied.
func (c *copier) enter(p uintptr, depth int) bool {
	if depth >= c.limits.AttrDepth {
		c.fail("AttrDepth", fmt.Sprintf("nested deeper than %d", c.limits.AttrDepth))
		return false
	}
	if p != 0 && slices.Contains(c.seen, p) {
		c.fail("AttrDepth", "cyclic: it contains itself")
		return false
	}
	c.seen = append(c.seen, p)
	return true
}

func (c *copier) leave() { c.seen = c.seen[:len(c.seen)-1] }

// copy returns a copy of v, depth levels deep, and the size of its JSON
// encoding.
func (c *copier) copy(orig any, depth int) (any, int) {
	switch v := orig.(type) { // scalars are returned as they came, not boxed again
	case nil:
		return nil, 4
	case string:
		if !utf8.ValidString(v) {
			c.fail("AttrBytes", "not valid UTF-8")
		}
		return orig, jsonStringSize(v)
	case bool:
		return orig, 5
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			c.fail("AttrBytes", fmt.Sprintf("%v: JSON has no such number", v))
			return nil, 0
		}
		return orig, len(strconv.AppendFloat(c.num[:0], v, 'g', -1, 64))
	case int:
		return orig, len(strconv.AppendInt(c.num[:0], int64(v), 10))
	case json.Number:
		return orig, len(v)
	case time.Time:
		return orig, len(`"2006-01-02T15:04:05.999999999Z07:00"`)
	case map[string]any:
		if v == nil {
			return v, 4
		}
		if !c.enter(reflect.ValueOf(v).Pointer(), depth) {
			return nil, 0
		}
		defer c.leave()
		out := make(map[string]any, len(v))
		size := 2 + max(len(v)-1, 0) // {} and commas
		for k, e := range v {
			c.keys = append(c.keys, step{key: k, index: -1})
			e, n := c.copy(e, depth+1)
			c.keys = c.keys[:len(c.keys)-1]
			out[k] = e
			size += jsonStringSize(k) + 1 + n
		}
		return out, size
	case []any:
		if v == nil {
			return v, 4
		}
		if !c.enter(reflect.ValueOf(v).Pointer(), depth) {
			return nil, 0
		}
		defer c.leave()
		out := make([]any, len(v))
		size := 2 + max(len(v)-1, 0)
		for i, e := range v {
			c.keys = append(c.keys, step{index: i})
			e, n := c.copy(e, depth+1)
			c.keys = c.keys[:len(c.keys)-1]
			out[i] = e
			size += n
		}
		return out, size
	}
	return c.reflected(reflect.ValueOf(orig), depth)
}

// reflected is copy for the other types: maps with string keys, slices
// and arrays of any element, the other numbers.
func (c *copier) reflected(v reflect.Value, depth int) (any, int) {
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		if v.IsNil() {
			return v.Interface(), 4
		}
	}
	switch v.Kind() {
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			c.fail("AttrBytes", fmt.Sprintf("a map with %s keys: JSON keys are strings", v.Type().Key()))
			return nil, 0
		}
		if !c.enter(v.Pointer(), depth) {
			return nil, 0
		}
		defer c.leave()
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		size := 2 + max(v.Len()-1, 0)
		for it := v.MapRange(); it.Next(); {
			k := it.Key()
			c.keys = append(c.keys, step{key: k.String(), index: -1})
			e, n := c.copy(it.Value().Interface(), depth+1)
			c.keys = c.keys[:len(c.keys)-1]
			if e == nil {
				out.SetMapIndex(k, reflect.Zero(v.Type().Elem()))
			} else {
				out.SetMapIndex(k, reflect.ValueOf(e))
			}
			size += jsonStringSize(k.String()) + 1 + n
		}
		return out.Interface(), size
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 { // []byte encodes as base64
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return b, 2 + (len(b)+2)/3*4
		}
		var p uintptr
		if v.Kind() == reflect.Slice {
			p = v.Pointer()
		}
		if !c.enter(p, depth) {
			return nil, 0
		}
		defer c.leave()
		out := reflect.MakeSlice(reflect.SliceOf(v.Type().Elem()), v.Len(), v.Len())
		size := 2 + max(v.Len()-1, 0)
		for i := range v.Len() {
			c.keys = append(c.keys, step{index: i})
			e, n := c.copy(v.Index(i).Interface(), depth+1)
			c.keys = c.keys[:len(c.keys)-1]
			if e != nil {
				out.Index(i).Set(reflect.ValueOf(e))
			}
			size += n
		}
		return out.Interface(), size
	case reflect.String:
		return c.copy(v.String(), depth) // a named string type becomes a string: JSON has no names
	case reflect.Bool:
		return v.Interface(), 5
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Interface(), len(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Interface(), len(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32:
		return c.copy(v.Float(), depth)
	}
	c.fail("AttrBytes", fmt.Sprintf("a %s is not data: use maps, slices, strings, numbers, booleans and nil", v.Type()))
	return nil, 0
}

// jsonStringSize is the length of s encoded as a JSON string by
// encoding/json, quotes included.
func jsonStringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\' || b == '\n' || b == '\r' || b == '\t':
				n += 2
			case b < 0x20 || b == '<' || b == '>' || b == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += w
		}
		i += w
	}
	return n
}

// unbounded are the limits of copying what was checked already.
var unbounded = Limits{AttrDepth: math.MaxInt}

// copyAttrs returns a deep copy of attributes the engine keeps, for a
// notification: a notifier that writes into it changes nothing of the
// ticket. Attributes were copied and checked on the way in, so this
// cannot fail.
func copyAttrs(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := newCopier(&unbounded)
	v, _ := c.copy(m, 0)
	c.free()
	out, _ := v.(map[string]any)
	return out
}
