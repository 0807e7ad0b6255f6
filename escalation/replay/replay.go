package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Options configure a replay. The zero value replays strictly into a new
// memory store.
type Options struct {
	// Store keeps the replayed tickets; nil means a new MemoryStore.
	Store escalation.Store
	// Lenient skips a ticket with a bad row, or an event the engine
	// refuses, and lists it in the summary; otherwise the first such row
	// stops the replay with its error.
	Lenient bool
	// Engine are more options for the engine (a Notifier, a logger); the
	// replay sets the clock and the store.
	Engine []escalation.Option
	// Progress, when set, is called every ProgressEvery events and once at
	// the end, from the goroutine running the replay.
	Progress func(Progress)
}

// ProgressEvery is how many events pass between two Progress calls.
const ProgressEvery = 10_000

// Progress is how far a replay is.
type Progress struct {
	Events, Of int       // events replayed, of how many
	At         time.Time // the log's instant reached
}

// Summary says what a replay read and did: nothing is left out silently.
type Summary struct {
	Rows    int // rows of the log read, good or bad
	Events  int // events reported to the engine
	Tickets int // tickets replayed (skipped ones not counted)
	// Skipped are the tickets left out (lenient only) with the first
	// problem of each, in the order they were found.
	Skipped []Skip
	// SkippedRows counts the rows of the skipped tickets not replayed,
	// and the bad rows with no ticket.
	SkippedRows int
	// Ignored counts the rows the log format read but does not replay, by
	// reason (see Ignorer).
	Ignored map[string]int
	// Start and End are the instants of the first and last events: the
	// replay's clock stops at End.
	Start, End time.Time
	// Steps is how many times the engine handled due work between
	// events: the automatic escalations, warnings and breaches.
	Steps int
	// Redirected counts the logged moves to a tier the ticket already
	// stood on in the replay (the policy had moved it): replayed as a
	// hand-off or a status change.
	Redirected int
}

// Skip is a ticket a lenient replay left out, and why.
type Skip struct {
	Ticket string
	Err    error
}

// Result is a replay's outcome: its summary, and the store holding the
// replayed tickets with the engine that ran them.
type Result struct {
	Summary
	Store  escalation.Store
	Engine *escalation.Engine
	Clock  *escalation.SimClock
	policy *escalation.Policy
	skip   map[string]bool
}

// Histories streams the replayed tickets' histories, opened in [from,
// to) (zero bounds are open), leaving out the tickets the replay skipped:
// the input of report.Collect.
func (r *Result) Histories(ctx context.Context, from, to time.Time) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		for h, err := range r.Store.Histories(ctx, from, to) {
			if err == nil && r.skip[h.State.ID] {
				continue
			}
			if !yield(h, err) {
				return
			}
		}
	}
}

// Policy is the policy the replay ran.
func (r *Result) Policy() *escalation.Policy { return r.policy }

