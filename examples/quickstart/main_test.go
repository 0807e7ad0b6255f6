package main

import "os"

// The quickstart's output is part of ladder's contract with a newcomer:
// this pins it.
func Example() {
	if err := run(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// Ticket opened Fri 2026-10-30 16:30 EDT
	//
	// goal             business hours   due                        around the clock   due
	// first response   4h               Mon 2026-11-02 12:30 EST   4h                 Fri 2026-10-30 20:30 EDT
	// resolution       24h              Wed 2026-11-04 16:30 EST   72h                Mon 2026-11-02 15:30 EST
	//
	// SLA status as the ticket moves
	// at                         event              first response     resolution             resolution due
	// Fri 2026-10-30 16:30 EDT   opened             running, 4h left   running, 24h left      Wed 2026-11-04 16:30 EST
	// Mon 2026-11-02 10:00 EST   agent replied      met, 2h30m left    running, 22h30m left   Wed 2026-11-04 16:30 EST
	// Mon 2026-11-02 11:00 EST   pending customer   met, 2h30m left    paused, 21h30m left    Wed 2026-11-04 16:30 EST
	// Tue 2026-11-03 14:00 EST   customer replied   met, 2h30m left    running, 21h30m left   Fri 2026-11-06 11:30 EST
	// Wed 2026-11-04 16:00 EST   resolved           met, 2h30m left    met, 11h30m left       Fri 2026-11-06 11:30 EST
}
