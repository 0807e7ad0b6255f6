package replay_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
)

// bpicHeader is the header row of the published log.
const bpicHeader = "SR Number;Change Date+Time;Status;Sub Status;Involved ST Function Div;Involved Org line 3;Involved ST;SR Latest Impact;Product;Country;Owner Country;Owner First Name"

// bpicLog is a log of the rows given, with the header, CRLF line ends.
func bpicLog(rows ...string) string {
	return bpicHeader + "\r\n" + strings.Join(rows, "\r\n") + "\r\n"
}

// bpicRow is a row of incident sr at 2012-04-02 hh:mm (+01:00) in status
// "Status/Sub Status", on team, changed by owner (Windows-1252), the other
// columns fixed.
func bpicRow(sr, hhmm, status, team, owner string) string {
	return bpicRowOC(sr, hhmm, status, team, owner, "Sweden")
}

// bpicRowOC is bpicRow with the Owner Country.
func bpicRowOC(sr, hhmm, status, team, owner, ownerCountry string) string {
	st, sub, _ := strings.Cut(status, "/")
	return fmt.Sprintf("%s;2012-04-02T%s:00+01:00;%s;%s;A_1;Org line A;%s;Medium;PROD1;se;%s;%s", sr, hhmm, st, sub, team, ownerCountry, owner)
}

// bpicAt is 2012-04-02 hh:mm +01:00.
func bpicAt(hhmm string) time.Time {
	t, err := time.Parse(time.RFC3339, "2012-04-02T"+hhmm+":00+01:00")
	if err != nil {
		panic(err)
	}
	return t
}

// bpicAttrs are the attributes of a bpicRow.
var bpicAttrs = map[string]any{"product": "PROD1", "country": "se"}

// readResult is what one Read returned: a row, or an error's text.
type readResult struct {
	Row replay.Row
	Err string
}

func ok(line int, ev escalation.Event) readResult {
	return readResult{Row: replay.Row{Pos: replay.Pos{File: "t.csv", Line: line}, Event: ev}}
}

func fail(text string) readResult { return readResult{Err: text} }

// readAll reads rd to its end.
func readAll(t *testing.T, rd replay.Reader) []readResult {
	t.Helper()
	var out []readResult
	for range 10_000 {
		row, err := rd.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			var re *replay.RowError
			if !errors.As(err, &re) {
				t.Fatalf("Read: %v is not a *RowError", err)
			}
			out = append(out, readResult{Err: err.Error()})
			continue
		}
		out = append(out, readResult{Row: row})
	}
	t.Fatal("Read never returned io.EOF")
	return nil
}

const (
	inProgress = "Accepted/In Progress"
	queued     = "Queued/Awaiting Assignment"
	waitUser   = "Accepted/Wait - User"
	resolvedSt = "Completed/Resolved"
	closedSt   = "Completed/Closed"
)

