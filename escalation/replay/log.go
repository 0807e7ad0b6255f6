package replay

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/ladder-go/ladder/escalation"
)

// Row is one event of a log, with where it was read. Its Event's Attrs
// hold only the attributes the row sets (nested by path, as rules read
// them); the replay merges them into what the ticket has. Fields left
// empty keep what the ticket has.
type Row struct {
	Pos   Pos
	Event escalation.Event
}

// Pos is where a row was read: the file and its line, from 1.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// A Reader reads a log's rows in the log's order, which need not be the
// order of time across tickets; Read returns io.EOF after the last. A
// malformed row is a *RowError, after which Read goes on with the next
// row. Readers are not safe for concurrent use.
type Reader interface {
	Read() (Row, error)
}

// RowError is a row a reader or the replay could not take: where, which
// column, which ticket (when known), and why.
type RowError struct {
	Pos
	Column int    // from 1; 0 when the row as a whole is wrong
	Field  string // the column's name, when known
	Ticket string
	Err    error
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("replay: ")
	b.WriteString(e.Pos.String())
	if e.Column > 0 {
		fmt.Fprintf(&b, ":%d", e.Column)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " (%s)", e.Field)
	}
	if e.Ticket != "" {
		fmt.Fprintf(&b, ": ticket %q", e.Ticket)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *RowError) Unwrap() error { return e.Err }

// Ignorer is a Reader that reads rows it does not replay, such as a move
// of a closed ticket that a log format allows and ladder does not: it
// counts them by reason, for the replay's summary.
type Ignorer interface {
	Ignored() map[string]int
}

// Counter is a Reader that tells how many rows of the log it read, good or
// bad: a row it turned into two events, or into none, counts once.
type Counter interface {
	Rows() int
}

// Format makes a Reader for one log format: r is the log (already
// decompressed), file its name for messages, p the policy it will run on
// (a format may need its tiers). Adding a format is one file that
// registers its Format in an init function.
type Format func(r io.Reader, file string, p *escalation.Policy) (Reader, error)

// formats are the registered formats by name.
var formats = map[string]Format{}

// register adds a format; a name given twice is a programming error.
func register(name string, f Format) {
	if _, dup := formats[name]; dup {
		panic("replay: format " + name + " registered twice")
	}
	formats[name] = f
}

// Formats are the names of the formats Open reads, sorted.
func Formats() []string { return slices.Sorted(maps.Keys(formats)) }

// Open returns a Reader of the log r in the named format, decompressing a
// gzip stream transparently; file names the log in messages.
func Open(r io.Reader, file, format string, p *escalation.Policy) (Reader, error) {
	f, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("replay: unknown format %q: want one of %s", format, strings.Join(Formats(), ", "))
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", file, err)
		}
		return f(zr, file, p)
	}
	return f(br, file, p)
}
