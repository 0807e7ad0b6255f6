package escalation

import "time"

// schedule sets when the ticket is next due: its next time point, or a
// delivery. A resolved or closed ticket has no time points.
func (r *run) schedule() {
	st := r.st
	st.Due = time.Time{}
	if st.active() {
		if p, ok := r.next(); ok {
			st.Due = p.at
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
