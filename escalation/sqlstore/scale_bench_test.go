package sqlstore_test

import (
	"context"
	"fmt"
	"iter"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
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
// 1,000 open tickets each, in one process and one PostgreSQL: the tickets
// are bulk-loaded with Import, and the engine has a policy of each
// tenant's own. Half the tickets are due in the first 10 seconds, half a
// day later, as in BenchmarkPostgresClaim1000. It runs at 2,000 tickets
// (2 tenants), the size of that benchmark, and at n (LADDER_MILLION_TICKETS,
// 1,000,000 by default), so the two are compared in one run:
//
//   - claim1000: one Due claiming 1,000 due tickets of every tenant at once;
//   - event16: an agent's reply through Engine.Report from 16 writers, on
//     tickets spread over the tenants, each in turn;
//   - event16-hot2000: the same on 2,000 of the tickets, spread over the
//     tenants: a working set of the size of the small store.
//
// After the load it runs VACUUM (ANALYZE) and CHECKPOINT, as an operator
// does after a bulk load.
//
// claim1000 also reports the load's tickets/s (Import) and the bytes the
// tickets and their histories take on disk, with their indexes; event16
// the heap the engine's tenant policies take, per tenant, the
// write-ahead log an event writes (the whole server's, so other work on
// it counts too), and the bytes a history entry takes on disk.
func BenchmarkPostgresMillion(b *testing.B) {
	for _, n := range []int{2 * perTenant, millionTickets(b)} {
		b.Run(fmt.Sprint("tickets=", n), func(b *testing.B) {
			db, ss := stores(b, backends[1], 1)
			s := ss[0]
			if err := s.Partitions(context.Background(), t0.AddDate(0, 3, 0)); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			loaded, err := s.Import(context.Background(), tenantTickets(b, n))
			if err != nil || loaded != n {
				b.Fatalf("imported %d of %d: %v", loaded, n, err)
			}
			load := time.Since(start)
			// What an operator does after a bulk load: VACUUM, so that
			// events do not pay for the new rows' hint bits and for
			// autovacuum's first pass over them, and a checkpoint, so that
			// the load's dirty pages are written before the events are
			// measured, at each size alike.
			for _, q := range []string{"VACUUM (ANALYZE) ladder_tickets, ladder_history", "CHECKPOINT"} {
				if _, err := db.Exec(q); err != nil {
					b.Fatalf("%s: %v", q, err)
				}
			}
			var size int64 // the tables and their indexes, on disk
			if err := db.QueryRow("SELECT pg_total_relation_size('ladder_tickets') + " +
				"(SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'ladder_history'::regclass)").Scan(&size); err != nil {
				b.Fatal(err)
			}
			b.Run("claim1000", func(b *testing.B) {
				benchClaim(b, s)
				b.ReportMetric(float64(n)/load.Seconds(), "imported/s")
				b.ReportMetric(float64(size)/float64(n), "disk-B/ticket")
			})
			b.Run("event16-hot2000", func(b *testing.B) { benchTenantEvents(b, s, n, 2*perTenant) })
			b.Run("event16", func(b *testing.B) {
				var before int64
				if err := db.QueryRow("SELECT pg_current_wal_lsn() - '0/0'").Scan(&before); err != nil {
					b.Fatal(err)
				}
				benchTenantEvents(b, s, n, n)
				var after int64
				if err := db.QueryRow("SELECT pg_current_wal_lsn() - '0/0'").Scan(&after); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(after-before)/float64(b.N), "WAL-B/event")
				var bytes, rows float64 // the history's, on disk, with its index
				if err := db.QueryRow("SELECT (SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'ladder_history'::regclass), "+
					"(SELECT COUNT(*) FROM ladder_history)").Scan(&bytes, &rows); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(bytes/rows, "disk-B/entry")
			})
		})
	}
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

// benchClaim is one Due claiming 1,000 due tickets, again and again: the
// store's own claims do not stop it, so each time it claims the same
// thousand.
func benchClaim(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		ids, _, err := s.Due(ctx, now, 1000)
		if err != nil || len(ids) != 1000 {
			b.Fatalf("claimed %d, %v", len(ids), err)
		}
	}
}

// benchTenantEvents reports agent replies from 16 writers through an
// engine that holds a policy for each of the n/perTenant tenants, each
// writer going through span of the n tickets, spread evenly over them:
// all of them, or a working set of a few, as a desk whose events fall on
// its recent tickets.
func benchTenantEvents(b *testing.B, s *sqlstore.Store, n, span int) {
	clk := escalation.NewSimClock(t0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(s))
	if err != nil {
		b.Fatal(err)
	}
	tenants := n / perTenant
	for k := range tenants {
		p := testPolicy()
		p.Version = tenantName(k) + "-1"
		if err := e.UseTenant(tenantName(k), p); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	ctx := context.Background()
	const writers = 16
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((writers + procs - 1) / procs)
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := int(next.Add(1) - 1)
		for k := 0; pb.Next(); k++ {
			i := (w + writers*k*7919) % span * (n / span) // 7919 is prime: every ticket of the span in turn
			id := escalation.TicketKey(tenantName(i/perTenant), fmt.Sprintf("T-%04d", i%perTenant))
			if err := e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.AgentReplied, At: t0}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(tenants), "B/tenant")
	runtime.KeepAlive(e)
}
