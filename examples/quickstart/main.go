// Command quickstart shows ladder's main job on one ticket: its SLA
// deadlines on a business calendar and around the clock, and how much
// business time it has left as the days go by.
//
//	go run ./examples/quickstart
package main

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// business.json is a calendar as a host would keep it: New York, Monday to
// Friday 09:00-17:00, the US federal holidays of 2026.
//
//go:embed business.json
var businessJSON []byte

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	var spec sla.CalendarSpec
	if err := json.Unmarshal(businessJSON, &spec); err != nil {
		return err
	}
	business, err := sla.NewCalendar(spec)
	if err != nil {
		return err
	}
	ny := business.Location()
	opened := time.Date(2026, 10, 30, 16, 30, 0, 0, ny) // a Friday, two days before the clocks go back
	// Each goal in business time, and the same goal around the clock: 4 hours
	// are 4 hours on both, 3 days are 3 x 8 open hours or 3 x 24 hours.
	goals := []struct {
		name            string
		business, clock time.Duration
	}{
		{"first response", 4 * time.Hour, 4 * time.Hour},
		{"resolution", 3 * 8 * time.Hour, 3 * 24 * time.Hour},
	}

	fmt.Fprintf(w, "Ticket opened %s\n\n", opened.Format(stamp))
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "goal\tbusiness hours\tdue\taround the clock\tdue")
	for _, g := range goals {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.name,
			short(g.business), business.Add(opened, g.business).Format(stamp),
			short(g.clock), sla.Always.Add(opened, g.clock).Format(stamp))
	}
	tw.Flush()

	// The SLA clocks of the ticket: a first reply on Monday 10:00, a wait
	// for the customer from Monday 11:00 to Tuesday 14:00 that pauses the
	// resolution clock, and a resolution on Wednesday 16:00.
	first, err := sla.NewTimer(sla.Target{Metric: "first_response", Goal: goals[0].business, Calendar: "business"}, business)
	if err != nil {
		return err
	}
	resolution, err := sla.NewTimer(sla.Target{Metric: "resolution", Goal: goals[1].business, Calendar: "business", WarnPercent: []float64{75}}, business)
	if err != nil {
		return err
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, ny) }
	steps := []struct {
		at   time.Time
		what string
		do   func() error
	}{
		{opened, "opened", func() error { return errors.Join(first.Start(opened), resolution.Start(opened)) }},
		{at(2, 10), "agent replied", func() error { return first.Stop(at(2, 10)) }},
		{at(2, 11), "pending customer", func() error { return resolution.Pause(at(2, 11)) }},
		{at(3, 14), "customer replied", func() error { return resolution.Resume(at(3, 14)) }},
		{at(4, 16), "resolved", func() error { return resolution.Stop(at(4, 16)) }},
	}
	fmt.Fprintln(w, "\nSLA status as the ticket moves")
	tw = tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "at\tevent\tfirst response\tresolution\tresolution due")
	for _, s := range steps {
		if err := s.do(); err != nil {
			return err
		}
		fr, res := first.Status(s.at), resolution.Status(s.at)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.at.Format(stamp), s.what, describe(fr), describe(res), res.Due.Format(stamp))
	}
	return tw.Flush()
}

// describe is a timer's state and what is left of its goal.
func describe(st sla.Status) string {
	return fmt.Sprintf("%s, %s left", st.State, short(st.Remaining))
}

const stamp = "Mon 2006-01-02 15:04 MST"

// short prints a duration without zero units: "3h30m", "-30m", "24h".
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
