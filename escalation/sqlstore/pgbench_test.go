package sqlstore_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// pgbenchScale is the scale of pgbench's tables: 1,600,000 accounts and
// 16 branches, one per client, so that TPC-B's branch updates do not all
// wait on one row.
const pgbenchScale = 16

// pgbenchClients is how many clients pgbench runs, as many as the
// writers of BenchmarkPostgresEvent16.
const pgbenchClients = 16

// BenchmarkPgbench is PostgreSQL's own benchmark on the server the store's
// benchmarks use, the reference for BenchmarkPostgresEvent16: pgbench's
// TPC-B-like transaction (three updates, a select and an insert) and its
// simple-update one (one update, a select and an insert), from 16 clients
// on 2 threads, b.N transactions in all. Each op is one transaction; tps is
// pgbench's own figure. It is skipped when pgbench is not installed
// (.ci/postgres installs it with the server).
func BenchmarkPgbench(b *testing.B) {
	bin := pgbenchPath()
	if bin == "" {
		b.Skip("pgbench is not installed")
	}
	_, schema := postgresSchema(b)
	dsn := os.Getenv("LADDER_POSTGRES_DSN")
	env := append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command(bin, append(args, dsn)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return out, fmt.Errorf("pgbench %v: %v\n%s", args, err, out)
		}
		return out, nil
	}
	if _, err := run("-i", "-q", "-s", strconv.Itoa(pgbenchScale)); err != nil {
		b.Fatal(err)
	}
	for _, script := range []string{"tpcb-like", "simple-update"} {
		b.Run(script, func(b *testing.B) {
			perClient := (b.N + pgbenchClients - 1) / pgbenchClients
			b.ResetTimer()
			out, err := run("-n", "-b", script, "-c", strconv.Itoa(pgbenchClients), "-j", "2", "-t", strconv.Itoa(perClient))
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			m := pgbenchTPS.FindSubmatch(out)
			if m == nil {
				b.Fatalf("no tps in pgbench's output:\n%s", out)
			}
			tps, err := strconv.ParseFloat(string(m[1]), 64)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(tps, "tps")
			b.ReportMetric(pgbenchClients, "clients")
		})
	}
}

// pgbenchTPS finds the throughput in pgbench's report.
var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbenchPath is where pgbench is: on the PATH, or with the server
// Debian's packages install; "" when neither.
func pgbenchPath() string {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(found) == 0 {
		return ""
	}
	return found[len(found)-1]
}
