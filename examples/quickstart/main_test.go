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
	// Business time left (negative: overdue)
	// at                         business hours   first response   resolution
	// Sat 2026-10-31 10:00 EDT   closed           3h30m            23h30m
	// Mon 2026-11-02 09:00 EST   open             3h30m            23h30m
	// Mon 2026-11-02 13:00 EST   open             -30m             19h30m
	// Wed 2026-11-04 16:00 EST   open             -19h30m          30m
}