// Run reads the log rd and replays it through a real engine running p on
// a SimClock: rows in order of their instants (equal instants in the
// log's order), the clock moved to every due instant between them so that
// automatic escalations, warnings and breaches happen as they would have
// live. The replay ends at the last row's instant.
func Run(ctx context.Context, rd Reader, p *escalation.Policy, opts Options) (*Result, error) {
	rows, order, sum, skip, err := load(rd, p, opts.Lenient)
	if err != nil {
		return nil, err
	}
	store := opts.Store
	if store == nil {
		store = escalation.NewMemoryStore()
	}
	start := time.Unix(0, 0)
	var end time.Time
	if len(order) > 0 {
		start, end = rows.at(order[0]).Event.At, rows.at(order[len(order)-1]).Event.At
	}
	clk := escalation.NewSimClock(start)
	e, err := escalation.New(p, append(slices.Clone(opts.Engine), escalation.WithClock(clk), escalation.WithStore(store))...)
	if err != nil {
		return nil, err
	}
	res := &Result{Summary: sum, Store: store, Engine: e, Clock: clk, policy: p, skip: skip}
	tierOf := make(map[string]int, len(p.Tiers))
	for i, t := range p.Tiers {
		tierOf[t] = i
	}
	attrs := map[string]map[string]any{} // each ticket's attributes as last reported
	logTier := map[string]string{}       // each ticket's tier as the log has it
	tickets := map[string]bool{}
	for _, i := range order {
		row := rows.at(i)
		ev := row.Event
		rows.done(i) // the book lets a chunk go once all its rows are replayed
		if skip[ev.Ticket] {
			res.SkippedRows++
			continue
		}
		if err := res.advance(ctx, ev.At); err != nil {
			return nil, err
		}
		if ev.Attrs != nil {
			merged := merge(attrs[ev.Ticket], ev.Attrs)
			attrs[ev.Ticket], ev.Attrs = merged, merged
		}
		if ev.Kind == escalation.Escalated || ev.Kind == escalation.DeEscalated {
			logged := logTier[ev.Ticket]
			logTier[ev.Ticket] = ev.Tier
			if err := res.direct(ctx, &ev, logged, tierOf); err != nil {
				return nil, err
			}
		}
		if err := e.Report(ctx, ev); err != nil {
			var ee *escalation.EventError
			if !errors.As(err, &ee) {
				return nil, err // the store or the engine failed: not the log's fault
			}
			rerr := &RowError{Pos: row.Pos, Ticket: ev.Ticket, Err: err}
			if !opts.Lenient {
				return nil, rerr
			}
			skip[ev.Ticket] = true
			res.Skipped = append(res.Skipped, Skip{Ticket: ev.Ticket, Err: rerr})
			res.SkippedRows++
			continue
		}
		if ev.Kind == escalation.Opened {
			logTier[ev.Ticket] = ev.Tier
			if ev.Tier == "" { // the policy chose where it starts
				st, err := store.Load(ctx, ev.Ticket)
				if err != nil {
					return nil, err
				}
				logTier[ev.Ticket] = st.Tier
			}
		}
		tickets[ev.Ticket] = true
		res.Events++
		if opts.Progress != nil && res.Events%ProgressEvery == 0 {
			opts.Progress(Progress{Events: res.Events, Of: len(order), At: ev.At})
		}
	}
	if len(order) > 0 {
		res.Start, res.End = start, end
		if err := res.advance(ctx, res.End); err != nil {
			return nil, err
		}
	}
	for id := range tickets {
		if !skip[id] {
			res.Tickets++
		}
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Events: res.Events, Of: len(order), At: res.End})
	}
	return res, nil
}

// direct makes a logged move go the way it goes in the replay. The log
// says where a person put the ticket; the policy replayed may have moved it
// already (its own escalations), so the move is an escalation or a
// de-escalation by where the ticket stands now, and no move at all, but a
// hand-off or a status change, when it is already on that tier. A move
// the log itself gets wrong (the wrong way from where the log had put the
// ticket, logged) is left for the engine to refuse.
func (r *Result) direct(ctx context.Context, ev *escalation.Event, logged string, tierOf map[string]int) error {
	if from, ok := tierOf[logged]; ok {
		if to := tierOf[ev.Tier]; (ev.Kind == escalation.Escalated) != (to > from) || to == from {
			return nil
		}
	}
	st, err := r.Store.Load(ctx, ev.Ticket)
	if errors.Is(err, escalation.ErrNotFound) {
		return nil // the engine will say what is wrong
	}
	if err != nil {
		return err
	}
	switch to, now := tierOf[ev.Tier], tierOf[st.Tier]; {
	case to > now:
		ev.Kind = escalation.Escalated
	case to < now:
		ev.Kind = escalation.DeEscalated
	default:
		ev.Kind, ev.Tier = escalation.FieldsChanged, ""
		if ev.Status != "" {
			ev.Kind = escalation.StatusChanged
		}
		r.Redirected++
	}
	return nil
}

// advance moves the clock to t, stopping at every instant something falls
// due on the way and handling it there.
func (r *Result) advance(ctx context.Context, t time.Time) error {
	for {
		next, err := r.Engine.Next(ctx)
		if err != nil {
			return err
		}
		if next.IsZero() || next.After(t) {
			break
		}
		if next.After(r.Clock.Now()) {
			r.Clock.Set(next)
		}
		if err := r.Engine.Step(ctx); err != nil {
			return err
		}
		r.Steps++
	}
	if t.After(r.Clock.Now()) {
		r.Clock.Set(t)
	}
	return nil
}

