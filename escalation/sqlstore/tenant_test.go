package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// TestTenantHistories: one tenant's tickets, in the order they opened,
// over several pages, within a window, and none of another tenant's; the
// same as passing over the others in Histories.
func TestTenantHistories(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		s := ss[0]
		type opened struct {
			id string
			at time.Time
		}
		byTenant := map[string][]opened{}
		for i := range 600 {
			tenant := []string{"acme", "globex", "", "acme-2"}[i%4]
			id := fmt.Sprintf("T-%03d", (i*37)%600)
			if tenant != "" {
				id = escalation.TicketKey(tenant, id)
			}
			at := t0.Add(time.Duration((i*7919)%500) * time.Minute) // some at the same minute
			st := &escalation.State{ID: id, Policy: "v1", Opened: at, Tier: "frontline"}
			if err := s.Save(ctx, st, []escalation.Entry{{At: at, What: "opened", Note: id}}); err != nil {
				t.Fatal(err)
			}
			byTenant[tenant] = append(byTenant[tenant], opened{id, at})
		}
		from, to := t0.Add(100*time.Minute), t0.Add(400*time.Minute)
		for tenant, all := range byTenant {
			slices.SortFunc(all, func(a, b opened) int {
				if c := a.at.Compare(b.at); c != 0 {
					return c
				}
				return strings.Compare(a.id, b.id)
			})
			var want, wantWindow []string
			for _, o := range all {
				want = append(want, o.id)
				if !o.at.Before(from) && o.at.Before(to) {
					wantWindow = append(wantWindow, o.id)
				}
			}
			read := func(from, to time.Time) []string {
				var got []string
				for h, err := range s.TenantHistories(ctx, tenant, from, to) {
					if err != nil {
						t.Fatal(err)
					}
					if len(h.Entries) != 1 || h.Entries[0].Note != h.State.ID {
						t.Errorf("%s: entries %+v", h.State.ID, h.Entries)
					}
					got = append(got, h.State.ID)
				}
				return got
			}
			if got := read(time.Time{}, time.Time{}); !slices.Equal(got, want) {
				t.Errorf("tenant %q: %d tickets %q..., want %d", tenant, len(got), got[:min(3, len(got))], len(want))
			}
			if got := read(from, to); !slices.Equal(got, wantWindow) {
				t.Errorf("tenant %q in the window: %d tickets, want %d", tenant, len(got), len(wantWindow))
			}
			var viaFilter []string
			for h, err := range escalation.TenantHistories(ctx, filterOnly{s}, tenant, from, to) {
				if err != nil {
					t.Fatal(err)
				}
				viaFilter = append(viaFilter, h.State.ID)
			}
			if !slices.Equal(viaFilter, wantWindow) {
				t.Errorf("tenant %q by passing over the others: %d tickets, want %d", tenant, len(viaFilter), len(wantWindow))
			}
		}
		for h, err := range s.TenantHistories(ctx, "initech", time.Time{}, time.Time{}) {
			t.Errorf("a tenant without tickets: %v, %v", h.State, err)
		}
		for h, err := range s.TenantHistories(ctx, "nul\x00", time.Time{}, time.Time{}) {
			t.Errorf("a tenant no key holds: %v, %v", h.State, err)
		}
	})
}

// filterOnly hides the store's TenantHistories, so that
// escalation.TenantHistories passes over the other tenants' tickets.
type filterOnly struct{ escalation.Store }

// TestUpgradeFillsTenant: the tickets of a database of schema version 2
// get their tenant from their keys when it migrates, and the closed ones
// their closing instant from their states.
func TestUpgradeFillsTenant(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t)
		migrateTo(t, db, b.dialect, 2)
		ins := "INSERT INTO ladder_tickets (id, version, state, due, entries, opened) VALUES ($1, 1, $2, NULL, 0, $3)"
		if b.dialect == sqlstore.SQLite {
			ins = strings.ReplaceAll(ins, "$", "?")
		}
		for i, id := range []string{"acme/T-1", "acme/INC/2", "T-3", "globex/T-4", "acme/C-5"} {
			state := fmt.Sprintf(`{"id":%q,"policy":"v1","opened":%q}`, id, t0.Format(time.RFC3339Nano))
			if strings.Contains(id, "C-") { // closed: Prune finds it once Migrate fills in its closing instant
				state = fmt.Sprintf(`{"id":%q,"policy":"v1","opened":%q,"closed":true,"last_event":%q}`, id, t0.Format(time.RFC3339Nano), t0.Add(time.Hour).Format(time.RFC3339Nano))
			}
			if _, err := db.Exec(ins, id, state, t0.UnixNano()+int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		s := migrated(t, db, b.dialect)
		var pruned []string
		n, err := s.Prune(ctx, t0.Add(2*time.Hour), 10, func(hs []escalation.History, _ escalation.Rollups) error {
			for _, h := range hs {
				pruned = append(pruned, h.State.ID)
			}
			return nil
		})
		if err != nil || n != 1 || !slices.Equal(pruned, []string{"acme/C-5"}) {
			t.Errorf("Prune after the upgrade: %d %q, %v; want the closed ticket acme/C-5", n, pruned, err)
		}
		for tenant, want := range map[string][]string{"acme": {"acme/INC/2", "acme/T-1"}, "globex": {"globex/T-4"}, "": {"T-3"}} {
			var got []string
			for h, err := range s.TenantHistories(ctx, tenant, time.Time{}, time.Time{}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, h.State.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("tenant %q after the upgrade: %q, want %q", tenant, got, want)
			}
		}
	})
}
