package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// perTenant is how many tickets each tenant of a scale benchmark has.
const perTenant = 1000

// millionTickets is the size of BenchmarkPostgresMillion's large store:
// LADDER_MILLION_TICKETS, or 1,000,000.
func millionTickets(b *testing.B) int {
	v := os.Getenv("LADDER_MILLION_TICKETS")
	if v == "" {
		return 1_000_000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < perTenant || n%perTenant != 0 {
		b.Fatalf("LADDER_MILLION_TICKETS=%q: want a multiple of %d", v, perTenant)
	}
	return n
}

// BenchmarkPostgresMillion runs a service hosting n/1,000 tenants with
// 1,000 open tickets each, in one process and one PostgreSQL, beside the
// same service with 2,000 tickets (2 tenants), the size of
// BenchmarkPostgresClaim1000: n is LADDER_MILLION_TICKETS, 1,000,000 by
// default. Each store's tickets are bulk-loaded with Import, then
// VACUUM (ANALYZE) and CHECKPOINT run, as an operator does after a bulk
// load; each engine has a policy of each tenant's own. Half the tickets
// are due in the first 10 seconds, half a day later.
//
// The two sizes are measured in pairs, the small store then the large one
// in each iteration, so that a machine whose speed drifts over minutes
// moves both alike; the metrics are each size's own, and the cost of the
// large store's operation over the small one's (large/small):
//
//   - claim1000: one Due claiming 1,000 due tickets of every tenant at once;
//   - event16: bursts of agents' replies through Engine.Report from 16
//     writers, each on its own ticket, spread over the tenants, every
//     ticket in turn;
//   - event16-hot2000: the same on 2,000 of the tickets, spread over the
//     tenants: a working set of the size of the small store.
//
// claim1000 also reports the large load's tickets/s (Import) and the bytes
// each store's tickets and histories take on disk, with their indexes;
// event16 the heap each engine's tenant policies take, per tenant, the
// write-ahead log an event writes (the whole server's during the burst),
// and the bytes a history entry takes on disk.
func BenchmarkPostgresMillion(b *testing.B) {
	n := millionTickets(b)
	small, large := loadScale(b, 2*perTenant), loadScale(b, n)
	b.Run(fmt.Sprint("tickets=", n), func(b *testing.B) {
		b.Run("claim1000", func(b *testing.B) {
			var took [2]time.Duration
			b.ReportAllocs()
			for b.Loop() {
				for i, sc := range []*scale{small, large} {
					start := time.Now()
					claim1000(b, sc.s)
					took[i] += time.Since(start)
				}
			}
			b.ReportMetric(took[0].Seconds()*1e3/float64(b.N), "small-ms")
			b.ReportMetric(took[1].Seconds()*1e3/float64(b.N), "large-ms")
			b.ReportMetric(took[1].Seconds()/took[0].Seconds(), "large/small")
			b.ReportMetric(float64(n)/large.load.Seconds(), "imported/s")
			b.ReportMetric(float64(small.size)/float64(small.n), "small-disk-B/ticket")
			b.ReportMetric(float64(large.size)/float64(large.n), "large-disk-B/ticket")
		})
		b.Run("event16-hot2000", func(b *testing.B) { pairEvents(b, small, large, 2*perTenant) })
		b.Run("event16", func(b *testing.B) {
			pairEvents(b, small, large, n)
			b.ReportMetric(small.perTenant, "small-B/tenant")
			b.ReportMetric(large.perTenant, "large-B/tenant")
			b.ReportMetric(entryBytes(b, large.db), "disk-B/entry")
		})
	})
}

// scale is a store of BenchmarkPostgresMillion, loaded, and an engine on
// it with each tenant's policy.
type scale struct {
	n         int // tickets
	db        *sql.DB
	s         *sqlstore.Store
	e         *escalation.Engine
	load      time.Duration // Import's
	size      int64         // bytes on disk of the tickets and histories, indexes included
	perTenant float64       // heap bytes of the engine's tenant policies, per tenant
	events    int           // replies reported, each writer's count of them
}

// loadScale loads n tickets of n/perTenant tenants into a new store, as
// BenchmarkPostgresMillion says, and starts an engine on it.
func loadScale(b *testing.B, n int) *scale {
	db, ss := stores(b, backends[1], 1)
	sc := &scale{n: n, db: db, s: ss[0]}
	ctx := context.Background()
	if err := sc.s.Partitions(ctx, t0.AddDate(0, 3, 0)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	loaded, err := sc.s.Import(ctx, tenantTickets(b, n))
	if err != nil || loaded != n {
		b.Fatalf("imported %d of %d: %v", loaded, n, err)
	}
	sc.load = time.Since(start)
	for _, q := range []string{"VACUUM (ANALYZE) ladder_tickets, ladder_history", "CHECKPOINT"} {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.QueryRow("SELECT pg_total_relation_size('ladder_tickets') + " +
		"(SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'ladder_history'::regclass)").Scan(&sc.size); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sc.e, err = escalation.New(testPolicy(), escalation.WithClock(escalation.NewSimClock(t0)), escalation.WithStore(sc.s))
	if err != nil {
		b.Fatal(err)
	}
	tenants := n / perTenant
	for k := range tenants {
		p := testPolicy()
		p.Version = tenantName(k) + "-1"
		if err := sc.e.UseTenant(tenantName(k), p); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	sc.perTenant = float64(after.HeapAlloc-before.HeapAlloc) / float64(tenants)
	return sc
}

// entryBytes is the bytes a history entry takes on disk, with its index.
func entryBytes(b *testing.B, db *sql.DB) float64 {
	var bytes, rows float64
	if err := db.QueryRow("SELECT (SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'ladder_history'::regclass), "+
		"(SELECT COUNT(*) FROM ladder_history)").Scan(&bytes, &rows); err != nil {
		b.Fatal(err)
	}
	return bytes / rows
}

// walBytes is the server's write-ahead log position, in bytes.
func walBytes(b *testing.B, db *sql.DB) int64 {
	var at int64
	if err := db.QueryRow("SELECT pg_current_wal_lsn() - '0/0'").Scan(&at); err != nil {
		b.Fatal(err)
	}
	return at
}

// tenantTickets yields n open tickets of n/perTenant tenants, each a copy
// of one ticket opened and answered by the engine on testPolicy, on its tenant's
// policy version; ticket i is due in the first 10 seconds when i is even,
// a day later when odd.
func tenantTickets(b testing.TB, n int) iter.Seq2[escalation.History, error] {
	clk := escalation.NewSimClock(t0)
	mem := escalation.NewMemoryStore()
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(mem))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// Answered already, so that each reply the benchmark reports costs
	// the same, whether the ticket had one before (2,000 tickets) or not
	// (a million): the first reply meets the first-response goal.
	for _, kind := range []escalation.EventKind{escalation.Opened, escalation.AgentReplied} {
		if err := e.Report(ctx, escalation.Event{Ticket: "template", Kind: kind, At: t0, Impact: "high", Urgency: "low"}); err != nil {
			b.Fatal(err)
		}
	}
	template, err := mem.Load(ctx, "template")
	if err != nil {
		b.Fatal(err)
	}
	entries, err := mem.History(ctx, "template")
	if err != nil {
		b.Fatal(err)
	}
	return func(yield func(escalation.History, error) bool) {
		for i := range n {
			st := template.Clone()
			tenant := tenantName(i / perTenant)
			st.ID = escalation.TicketKey(tenant, fmt.Sprintf("T-%04d", i%perTenant))
			st.Policy = tenant + "-1"
			st.Due = t0.Add(time.Duration(i%10) * time.Second)
			if i%2 == 1 {
				st.Due = st.Due.Add(24 * time.Hour)
			}
			if !yield(escalation.History{State: st, Entries: entries}, nil) {
				return
			}
		}
	}
}

// tenantName is the name of the k-th tenant of tenantTickets.
func tenantName(k int) string { return fmt.Sprintf("desk-%04d", k) }

// benchClaim is one Due claiming 1,000 due tickets, again and again.
func benchClaim(b *testing.B, s *sqlstore.Store) {
	b.ReportAllocs()
	for b.Loop() {
		claim1000(b, s)
	}
}

// claim1000 is one Due claiming 1,000 due tickets: the store's own
// claims do not stop it, so each time it claims the same thousand.
func claim1000(b *testing.B, s *sqlstore.Store) {
	ids, _, err := s.Due(context.Background(), t0.Add(time.Minute), 1000)
	if err != nil || len(ids) != 1000 {
		b.Fatalf("claimed %d, %v", len(ids), err)
	}
}

// writers and burst are how many goroutines report the replies of
// pairEvents at once, and how many each reports in a burst.
const writers, burst = 16, 16

// pairEvents reports agents' replies through the engines of small and
// large in turn, a burst of writers x burst replies on each per
// iteration, each writer going through span of a store's tickets, spread
// evenly over them.
func pairEvents(b *testing.B, small, large *scale, span int) {
	var took [2]time.Duration
	var wal [2]int64
	b.ReportAllocs()
	for b.Loop() {
		for i, sc := range []*scale{small, large} {
			at := walBytes(b, sc.db)
			start := time.Now()
			sc.burst(b, min(span, sc.n))
			took[i] += time.Since(start)
			wal[i] += walBytes(b, sc.db) - at
		}
	}
	events := float64(b.N * writers * burst)
	b.ReportMetric(events/took[0].Seconds(), "small-events/s")
	b.ReportMetric(events/took[1].Seconds(), "large-events/s")
	b.ReportMetric(took[1].Seconds()/took[0].Seconds(), "large/small")
	b.ReportMetric(float64(wal[0])/events, "small-WAL-B/event")
	b.ReportMetric(float64(wal[1])/events, "large-WAL-B/event")
}

// burst reports writers x burst replies at once, each writer on tickets
// of its own among span of the store's, spread evenly over them, every
// ticket of the span in turn over the bursts.
func (sc *scale) burst(b *testing.B, span int) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for j := range burst {
				k := sc.events + j
				i := (w + writers*k*7919) % span * (sc.n / span) // 7919 is prime: every ticket of the span in turn
				id := escalation.TicketKey(tenantName(i/perTenant), fmt.Sprintf("T-%04d", i%perTenant))
				if err := sc.e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.AgentReplied, At: t0}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	sc.events += burst
}
