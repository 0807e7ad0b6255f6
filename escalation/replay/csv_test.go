package replay_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
)

// csvAt is the instant s in RFC 3339.
func csvAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// csvResult is what one Read returned: a row, or an error's text.
type csvResult struct {
	Row replay.Row
	Err string
}

func csvOK(line int, ev escalation.Event) csvResult {
	return csvResult{Row: replay.Row{Pos: replay.Pos{File: "log.csv", Line: line}, Event: ev}}
}

func csvFail(text string) csvResult { return csvResult{Err: text} }

// csvReadAll reads rd to its end, checking each error is a *RowError.
func csvReadAll(t *testing.T, rd replay.Reader) []csvResult {
	t.Helper()
	var out []csvResult
	for range 1000 {
		row, err := rd.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			var re *replay.RowError
			if !errors.As(err, &re) {
				t.Fatalf("Read: %v is not a *RowError", err)
			}
			out = append(out, csvFail(err.Error()))
			continue
		}
		out = append(out, csvResult{Row: row})
	}
	t.Fatal("Read never returned io.EOF")
	return nil
}

// csvSameInstant compares times as instants.
var csvSameInstant = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// csvKinds lists the kinds in error messages.
const csvKinds = "opened, agent_replied, customer_replied, status_changed, fields_changed, resolved, reopened, closed, escalated, de_escalated"

