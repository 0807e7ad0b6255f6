package escalation

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// Risk is an open ticket whose SLA goal will be used up soon: the metric
// that breaches first, and when. Its JSON writes Remaining as a Go
// duration string ("1h30m"), as TicketStatus does. A Risk is a plain
// value, safe to copy and to read concurrently.
type Risk struct {
	ID     string    `json:"id"`
	Metric string    `json:"metric"` // the metric that breaches first
	Due    time.Time `json:"due"`    // when its goal is used up
	// Remaining is the business time left of the metric's goal at the
	// instant AtRisk asked about: the business time until Due.
	Remaining time.Duration `json:"remaining"`
	Priority  string        `json:"priority"`
	Tier      string        `json:"tier"`
	Team      string        `json:"team,omitempty"`
}

// riskJSON is a Risk's JSON shape: Remaining as a duration string.
type riskJSON struct {
	ID        string    `json:"id"`
	Metric    string    `json:"metric"`
	Due       time.Time `json:"due"`
	Remaining Duration  `json:"remaining"`
	Priority  string    `json:"priority"`
	Tier      string    `json:"tier"`
	Team      string    `json:"team,omitempty"`
}

// MarshalJSON writes the risk with Remaining as a Go duration string
// without zero units, as sla.Status writes its durations:
//
//	{"id": "T-7", "metric": "resolution", "due": "2026-11-02T11:30:00-05:00",
//	 "remaining": "30m", "priority": "P1", "tier": "specialists", "team": "network"}
func (r Risk) MarshalJSON() ([]byte, error) {
	return json.Marshal(riskJSON{ID: r.ID, Metric: r.Metric, Due: r.Due, Remaining: Duration(r.Remaining),
		Priority: r.Priority, Tier: r.Tier, Team: r.Team})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Risk) UnmarshalJSON(data []byte) error {
	var j riskJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = Risk{ID: j.ID, Metric: j.Metric, Due: j.Due, Remaining: time.Duration(j.Remaining),
		Priority: j.Priority, Tier: j.Tier, Team: j.Team}
	return nil
}

// AtRisk returns the open tickets whose next breach falls within within of
// the clock's now, soonest first (tickets breaching at the same instant by
// ID): the list a duty manager watches. A ticket's next breach is the
// earliest due instant of its timers that are running and not breached
// yet (of two at the same instant, the one the ticket lists first); a
// paused timer does not count (its due instant moves while it waits), nor
// does a met or breached one, nor a resolved or closed ticket. within
// must be positive.
//
// It reads the store's Upcoming tickets, so its cost follows the tickets
// due within the window, not all the store holds.
func (e *Engine) AtRisk(ctx context.Context, within time.Duration) (_ []Risk, err error) {
	defer e.recovered("", "Store", &err)
	if err := e.ready(); err != nil {
		return nil, err
	}
	if within <= 0 {
		return nil, fmt.Errorf("escalation: AtRisk: within is %v: it must be positive", within)
	}
	now := e.clock.Now()
	until := now.Add(within)
	risks := map[string]Risk{}
	// A running timer's breach is always one of the ticket's time points
	// (its thresholds end with the breach, see sla.Target.Thresholds), and
	// State.Due is the earliest point not yet handled (plan.go's schedule):
	// a ticket whose breach is at or before until is due at or before it
	// too. One exception: an event a little in the future (WithSkew)
	// handles the points up to its instant, a breach among them; the
	// engine counts such a timer breached from that event on.
	for st, err := range e.store.Upcoming(ctx, until) {
		if err != nil {
			return nil, err
		}
		// A store reading in pages yields a ticket twice if another save
		// moved it past its page meanwhile: the last reading counts.
		delete(risks, st.ID)
		if !st.active() {
			continue
		}
		if slices.ContainsFunc(st.Timers, func(t *sla.Timer) bool { return !t.Bound() }) {
			st = st.Clone() // the store's to keep: bind a copy
		}
		if _, err := e.bind(st); errors.Is(err, ErrUnknownPolicy) {
			return nil, fmt.Errorf("escalation: ticket %q: %w", st.ID, err)
		} else if err != nil {
			return nil, err // it names the ticket
		}
		var first sla.Status
		for _, t := range st.Timers {
			// Running, and not breached: neither paused nor met nor
			// waiting to start.
			if s := t.Status(now); s.State == sla.Running && (first.Due.IsZero() || s.Due.Before(first.Due)) {
				first = s
			}
		}
		if first.Due.IsZero() || first.Due.After(until) {
			continue
		}
		risks[st.ID] = Risk{ID: st.ID, Metric: first.Metric, Due: first.Due, Remaining: first.Remaining,
			Priority: st.Priority, Tier: st.Tier, Team: st.Team}
	}
	out := slices.Collect(maps.Values(risks))
	slices.SortFunc(out, func(a, b Risk) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
	return out, nil
}
