package sla_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// A first-response timer on business hours, paused while the ticket waits
// on the customer: the due time moves by exactly the business time the
// pause overlapped.
func ExampleTimer() {
	office, _ := sla.NewCalendar(sla.CalendarSpec{Location: "Europe/Berlin", Week: map[string][]string{"mon-fri": {"08:00-18:00"}}})
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, 6, day, hour, minute, 0, 0, office.Location())
	}
	timer, _ := sla.NewTimer(sla.Target{Metric: "first_response", Goal: 8 * time.Hour, Calendar: "office", WarnPercent: []float64{75}}, office)

	show := func(now time.Time) {
		st := timer.Status(now)
		fmt.Printf("%s  %-8s used %-6v left %-7v due %s\n", now.Format("Mon 15:04"), st.State, st.Elapsed, st.Remaining, st.Due.Format("Mon 15:04"))
	}
	timer.Start(at(1, 14, 0)) // Monday
	show(at(1, 17, 0))
	timer.Pause(at(2, 9, 0)) // pending customer
	show(at(2, 12, 0))
	timer.Resume(at(2, 15, 0)) // the customer answered: 6 business hours stood still
	next, _ := timer.Next(at(2, 15, 0))
	fmt.Println("next:", next, "at", next.At.Format("Mon 15:04"))
	show(at(3, 12, 0))
	// Output:
	// Mon 17:00  running  used 3h0m0s left 5h0m0s  due Tue 12:00
	// Tue 12:00  paused   used 5h0m0s left 3h0m0s  due Tue 15:00
	// next: 75% at Tue 16:00
	// Wed 12:00  breached used 12h0m0s left -4h0m0s due Tue 18:00
}

// A next-response timer re-armed by each customer message after an agent
// reply; every finished cycle is kept with its outcome.
func ExampleTimer_NewCycle() {
	timer, _ := sla.NewTimer(sla.Target{Metric: "next_response", Goal: time.Hour}, nil) // around the clock
	at := func(hour, minute int) time.Time { return time.Date(2026, 6, 1, hour, minute, 0, 0, time.UTC) }
	for _, c := range [][2]time.Time{{at(9, 0), at(9, 40)}, {at(11, 0), at(12, 30)}, {at(14, 0), at(14, 5)}} {
		timer.NewCycle(c[0]) // the customer writes
		timer.Stop(c[1])     // an agent replies
	}
	for i, c := range timer.Cycles() {
		fmt.Printf("cycle %d: %v used of %v, late %v\n", i+1, c.Elapsed, c.Goal, c.Late)
	}
	st := timer.Status(at(15, 0))
	fmt.Printf("cycle %d: %v used, %s\n", st.Cycle, st.Elapsed, st.State)
	// Output:
	// cycle 1: 40m0s used of 1h0m0s, late false
	// cycle 2: 1h30m0s used of 1h0m0s, late true
	// cycle 3: 5m0s used, met
}

// A status writes its durations as Go duration strings; the time the
// clock stood still is reported apart: paused, and stopped before a reopen.
func ExampleStatus_MarshalJSON() {
	timer, _ := sla.NewTimer(sla.Target{Metric: "resolution", Goal: 8 * time.Hour}, nil) // around the clock
	at := func(hour, minute int) time.Time { return time.Date(2026, 6, 1, hour, minute, 0, 0, time.UTC) }
	timer.Start(at(9, 0))
	timer.Pause(at(10, 0)) // pending customer
	timer.Resume(at(10, 45))
	timer.Stop(at(12, 0))   // resolved
	timer.Reopen(at(14, 0)) // the customer says it is not fixed
	data, _ := json.Marshal(timer.Status(at(15, 30)))
	fmt.Println(string(data))
	// Output:
	// {"metric":"resolution","state":"running","cycle":1,"goal":"8h","elapsed":"3h45m","remaining":"4h15m","paused_for":"45m","resolved_for":"2h","percent":46.875,"due":"2026-06-01T19:45:00Z","breached":false}
}