func TestCSVReader(t *testing.T) {
	at := csvAt("2026-03-02T09:00:00+01:00")
	tests := []struct {
		name string
		log  string
		want []csvResult
	}{{
		name: "every column",
		log: "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,new,l1,billing,high,low,p2,ann,phoned in\n" +
			"T-1,2026-03-02T09:30:00.25+01:00,escalated,,l2,,,,,bob,\"angry, VIP\"\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Status: "new", Tier: "l1", Team: "billing",
				Impact: "high", Urgency: "low", Priority: "p2", Actor: "ann", Reason: "phoned in"}),
			csvOK(3, escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: at.Add(30*time.Minute + 250*time.Millisecond), Tier: "l2",
				Actor: "bob", Reason: "angry, VIP"}),
		},
	}, {
		name: "columns in any order",
		log: "reason,kind,attr.plan,ticket,tier,at\n" +
			"moved,de_escalated,gold,T-9,l1,2026-03-02T08:00:00Z\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-9", Kind: escalation.DeEscalated, At: csvAt("2026-03-02T08:00:00Z"), Tier: "l1", Reason: "moved",
				Attrs: map[string]any{"plan": "gold"}}),
		},
	}, {
		name: "attributes nested, JSON and plain",
		log: "ticket,at,kind,attr.customer.vip,attr.customer.name,attr.n,attr.tags,attr.note,attr.quoted,attr.nothing,attr.obj,attr.a.b.c\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,true,ACME Corp,12.5,\"[\"\"a\"\",1]\",{not json,\"\"\"true\"\"\",null,\"{\"\"x\"\":{\"\"y\"\":false}}\",deep\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Attrs: map[string]any{
				"customer": map[string]any{"vip": true, "name": "ACME Corp"},
				"n":        12.5,
				"tags":     []any{"a", 1.0},
				"note":     "{not json",
				"quoted":   "true",
				"nothing":  nil,
				"obj":      map[string]any{"x": map[string]any{"y": false}},
				"a":        map[string]any{"b": map[string]any{"c": "deep"}},
			}}),
		},
	}, {
		name: "empty cells keep",
		log: "ticket,at,kind,status,team,attr.customer.vip,attr.plan\n" +
			"T-1,2026-03-02T09:00:00+01:00,status_changed,,,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,fields_changed,,,,basic\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.StatusChanged, At: at}),
			csvOK(3, escalation.Event{Ticket: "T-1", Kind: escalation.FieldsChanged, At: at, Attrs: map[string]any{"plan": "basic"}}),
		},
	}, {
		name: "CRLF, a quoted line break, a blank line, a byte order mark",
		log: "\ufeffticket,at,kind,reason\r\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,\"two\r\nlines\"\r\n" +
			"\r\n" +
			"T-1,2026-03-02T09:00:00+01:00,agent_replied,\"three\r\n\r\nlines\"\r\n" +
			"T-1,2026-03-02T09:00:00+01:00,customer_replied,\r\n" +
			"T-1,yesterday,resolved,\r\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Reason: "two\nlines"}),
			csvOK(5, escalation.Event{Ticket: "T-1", Kind: escalation.AgentReplied, At: at, Reason: "three\n\nlines"}),
			csvOK(8, escalation.Event{Ticket: "T-1", Kind: escalation.CustomerReplied, At: at}),
			csvFail(`replay: log.csv:9:2 (at): ticket "T-1": "yesterday" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
		},
	}, {
		name: "a carriage return before a line feed in a quoted cell",
		log:  "ticket,at,kind,reason\nT-1,2026-03-02T09:00:00+01:00,opened,\"a\r\r\nb\rc\"\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Reason: "a\nb\rc"}),
		},
	}, {
		name: "no final line end",
		log:  "ticket,at,kind\nT-1,2026-03-02T09:00:00+01:00,closed",
		want: []csvResult{csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Closed, At: at})},
	}, {
		name: "instants",
		log: "ticket,at,kind\n" +
			"T-1,2026-03-02T09:00:00.123456789-05:30,opened\n" +
			"T-1,2026-03-02T09:00:00.1234567891Z,opened\n" +
			"T-1,2026-03-02T09:00:00,opened\n" +
			"T-1,2026-03-02 09:00:00Z,opened\n" +
			"T-1,2026-03-02T9:00:00Z,opened\n" +
			"T-1,2026-03-02T09:00:00,5Z,opened\n" +
			"T-1,2026-03-02T09:00:00.Z,opened\n" +
			"T-1,2026-03-02T09:00:00+24:00,opened\n" +
			"T-1,2026-03-02T09:00:00+01:60,opened\n" +
			"T-1,2026-02-30T09:00:00Z,opened\n" +
			"T-1,2026-03-02T09:00:00z,opened\n" +
			"T-1, 2026-03-02T09:00:00Z,opened\n",
		want: []csvResult{
			csvOK(2, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: csvAt("2026-03-02T09:00:00.123456789-05:30")}),
			csvOK(3, escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: csvAt("2026-03-02T09:00:00.123456789Z")}),
			csvFail(`replay: log.csv:4:2 (at): ticket "T-1": "2026-03-02T09:00:00" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:5:2 (at): ticket "T-1": "2026-03-02 09:00:00Z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:6:2 (at): ticket "T-1": "2026-03-02T9:00:00Z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:7: ticket "T-1": 4 fields, but the header has 3`),
			csvFail(`replay: log.csv:8:2 (at): ticket "T-1": "2026-03-02T09:00:00.Z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:9:2 (at): ticket "T-1": "2026-03-02T09:00:00+24:00" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:10:2 (at): ticket "T-1": "2026-03-02T09:00:00+01:60" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:11:2 (at): ticket "T-1": "2026-02-30T09:00:00Z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:12:2 (at): ticket "T-1": "2026-03-02T09:00:00z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:13:2 (at): ticket "T-1": " 2026-03-02T09:00:00Z" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
		},
	}, {
		name: "malformed rows, and Read goes on after each",
		log: "ticket,at,kind,tier,reason\n" +
			",2026-03-02T09:00:00+01:00,opened,,\n" +
			"T-1,,opened,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,bumped,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,handed_off,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,escalated,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,de_escalated,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,,,\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,,a\"b\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,,\"a\"b\"\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,,\"a\nb\nc\"d\n" +
			"T-1,2026-03-02T09:00:00+01:00,opened,,caf\xe9\n" +
			",yesterday,bumped,,\n" +
			"T-2,,escalated,,\xff\n" +
			"T-3,2026-03-02T09:00:00+01:00,closed,,fine\n",
		want: []csvResult{
			csvFail(`replay: log.csv:2:1 (ticket): empty: every row names its ticket`),
			csvFail(`replay: log.csv:3:2 (at): ticket "T-1": empty: want an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
			csvFail(`replay: log.csv:4:3 (kind): ticket "T-1": empty: want one of ` + csvKinds),
			csvFail(`replay: log.csv:5:3 (kind): ticket "T-1": "bumped" is not a kind: want one of ` + csvKinds),
			csvFail(`replay: log.csv:6:3 (kind): ticket "T-1": "handed_off" is not a kind: want one of ` + csvKinds),
			csvFail(`replay: log.csv:7:4 (tier): ticket "T-1": empty: escalated names the tier the ticket moves to`),
			csvFail(`replay: log.csv:8:4 (tier): ticket "T-1": empty: de_escalated names the tier the ticket moves to`),
			csvFail(`replay: log.csv:9: ticket "T-1": 3 fields, but the header has 5`),
			csvFail(`replay: log.csv:10: ticket "T-1": 6 fields, but the header has 5`),
			csvFail(`replay: log.csv:11: ticket "T-1": byte 40: bare " in non-quoted-field`),
			csvFail(`replay: log.csv:12: ticket "T-1": byte 41: extraneous or missing " in quoted-field`),
			csvFail(`replay: log.csv:13: ticket "T-1": line 15, byte 2: extraneous or missing " in quoted-field`),
			csvFail(`replay: log.csv:16:5 (reason): ticket "T-1": "caf\xe9" is not valid UTF-8`),
			csvFail("replay: log.csv:17:1 (ticket): empty: every row names its ticket\n" +
				`column 2 (at): "yesterday" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00` + "\n" +
				`column 3 (kind): "bumped" is not a kind: want one of ` + csvKinds),
			csvFail("replay: log.csv:18:2 (at): ticket \"T-2\": empty: want an RFC 3339 instant such as 2026-03-02T09:00:00+01:00\n" +
				"column 4 (tier): empty: escalated names the tier the ticket moves to\n" +
				`column 5 (reason): "\xff" is not valid UTF-8`),
			csvOK(19, escalation.Event{Ticket: "T-3", Kind: escalation.Closed, At: at, Reason: "fine"}),
		},
	}, {
		name: "an escalation in a log with no tier column",
		log:  "ticket,at,kind\nT-1,2026-03-02T09:00:00+01:00,escalated\n",
		want: []csvResult{
			csvFail(`replay: log.csv:2:3 (kind): ticket "T-1": escalated names the tier the ticket moves to, and the log has no tier column`),
		},
	}, {
		name: "a ticket that is not UTF-8",
		log:  "ticket,at,kind\nT\xff,yesterday,opened\n",
		want: []csvResult{
			csvFail("replay: log.csv:2:1 (ticket): \"T\\xff\" is not valid UTF-8\n" +
				`column 2 (at): "yesterday" is not an RFC 3339 instant such as 2026-03-02T09:00:00+01:00`),
		},
	}, {
		name: "a header only",
		log:  "ticket,at,kind\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := replay.NewCSVReader(strings.NewReader(tt.log), "log.csv")
			if err != nil {
				t.Fatal(err)
			}
			got := csvReadAll(t, rd)
			if diff := cmp.Diff(tt.want, got, csvSameInstant); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCSVReaderOffset checks an instant keeps the offset it was written
// with.
func TestCSVReaderOffset(t *testing.T) {
	rd, err := replay.NewCSVReader(strings.NewReader("ticket,at,kind\nT-1,2026-03-02T09:00:00.5-05:30,opened\n"), "log.csv")
	if err != nil {
		t.Fatal(err)
	}
	row, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := row.Event.At.Format(time.RFC3339Nano), "2026-03-02T09:00:00.5-05:30"; got != want {
		t.Errorf("At = %s, want %s", got, want)
	}
}

// TestCSVRowError checks the fields of a malformed row's *RowError, and
// that the problems it joins are reachable one by one.
func TestCSVRowError(t *testing.T) {
	log := "ticket,at,kind,tier\n" +
		"T-1,2026-03-02T09:00:00+01:00,opened,\n" +
		"\"T-\n2\",soon,bumped,\n" +
		"T-3,2026-03-02T09:00:00+01:00\n" +
		"T-4,2026-03-02T09:00:00+01:00,de_escalated,\n"
	rd, err := replay.NewCSVReader(strings.NewReader(log), "log.csv")
	if err != nil {
		t.Fatal(err)
	}
	type fields struct {
		Line, Column  int
		Field, Ticket string
		Problems      int
	}
	var got []fields
	for {
		_, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			continue
		}
		var re *replay.RowError
		if !errors.As(err, &re) {
			t.Fatalf("%v is not a *RowError", err)
		}
		n := 1
		if j, ok := re.Err.(interface{ Unwrap() []error }); ok {
			n = len(j.Unwrap())
		}
		got = append(got, fields{re.Line, re.Column, re.Field, re.Ticket, n})
	}
	want := []fields{
		{Line: 3, Column: 2, Field: "at", Ticket: "T-\n2", Problems: 2},
		{Line: 5, Column: 0, Field: "", Ticket: "T-3", Problems: 1},
		{Line: 6, Column: 4, Field: "tier", Ticket: "T-4", Problems: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row errors (-want +got):\n%s", diff)
	}
}

func TestCSVHeader(t *testing.T) {
	const want = "want ticket, at, kind, status, tier, team, impact, urgency, priority, actor, reason or attr.<path>"
	tests := []struct {
		name, log    string
		err          string
		line, column int
	}{{
		name: "empty",
		log:  "",
		err:  "replay: log.csv:1: empty log: want a header row naming the columns, at least ticket, at and kind",
		line: 1,
	}, {
		name: "blank lines only",
		log:  "\n\r\n\n",
		err:  "replay: log.csv:1: empty log: want a header row naming the columns, at least ticket, at and kind",
		line: 1,
	}, {
		name: "a byte order mark only",
		log:  "\ufeff",
		err:  "replay: log.csv:1: empty log: want a header row naming the columns, at least ticket, at and kind",
		line: 1,
	}, {
		name: "missing columns, all at once",
		log:  "at,status\nT-1,x\n",
		err:  `replay: log.csv:1: missing required columns "ticket", "kind"`,
		line: 1,
	}, {
		name: "one missing column",
		log:  "ticket,kind,status\n",
		err:  `replay: log.csv:1: missing required column "at"`,
		line: 1,
	}, {
		name:   "unknown column",
		log:    "ticket,at,kind,colour\n",
		err:    `replay: log.csv:1:4 (colour): unknown column "colour": ` + want,
		line:   1,
		column: 4,
	}, {
		name:   "a name in the wrong case",
		log:    "Ticket,at,kind,ticket\n",
		err:    `replay: log.csv:1:1 (Ticket): unknown column "Ticket": names are case-sensitive, want "ticket"`,
		line:   1,
		column: 1,
	}, {
		name:   "a column with no name",
		log:    "ticket,at,kind,\n",
		err:    `replay: log.csv:1:4: a column with no name: ` + want,
		line:   1,
		column: 4,
	}, {
		name:   "duplicate",
		log:    "ticket,at,kind,tier,at\n",
		err:    `replay: log.csv:1:5 (at): column "at" appears twice (columns 2 and 5)`,
		line:   1,
		column: 5,
	}, {
		name:   "duplicate attribute",
		log:    "ticket,at,kind,attr.a,attr.a\n",
		err:    `replay: log.csv:1:5 (attr.a): column "attr.a" appears twice (columns 4 and 5)`,
		line:   1,
		column: 5,
	}, {
		name:   "empty attribute path",
		log:    "ticket,at,kind,attr.\n",
		err:    `replay: log.csv:1:4 (attr.): no attribute path after "attr."`,
		line:   1,
		column: 4,
	}, {
		name: "empty segments",
		log:  "ticket,at,kind,attr.a..b,attr..a,attr.a.\n",
		err: `replay: log.csv:1:4 (attr.a..b): attribute path "a..b" has an empty segment` + "\n" +
			`column 5 (attr..a): attribute path ".a" has an empty segment` + "\n" +
			`column 6 (attr.a.): attribute path "a." has an empty segment`,
		line:   1,
		column: 4,
	}, {
		name: "a path inside another, either way round",
		log:  "ticket,at,kind,attr.customer.vip,attr.customer,attr.customer-id,attr.x,attr.x.y.z\n",
		err: `replay: log.csv:1:4 (attr.customer.vip): attribute path "customer.vip" is inside "customer" (attr.customer)` + "\n" +
			`column 8 (attr.x.y.z): attribute path "x.y.z" is inside "x" (attr.x)`,
		line:   1,
		column: 4,
	}, {
		name: "every problem at once, in column order, missing ones last",
		log:  "\n\ntikcet,at,attr.,tier,tier,attr.a,attr.a.b\n",
		err: `replay: log.csv:3:1 (tikcet): unknown column "tikcet": ` + want + "\n" +
			`column 3 (attr.): no attribute path after "attr."` + "\n" +
			`column 5 (tier): column "tier" appears twice (columns 4 and 5)` + "\n" +
			`column 7 (attr.a.b): attribute path "a.b" is inside "a" (attr.a)` + "\n" +
			`missing required columns "ticket", "kind"`,
		line:   3,
		column: 1,
	}, {
		name: "a header that is not CSV",
		log:  "ticket,\"at,kind\n",
		err:  `replay: log.csv:1: byte 17: extraneous or missing " in quoted-field`,
		line: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := replay.NewCSVReader(strings.NewReader(tt.log), "log.csv")
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.err {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.err)
			}
			var re *replay.RowError
			if !errors.As(err, &re) {
				t.Fatalf("%v is not a *RowError", err)
			}
			if re.Line != tt.line || re.Column != tt.column {
				t.Errorf("at %d:%d, want %d:%d", re.Line, re.Column, tt.line, tt.column)
			}
		})
	}
}

