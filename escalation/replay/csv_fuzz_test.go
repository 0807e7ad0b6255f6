package replay_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ladder-go/ladder/escalation/replay"
)

// FuzzCSVReader reads arbitrary bytes as a canonical log: nothing panics,
// each Read is a row, a *RowError or io.EOF, and the rows read, written
// with WriteCSV and read again, are the same rows.
func FuzzCSVReader(f *testing.F) {
	sample, err := os.ReadFile("testdata/csv_sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	for _, s := range []string{
		"",
		"\ufeff",
		"ticket,at,kind\n",
		"ticket,at,kind\nT-1,2026-03-02T09:00:00+01:00,opened\n",
		"kind,at,ticket,tier,reason\r\nescalated,2026-03-02T09:00:00.5Z,T-1,l2,\"a\r\nb\"\r\n,,,,\r\n",
		"ticket,at,kind,attr.a.b,attr.c,attr.d\nT-1,2026-03-02T09:00:00-05:30,opened,\"{\"\"x.y\"\":[1,null]}\",\"\"\"true\"\"\",12\n",
		"ticket,at,kind,attr.a\nT-1,2026-03-02T09:00:00Z,opened,\"\"\"a\\r\\nb\"\"\"\nT-2,2026-03-02T09:00:00Z,opened, 1e400 \n",
		"ticket,at,kind,reason\nT-1,2026-03-02T09:00:00Z,opened,\"x\r\r\ny\"\nT-1,x,y\nT-1,2026-03-02T09:00:00Z,closed,a\"b\n",
		"ticket,at,kind,attr.,attr.a..b,attr.c,attr.c.d,x,x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := replay.NewCSVReader(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var re *replay.RowError
			if !errors.As(err, &re) {
				t.Fatalf("NewCSVReader: %v is not a *RowError", err)
			}
			if re.Line < 1 || re.Column < 0 {
				t.Fatalf("NewCSVReader: %v at line %d, column %d", err, re.Line, re.Column)
			}
			return
		}
		rows := csvFuzzRead(t, rd, len(data), false)

		var buf bytes.Buffer
		if err := replay.WriteCSV(&buf, rows); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		rd, err = replay.NewCSVReader(bytes.NewReader(buf.Bytes()), "fuzz.csv")
		if err != nil {
			t.Fatalf("reading what WriteCSV wrote: %v\n%q", err, buf.Bytes())
		}
		again := csvFuzzRead(t, rd, buf.Len(), true)
		if diff := cmp.Diff(rows, again, csvSameInstant, cmpopts.IgnoreFields(replay.Row{}, "Pos")); diff != "" {
			t.Fatalf("rows read back (-first +again):\n%s\nwritten as\n%q", diff, buf.Bytes())
		}
		for i := range rows {
			if a, b := rows[i].Event.At.Format(time.RFC3339Nano), again[i].Event.At.Format(time.RFC3339Nano); a != b {
				t.Fatalf("row %d: At %s read back as %s", i+1, a, b)
			}
		}
	})
}

// csvFuzzRead reads rd to its end and returns the rows read, checking
// each error is a *RowError (none when strict) at a line of the log.
func csvFuzzRead(t *testing.T, rd *replay.CSVReader, size int, strict bool) []replay.Row {
	t.Helper()
	var rows []replay.Row
	for range size + 2 { // each Read takes a line at least
		row, err := rd.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			var re *replay.RowError
			if !errors.As(err, &re) {
				t.Fatalf("Read: %v is not a *RowError", err)
			}
			if strict {
				t.Fatalf("Read: %v", err)
			}
			if re.Line < 2 || re.Column < 0 || re.Err == nil {
				t.Fatalf("Read: %v at line %d, column %d", err, re.Line, re.Column)
			}
			_ = err.Error()
			continue
		}
		if row.Pos.Line < 2 || row.Event.Ticket == "" || row.Event.Kind == "" {
			t.Fatalf("Read: a row without its line, ticket or kind: %+v", row)
		}
		rows = append(rows, row)
	}
	t.Fatal("Read never returned io.EOF")
	return nil
}