func TestBPIC2013Reader(t *testing.T) {
	three := []string{"l1", "l2", "l3"}
	opened := func(sr, hhmm, tier, team, status, actor string) escalation.Event {
		return escalation.Event{Ticket: sr, Kind: escalation.Opened, At: bpicAt(hhmm), Tier: tier, Team: team,
			Status: status, Priority: "medium", Actor: actor, Attrs: bpicAttrs}
	}
	ev := func(sr string, kind escalation.EventKind, hhmm, actor string) escalation.Event {
		return escalation.Event{Ticket: sr, Kind: kind, At: bpicAt(hhmm), Actor: actor}
	}
	with := func(e escalation.Event, set func(*escalation.Event)) escalation.Event { set(&e); return e }
	tests := []struct {
		name    string
		tiers   []string
		log     string
		want    []readResult
		ignored map[string]int
	}{{
		name:  "opened on a second-line team: a start by gravity",
		tiers: three,
		log:   bpicLog(bpicRow("1-1", "10:00", queued, "V5 2nd", "Anna")),
		want:  []readResult{ok(2, opened("1-1", "10:00", "l2", "V5 2nd", queued, "Anna"))},
	}, {
		name:  "escalated from first to second to third line",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", queued, "V5 2nd", "Anna"),
			bpicRow("1-1", "10:10", queued, "V13 2nd 3rd", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.Escalated, "10:05", "Anna"), func(e *escalation.Event) {
				e.Tier, e.Team, e.Status = "l2", "V5 2nd", queued
			})),
			ok(4, with(ev("1-1", escalation.Escalated, "10:10", "Bob"), func(e *escalation.Event) {
				e.Tier, e.Team = "l3", "V13 2nd 3rd"
			})),
		},
	}, {
		name:  "de-escalated from third to second to first line",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V5 3rd", "Anna"),
			bpicRow("1-1", "10:05", inProgress, "V5 2nd", "Anna"),
			bpicRow("1-1", "10:10", queued, "V30", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l3", "V5 3rd", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.DeEscalated, "10:05", "Anna"), func(e *escalation.Event) {
				e.Tier, e.Team = "l2", "V5 2nd"
			})),
			ok(4, with(ev("1-1", escalation.DeEscalated, "10:10", "Anna"), func(e *escalation.Event) {
				e.Tier, e.Team, e.Status = "l1", "V30", queued
			})),
		},
	}, {
		name:  "handed off on the same tier, with and without a status change",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", inProgress, "V31", "Anna"),
			bpicRow("1-1", "10:10", waitUser, "V32", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.FieldsChanged, "10:05", "Anna"), func(e *escalation.Event) { e.Team = "V31" })),
			ok(4, with(ev("1-1", escalation.StatusChanged, "10:10", "Bob"), func(e *escalation.Event) {
				e.Team, e.Status = "V32", waitUser
			})),
		},
	}, {
		name:  "wait statuses pass through; so does Unmatched",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", waitUser, "V30", "Anna"),
			bpicRow("1-1", "10:10", "Accepted/Wait - Vendor", "V30", "Anna"),
			bpicRow("1-1", "10:15", "Unmatched/Unmatched", "V30", "Anna"),
			bpicRow("1-1", "10:20", inProgress, "V30", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.StatusChanged, "10:05", "Anna"), func(e *escalation.Event) { e.Status = waitUser })),
			ok(4, with(ev("1-1", escalation.StatusChanged, "10:10", "Anna"), func(e *escalation.Event) { e.Status = "Accepted/Wait - Vendor" })),
			ok(5, with(ev("1-1", escalation.StatusChanged, "10:15", "Anna"), func(e *escalation.Event) { e.Status = "Unmatched/Unmatched" })),
			ok(6, with(ev("1-1", escalation.StatusChanged, "10:20", "Anna"), func(e *escalation.Event) { e.Status = inProgress })),
		},
	}, {
		name:  "resolved and closed; In Call resolves, Cancelled closes",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", resolvedSt, "V30", "Anna"),
			bpicRow("1-1", "10:10", closedSt, "V30", "Siebel"),
			bpicRow("1-2", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-2", "10:05", "Completed/In Call", "V30", "Anna"),
			bpicRow("1-2", "10:10", "Completed/Cancelled", "V30", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.Resolved, "10:05", "Anna"), func(e *escalation.Event) { e.Status = resolvedSt })),
			ok(4, with(ev("1-1", escalation.Closed, "10:10", "Siebel"), func(e *escalation.Event) { e.Status = closedSt })),
			ok(5, opened("1-2", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(6, with(ev("1-2", escalation.Resolved, "10:05", "Anna"), func(e *escalation.Event) { e.Status = "Completed/In Call" })),
			ok(7, with(ev("1-2", escalation.Closed, "10:10", "Anna"), func(e *escalation.Event) { e.Status = "Completed/Cancelled" })),
		},
	}, {
		name:  "a row that moves and resolves is the move, then the resolution",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", resolvedSt, "V5 2nd", "Anna"),
			bpicRow("1-2", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-2", "10:05", closedSt, "V31", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.Escalated, "10:05", "Anna"), func(e *escalation.Event) { e.Tier, e.Team = "l2", "V5 2nd" })),
			ok(3, with(ev("1-1", escalation.Resolved, "10:05", "Anna"), func(e *escalation.Event) { e.Status = resolvedSt })),
			ok(4, opened("1-2", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(5, with(ev("1-2", escalation.FieldsChanged, "10:05", "Bob"), func(e *escalation.Event) { e.Team = "V31" })),
			ok(5, with(ev("1-2", escalation.Closed, "10:05", "Bob"), func(e *escalation.Event) { e.Status = closedSt })),
		},
	}, {
		name:  "a row that reopens and moves is the reopen, then the move",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", resolvedSt, "V30", "Anna"),
			bpicRow("1-1", "10:10", inProgress, "V5 2nd", "Bob"),
			bpicRow("1-1", "10:15", closedSt, "V5 2nd", "Bob"),
			bpicRow("1-1", "10:20", queued, "V6 2nd", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.Resolved, "10:05", "Anna"), func(e *escalation.Event) { e.Status = resolvedSt })),
			ok(4, with(ev("1-1", escalation.Reopened, "10:10", "Bob"), func(e *escalation.Event) { e.Status = inProgress })),
			ok(4, with(ev("1-1", escalation.Escalated, "10:10", "Bob"), func(e *escalation.Event) { e.Tier, e.Team = "l2", "V5 2nd" })),
			ok(5, with(ev("1-1", escalation.Closed, "10:15", "Bob"), func(e *escalation.Event) { e.Status = closedSt })),
			// a reopen to another team on the same tier carries the team
			ok(6, with(ev("1-1", escalation.Reopened, "10:20", "Bob"), func(e *escalation.Event) { e.Status, e.Team = queued, "V6 2nd" })),
		},
	}, {
		name:  "moves of a resolved or closed ticket are ignored and counted",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", resolvedSt, "V30", "Anna"),
			bpicRow("1-1", "10:08", "Completed/In Call", "V30", "Anna"), // resolved again
			bpicRow("1-1", "10:10", resolvedSt, "V5 2nd", "Anna"),       // a move (and resolved again)
			bpicRow("1-1", "10:15", closedSt, "V5 2nd", "Bob"),          // a move, but it closes
			bpicRow("1-1", "10:20", closedSt, "V30", "Bob"),             // closed again
			bpicRow("1-1", "10:25", resolvedSt, "V31", "Bob"),           // a move (and closed again)
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.Resolved, "10:05", "Anna"), func(e *escalation.Event) { e.Status = resolvedSt })),
			ok(6, with(ev("1-1", escalation.Closed, "10:15", "Bob"), func(e *escalation.Event) { e.Status = closedSt })),
		},
		ignored: map[string]int{ // each row once, a move first
			"move of a resolved or closed ticket": 3,
			"resolved again without a reopen":     1,
			"completed row on a closed ticket":    1,
		},
	}, {
		name:  "a first row already completed opens, then resolves or closes",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", resolvedSt, "V5 2nd", "Anna"),
			bpicRow("1-2", "10:00", closedSt, "V30", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l2", "V5 2nd", "", "Anna")),
			ok(2, with(ev("1-1", escalation.Resolved, "10:00", "Anna"), func(e *escalation.Event) { e.Status = resolvedSt })),
			ok(3, opened("1-2", "10:00", "l1", "V30", "", "Bob")),
			ok(3, with(ev("1-2", escalation.Closed, "10:00", "Bob"), func(e *escalation.Event) { e.Status = closedSt })),
		},
	}, {
		name:  "an owner change is fields_changed with the actor, Windows-1252; the owner's country is no ticket attribute",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRowOC("1-1", "10:05", inProgress, "V30", "\xc5se", "SWEDEN"),
			bpicRowOC("1-1", "10:10", inProgress, "V30", "Bj\xf6rn", "SWEDEN"),
			bpicRowOC("1-1", "10:15", inProgress, "V30", "St\xe9phane \x80\x9f", ""), // an empty value sets nothing
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, ev("1-1", escalation.FieldsChanged, "10:05", "Åse")),
			ok(4, ev("1-1", escalation.FieldsChanged, "10:10", "Björn")),
			ok(5, ev("1-1", escalation.FieldsChanged, "10:15", "Stéphane €Ÿ")),
		},
	}, {
		name:  "a bad time is a RowError with its column; reading goes on",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			strings.Replace(bpicRow("1-1", "10:05", waitUser, "V30", "Anna"), "T10:05:00", " 10:05", 1),
			bpicRow("1-1", "10:10", waitUser, "V30", "Anna"),
			bpicRow("1-2", "25:00", inProgress, "V30", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			fail(`replay: t.csv:3:2 (Change Date+Time): ticket "1-1": bad time "2012-04-02 10:05+01:00": want RFC 3339, as 2012-04-02T10:00:00+01:00`),
			ok(4, with(ev("1-1", escalation.StatusChanged, "10:10", "Anna"), func(e *escalation.Event) { e.Status = waitUser })),
			fail(`replay: t.csv:5:2 (Change Date+Time): ticket "1-2": bad time "2012-04-02T25:00:00+01:00": want RFC 3339, as 2012-04-02T10:00:00+01:00`),
		},
	}, {
		name:  "a row earlier than its incident's previous row is a RowError",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:10", waitUser, "V30", "Anna"),
			bpicRow("1-1", "10:01", queued, "V5 2nd", "Anna"),
			bpicRow("1-1", "10:10", inProgress, "V30", "Anna"), // the same instant is in order
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.StatusChanged, "10:10", "Anna"), func(e *escalation.Event) { e.Status = waitUser })),
			fail(`replay: t.csv:4:2 (Change Date+Time): ticket "1-1": 2012-04-02T10:01:00+01:00 is before the incident's previous row (2012-04-02T10:10:00+01:00, line 3)`),
			ok(5, with(ev("1-1", escalation.StatusChanged, "10:10", "Anna"), func(e *escalation.Event) { e.Status = inProgress })),
		},
	}, {
		name:  "an incident whose rows are not contiguous",
		tiers: three,
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-2", "10:00", inProgress, "V30", "Bob"),
			bpicRow("1-1", "10:05", waitUser, "V30", "Anna"),
			bpicRow("1-2", "10:05", waitUser, "V30", "Bob"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(3, opened("1-2", "10:00", "l1", "V30", inProgress, "Bob")),
			fail(`replay: t.csv:4:1 (SR Number): ticket "1-1": the incident's rows are not contiguous: they ended at line 2`),
			ok(5, with(ev("1-2", escalation.StatusChanged, "10:05", "Bob"), func(e *escalation.Event) { e.Status = waitUser })),
		},
	}, {
		name:  "a row with too few fields, and one with no incident",
		tiers: three,
		log: bpicLog(
			"1-1;2012-04-02T10:00:00+01:00;Accepted;In Progress",
			";2012-04-02T10:00:00+01:00;Accepted;In Progress;A_1;Org line A;V30;Medium;PROD1;se;Sweden;Anna",
		),
		want: []readResult{
			fail(`replay: t.csv:2: ticket "1-1": the row has 4 fields, the header 12`),
			fail(`replay: t.csv:3:1 (SR Number): no incident number`),
		},
	}, {
		name:  "one tier: every team is on it, moves are hand-offs",
		tiers: []string{"desk"},
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			bpicRow("1-1", "10:05", queued, "V5 2nd", "Anna"),
			bpicRow("1-1", "10:10", queued, "V13 2nd 3rd", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "desk", "V30", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.StatusChanged, "10:05", "Anna"), func(e *escalation.Event) { e.Team, e.Status = "V5 2nd", queued })),
			ok(4, with(ev("1-1", escalation.FieldsChanged, "10:10", "Anna"), func(e *escalation.Event) { e.Team = "V13 2nd 3rd" })),
		},
	}, {
		name:  "two tiers: third-line teams are on the second",
		tiers: []string{"desk", "experts"},
		log: bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V5 3rd", "Anna"),
			bpicRow("1-1", "10:05", inProgress, "V5 2nd", "Anna"),
			bpicRow("1-1", "10:10", inProgress, "V30", "Anna"),
		),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "experts", "V5 3rd", inProgress, "Anna")),
			ok(3, with(ev("1-1", escalation.FieldsChanged, "10:05", "Anna"), func(e *escalation.Event) { e.Team = "V5 2nd" })),
			ok(4, with(ev("1-1", escalation.DeEscalated, "10:10", "Anna"), func(e *escalation.Event) { e.Tier, e.Team = "desk", "V30" })),
		},
	}, {
		name:  "LF line ends, no final line end, blank lines",
		tiers: three,
		log: bpicHeader + "\n" + bpicRow("1-1", "10:00", inProgress, "V30", "Anna") + "\n\n" +
			bpicRow("1-1", "10:05", waitUser, "V30", "Anna"),
		want: []readResult{
			ok(2, opened("1-1", "10:00", "l1", "V30", inProgress, "Anna")),
			ok(4, with(ev("1-1", escalation.StatusChanged, "10:05", "Anna"), func(e *escalation.Event) { e.Status = waitUser })),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := replay.NewBPIC2013Reader(strings.NewReader(tt.log), "t.csv", tt.tiers)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, rd)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.ignored, rd.Ignored(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Ignored (-want +got):\n%s", diff)
			}
			rows := -1 // the header
			for l := range strings.Lines(tt.log) {
				if strings.TrimRight(l, "\r\n") != "" {
					rows++
				}
			}
			if rd.Rows() != rows {
				t.Errorf("Rows() = %d, want %d", rd.Rows(), rows)
			}
		})
	}
}