// csvRoundTripRows are rows to write and read back: every field, offsets
// and fractions, attributes nested, strings that look like JSON, and a
// path that is a value in one row and a map in another.
var csvRoundTripRows = []replay.Row{
	{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: csvAt("2026-03-02T09:00:00+01:00"),
		Status: "new", Tier: "l1", Team: "billing", Impact: "high", Urgency: "low", Priority: "p2", Actor: "ann", Reason: "phoned in",
		Attrs: map[string]any{
			"customer": map[string]any{"vip": true, "name": "ACME, \"the\" corp"},
			"n":        12.0,
			"big":      1e300,
			"neg":      -0.5,
			"tags":     []any{"a", 1.0, nil, map[string]any{"b.c": "d"}},
			"nothing":  nil,
		}}},
	{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: csvAt("2026-03-02T09:30:00.000000001-05:30"), Tier: "l2",
		Reason: "multi\nline, \"quoted\"\rreason",
		Attrs: map[string]any{
			"s": map[string]any{"true": "true", "12": "12", "null": "null", "empty": "", "quoted": `"q"`, "array": "[1]",
				"object": `{"a":1}`, "spaced": " 12 ", "crlf": "a\r\nb", "cr": "a\rb", "lf": "a\nb", "plain": "hello world",
				"html": "<b>&</b>", "brace": "{x", "unicode": "é\u2028", "leading": " x", "1e400": "1e400"},
			"customer": "ACME", // customer.vip in the row before: the column is attr.customer
		}}},
	{Event: escalation.Event{Ticket: "T 2", Kind: escalation.DeEscalated, At: csvAt("2026-03-02T23:59:59.999Z"), Tier: "l1",
		Attrs: map[string]any{
			"empty":  map[string]any{},
			"dotted": map[string]any{"a.b": 1.0},
			"x":      map[string]any{"y": map[string]any{"z": false}},
		}}},
	{Event: escalation.Event{Ticket: "T-3", Kind: escalation.Closed, At: csvAt("0000-01-01T00:00:00Z")}},
	{Event: escalation.Event{Ticket: "\\.", Kind: escalation.Resolved, At: csvAt("9999-12-31T23:59:59+23:59"), Actor: " lead "}},
}

func TestCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := replay.WriteCSV(&buf, csvRoundTripRows); err != nil {
		t.Fatal(err)
	}
	rd, err := replay.NewCSVReader(bytes.NewReader(buf.Bytes()), "log.csv")
	if err != nil {
		t.Fatalf("%v in\n%s", err, buf.Bytes())
	}
	var got []replay.Row
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%v in\n%s", err, buf.Bytes())
		}
		row.Pos = replay.Pos{}
		got = append(got, row)
	}
	if diff := cmp.Diff(csvRoundTripRows, got, csvSameInstant); diff != "" {
		t.Errorf("rows read back (-want +got):\n%s\nfrom\n%s", diff, buf.Bytes())
	}
	for i, row := range got {
		if g, w := row.Event.At.Format(time.RFC3339Nano), csvRoundTripRows[i].Event.At.Format(time.RFC3339Nano); g != w {
			t.Errorf("row %d: At = %s, want %s", i+1, g, w)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	rows := []replay.Row{
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: csvAt("2026-03-02T09:00:00+01:00"), Team: "billing",
			Attrs: map[string]any{"customer": map[string]any{"vip": true, "name": "ACME"}, "n": 12, "ok": "true"}}},
		{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: csvAt("2026-03-02T09:30:00.5+01:00"), Tier: "l2",
			Reason: "slow, \"very\"", Attrs: map[string]any{"note": "12", "plain": "twelve", "empty": "", "list": []string{"a", "<b>"}}}},
		{Event: escalation.Event{Ticket: "T-2", Kind: escalation.Closed, At: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}},
	}
	var buf bytes.Buffer
	if err := replay.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	want := "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason,attr.customer.name,attr.customer.vip,attr.empty,attr.list,attr.n,attr.note,attr.ok,attr.plain\n" +
		"T-1,2026-03-02T09:00:00+01:00,opened,,,billing,,,,,,ACME,true,,,12,,\"\"\"true\"\"\",\n" +
		"T-1,2026-03-02T09:30:00.5+01:00,escalated,,l2,,,,,,\"slow, \"\"very\"\"\",,,\"\"\"\"\"\",\"[\"\"a\"\",\"\"<b>\"\"]\",,\"\"\"12\"\"\",,twelve\n" +
		"T-2,2026-03-02T08:00:00Z,closed,,,,,,,,,,,,,,,,\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV wrote\n%s\nwant\n%s", got, want)
	}

	buf.Reset()
	if err := replay.WriteCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason\n"; got != want {
		t.Errorf("WriteCSV of no rows wrote %q, want %q", got, want)
	}
}

