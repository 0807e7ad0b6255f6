package escalation

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A service that hosts many desks keeps their tickets in one store, each
// under a key that starts with its desk's tenant name: "acme/T-1" is
// ticket "T-1" of tenant "acme". The key is the ticket's ID everywhere
// (Event.Ticket, State.ID, Status, History, the store's rows), so one
// Due claims the due tickets of every tenant at once and no tenant is
// polled on its own. Engine.UseTenant gives a tenant its own policy;
// TenantHistories reads one tenant's tickets for its reports.

// TenantSep separates the tenant from the ticket in a ticket key.
const TenantSep = '/'

// MaxTenant is the longest tenant name, in bytes.
const MaxTenant = 64

// TicketKey is the key of the tenant's ticket: tenant, TenantSep, ticket.
// tenant must be a valid name (CheckTenant); ticket may hold anything an
// ID may, TenantSep included.
func TicketKey(tenant, ticket string) string { return tenant + string(TenantSep) + ticket }

// SplitKey returns the tenant and the ticket of a ticket key: what comes
// before its first TenantSep and what follows it. A key without TenantSep
// belongs to no tenant: tenant is "" and ticket the whole key.
func SplitKey(key string) (tenant, ticket string) {
	tenant, ticket, ok := strings.Cut(key, string(TenantSep))
	if !ok {
		return "", key
	}
	return tenant, ticket
}

// TenantOf is the tenant of a ticket key, "" for none (see SplitKey).
func TenantOf(key string) string {
	tenant, _ := SplitKey(key)
	return tenant
}

// ErrTenant is wrapped by the errors of a tenant name no key can hold.
var ErrTenant = errors.New("escalation: invalid tenant name")

// CheckTenant reports whether name can name a tenant: 1 to MaxTenant
// bytes of UTF-8, without TenantSep, spaces or control characters. The
// error wraps ErrTenant and says what is wrong.
func CheckTenant(name string) error {
	var why string
	switch {
	case name == "":
		why = "empty"
	case len(name) > MaxTenant:
		why = fmt.Sprintf("%d bytes, more than %d", len(name), MaxTenant)
	case !utf8.ValidString(name):
		why = "not UTF-8"
	case strings.ContainsRune(name, TenantSep):
		why = fmt.Sprintf("holds %q, which separates the tenant from the ticket", TenantSep)
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		why = "holds a space or a control character"
	default:
		return nil
	}
	return fmt.Errorf("%w %.80q: %s", ErrTenant, name, why)
}

// TenantHistorian is a Store that reads one tenant's tickets without
// reading the others': MemoryStore and package sqlstore's Store are.
type TenantHistorian interface {
	// TenantHistories is Store.Histories for the tickets whose keys
	// belong to tenant (TenantOf), in the same order and with the same
	// guarantees. Tenant "" reads the tickets of no tenant.
	TenantHistories(ctx context.Context, tenant string, from, to time.Time) iter.Seq2[History, error]
}

// TenantHistories streams tenant's tickets opened in [from, to), as
// Store.Histories does all tickets: through the store's TenantHistories
// when it is a TenantHistorian, otherwise by passing over the others'
// tickets in Histories. Tenant "" reads the tickets of no tenant.
func TenantHistories(ctx context.Context, s Store, tenant string, from, to time.Time) iter.Seq2[History, error] {
	if th, ok := s.(TenantHistorian); ok {
		return th.TenantHistories(ctx, tenant, from, to)
	}
	return func(yield func(History, error) bool) {
		for h, err := range s.Histories(ctx, from, to) {
			if err == nil && TenantOf(h.State.ID) != tenant {
				continue
			}
			if !yield(h, err) {
				return
			}
		}
	}
}

// desk is the policies of the tickets of one tenant, or of those of no
// tenant of their own: every version by name, and the one new tickets
// open on.
type desk struct {
	versions map[string]*compiled
	current  *compiled
}

// use makes c the desk's current policy, replacing a version of its name.
func (d *desk) use(c *compiled) {
	d.versions[c.policy.Version] = c
	d.current = c
}

// deskOf is the desk whose policies ticket id runs on: its tenant's when
// UseTenant gave the tenant a policy, the engine's otherwise. e.mu is
// held.
func (e *Engine) deskOf(id string) *desk {
	if len(e.tenants) > 0 {
		if d, ok := e.tenants[TenantOf(id)]; ok {
			return d
		}
	}
	return &e.desk
}

// UseTenant makes p the policy that tenant's new tickets open on (those
// whose keys TicketKey(tenant, ...) makes), while the engine runs and
// without touching other tenants' tickets; older gives earlier versions
// that the tenant's tickets may still run on. Tickets already open keep
// their policy version until Migrate. The first call for a tenant keeps
// the versions the engine's own policies (New, Use) gave it until then,
// so its tickets opened before it had a policy of its own run on.
// Versions are the tenant's own: a version of the same name as another
// tenant's, or the engine's, is a different policy. A policy with
// mistakes is rejected with a *PolicyError and changes nothing.
func (e *Engine) UseTenant(tenant string, p *Policy, older ...*Policy) error {
	if err := e.ready(); err != nil {
		return err
	}
	if err := CheckTenant(tenant); err != nil {
		return err
	}
	cs := make([]*compiled, 0, len(older)+1)
	for _, q := range append(older, p) {
		c, err := compile(q)
		if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, ok := e.tenants[tenant]
	if !ok {
		d = &desk{versions: maps.Clone(e.desk.versions)}
		if e.tenants == nil {
			e.tenants = map[string]*desk{}
		}
		e.tenants[tenant] = d
	}
	for _, c := range cs {
		d.use(c)
	}
	return nil
}

// TenantPolicy returns the version of the policy that tenant's new
// tickets open on: its own if UseTenant gave it one, the engine's
// otherwise ("" for an Engine that New did not make).
func (e *Engine) TenantPolicy(tenant string) string {
	if e.ready() != nil {
		return ""
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if d, ok := e.tenants[tenant]; ok {
		return d.current.policy.Version
	}
	return e.desk.current.policy.Version
}
