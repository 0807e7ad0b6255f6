package escalation

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// notify saves a notification for delivery, decided by a rule or a matrix
// level (by) named rule.
func (r *run) notify(to []string, by By, rule, trigger string, why []Clause, at time.Time) {
	st := r.st
	r.key = strconv.AppendInt(append(append(append(append(r.key[:0], st.ID...), '/'), rule...), '/'), int64(st.Entries), 10)
	n := Notification{
		Key:    string(r.key), // ticket/rule/position in the history
		Ticket: st.ID, At: at, To: to, Rule: rule, Trigger: trigger, Why: why,
		ToTier: st.Tier, ToTeam: st.Team, Priority: st.Priority, Status: st.Status,
		Attrs: st.Attrs, Policy: st.Policy,
	}
	n.FromTier, n.FromTeam = st.PrevTier, st.PrevTeam
	n.SLA = make([]sla.Status, 0, len(st.Timers))
	for _, t := range st.Timers {
		n.SLA = append(n.SLA, t.Status(at))
	}
	r.record(Entry{At: at, What: WhatNotified, By: by, Rule: rule, Trigger: trigger, Why: why, To: join(to)})
	if !r.dry {
		st.Outbox = append(st.Outbox, Pending{Notification: n, NextAttempt: at})
	}
}

func join(to []string) string { return strings.Join(to, ", ") }

// deliver sends the saved notifications of r's ticket that are due, and
// saves what became of them. A notification is removed only after it was
// delivered (or failed for good), so none is lost across a crash.
func (e *Engine) deliver(ctx context.Context, r *run, now time.Time) error {
	outcomes := r.outcomes[:0]
	defer func() { r.outcomes = outcomes }() // the run keeps the buffer
	for _, p := range r.st.Outbox {
		if p.NextAttempt.After(now) {
			continue
		}
		n := p.Notification
		n.Attempt++
		history, err := e.store.History(ctx, r.st.ID)
		if err != nil {
			return err
		}
		n.History = history
		err = e.notifier.Notify(ctx, n)
		d := delivery{Pending: p, what: WhatDelivered}
		switch {
		case err == nil:
		case IsPermanent(err):
			d.what, d.note = WhatDeliveryFailed, err.Error()
		default:
			d.what = ""
			d.Notification.Attempt, d.NextAttempt = n.Attempt, now.Add(e.backoff(n.Attempt))
			e.log.Warn("notification not delivered, will retry", "ticket", r.st.ID, "key", n.Key, "attempt", n.Attempt, "err", err)
		}
		outcomes = append(outcomes, d)
	}
	if len(outcomes) == 0 {
		return nil
	}
	// The saved state is the store's now. Delivery changes only the outbox
	// (made anew) and the count of entries, so a shallow copy does.
	cp := *r.st
	r.st = &cp
	for {
		entries := settle(r.st, outcomes, now, r.entries[:0])
		r.schedule()
		err := e.store.Save(ctx, r.st, entries)
		if !errors.Is(err, ErrConflict) {
			return err
		}
		// Saved meanwhile by another replica or event: settle the same
		// outcomes on what it saved, so no delivery is recorded twice or lost.
		st, pol, err := e.get(ctx, r.st.ID)
		if err != nil {
			return err
		}
		r.pol, r.st = pol, st
		r.changed()
	}
}

// delivery is what became of one attempt to deliver a notification.
type delivery struct {
	Pending      // with the next attempt, when it is to be retried
	what    What // WhatDelivered, WhatDeliveryFailed, or "" to retry
	note    string
}

// settle applies the outcomes of deliveries to st's outbox: a delivered
// notification, or one that failed for good, leaves it and is recorded;
// one to retry stays with its next attempt. It returns entries with the
// records appended.
func settle(st *State, outcomes []delivery, now time.Time, entries []Entry) []Entry {
	kept := st.Outbox[:0:0]
	for _, p := range st.Outbox {
		i := slices.IndexFunc(outcomes, func(d delivery) bool { return d.Notification.Key == p.Notification.Key })
		switch {
		case i < 0:
			kept = append(kept, p)
		case outcomes[i].what == "":
			kept = append(kept, outcomes[i].Pending)
		default:
			d := outcomes[i]
			n := d.Notification
			entries = append(entries, Entry{At: now, What: d.what, Rule: n.Rule, Trigger: n.Trigger, Policy: st.Policy, To: join(n.To), Note: d.note})
			st.Entries++
		}
	}
	st.Outbox = kept
	return entries
}