// TestWriteCSVOffset checks an offset RFC 3339 cannot write goes to UTC,
// the same instant.
func TestWriteCSVOffset(t *testing.T) {
	lmt := time.FixedZone("LMT", 19*60+32)
	rows := []replay.Row{{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: time.Date(1900, 1, 1, 12, 0, 0, 0, lmt)}}}
	var buf bytes.Buffer
	if err := replay.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason\nT-1,1900-01-01T11:40:28Z,opened,,,,,,,,\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

func TestWriteCSVErrors(t *testing.T) {
	at := csvAt("2026-03-02T09:00:00+01:00")
	tests := []struct {
		name string
		ev   escalation.Event
		err  string
	}{{
		name: "no ticket, kind or instant",
		ev:   escalation.Event{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		err: "replay: row 1 (ticket \"\"): ticket: empty\n" +
			"at: year 10000: RFC 3339 writes years 0000 to 9999\n" +
			`kind: "" is not a kind: want one of ` + csvKinds,
	}, {
		name: "a kind ladder makes",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.HandedOff, At: at},
		err:  `replay: row 1 (ticket "T-1"): kind: "handed_off" is not a kind: want one of ` + csvKinds,
	}, {
		name: "an escalation with no tier",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.Escalated, At: at},
		err:  `replay: row 1 (ticket "T-1"): tier: empty: escalated names the tier the ticket moves to`,
	}, {
		name: "text that is not UTF-8",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Reason: "caf\xe9", Attrs: map[string]any{"a": "\xff"}},
		err: "replay: row 1 (ticket \"T-1\"): reason: \"caf\\xe9\" is not valid UTF-8\n" +
			`attr.a: "\xff" is not valid UTF-8`,
	}, {
		name: "a value JSON cannot hold",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Attrs: map[string]any{"a": math.Inf(1)}},
		err:  `replay: row 1 (ticket "T-1"): attr.a: json: unsupported value: +Inf`,
	}, {
		name: "a dotted attribute name",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Attrs: map[string]any{"a.b": 1}},
		err:  `replay: row 1 (ticket "T-1"): attribute "a.b": an attribute's name must be neither empty nor dotted`,
	}, {
		name: "an empty attribute name",
		ev:   escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at, Attrs: map[string]any{"": 1}},
		err:  `replay: row 1 (ticket "T-1"): attribute "": an attribute's name must be neither empty nor dotted`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := replay.WriteCSV(io.Discard, []replay.Row{{Event: tt.ev}})
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.err {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.err)
			}
		})
	}
}

