package escalation

import (
	"sync"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// run is the work on one ticket's state under one policy: bringing its
// time points up to an instant (timepoints.go), applying an event
// (apply.go), firing rules and matrix levels (fire.go) and their actions
// (actions.go), moves (moves.go), goals (goals.go) and notifications
// (outbox.go).
type run struct {
	pol     *compiled
	st      *State
	dry     bool    // planning: record what would happen, deliver nothing
	limit   int     // planning: stop after this many planned entries (0: no limit)
	planned int     // planning: how many so far
	entries []Entry // what happened, to append to the history
	// outcomes are the deliveries of the last Step on the ticket.
	outcomes []delivery
	key      []byte // scratch for fire-once keys
	best     []byte // the fire-once key of the point next returned
	// observe is set when an Observer wants the instants of the points
	// fired, kept in fired (observer.go).
	observe bool
	fired   []time.Time
	// maxNotes bounds the notifications at one instant (Limits), 0 for
	// none; notes counts those at notesAt.
	maxNotes, notes int
	notesAt         time.Time
	// staleBefore is the instant before which a notification is caught
	// up, not sent (WithStaleness), zero for none; caught sums them up.
	staleBefore time.Time
	caught      caught
	// truncated is set when the run fired maxPoints points and passed the
	// rest (truncate).
	truncated bool

	// opening is set while the run handles an opened event: its moves are
	// start decisions. manual is set while rules run on an event the host
	// reported.
	opening, manual bool
	// event is the kind of the event being applied, "" for time points.
	event string
	// regoaled is set when the ticket's goals changed (priority, contract,
	// policy): points they leave behind must catch up.
	regoaled bool
	// passed is, while catching up, the instant at which points already
	// passed fall; zero otherwise.
	passed time.Time

	// The environment of the last condition evaluated, while nothing has
	// changed since: rules triggered together share it.
	envAt     time.Time
	envEvent  string
	envManual bool
	envHas    uint8      // the parts worked out on demand: envSLA, ...
	envCache  *rules.Env // nil or &envBuf
	envBuf    rules.Env

	// lad is the ticket's ladder, while nothing has changed since.
	lad *ladder

	// The last answer of next, while nothing has changed since.
	peek      point
	peekOK    bool
	peekValid bool
}

// runs recycles runs, whose buffers and rule environment would otherwise
// be made anew for every event and every due ticket.
var runs = sync.Pool{New: func() any { return new(run) }}

// newRun returns a run of the ticket st under pol; free gives it back.
func newRun(pol *compiled, st *State) *run {
	r := runs.Get().(*run)
	r.pol, r.st = pol, st
	return r
}

// free returns r to the pool. The state it ran on is the caller's (a store
// may keep it); its entries buffer, whose contents a store has copied, is
// kept with the other scratch.
func (r *run) free() {
	clear(r.entries)
	clear(r.outcomes)
	clear(r.envBuf.SLA)
	*r = run{entries: r.entries[:0], outcomes: r.outcomes[:0], key: r.key[:0], best: r.best[:0], fired: r.fired[:0], envBuf: rules.Env{SLA: r.envBuf.SLA}}
	runs.Put(r)
}

// changed forgets what the run worked out from the ticket as it was.
func (r *run) changed() { r.envCache, r.peekValid, r.lad = nil, false, nil }

// record notes an entry for the history. Every change of the ticket is
// recorded, so it also forgets what was worked out before.
func (r *run) record(e Entry) {
	r.changed()
	e.Policy = r.st.Policy
	r.entries = append(r.entries, e)
	r.st.Entries++
	if r.dry && planned(e) {
		r.planned++
	}
}

// ladder is the ticket's ladder: its priority's goals, under its contract,
// and levels.
func (r *run) ladder() *ladder {
	if r.lad != nil {
		return r.lad
	}
	l, _ := r.pol.ladder(r.st.Contract, r.st.Priority)
	if l == nil { // a priority the policy lacks: only a corrupt state has one
		l = &ladder{}
	}
	r.lad = l
	return l
}
