package escalation

import "time"

// schedule sets when the ticket is next due: its next time point, or a
// delivery. A resolved or closed ticket has no time points.
//
// handled is the instant up to which the run handled the ticket's time
// points, or zero for a run on an event (which leaves the points at its
// instant to Step). A ticket handled at an instant is next due after it,
// by construction, so Run never handles it twice at one instant: a point
// still at or before handled (only what a run past maxPoints leaves)
// is due a second later, and handled then. The outbox's deliveries due
// by then are made right after the save.
func (r *run) schedule(handled time.Time) {
	st := r.st
	st.Due = time.Time{}
	if st.active() && !st.Opened.IsZero() { // a ticket not opened has no time points
		if p, ok := r.next(); ok {
			st.Due = p.at
			if !handled.IsZero() && !p.at.After(handled) {
				st.Due = handled.Add(time.Second)
			}
		}
	}
	for _, p := range st.Outbox {
		if st.Due.IsZero() || p.NextAttempt.Before(st.Due) {
			st.Due = p.NextAttempt
		}
	}
}

// planOf runs a copy of the ticket forward from now to until and returns
// what would happen: moves and notifications. limit > 0 stops after that
// many.
func planOf(pol *compiled, st *State, now, until time.Time, limit int) []Entry {
	r := newRun(pol, st.Clone())
	defer r.free()
	r.dry = true
	if now.After(r.st.Checked) {
		r.advance(now, true)
	}
	r.entries, r.planned, r.limit = nil, 0, limit
	r.advance(until, true)
	var out []Entry
	for _, e := range r.entries {
		if planned(e) && (limit == 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out
}

// planned reports whether an entry belongs in a plan: a move or a
// notification.
func planned(e Entry) bool {
	switch e.What {
	case WhatEscalated, WhatDeEscalated, WhatHandedOff, WhatNotified:
		return true
	}
	return false
}