// load reads every row of rd, checks each ticket's rows are in time order
// and name the policy's tiers, and returns the rows in the log's order
// with the order to replay them in: by instant, and at equal instants in
// the log's order. A strict load stops at the first bad row; a lenient
// one marks its ticket to skip.
func load(rd Reader, p *escalation.Policy, lenient bool) (*book, []int32, Summary, map[string]bool, error) {
	var (
		rows = &book{}
		sum  = Summary{Ignored: map[string]int{}}
		skip = map[string]bool{}
		// The previous row, and the last row of each ticket left since:
		// logs mostly hold a ticket's rows together, so the map is seldom
		// used.
		prev    mark
		last    = map[string]mark{}
		prevPos Pos
	)
	tiers := make(map[string]bool, len(p.Tiers))
	for _, t := range p.Tiers {
		tiers[t] = true
	}
	bad := func(err error, ticket string) error {
		if !lenient {
			return err
		}
		if ticket == "" {
			sum.SkippedRows++
		} else if !skip[ticket] {
			skip[ticket] = true
			sum.Skipped = append(sum.Skipped, Skip{Ticket: ticket, Err: err})
		}
		return nil
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				return nil, nil, sum, nil, err // the reader failed, not a row
			}
			sum.Rows++
			if err := bad(err, re.Ticket); err != nil {
				return nil, nil, sum, nil, err
			}
			continue
		}
		if row.Pos != prevPos { // a log row that stands for two events counts once
			sum.Rows++
			prevPos = row.Pos
		}
		ev := &row.Event
		if ev.Tier != "" && !tiers[ev.Tier] {
			err := &RowError{Pos: row.Pos, Field: "tier", Ticket: ev.Ticket,
				Err: fmt.Errorf("tier %q is not one of the policy's (%s)", ev.Tier, strings.Join(p.Tiers, ", "))}
			if err := bad(err, ev.Ticket); err != nil {
				return nil, nil, sum, nil, err
			}
			continue
		}
		before := prev
		if ev.Ticket != prev.ticket {
			if prev.ticket != "" {
				last[prev.ticket] = prev
			}
			before = last[ev.Ticket]
		}
		if before.ticket != "" && ev.At.Before(before.at) {
			err := &RowError{Pos: row.Pos, Field: "at", Ticket: ev.Ticket,
				Err: fmt.Errorf("%s is before the ticket's previous row (%s, line %d)", ev.At.Format(time.RFC3339), before.at.Format(time.RFC3339), before.line)}
			if err := bad(err, ev.Ticket); err != nil {
				return nil, nil, sum, nil, err
			}
			prev = before
			continue
		}
		rows.add(row)
		prev = mark{ticket: ev.Ticket, at: ev.At, line: row.Pos.Line}
	}
	if ig, ok := rd.(Ignorer); ok {
		maps.Copy(sum.Ignored, ig.Ignored())
		for _, n := range sum.Ignored {
			sum.Rows += n // rows that became no event, and moves dropped
		}
	}
	if c, ok := rd.(Counter); ok {
		sum.Rows = c.Rows() // exact, where the distinct positions are not
	}
	// Sort small keys, not the rows: a swap moves 16 bytes rather than a
	// whole event, and a comparison reads no row.
	type key struct {
		sec  int64
		nsec int32
		i    int32
	}
	keys := make([]key, rows.n)
	for i := range keys {
		at := rows.at(int32(i)).Event.At
		keys[i] = key{at.Unix(), int32(at.Nanosecond()), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec), cmp.Compare(a.i, b.i))
	})
	order := make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.i
	}
	return rows, order, sum, skip, nil
}

// mark is a ticket's latest row: its instant and line.
type mark struct {
	ticket string
	at     time.Time
	line   int
}

// book holds rows in chunks, so that growing it never copies a row, and
// a chunk whose rows have all been replayed can go.
type book struct {
	chunks [][]Row
	left   []int // rows not yet replayed, by chunk
	n      int
}

const chunkRows = 4096

func (b *book) add(r Row) {
	if b.n%chunkRows == 0 {
		b.chunks = append(b.chunks, make([]Row, 0, chunkRows))
		b.left = append(b.left, 0)
	}
	c := &b.chunks[len(b.chunks)-1]
	*c = append(*c, r)
	b.left[len(b.left)-1]++
	b.n++
}

// done marks row i replayed: the last of its chunk lets the chunk go.
func (b *book) done(i int32) {
	c := i / chunkRows
	if b.left[c]--; b.left[c] == 0 {
		b.chunks[c] = nil
	}
}

func (b *book) at(i int32) *Row { return &b.chunks[i/chunkRows][i%chunkRows] }

// merge returns the attributes of old updated by set, nested maps merged
// path by path; neither is changed (the engine keeps what it was given).
func merge(old, set map[string]any) map[string]any {
	out := make(map[string]any, len(old)+len(set))
	maps.Copy(out, old)
	for k, v := range set {
		if sub, ok := v.(map[string]any); ok {
			if was, ok := out[k].(map[string]any); ok {
				out[k] = merge(was, sub)
				continue
			}
		}
		out[k] = v
	}
	return out
}
