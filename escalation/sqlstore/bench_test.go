package sqlstore_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// BenchmarkSQLiteEvent is one ticket event end to end through
// Engine.Report on SQLite (the DSN of the package documentation): the
// ticket is loaded, an agent's reply applied, and the state saved with its
// history entry. One writer: SQLite serialises them.
func BenchmarkSQLiteEvent(b *testing.B) { benchEvent(b, backends[0], 1) }

// BenchmarkPostgresEvent is BenchmarkSQLiteEvent on PostgreSQL with four
// writers at once, each on a ticket of its own.
func BenchmarkPostgresEvent(b *testing.B) { benchEvent(b, backends[1], 4) }

// benchEvent reports agent replies through an engine on bk, from writers
// goroutines at once, each on a ticket of its own.
func benchEvent(b *testing.B, bk backend, writers int) {
	_, ss := stores(b, bk, 1)
	if err := ss[0].Partitions(context.Background(), t0.AddDate(0, 3, 0)); err != nil {
		b.Fatal(err)
	}
	clk := escalation.NewSimClock(t0)
	e, err := escalation.New(testPolicy(), escalation.WithClock(clk), escalation.WithStore(ss[0]))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// RunParallel runs parallelism x GOMAXPROCS goroutines: at least
	// writers of them, exactly writers on this project's two cores.
	procs := runtime.GOMAXPROCS(0)
	parallelism := (writers + procs - 1) / procs
	if writers > 1 {
		writers = parallelism * procs
	}
	for i := range writers {
		if err := e.Report(ctx, escalation.Event{Ticket: fmt.Sprint("T-", i), Kind: escalation.Opened, At: t0, Impact: "high", Urgency: "low"}); err != nil {
			b.Fatal(err)
		}
	}
	// reply is an agent's reply on an open ticket, at the same instant
	// each time.
	reply := func(id string) error {
		return e.Report(ctx, escalation.Event{Ticket: id, Kind: escalation.AgentReplied, At: t0})
	}
	b.ReportAllocs()
	if writers == 1 {
		for b.Loop() {
			if err := reply("T-0"); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		var next atomic.Int64
		b.SetParallelism(parallelism)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			id := fmt.Sprint("T-", next.Add(1)-1)
			for pb.Next() {
				if err := reply(id); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(writers), "writers")
}

// BenchmarkPostgresClaim1000 is one Due that claims 1,000 due tickets, of
// 2,000 tickets: the claim of a replica's batch at a busy instant.
func BenchmarkPostgresClaim1000(b *testing.B) {
	_, ss := stores(b, backends[1], 1)
	s := ss[0]
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < 2000; i += 4 {
				due := t0.Add(time.Duration(i%10) * time.Second) // due now
				if i%2 == 1 {
					due = due.Add(24 * time.Hour) // due tomorrow
				}
				save(b, s, fmt.Sprintf("T-%04d", i), 0, due)
			}
		})
	}
	wg.Wait()
	benchClaim(b, s)
}

// BenchmarkPostgresEvent16 is BenchmarkPostgresEvent with sixteen writers,
// the clients of the pgbench reference.
func BenchmarkPostgresEvent16(b *testing.B) { benchEvent(b, backends[1], 16) }