// TestBPIC2013Columns checks the columns are found by name, in any order,
// with others among them, and the optional ones may be missing.
func TestBPIC2013Columns(t *testing.T) {
	log := "\xef\xbb\xbfOwner First Name;Note;Involved ST;Sub Status;Status;Change Date+Time;SR Number\r\n" +
		"Anna;x;V5 3rd;In Progress;Accepted;2012-04-02T10:00:00Z;1-1\r\n" +
		"Anna;y;V5 3rd;Resolved;Completed;2012-04-02T12:05:00.5+02:00;1-1\r\n"
	rd, err := replay.NewBPIC2013Reader(strings.NewReader(log), "t.csv", []string{"l1", "l2", "l3"})
	if err != nil {
		t.Fatal(err)
	}
	want := []readResult{
		ok(2, escalation.Event{Ticket: "1-1", Kind: escalation.Opened, At: time.Date(2012, 4, 2, 10, 0, 0, 0, time.UTC),
			Tier: "l3", Team: "V5 3rd", Status: inProgress, Actor: "Anna"}),
		ok(3, escalation.Event{Ticket: "1-1", Kind: escalation.Resolved, At: time.Date(2012, 4, 2, 10, 5, 0, 5e8, time.UTC),
			Status: resolvedSt, Actor: "Anna"}),
	}
	if diff := cmp.Diff(want, readAll(t, rd)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestBPIC2013ReaderErrors(t *testing.T) {
	tests := []struct {
		name  string
		log   string
		tiers []string
		want  string
	}{
		{"no tiers", bpicLog(), nil, "replay: bpic2013: the policy has no tiers"},
		{"empty", "", []string{"l1"}, "replay: t.csv: empty log: want a header row"},
		{"missing columns", "SR Number;Status;Status;Owner First Name\r\n", []string{"l1"},
			`replay: t.csv:1: not a BPIC 2013 incident log: column "Status" appears twice (columns 2 and 3); no column "Change Date+Time"; no column "Sub Status"; no column "Involved ST"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := replay.NewBPIC2013Reader(strings.NewReader(tt.log), "t.csv", tt.tiers)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestBPIC2013Open reads a gzipped log through Open, by the format's name.
func TestBPIC2013Open(t *testing.T) {
	if !slices.Contains(replay.Formats(), "bpic2013") {
		t.Fatalf("Formats() = %v: no bpic2013", replay.Formats())
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	io.WriteString(zw, bpicLog(bpicRow("1-1", "10:00", queued, "V5 2nd", "\xc5se")))
	zw.Close()
	rd, err := replay.Open(&z, "t.csv", "bpic2013", &escalation.Policy{Tiers: []string{"l1", "l2"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []readResult{ok(2, escalation.Event{Ticket: "1-1", Kind: escalation.Opened, At: bpicAt("10:00"), Tier: "l2", Team: "V5 2nd",
		Status: queued, Priority: "medium", Actor: "Åse", Attrs: bpicAttrs})}
	if diff := cmp.Diff(want, readAll(t, rd)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if _, ok := rd.(replay.Ignorer); !ok {
		t.Error("the bpic2013 reader is not an Ignorer")
	}
}

// sharedLog is the published BPIC 2013 incident log, from the package's
// directory.
const sharedLog = "../../../shared/data/bpic2013/incidents.csv.gz"

// TestBPIC2013SharedLog reads the whole published log and checks every
// ticket's events are ones an engine takes. The expected figures come
// from testdata/bpic2013_counts.py, an independent computation over the
// raw file (see its comment for how it was run).
func TestBPIC2013SharedLog(t *testing.T) {
	f, err := os.Open(sharedLog)
	if err != nil {
		t.Skipf("no shared log: %v", err)
	}
	defer f.Close()
	tiers := []string{"l1", "l2", "l3"}
	rd, err := replay.Open(f, "incidents.csv.gz", "bpic2013", &escalation.Policy{Tiers: tiers})
	if err != nil {
		t.Fatal(err)
	}
	check := lifecycle(tiers)
	var (
		events  int
		kinds   = map[escalation.EventKind]int{}
		places  = map[string]int{} // kind and tier of opened and tier moves
		tickets = map[string]bool{}
		lines   = map[int]bool{}
		actors  = map[string]bool{}
		maxLine int
	)
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if err := check(row); err != nil {
			t.Fatal(err)
		}
		ev := row.Event
		events++
		kinds[ev.Kind]++
		if ev.Tier != "" {
			places[string(ev.Kind)+" "+ev.Tier]++
		}
		tickets[ev.Ticket] = true
		lines[row.Pos.Line] = true
		actors[ev.Actor] = true
		maxLine = max(maxLine, row.Pos.Line)
	}
	// From testdata/bpic2013_counts.py.
	const (
		sourceRows     = 65_533
		wantTickets    = 7_554
		wantEvents     = 65_573
		rowsWithEvents = 65_496
		wantActors     = 1_440
	)
	if maxLine != sourceRows+1 {
		t.Errorf("last line with an event = %d, want %d (the header and %d rows)", maxLine, sourceRows+1, sourceRows)
	}
	if len(tickets) != wantTickets || events != wantEvents || len(lines) != rowsWithEvents || len(actors) != wantActors {
		t.Errorf("tickets, events, rows with events, actors = %d, %d, %d, %d; want %d, %d, %d, %d",
			len(tickets), events, len(lines), len(actors), wantTickets, wantEvents, rowsWithEvents, wantActors)
	}
	wantKinds := map[escalation.EventKind]int{
		escalation.Opened:        7_554,
		escalation.StatusChanged: 30_191,
		escalation.FieldsChanged: 8_419,
		escalation.Escalated:     3_245,
		escalation.DeEscalated:   1_754,
		escalation.Resolved:      8_125,
		escalation.Reopened:      580,
		escalation.Closed:        5_705,
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("events by kind (-want +got):\n%s", diff)
	}
	wantPlaces := map[string]int{
		"opened l1": 6_702, "opened l2": 704, "opened l3": 148,
		"escalated l2": 2_755, "escalated l3": 490,
		"de_escalated l1": 1_590, "de_escalated l2": 164,
	}
	if diff := cmp.Diff(wantPlaces, places); diff != "" {
		t.Errorf("opened and moves by tier (-want +got):\n%s", diff)
	}
	wantIgnored := map[string]int{
		"move of a resolved or closed ticket": 11,
		"resolved again without a reopen":     20,
		"completed row on a closed ticket":    6,
	}
	ig := rd.(replay.Ignorer).Ignored()
	if diff := cmp.Diff(wantIgnored, ig); diff != "" {
		t.Errorf("Ignored (-want +got):\n%s", diff)
	}
	// Nothing silent: every row without an event is counted as ignored
	// (and in this log no row that became an event lost a move, so the
	// two numbers are equal).
	total := 0
	for _, n := range ig {
		total += n
	}
	if without := sourceRows - len(lines); without != total {
		t.Errorf("%d rows made no event, %d are counted as ignored", without, total)
	}
	if n := rd.(*replay.BPIC2013Reader).Rows(); n != sourceRows {
		t.Errorf("Rows() = %d, want %d", n, sourceRows)
	}
}

// BenchmarkBPIC2013Read reads the whole published log from memory, as it
// is (gzip) and decompressed (plain); rows/s counts the log's rows, not
// the events they make.
func BenchmarkBPIC2013Read(b *testing.B) {
	gz, err := os.ReadFile(sharedLog)
	if err != nil {
		b.Skipf("no shared log: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	pol := &escalation.Policy{Tiers: []string{"l1", "l2", "l3"}}
	for _, bc := range []struct {
		name string
		data []byte
	}{{"gzip", gz}, {"plain", plain}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(plain)))
			rows := 0
			for b.Loop() {
				rd, err := replay.Open(bytes.NewReader(bc.data), "incidents.csv.gz", "bpic2013", pol)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := rd.Read()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				rows += rd.(*replay.BPIC2013Reader).Rows()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// lifecycle checks that each ticket's events are what an engine running
// a policy with tiers (and no rules) takes: opened first and once, no
// event but a reopen on a closed ticket, no move on a resolved one, moves
// the way their kind says, tiers only on opened and moves, instants in
// order. It returns the first problem.
func lifecycle(tiers []string) func(replay.Row) error {
	type ticket struct {
		tier             int
		team             string
		resolved, closed bool
		at               time.Time
	}
	tickets := map[string]*ticket{}
	return func(row replay.Row) error {
		ev := row.Event
		tk := tickets[ev.Ticket]
		tier := slices.Index(tiers, ev.Tier)
		if ev.Tier != "" && tier < 0 {
			return fmt.Errorf("%s: unknown tier %q", row.Pos, ev.Tier)
		}
		if ev.Kind == escalation.Opened {
			if tk != nil {
				return fmt.Errorf("%s: %s opened twice", row.Pos, ev.Ticket)
			}
			tickets[ev.Ticket] = &ticket{tier: max(tier, 0), team: ev.Team, at: ev.At}
			return nil
		}
		if tk == nil {
			return fmt.Errorf("%s: %s before opened", row.Pos, ev.Kind)
		}
		moving := ev.Team != "" && ev.Team != tk.team || ev.Kind == escalation.Escalated || ev.Kind == escalation.DeEscalated
		switch {
		case ev.At.Before(tk.at):
			return fmt.Errorf("%s: %s out of order", row.Pos, ev.Kind)
		case tk.closed && ev.Kind != escalation.Reopened:
			return fmt.Errorf("%s: %s on a closed ticket", row.Pos, ev.Kind)
		case ev.Kind == escalation.Reopened && !tk.closed && !tk.resolved:
			return fmt.Errorf("%s: reopened an open ticket", row.Pos)
		case tk.resolved && ev.Kind != escalation.Reopened && moving:
			return fmt.Errorf("%s: %s moves a resolved ticket", row.Pos, ev.Kind)
		case ev.Kind == escalation.Escalated && tier <= tk.tier, ev.Kind == escalation.DeEscalated && (tier < 0 || tier >= tk.tier):
			return fmt.Errorf("%s: %s from tier %d to %q", row.Pos, ev.Kind, tk.tier, ev.Tier)
		case ev.Tier != "" && ev.Kind != escalation.Escalated && ev.Kind != escalation.DeEscalated:
			return fmt.Errorf("%s: tier on %s", row.Pos, ev.Kind)
		}
		tk.at = ev.At
		if ev.Team != "" {
			tk.team = ev.Team
		}
		if ev.Tier != "" {
			tk.tier = tier
		}
		switch ev.Kind {
		case escalation.Resolved:
			tk.resolved = true
		case escalation.Closed:
			tk.closed = true
		case escalation.Reopened:
			tk.resolved, tk.closed = false, false
		}
		return nil
	}
}

// FuzzBPIC2013Reader reads any log: the reader never panics, comes to an
// end, fails only with *RowErrors, accounts for every row (an event, an
// error or a count in Ignored), and emits only events an engine takes.
func FuzzBPIC2013Reader(f *testing.F) {
	f.Add(bpicLog(
		bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
		bpicRow("1-1", "10:05", resolvedSt, "V5 2nd", "Anna"),
		bpicRow("1-1", "10:10", queued, "V5 3rd", "\xc5se"),
		bpicRow("1-1", "10:15", closedSt, "V30", "Bob"),
		bpicRow("1-1", "10:20", resolvedSt, "V31", "Bob"),
		bpicRow("1-2", "10:00", "Completed/In Call", "V13 2nd 3rd", "Bob"),
		bpicRow("1-2", "09:00", waitUser, "V30", "Bob"),
		bpicRow("1-1", "11:00", waitUser, "V30", "Bob"),
	))
	f.Add(bpicHeader + "\n1-1;x;;;;;;;;;;\n;;;\n\n")
	f.Add("SR Number;Change Date+Time;Status;Sub Status;Involved ST\n1-1;2012-04-02T10:00:00Z;Completed;Closed;V1 2nd\n1-1;2012-04-02T10:00:00Z;Queued;Wait;V1 3rd\n")
	tiers := []string{"l1", "l2", "l3"}
	f.Fuzz(func(t *testing.T, log string) {
		rd, err := replay.NewBPIC2013Reader(strings.NewReader(log), "f.csv", tiers)
		if err != nil {
			return
		}
		check := lifecycle(tiers)
		lines := map[int]bool{}
		for i := 0; ; i++ {
			if i > 2*len(log)+2 {
				t.Fatal("Read does not come to an end")
			}
			row, err := rd.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				var re *replay.RowError
				if !errors.As(err, &re) {
					t.Fatalf("Read: %v is not a *RowError", err)
				}
				lines[re.Line] = true
				continue
			}
			lines[row.Pos.Line] = true
			if err := check(row); err != nil {
				t.Fatal(err)
			}
		}
		ignored := 0
		for _, n := range rd.Ignored() {
			ignored += n
		}
		if len(lines)+ignored < rd.Rows() {
			t.Errorf("%d rows read, %d made events or errors, %d ignored", rd.Rows(), len(lines), ignored)
		}
	})
}

// FuzzBPIC2013Time checks the reader reads a time as time.Parse does with
// RFC 3339, its own fast path for the log's layout included: the same
// instant, or a *RowError on the column when time.Parse fails. The first
// row sets the date and offset the fast path reuses.
func FuzzBPIC2013Time(f *testing.F) {
	for _, at := range []string{
		"2012-04-02T10:00:00+01:00", "2012-04-02T23:59:59+01:00", "2012-04-02T10:00:00Z",
		"2012-04-03T00:00:00-03:30", "2012-02-29T10:00:00+01:00", "2011-02-29T10:00:00+01:00",
		"2012-04-31T10:00:00+01:00", "2012-13-02T10:00:00+01:00", "2012-04-02T24:00:00+01:00",
		"2012-04-02T10:60:00+01:00", "2012-04-02T10:00:60+01:00", "2012-04-02T10:00:00+24:00",
		"2012-04-02T10:00:00+01:60", "2012-04-02T10:00:00-00:00", "2012-04-02T10:00:00.1234Z",
		"2012-04-02T10:00:00.5+01:00", "2012-04-02 10:00:00+01:00", "2012-04-02t10:00:00z",
		"0000-01-01T00:00:00Z", "2012-04-02T10:00:00+0100", "+012-04-02T10:00:00+01:00",
		"2012-04-02T1a:00:00+01:00", "2012-04-02T10:00:00+01:00 ", "",
	} {
		f.Add(at)
	}
	f.Fuzz(func(t *testing.T, at string) {
		if strings.ContainsAny(at, ";\r\n") {
			return
		}
		log := bpicLog(
			bpicRow("1-1", "10:00", inProgress, "V30", "Anna"),
			fmt.Sprintf("1-2;%s;Accepted;In Progress;A_1;Org line A;V30;Medium;PROD1;se;Sweden;Anna", at),
		)
		rd, err := replay.NewBPIC2013Reader(strings.NewReader(log), "t.csv", []string{"l1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Read(); err != nil {
			t.Fatal(err)
		}
		row, err := rd.Read()
		want, perr := time.Parse(time.RFC3339, at)
		var re *replay.RowError
		switch {
		case perr == nil && err != nil:
			t.Fatalf("%q: %v; time.Parse reads %v", at, err, want)
		case perr == nil && !row.Event.At.Equal(want):
			t.Fatalf("%q: %v, want %v", at, row.Event.At, want)
		case perr != nil && err == nil:
			t.Fatalf("%q: %v; time.Parse fails: %v", at, row.Event.At, perr)
		case perr != nil && (!errors.As(err, &re) || re.Column != 2 || re.Field != "Change Date+Time"):
			t.Fatalf("%q: %v, want a *RowError on column 2", at, err)
		}
	})
}

func ExampleNewBPIC2013Reader() {
	log := bpicHeader + "\r\n" +
		"1-364285768;2010-03-31T15:59:42+01:00;Accepted;In Progress;A2_4;Org line A2;V30;Medium;PROD582;fr;France;Frederic\r\n" +
		"1-364285768;2010-03-31T16:45:48+01:00;Queued;Awaiting Assignment;A2_5;Org line A2;V5 3rd;Medium;PROD582;fr;France;Frederic\r\n" +
		"1-364285768;2010-04-06T16:44:07+01:00;Completed;Resolved;A2_5;Org line A2;V5 3rd;Medium;PROD582;fr;France;Anne Claire\r\n"
	rd, err := replay.NewBPIC2013Reader(strings.NewReader(log), "incidents.csv", []string{"frontline", "specialists", "engineering"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		ev := row.Event
		fmt.Printf("line %d: %s tier=%q team=%q status=%q actor=%q attrs=%v\n", row.Pos.Line, ev.Kind, ev.Tier, ev.Team, ev.Status, ev.Actor, ev.Attrs)
	}
	// Output:
	// line 2: opened tier="frontline" team="V30" status="Accepted/In Progress" actor="Frederic" attrs=map[country:fr product:PROD582]
	// line 3: escalated tier="engineering" team="V5 3rd" status="Queued/Awaiting Assignment" actor="Frederic" attrs=map[]
	// line 4: resolved tier="" team="" status="Completed/Resolved" actor="Anne Claire" attrs=map[]
}
