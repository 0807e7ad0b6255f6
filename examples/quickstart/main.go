// Command quickstart shows ladder's main job on one ticket: its SLA
// deadlines on a business calendar and around the clock, and how much
// business time it has left as the days go by.
//
//	go run ./examples/quickstart
package main

import (
	_ "embed"
	"encoding/json"
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

	fmt.Fprintln(w, "\nBusiness time left (negative: overdue)")
	tw = tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "at\tbusiness hours\tfirst response\tresolution")
	for _, at := range []time.Time{
		time.Date(2026, 10, 31, 10, 0, 0, 0, ny), // Saturday: the clock stands still
		time.Date(2026, 11, 2, 9, 0, 0, 0, ny),   // Monday morning, after the clocks went back
		time.Date(2026, 11, 2, 13, 0, 0, 0, ny),  // first response is overdue
		time.Date(2026, 11, 4, 16, 0, 0, 0, ny),  // half an hour of resolution left
	} {
		used := business.Between(opened, at)
		open := "closed"
		if business.IsOpen(at) {
			open = "open"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", at.Format(stamp), open,
			short(goals[0].business-used), short(goals[1].business-used))
	}
	return tw.Flush()
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
