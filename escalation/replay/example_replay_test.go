package replay_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// exDesk returns a policy of three tiers on a 24x7 calendar where a P1
// has 4 hours to a resolution and a P2 24 hours, with levels for P1.
func exDesk(version, levels string) *escalation.Policy {
	p, err := escalation.ParsePolicy([]byte(`{
	  "name": "desk", "version": "` + version + `",
	  "tiers": ["frontline", "specialists", "engineering"],
	  "matrix": {
	    "impacts": ["high", "low"], "urgencies": ["high"], "grid": [["P1"], ["P2"]],
	    "priorities": [
	      {"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}], "levels": [` + levels + `]},
	      {"name": "P2", "goals": [{"metric": "resolution", "target": "24h"}]}
	    ]
	  }
	}`))
	if err != nil {
		panic(err)
	}
	return p
}

// exLog is a canonical log of two tickets; B's third row has a typo.
const exLog = `ticket,at,kind,priority,tier,actor,attr.customer.vip
A,2026-03-02T09:00:00Z,opened,P1,,ana,true
B,2026-03-02T09:00:00Z,opened,P2,,ana,false
B,2026-03-02T10:00:00Z,resolvd,,,bo,
A,2026-03-02T13:30:00Z,resolved,,,ana,
B,2026-03-02T13:30:00Z,resolved,,,ana,
`

// Open reads a log in a named format, gzip-compressed or not; a bad row is
// a *replay.RowError with its file, line and column, and reading goes on.
func ExampleOpen() {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte(exLog)); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	rd, err := replay.Open(&gz, "log.csv.gz", "ladder", exDesk("v1", ""))
	if err != nil {
		panic(err)
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		var re *replay.RowError
		if errors.As(err, &re) {
			fmt.Println("bad row:", re)
			continue
		}
		if err != nil {
			panic(err)
		}
		fmt.Println(row.Pos, row.Event.Ticket, row.Event.Kind, row.Event.At.Format("15:04"), row.Event.Attrs)
	}
	// Output:
	// log.csv.gz:2 A opened 09:00 map[customer:map[vip:true]]
	// log.csv.gz:3 B opened 09:00 map[customer:map[vip:false]]
	// bad row: replay: log.csv.gz:4:3 (kind): ticket "B": "resolvd" is not a kind: want one of opened, agent_replied, customer_replied, status_changed, fields_changed, resolved, reopened, closed, escalated, de_escalated
	// log.csv.gz:5 A resolved 13:30 map[]
	// log.csv.gz:6 B resolved 13:30 map[]
}

// Formats are the names Open takes.
func ExampleFormats() {
	fmt.Println(replay.Formats())
	// Output:
	// [bpic2013 ladder]
}

// WriteCSV writes rows as ladder's canonical log, the format a helpdesk
// exports for a backtest; CSVReader reads them back.
func ExampleWriteCSV() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rows := []replay.Row{
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Priority: "P1", Actor: "ana",
			Attrs: map[string]any{"customer": map[string]any{"name": "ACME, Inc.", "vip": true}, "seats": 250}}},
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: at.Add(45 * time.Minute), Tier: "specialists", Actor: "ana", Reason: "needs a DBA"}},
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Resolved, At: at.Add(3 * time.Hour), Actor: "bo"}},
	}
	if err := replay.WriteCSV(os.Stdout, rows); err != nil {
		panic(err)
	}
	// Output:
	// ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason,attr.customer.name,attr.customer.vip,attr.seats
	// T-1,2026-03-02T09:00:00Z,opened,,,,,,P1,ana,,"ACME, Inc.",true,250
	// T-1,2026-03-02T09:45:00Z,escalated,,specialists,,,,,ana,needs a DBA,,,
	// T-1,2026-03-02T12:00:00Z,resolved,,,,,,,bo,,,,
}

// exHalfway is a matrix level at half of a P1's resolution goal.
const exHalfway = `{"clock": "percent", "metric": "resolution", "percent": 50, "tier": "specialists", "notify": ["team_lead"]}`

// exReplay replays exLog through p, skipping the tickets of bad rows.
func exReplay(p *escalation.Policy) *replay.Result {
	rd, err := replay.Open(strings.NewReader(exLog), "log.csv", "ladder", p)
	if err != nil {
		panic(err)
	}
	res, err := replay.Run(context.Background(), rd, p, replay.Options{Lenient: true})
	if err != nil {
		panic(err)
	}
	return res
}

// Compare replays one log through two policies: v2 adds an automatic
// escalation at half of a P1's resolution goal. The bad row of B is
// skipped with its ticket (Lenient), and listed.
func ExampleCompare() {
	ctx := context.Background()
	a := exReplay(exDesk("v1", ""))
	b := exReplay(exDesk("v2", exHalfway))
	fmt.Println(a.Rows, "rows,", a.Events, "events,", a.Tickets, "ticket replayed")
	for _, sk := range a.Skipped {
		var re *replay.RowError
		if errors.As(sk.Err, &re) {
			fmt.Println("skipped", sk.Ticket, "for its row at", re.Pos)
		}
	}

	c, err := replay.Compare(ctx, a, b, report.Options{}, 5)
	if err != nil {
		panic(err)
	}
	for _, ch := range c.Changed {
		fmt.Printf("%s: highest tier %s -> %s, escalations %d -> %d, notifications %d -> %d, under-escalated %t -> %t\n",
			ch.Ticket, ch.A.HighestTier, ch.B.HighestTier, ch.A.Escalations, ch.B.Escalations,
			ch.A.Notifications, ch.B.Notifications, ch.A.Under, ch.B.Under)
	}
	// Output:
	// 5 rows, 2 events, 1 ticket replayed
	// skipped B for its row at log.csv:4
	// A: highest tier frontline -> specialists, escalations 0 -> 1, notifications 0 -> 1, under-escalated true -> false
}
