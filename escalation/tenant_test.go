package escalation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// tenantPolicy is testPolicy under another version, whose P1 tickets go
// to the specialists after after on the tier instead of 30 minutes.
func tenantPolicy(version string, after float64) *escalation.Policy {
	p := testPolicy()
	p.Version = version
	p.Matrix.Priorities[0].Levels[0].After = hours(after)
	return p
}

// TestTenantPolicies: each tenant's tickets open on its own policy, or on
// the engine's when it has none; a tenant's policy is replaced while
// tickets of every tenant run, and the tickets already open keep theirs.
func TestTenantPolicies(t *testing.T) {
	ctx := context.Background()
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0)) // P1 to the specialists after 30m
	e := h.Engine
	h.Open("globex/T-0", nil, "high", "high") // before globex has a policy of its own
	if err := e.UseTenant("acme", tenantPolicy("acme-1", 10.0/60)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"acme/T-1", "globex/T-1", "T-1", "acme"} {
		h.Open(id, nil, "high", "high")
	}
	h.Advance(15 * time.Minute) // 09:15
	if err := e.UseTenant("acme", tenantPolicy("acme-2", 20.0/60)); err != nil {
		t.Fatal(err)
	}
	if err := e.UseTenant("globex", tenantPolicy("g-1", 5.0/60)); err != nil {
		t.Fatal(err)
	}
	h.Open("acme/T-2", nil, "high", "high")
	h.Open("globex/T-2", nil, "high", "high")
	h.Advance(15 * time.Minute) // 09:30
	want := []struct{ id, policy, tier string }{
		{"globex/T-0", "v1", "specialists"}, // the engine's policy, bound after globex got one of its own
		{"acme/T-1", "acme-1", "specialists"},
		{"globex/T-1", "v1", "specialists"},
		{"T-1", "v1", "specialists"},
		{"acme", "v1", "specialists"}, // no separator: no tenant
		{"acme/T-2", "acme-2", "frontline"},
		{"globex/T-2", "g-1", "specialists"},
	}
	for _, w := range want {
		st, err := e.Status(ctx, w.id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Policy != w.policy || st.Tier != w.tier {
			t.Errorf("%s: policy %s on %s, want %s on %s", w.id, st.Policy, st.Tier, w.policy, w.tier)
		}
	}
	// When each moved says whose policy moved it.
	for id, at := range map[string]string{"acme/T-1": "09:10", "globex/T-0": "09:30", "globex/T-2": "09:20"} {
		moved := ""
		for _, line := range h.Timeline(id, newYork(t)) {
			if strings.Contains(line, "escalated") {
				moved = line
				break
			}
		}
		if !strings.HasPrefix(moved, "Mon "+at+" escalated") {
			t.Errorf("%s moved: %q, want at %s", id, moved, at)
		}
	}
	for tenant, version := range map[string]string{"acme": "acme-2", "globex": "g-1", "initech": "v1", "": "v1"} {
		if got := e.TenantPolicy(tenant); got != version {
			t.Errorf("TenantPolicy(%q) = %q, want %q", tenant, got, version)
		}
	}
}

// TestUseTenantRefuses: a name no key can hold, or a policy with mistakes,
// changes nothing.
func TestUseTenantRefuses(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	e := h.Engine
	for _, name := range []string{"", "a/b", "a b", "tab\t", "nul\x00", "\xff", strings.Repeat("x", escalation.MaxTenant+1)} {
		err := e.UseTenant(name, tenantPolicy("x-1", 1))
		if !errors.Is(err, escalation.ErrTenant) {
			t.Errorf("UseTenant(%q): %v, want ErrTenant", name, err)
		}
	}
	if err := e.UseTenant(strings.Repeat("é", escalation.MaxTenant/2), tenantPolicy("x-1", 1)); err != nil {
		t.Errorf("a name of %d bytes: %v", escalation.MaxTenant, err)
	}
	bad := tenantPolicy("acme-2", 1)
	bad.Tiers = nil
	older := tenantPolicy("", 1)
	var pe *escalation.PolicyError
	if err := e.UseTenant("acme", bad, older); !errors.As(err, &pe) {
		t.Fatalf("a policy with mistakes: %v", err)
	}
	if got := e.TenantPolicy("acme"); got != "v1" {
		t.Errorf("after a refused policy, acme opens on %q", got)
	}
	h.Open("acme/T-1", nil, "high", "high")
	if st, _ := e.Status(context.Background(), "acme/T-1"); st.Policy != "v1" {
		t.Errorf("acme/T-1 opened on %q", st.Policy)
	}
}

// TestTenantsConcurrently: tenants' policies are loaded and replaced while
// events of every tenant are reported (run with -race).
func TestTenantsConcurrently(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	e := h.Engine
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				tenant := fmt.Sprint("desk-", i%5)
				if w == 0 {
					if err := e.UseTenant(tenant, tenantPolicy(fmt.Sprint(tenant, "-", i), 1)); err != nil {
						t.Error(err)
					}
					continue
				}
				id := escalation.TicketKey(tenant, fmt.Sprint("T-", w, "-", i))
				if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.Opened, At: h.Now(), Impact: "high", Urgency: "high"}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	n := 0
	for hist, err := range escalation.TenantHistories(ctx, h.Store, "desk-3", time.Time{}, time.Time{}) {
		if err != nil {
			t.Fatal(err)
		}
		if escalation.TenantOf(hist.State.ID) != "desk-3" {
			t.Errorf("desk-3's histories hold %s", hist.State.ID)
		}
		n++
	}
	if n != 30 { // 3 writers, 10 tickets each
		t.Errorf("desk-3 has %d tickets, want 30", n)
	}
}

func TestSplitKey(t *testing.T) {
	for _, c := range []struct{ key, tenant, ticket string }{
		{"acme/T-1", "acme", "T-1"},
		{"acme/INC/2026/7", "acme", "INC/2026/7"},
		{"T-1", "", "T-1"},
		{"/T-1", "", "T-1"},
		{"acme/", "acme", ""},
	} {
		tenant, ticket := escalation.SplitKey(c.key)
		if tenant != c.tenant || ticket != c.ticket {
			t.Errorf("SplitKey(%q) = %q, %q; want %q, %q", c.key, tenant, ticket, c.tenant, c.ticket)
		}
		if c.tenant != "" && escalation.TicketKey(tenant, ticket) != c.key {
			t.Errorf("TicketKey(%q, %q) = %q", tenant, ticket, escalation.TicketKey(tenant, ticket))
		}
	}
}
