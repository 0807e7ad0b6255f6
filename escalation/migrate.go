package escalation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MigrateOption says how Migrate maps what the new policy version lacks.
type MigrateOption func(*migration)

// migration is what a Migrate call maps: names of the old version to names
// of the new.
type migration struct {
	tiers, teams, priorities map[string]string
}

// MapTiers maps tiers of the old policy version to tiers of the new.
func MapTiers(m map[string]string) MigrateOption { return func(g *migration) { g.tiers = m } }

// MapTeams maps teams of the old policy version to teams of the new.
func MapTeams(m map[string]string) MigrateOption { return func(g *migration) { g.teams = m } }

// MapPriorities maps priorities of the old policy version to priorities of
// the new.
func MapPriorities(m map[string]string) MigrateOption {
	return func(g *migration) { g.priorities = m }
}

// Migrate moves a ticket to the given policy version, which the engine
// must know: its SLA goals follow the new policy without losing elapsed
// time or pauses, what the new goals leave behind (a breach of a shorter
// goal) falls at once, and the move is recorded in its history.
//
// The ticket keeps its tier, team and priority. When the new version
// lacks one of them, the call must map it (MapTiers, MapTeams,
// MapPriorities; a priority may also follow from the ticket's impact and
// urgency under the new matrix), or Migrate returns a *MigrationError
// listing everything missing and changes nothing. An impact or urgency the
// new matrix does not know is dropped, and the history says so.
func (e *Engine) Migrate(ctx context.Context, id, version string, opts ...MigrateOption) error {
	if err := e.ready(); err != nil {
		return err
	}
	to, err := e.policy(id, version)
	if err != nil {
		return err
	}
	var g migration
	for _, o := range opts {
		o(&g)
	}
	defer e.lock(id).Unlock()
	for {
		st, from, err := e.get(ctx, id)
		if err != nil {
			return err
		}
		now := e.clock.Now()
		r := newRun(from, st)
		r.maxNotes, r.staleBefore = e.limits.Notifications, e.staleBefore(now)
		r.advance(now, false)
		if err := r.migrate(to, g, now); err != nil {
			r.free()
			return err
		}
		r.summarize(now)
		r.schedule(time.Time{})
		err = e.store.Save(ctx, st, r.entries)
		r.free()
		if !errors.Is(err, ErrConflict) {
			e.poke()
			return err
		}
	}
}

// migrate moves the ticket to the policy to at instant at, mapping names
// as g says, or returns a *MigrationError and changes nothing.
func (r *run) migrate(to *compiled, g migration, at time.Time) error {
	st := r.st
	mapped := func(m map[string]string, name string) string {
		if n, ok := m[name]; ok {
			return n
		}
		return name
	}
	var missing, notes []string
	tier := mapped(g.tiers, st.Tier)
	if _, ok := to.tierIndex[tier]; !ok {
		missing = append(missing, fmt.Sprintf("tier %q", tier))
	}
	team := mapped(g.teams, st.Team)
	if _, ok := to.policy.Teams[team]; team != "" && !ok && !to.policy.OpenTeams {
		missing = append(missing, fmt.Sprintf("team %q", team))
	}
	impact, urgency := st.Impact, st.Urgency
	if impact != "" && !slices.Contains(to.policy.Matrix.Impacts, impact) {
		notes, impact = append(notes, fmt.Sprintf("impact %s dropped", impact)), ""
	}
	if urgency != "" && !slices.Contains(to.policy.Matrix.Urgencies, urgency) {
		notes, urgency = append(notes, fmt.Sprintf("urgency %s dropped", urgency)), ""
	}
	priority := mapped(g.priorities, st.Priority)
	if _, ok := to.ladders[priority]; !ok {
		if p, ok := to.matrix.Priority(impact, urgency); ok {
			priority = p
		} else {
			missing = append(missing, fmt.Sprintf("priority %q", priority))
		}
	}
	if len(to.policy.Statuses) > 0 && st.Status != "" && !slices.Contains(to.policy.Statuses, st.Status) {
		missing = append(missing, fmt.Sprintf("status %q", st.Status))
	}
	if len(missing) > 0 {
		return &MigrationError{Ticket: st.ID, From: st.Policy, To: to.policy.Version, Missing: missing}
	}
	for _, c := range [...]struct{ what, old, new string }{{"tier", st.Tier, tier}, {"team", st.Team, team}, {"priority", st.Priority, priority}} {
		if c.old != c.new {
			notes = append(notes, fmt.Sprintf("%s %s -> %s", c.what, c.old, c.new))
		}
	}
	r.record(Entry{At: at, What: WhatMigrated, From: st.Policy, To: to.policy.Version, Note: strings.Join(notes, "; ")})
	r.pol = to
	st.Policy, st.Tier, st.Team, st.Priority, st.Impact, st.Urgency = to.policy.Version, tier, team, priority, impact, urgency
	r.changed()
	r.chooseContract(at)
	r.retarget(at)
	r.catchUp(at)
	return nil
}
