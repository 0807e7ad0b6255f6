package report

import (
	"fmt"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Folder returns the escalation.Fold that adds each ticket a Pruner
// deletes to the rollup of its tenant (escalation.TenantOf) and the ISO
// week it opened in, in the Location of the tenant's Options: the rollup's
// key is the week, "2026-W10", and its window [From, To) that week. The
// Options of a tenant (its policies, its groupings) must be the same for
// every batch: a report that adds the rollups groups by what they were
// folded by. A ticket the report cannot read stops the fold, and Prune
// keeps its batch. options is called once per tenant and batch.
func Folder(options func(tenant string) Options) escalation.Fold {
	return func(batch []escalation.History, rollups escalation.Rollups) error {
		type week struct{ tenant, key string }
		aggs := map[week]*Aggregator{}
		var order []week
		tenants := map[string]Options{}
		for _, h := range batch {
			tenant := escalation.TenantOf(h.State.ID)
			opts, ok := tenants[tenant]
			if !ok {
				opts = options(tenant)
				tenants[tenant] = opts
			}
			from, key := weekOf(h.State.Opened, opts.Location)
			w := week{tenant, key}
			a := aggs[w]
			if a == nil {
				opts.From, opts.To = from, from.AddDate(0, 0, 7)
				var err error
				if a, err = New(opts); err != nil {
					return fmt.Errorf("report: fold: tenant %q: %w", tenant, err)
				}
				old, err := rollups.Get(tenant, key)
				if err != nil {
					return fmt.Errorf("report: fold: rollup %s of tenant %q: %w", key, tenant, err)
				}
				if old != nil {
					if err := a.AddRollup(old); err != nil {
						return fmt.Errorf("report: fold: rollup %s of tenant %q: %w", key, tenant, err)
					}
				}
				aggs[w] = a
				order = append(order, w)
			}
			if err := a.Add(h); err != nil {
				return fmt.Errorf("report: fold: %w", err)
			}
		}
		for _, w := range order {
			data, err := aggs[w].Rollup()
			if err != nil {
				return fmt.Errorf("report: fold: rollup %s of tenant %q: %w", w.key, w.tenant, err)
			}
			if err := rollups.Put(w.tenant, w.key, data); err != nil {
				return fmt.Errorf("report: fold: rollup %s of tenant %q: %w", w.key, w.tenant, err)
			}
		}
		return nil
	}
}

// weekOf is the start of t's ISO week in loc (nil: UTC), Monday 00:00, and
// its name.
func weekOf(t time.Time, loc *time.Location) (time.Time, string) {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, w := t.ISOWeek()
	monday := time.Date(t.Year(), t.Month(), t.Day()-(int(t.Weekday())+6)%7, 0, 0, 0, 0, loc)
	return monday, fmt.Sprintf("%04d-W%02d", y, w)
}
