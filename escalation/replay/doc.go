// Package replay runs a real ticket log through a policy at full speed: it
// reads the log (ladder's canonical CSV, or a published format such as
// BPIC 2013), reports its events to a real escalation.Engine on a
// simulated clock that stops at every event and every due instant
// between them, and hands the histories to package report. Run it on two
// policies to see what a change would have done to last quarter's
// tickets.
//
//	f, err := os.Open("last-quarter.csv.gz") // gzip or plain
//	if err != nil {
//		return err
//	}
//	rd, err := replay.Open(f, f.Name(), "ladder", policy) // or "bpic2013"; see Formats
//	res, err := replay.Run(ctx, rd, policy, replay.Options{Lenient: true})
//	fmt.Println(res.Rows, "rows,", res.Events, "events,", res.Tickets, "tickets,", len(res.Skipped), "skipped")
//	r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}),
//		report.Options{Policies: []*escalation.Policy{policy}, By: []string{"priority"}, End: res.End})
//	err = r.WriteMarkdown(os.Stdout)
//
// To see what another policy would have done, replay the log again
// through it and Compare the two results.
package replay