func TestCSVWriter(t *testing.T) {
	at := csvAt("2026-03-02T09:00:00Z")
	var buf bytes.Buffer
	w := replay.NewCSVWriter(&buf, []string{"plan", "customer.vip"})
	if err := w.Write(replay.Row{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Opened, At: at,
		Attrs: map[string]any{"customer": map[string]any{"vip": false}, "plan": map[string]any{"tier": "gold"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		attrs map[string]any
		err   string
	}{
		{map[string]any{"other": 1}, `replay: row 2 (ticket "T-1"): attribute "other" has no column`},
		{map[string]any{"customer": "ACME"}, `replay: row 3 (ticket "T-1"): attribute "customer" has no column: the columns hold attributes inside it`},
		{map[string]any{"customer": map[string]any{"name": "ACME", "vip": true}}, `replay: row 4 (ticket "T-1"): attribute "customer.name" has no column`},
	} {
		err := w.Write(replay.Row{Event: escalation.Event{Ticket: "T-1", Kind: escalation.FieldsChanged, At: at, Attrs: tt.attrs}})
		if err == nil || err.Error() != tt.err {
			t.Errorf("Write(%v) = %v, want %s", tt.attrs, err, tt.err)
		}
	}
	if err := w.Write(replay.Row{Event: escalation.Event{Ticket: "T-1", Kind: escalation.Closed, At: at}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason,attr.plan,attr.customer.vip\n" +
		"T-1,2026-03-02T09:00:00Z,opened,,,,,,,,,\"{\"\"tier\"\":\"\"gold\"\"}\",false\n" +
		"T-1,2026-03-02T09:00:00Z,closed,,,,,,,,,,\n"
	if got := buf.String(); got != want {
		t.Errorf("wrote\n%s\nwant\n%s", got, want)
	}

	w = replay.NewCSVWriter(io.Discard, []string{"a", "a.b", "", "c..d", "a"})
	wantErr := "replay: attribute columns: attribute path \"a\" appears twice\n" +
		"no attribute path after \"attr.\"\n" +
		"attribute path \"c..d\" has an empty segment\n" +
		"attribute path \"a.b\" is inside \"a\" (attr.a)"
	if err := w.Write(replay.Row{}); err == nil || err.Error() != wantErr {
		t.Errorf("Write = %v, want\n%s", err, wantErr)
	}
	if err := w.Flush(); err == nil || err.Error() != wantErr {
		t.Errorf("Flush = %v, want\n%s", err, wantErr)
	}
}

// csvFailWriter fails every write.
type csvFailWriter struct{}

func (csvFailWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCSVWriterFails(t *testing.T) {
	w := replay.NewCSVWriter(csvFailWriter{}, nil)
	if err := w.Flush(); err == nil || err.Error() != "replay: disk full" {
		t.Errorf("Flush = %v, want replay: disk full", err)
	}
	if err := w.Write(replay.Row{}); err == nil || err.Error() != "replay: disk full" {
		t.Errorf("Write after a failure = %v, want replay: disk full", err)
	}
}

// TestCSVOpen reads the sample log through Open, as format "ladder",
// plain and gzipped.
func TestCSVOpen(t *testing.T) {
	data, err := os.ReadFile("testdata/csv_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	want := []csvResult{
		{Row: replay.Row{Pos: replay.Pos{File: "csv_sample.csv", Line: 3}, Event: escalation.Event{Ticket: "INC-1", Kind: escalation.Opened,
			At: csvAt("2026-03-02T09:00:00+01:00"), Status: "new", Team: "network", Impact: "high", Urgency: "high", Actor: "portal",
			Reason: "VPN down,\nwhole office", Attrs: map[string]any{"customer": map[string]any{"name": "Fabrikam", "vip": true}, "region": "emea"}}}},
		{Row: replay.Row{Pos: replay.Pos{File: "csv_sample.csv", Line: 5}, Event: escalation.Event{Ticket: "INC-1", Kind: escalation.AgentReplied,
			At: csvAt("2026-03-02T09:12:30+01:00"), Actor: "ann"}}},
		{Row: replay.Row{Pos: replay.Pos{File: "csv_sample.csv", Line: 6}, Event: escalation.Event{Ticket: "INC-1", Kind: escalation.Escalated,
			At: csvAt("2026-03-02T10:00:00+01:00"), Tier: "specialists", Actor: "ann", Reason: "needs a network engineer"}}},
		{Row: replay.Row{Pos: replay.Pos{File: "csv_sample.csv", Line: 7}, Event: escalation.Event{Ticket: "INC-2", Kind: escalation.Opened,
			At: csvAt("2026-03-02T10:05:00Z"), Team: "billing", Impact: "low", Urgency: "medium", Actor: "mail",
			Attrs: map[string]any{"customer": map[string]any{"name": "Contoso", "vip": false}, "region": "amer"}}}},
		csvFail(`replay: csv_sample.csv:8:1 (kind): ticket "INC-2": "bounced" is not a kind: want one of ` + csvKinds),
		{Row: replay.Row{Pos: replay.Pos{File: "csv_sample.csv", Line: 9}, Event: escalation.Event{Ticket: "INC-1", Kind: escalation.Resolved,
			At: csvAt("2026-03-02T11:45:00+01:00"), Status: "solved", Actor: "bob"}}},
	}
	for _, in := range []struct {
		name string
		data []byte
	}{{"plain", data}, {"gzip", gz.Bytes()}} {
		t.Run(in.name, func(t *testing.T) {
			rd, err := replay.Open(bytes.NewReader(in.data), "csv_sample.csv", "ladder", nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, csvReadAll(t, rd), csvSameInstant); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleNewCSVReader() {
	const log = `ticket,at,kind,tier,attr.customer.vip,attr.customer.name,attr.seats
T-1,2026-03-02T09:00:00+01:00,opened,,true,ACME,250
T-1,2026-03-02T09:45:00+01:00,escalated,specialists,,,
T-2,2026-03-02T10:00:00.5Z,opened,,false,"Fabrikam, Inc.",12
`
	rd, err := replay.NewCSVReader(strings.NewReader(log), "log.csv")
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
		fmt.Println(row.Pos, ev.Ticket, ev.Kind, ev.At.Format(time.RFC3339Nano), ev.Attrs)
	}
	// Output:
	// log.csv:2 T-1 opened 2026-03-02T09:00:00+01:00 map[customer:map[name:ACME vip:true] seats:250]
	// log.csv:3 T-1 escalated 2026-03-02T09:45:00+01:00 map[]
	// log.csv:4 T-2 opened 2026-03-02T10:00:00.5Z map[customer:map[name:Fabrikam, Inc. vip:false] seats:12]
}

func BenchmarkCSVReader(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("ticket,at,kind,status,tier,team,actor,reason,attr.customer.vip,attr.customer.name,attr.seats\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "T-%d,2026-03-02T09:%02d:00+01:00,status_changed,open,,billing,ann,,true,ACME,%d\n", i/10, i%60, i)
	}
	b.ReportAllocs()
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		rd, err := replay.NewCSVReader(bytes.NewReader(buf.Bytes()), "log.csv")
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := rd.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
