package escalation

import (
	"context"
	"errors"
	"fmt"
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
	if at.Before(r.staleBefore) {
		r.record(Entry{At: at, What: WhatCaughtUp, By: by, Rule: rule, Trigger: trigger, Why: why, To: join(to)})
		c := &r.caught
		if c.n == 0 {
			c.first = at
		}
		c.n, c.last = c.n+1, at
		for _, t := range to {
			if !slices.Contains(c.to, t) {
				c.to = append(c.to, t)
			}
		}
		return
	}
	if !at.Equal(r.notesAt) {
		r.notesAt, r.notes = at, 0
	}
	if r.notes++; r.maxNotes > 0 && r.notes > r.maxNotes {
		r.record(Entry{At: at, What: WhatNotificationSuppressed, By: by, Rule: rule, Trigger: trigger, Why: why, To: join(to),
			Note: "over Limits.Notifications: " + strconv.Itoa(r.maxNotes) + " notifications at one instant"})
		return
	}
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

// caught is what the notifications a run caught up (those that fell
// before its staleBefore) add up to.
type caught struct {
	n           int
	first, last time.Time
	to          []string // their recipients, each once, in order
}

// summarize sends the one notification that stands for those the run
// caught up, to all their recipients, at instant at, the run's last: each
// is in the history as caught_up, and the notification carries the last
// of them. It does nothing when none was caught up.
func (r *run) summarize(at time.Time) {
	c := r.caught
	if c.n == 0 {
		return
	}
	r.caught = caught{}
	stale := r.staleBefore
	r.staleBefore = time.Time{}
	note := fmt.Sprintf("%d notifications that fell from %s to %s were handled late (the engine was behind, or the event was back-dated): they are caught up in this one",
		c.n, c.first.UTC().Format(time.RFC3339), c.last.UTC().Format(time.RFC3339))
	r.notify(slices.Clip(c.to), ByEngine, "caught_up", "stale:"+strconv.Itoa(c.n), nil, at)
	if last := &r.entries[len(r.entries)-1]; last.Rule == "caught_up" {
		last.Note = note
	}
	r.staleBefore = stale
}

// deliver sends the saved notifications of r's ticket that are due, and
// saves what became of them. A notification is removed only after it was
// delivered (or failed for good), so none is lost across a crash; after a
// *PartialError it stays for the recipients left.
func (e *Engine) deliver(ctx context.Context, r *run, now time.Time) error {
	outcomes := r.outcomes[:0]
	defer func() { r.outcomes = outcomes }() // the run keeps the buffer
	var history []Entry                      // read once, for the first delivery due
	total := -1
	for _, p := range r.st.Outbox {
		if p.NextAttempt.After(now) {
			continue
		}
		if total < 0 {
			var err error
			if history, total, err = e.lastEntries(ctx, r.st.ID); err != nil {
				return err
			}
		}
		n := p.Notification
		n.Attempt++
		n.History, n.HistoryTotal = history, total
		n.Attrs = copyAttrs(n.Attrs) // the notifier's to change
		err := e.notify(ctx, n)
		d := delivery{Pending: p, what: WhatDelivered}
		switch partial := partialOf(err); {
		case err == nil:
		case partial != nil:
			d = e.partial(p, n, partial, now)
		case IsPermanent(err):
			d.what, d.note = WhatDeliveryFailed, err.Error()
		default:
			e.retry(&d, n, now, err)
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
		r.schedule(now)
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

// partial is the delivery of p, attempted as n, that failed with a
// *PartialError: each recipient that took it or refused it for good is
// recorded, and the notification is retried for the others.
func (e *Engine) partial(p Pending, n Notification, pe *PartialError, now time.Time) delivery {
	d := delivery{Pending: p, what: WhatDelivered} // when To is empty
	var left []string
	var later error // the failure that asks for the latest retry
	var at time.Time
	for _, to := range p.Notification.To {
		if slices.Contains(pe.Delivered, to) {
			d.each = append(d.each, result{what: WhatDelivered, to: to})
			continue
		}
		err, failed := pe.Failed[to]
		if failed && err != nil && IsPermanent(err) {
			d.each = append(d.each, result{what: WhatDeliveryFailed, to: to, note: err.Error()})
			continue
		}
		left = append(left, to)
		if t, ok := earliest(err, now); failed && err != nil && ok && t.After(at) {
			later, at = err, t
		}
	}
	if len(left) > 0 {
		d.Notification.To = left
		if later == nil {
			later = pe
		}
		e.retry(&d, n, now, later)
	}
	return d
}

// partialOf returns the *PartialError in err's tree, or nil.
func partialOf(err error) *PartialError {
	if err == nil {
		return nil // before the variable, which escapes: no allocation
	}
	var pe *PartialError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// retry makes d the retry of n, which failed at now with err: the next
// attempt follows the engine's backoff, or later if err asks for it.
func (e *Engine) retry(d *delivery, n Notification, now time.Time, err error) {
	d.again = true
	d.Notification.Attempt, d.NextAttempt = n.Attempt, now.Add(e.backoff(n.Attempt))
	if t, ok := earliest(err, now); ok && t.After(d.NextAttempt) {
		d.NextAttempt = t
	}
	e.log.Warn("notification not delivered, will retry", "ticket", n.Ticket, "key", n.Key, "to", join(d.Notification.To),
		"attempt", n.Attempt, "next", d.NextAttempt, "err", err)
}

// delivery is what became of one attempt to deliver a notification.
type delivery struct {
	Pending        // as it stays in the outbox when again: its next attempt, the recipients left
	again   bool   // to be retried
	what    What   // of a whole delivery not retried: WhatDelivered or WhatDeliveryFailed
	note    string // why it failed
	// each is what became of each recipient of a partial delivery that
	// took the notification or refused it for good.
	each []result
}

// result is what became of one recipient of a partial delivery.
type result struct {
	what     What // WhatDelivered or WhatDeliveryFailed
	to, note string
}

// settle applies the outcomes of deliveries to st's outbox: a delivered
// notification, or one that failed for good, leaves it and is recorded;
// one to retry stays with its next attempt, and its recipients that took
// it or refused it for good are recorded one by one. It returns entries
// with the records appended.
func settle(st *State, outcomes []delivery, now time.Time, entries []Entry) []Entry {
	kept := st.Outbox[:0:0]
	for _, p := range st.Outbox {
		i := slices.IndexFunc(outcomes, func(d delivery) bool { return d.Notification.Key == p.Notification.Key })
		if i < 0 {
			kept = append(kept, p)
			continue
		}
		d := &outcomes[i]
		n := d.Notification
		record := func(what What, to, note string) {
			entries = append(entries, Entry{At: now, What: what, Rule: n.Rule, Trigger: n.Trigger, Policy: st.Policy, To: to, Note: note})
			st.Entries++
		}
		for _, res := range d.each {
			record(res.what, res.to, res.note)
		}
		switch {
		case d.again:
			kept = append(kept, d.Pending)
		case d.each == nil:
			record(d.what, join(n.To), d.note)
		}
	}
	st.Outbox = kept
	return entries
}
