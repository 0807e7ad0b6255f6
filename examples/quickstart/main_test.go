package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The quickstart's output is part of ladder's contract with a newcomer:
// this pins it.
func Example() {
	if err := run(os.Stdout, ""); err != nil {
		panic(err)
	}
	// Output:
	// Policy acme-support 2026-01: one week in New York, Mon 2026-11-02 to Mon 2026-11-09
	//
	// Mon 09:00  VIP-1   opened frontline billing
	// Mon 09:00  VIP-1   started frontline -> specialists            matrix:P1 (start_tier)
	// Mon 09:00  VIP-1   notify account_manager                      vip-fast-lane (event:opened)
	// Mon 09:11  VIP-1   SLA warning first_response:75%
	// Mon 09:15  VIP-1   SLA BREACHED first_response
	// Mon 09:15  VIP-1   notify duty_manager                         first-response-breached (first_response:breach)
	// Mon 09:30  VIP-1   level skipped: already on tier specialists  matrix:P1[0] (in_tier:30m)
	// Mon 09:30  DUP-5   opened frontline billing
	// Mon 09:40  VIP-1   agent replied
	// Mon 09:40  VIP-1   met late first_response
	// Mon 09:45  DUP-5   closed
	// Mon 09:45  DUP-5   met first_response
	// Mon 09:45  DUP-5   met resolution
	// Mon 10:00  T-2     opened frontline billing
	// Mon 11:30  T-2     agent replied
	// Mon 11:30  T-2     met first_response
	// Mon 12:00  VIP-1   SLA warning resolution:75%
	// Mon 12:00  VIP-1   notify team_lead                            breach-warning (resolution:75%)
	// Mon 12:00  VIP-1   escalated specialists -> engineering        matrix:P1[1] (resolution:75%)
	// Mon 12:00  VIP-1   notify duty_manager                         matrix:P1[1] (resolution:75%)
	// Mon 12:30  VIP-1   resolved
	// Mon 12:30  VIP-1   met resolution
	// Mon 14:00  WAIT-3  opened frontline billing
	// Mon 14:20  WAIT-3  agent replied
	// Mon 14:20  WAIT-3  paused resolution
	// Mon 14:20  WAIT-3  met first_response
	// Tue 09:00  RE-4    opened frontline billing
	// Tue 10:00  RE-4    agent replied
	// Tue 10:00  RE-4    met first_response
	// Tue 10:30  RE-4    resolved
	// Tue 10:30  RE-4    met resolution
	// Tue 11:00  WAIT-3  customer replied
	// Tue 11:00  WAIT-3  resumed resolution
	// Tue 11:30  T-2     notify team_lead                            stale-ticket (idle:8h)
	// Tue 13:00  ESC-7   opened frontline billing
	// Tue 13:30  ESC-7   agent replied
	// Tue 13:30  ESC-7   met first_response
	// Tue 14:00  ESC-7   escalated frontline -> engineering          by bob: invoice totals wrong in the database
	// Tue 15:00  WAIT-3  SLA BREACHED next_response
	// Tue 16:40  WAIT-3  SLA warning resolution:75%
	// Tue 16:40  WAIT-3  notify team_lead                            breach-warning (resolution:75%)
	// Tue 16:40  WAIT-3  escalated frontline -> engineering          matrix:P2[1] (resolution:75%)
	// Tue 16:40  WAIT-3  notify duty_manager                         matrix:P2[1] (resolution:75%)
	// Wed 09:30  WAIT-3  resolved
	// Wed 09:30  WAIT-3  met resolution
	// Wed 09:30  WAIT-3  met late next_response
	// Wed 11:00  ESC-7   de-escalated engineering -> specialists     by eve: data fixed; specialists confirm with the customer
	// Wed 12:00  T-2     SLA warning resolution:75%
	// Wed 12:00  T-2     notify team_lead                            breach-warning (resolution:75%)
	// Wed 12:00  T-2     escalated frontline -> specialists          matrix:P3[0] (resolution:75%)
	// Wed 12:00  T-2     notify team_lead                            matrix:P3[0] (resolution:75%)
	// Wed 13:30  ESC-7   notify team_lead                            stale-ticket (idle:8h)
	// Wed 15:00  T-2     resolved
	// Wed 15:00  T-2     met resolution
	// Thu 09:00  RE-4    reopened
	// Thu 09:00  RE-4    reopened resolution
	// Thu 11:00  RE-4    agent replied
	// Thu 11:05  RE-4    resolved
	// Thu 11:05  RE-4    met resolution
	// Thu 14:00  ESC-7   resolved
	// Thu 14:00  ESC-7   met resolution
	// Fri 16:00  NET-6   opened frontline billing
	// Fri 16:00  NET-6   started billing -> network                  network-outage (event:opened)
	// Fri 16:45  NET-6   SLA warning first_response:75%
	// Fri 17:00  NET-6   SLA BREACHED first_response
	// Fri 17:00  NET-6   notify duty_manager                         first-response-breached (first_response:breach)
	// Fri 17:00  NET-6   escalated frontline -> specialists          matrix:P2[0] (first_response:100%)
	// Fri 17:00  NET-6   notify team_lead                            matrix:P2[0] (first_response:100%)
	//
	// Where the tickets stand on Mon 2026-11-09 09:00
	//
	// ticket  priority  tier         team     status    moves         first response        resolution         next
	// VIP-1   P1        engineering  billing  resolved  1 up          met late, 40m of 15m  met, 3h30m of 4h   -
	// DUP-5   P3        frontline    billing  closed    -             met, 15m of 4h        met, 15m of 24h    -
	// T-2     P3        specialists  billing  resolved  1 up          met, 1h30m of 4h      met, 21h of 24h    -
	// WAIT-3  P2        engineering  billing  resolved  1 up          met, 20m of 1h        met, 6h50m of 8h   -
	// RE-4    P4        frontline    billing  resolved  -             met, 1h of 8h         met, 3h35m of 40h  -
	// ESC-7   P3        specialists  billing  resolved  1 up, 1 down  met, 30m of 4h        met, 17h of 24h    -
	// NET-6   P2        specialists  network  open      1 up          breached Fri 17:00    running, 7h left   Mon 09:30 notify duty_manager
	//
	// The week's report
	//
	// | group | tickets | resolved | backlog | resolution | first_response | next_response | resolve p50 | resolve p90 | escalated | over | under | first tier | reopened | CSAT |
	// | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
	// | all | 7 | 6 | 1 | 100.0% (6/6) | 71.4% (5/7) | 0.0% (0/1) | 3h 30m | 2d 5h | 71.4% | 14.3% | 0.0% | 28.6% | 14.3% | - |
	// | priority P1 | 1 | 1 | 0 | 100.0% (1/1) | 0.0% (0/1) | - | 3h 30m | 3h 30m | 100.0% | 0.0% | 0.0% | 0.0% | 0.0% | - |
	// | priority P2 | 2 | 1 | 1 | 100.0% (1/1) | 50.0% (1/2) | 0.0% (0/1) | 1d 19h | 1d 19h | 100.0% | 0.0% | 0.0% | 0.0% | 0.0% | - |
	// | priority P3 | 3 | 3 | 0 | 100.0% (3/3) | 100.0% (3/3) | - | 2d 1h | 2d 5h | 66.7% | 33.3% | 0.0% | 33.3% | 0.0% | - |
	// | priority P4 | 1 | 1 | 0 | 100.0% (1/1) | 100.0% (1/1) | - | 1h 30m | 1h 30m | 0.0% | 0.0% | 0.0% | 100.0% | 100.0% | - |
	// | week 2026-W45 | 7 | 6 | 1 | 100.0% (6/6) | 71.4% (5/7) | 0.0% (0/1) | 3h 30m | 2d 5h | 71.4% | 14.3% | 0.0% | 28.6% | 14.3% | - |
	//
	// | rule | fired | failed | escalations | sent back down | breached anyway |
	// | --- | ---: | ---: | ---: | ---: | ---: |
	// | breach-warning | 3 | 0 | 0 | 0 | 0 |
	// | first-response-breached | 2 | 0 | 0 | 0 | 0 |
	// | matrix:P1[0] | 1 | 0 | 0 | 0 | 0 |
	// | matrix:P1[1] | 1 | 0 | 1 | 0 | 0 |
	// | matrix:P1[2] | 0 | 0 | 0 | 0 | 0 |
	// | matrix:P2[0] | 1 | 0 | 1 | 0 | 0 |
	// | matrix:P2[1] | 1 | 0 | 1 | 0 | 0 |
	// | matrix:P3[0] | 1 | 0 | 1 | 0 | 0 |
	// | matrix:P3[1] | 0 | 0 | 0 | 0 | 0 |
	// | matrix:P4[0] | 0 | 0 | 0 | 0 | 0 |
	// | network-outage | 1 | 0 | 0 | 0 | 0 |
	// | stale-ticket | 2 | 0 | 0 | 0 | 0 |
	// | vip-fast-lane | 1 | 0 | 0 | 0 | 0 |
	//
	// Never fired: matrix:P1[2], matrix:P3[1], matrix:P4[0].
}

// TestCharts checks that the charts the README shows are the ones the
// quickstart writes: go run ./examples/quickstart -charts docs/charts
// rewrites them.
func TestCharts(t *testing.T) {
	dir := t.TempDir()
	if err := run(io.Discard, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"attainment.svg", "flow.svg", "resolution.svg", "trend.svg"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "docs", "charts", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/charts/%s is not what the quickstart draws: run go run ./examples/quickstart -charts docs/charts", name)
		}
	}
}
