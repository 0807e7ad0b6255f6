package replay

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ladder-go/ladder/escalation"
)

func init() {
	register("ladder", func(r io.Reader, file string, _ *escalation.Policy) (Reader, error) {
		return NewCSVReader(r, file)
	})
}

// The named columns of the canonical log, in the order WriteCSV writes
// them.
const (
	csvTicket = iota
	csvAt
	csvKind
	csvStatus
	csvTier
	csvTeam
	csvImpact
	csvUrgency
	csvPriority
	csvActor
	csvReason
	csvNamed
)

var csvNames = [csvNamed]string{
	"ticket", "at", "kind", "status", "tier", "team", "impact", "urgency", "priority", "actor", "reason",
}

// csvRequired are the columns every log has.
var csvRequired = [...]int{csvTicket, csvAt, csvKind}

// csvAttrPrefix starts the name of a column that sets an attribute.
const csvAttrPrefix = "attr."

// csvKinds are the kinds a row may have: those a host reports.
var csvKinds = []escalation.EventKind{
	escalation.Opened, escalation.AgentReplied, escalation.CustomerReplied, escalation.StatusChanged,
	escalation.FieldsChanged, escalation.Resolved, escalation.Reopened, escalation.Closed,
	escalation.Escalated, escalation.DeEscalated,
}

var (
	csvKindOf = func() map[string]escalation.EventKind {
		m := make(map[string]escalation.EventKind, len(csvKinds))
		for _, k := range csvKinds {
			m[string(k)] = k
		}
		return m
	}()
	csvKindList = func() string {
		s := make([]string, len(csvKinds))
		for i, k := range csvKinds {
			s[i] = string(k)
		}
		return strings.Join(s, ", ")
	}()
)

// csvExampleAt is the instant error messages show as the form of at.
const csvExampleAt = "2026-03-02T09:00:00+01:00"

// CSVReader reads ladder's canonical event log (format "ladder"), a CSV
// any helpdesk can export: UTF-8 (a byte order mark at its start is
// skipped), RFC 4180 (fields separated by commas, quoted with double
// quotes, CRLF or LF line ends, quoted fields may hold line breaks), one
// event a row after a header row that names the columns. Columns are
// found by their name, case-sensitive, in any order:
//
//	ticket    the ticket's id (required)
//	at        when it happened: an RFC 3339 instant with its offset,
//	          fractional seconds allowed: 2026-03-02T09:00:00+01:00,
//	          2026-03-02T08:00:00.250Z (required)
//	kind      opened, agent_replied, customer_replied, status_changed,
//	          fields_changed, resolved, reopened, closed, escalated or
//	          de_escalated (required)
//	status, tier, team, impact, urgency, priority, actor, reason
//	          the escalation.Event fields of those names; escalated and
//	          de_escalated need a tier
//	attr.<path>
//	          a ticket attribute, at a dotted path: attr.customer.vip sets
//	          {"customer": {"vip": ...}} in the event's Attrs
//
// An empty cell keeps what the ticket has: the field is left empty, the
// attribute absent. An attribute's cell is read as JSON when it parses as
// JSON (numbers, as float64, true, false, null, objects, arrays, quoted
// strings), else as the plain string it is. Inside a cell, a carriage
// return before a line feed is dropped, as encoding/csv does at the end
// of a line.
//
// The header is wrong, and NewCSVReader says why, when it lacks a
// required column, names a column twice or a column not listed here
// (other than attr.*), has an attribute path with an empty segment
// (attr., attr.a..b), or has two attribute paths one inside the other
// (attr.customer and attr.customer.vip).
//
// A row is malformed when its ticket is empty, its at is empty or not an
// RFC 3339 instant with an offset, its kind is not one of the kinds
// above, it escalates or de-escalates without a tier, a cell is not
// valid UTF-8, it has not as many fields as the header, or it is not
// RFC 4180 (a stray quote). Read returns a malformed row as a *RowError
// that lists all its problems and goes on with the next row. Time order
// and tier names are not checked here: the replay checks them.
//
// A CSVReader is not safe for concurrent use.
type CSVReader struct {
	cr    *csv.Reader
	file  string
	ncol  int           // fields in the header
	col   [csvNamed]int // each named column's index in a row, -1 when absent
	attrs []csvAttrCol  // the attribute columns, in the header's order
	cells []string      // scratch: the row's cells, cleaned
	bad   []bool        // scratch: which cells are not UTF-8
	probs []csvProblem  // scratch: the row's problems
	names []string      // the header's names, for messages
}

// csvAttrCol is an attribute column: its index and its path's segments.
type csvAttrCol struct {
	col  int
	path []string
}

// csvProblem is one problem of a row or the header: its column (index
// from 0; -1 for the row as a whole) and what is wrong.
type csvProblem struct {
	col int
	err error
}

// NewCSVReader reads and checks the header of the canonical log r (not
// compressed: Open decompresses) and returns a reader of its rows; file
// names the log in messages. A wrong header is a *RowError at the
// header's line that lists every problem; its Column is the first
// problem's. An error reading r is returned as it is, wrapped.
func NewCSVReader(r io.Reader, file string) (*CSVReader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	c := &CSVReader{cr: cr, file: file}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &RowError{Pos: Pos{file, 1}, Err: errors.New("empty log: want a header row naming the columns, at least ticket, at and kind")}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &RowError{Pos: Pos{file, pe.StartLine}, Err: csvSyntax(pe)}
		}
		return nil, fmt.Errorf("replay: %s: %w", file, err)
	}
	line, _ := cr.FieldPos(0)
	c.ncol = len(head)
	c.names = make([]string, len(head))
	for i := range c.col {
		c.col[i] = -1
	}
	var probs []csvProblem
	seen := make(map[string]int, len(head))
	var paths []string
	var pathCols []int
	for i, name := range head {
		name = csvClean(name)
		c.names[i] = name
		if j, dup := seen[name]; dup {
			probs = append(probs, csvProblem{i, fmt.Errorf("column %q appears twice (columns %d and %d)", name, j+1, i+1)})
			continue
		}
		seen[name] = i
		if p, ok := strings.CutPrefix(name, csvAttrPrefix); ok {
			paths = append(paths, p)
			pathCols = append(pathCols, i)
			continue
		}
		n := slices.Index(csvNames[:], name)
		if n < 0 {
			var err error
			switch k := slices.IndexFunc(csvNames[:], func(s string) bool { return strings.EqualFold(s, name) }); {
			case name == "":
				err = fmt.Errorf("a column with no name: want %s or attr.<path>", strings.Join(csvNames[:], ", "))
			case k >= 0:
				err = fmt.Errorf("unknown column %q: names are case-sensitive, want %q", name, csvNames[k])
			default:
				err = fmt.Errorf("unknown column %q: want %s or attr.<path>", name, strings.Join(csvNames[:], ", "))
			}
			probs = append(probs, csvProblem{i, err})
			continue
		}
		c.col[n] = i
	}
	for _, pp := range csvCheckPaths(paths) {
		probs = append(probs, csvProblem{pathCols[pp.col], pp.err})
	}
	var missing []string
	for _, n := range csvRequired {
		if c.col[n] < 0 {
			missing = append(missing, fmt.Sprintf("%q", csvNames[n]))
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		probs = append(probs, csvProblem{-1, fmt.Errorf("missing required column %s", missing[0])})
	default:
		probs = append(probs, csvProblem{-1, fmt.Errorf("missing required columns %s", strings.Join(missing, ", "))})
	}
	if len(probs) > 0 {
		return nil, c.rowError(line, "", probs)
	}
	for i, p := range paths {
		c.attrs = append(c.attrs, csvAttrCol{col: pathCols[i], path: strings.Split(p, ".")})
	}
	c.cells = make([]string, c.ncol)
	c.bad = make([]bool, c.ncol)
	return c, nil
}

// csvCheckPaths returns the problems of a list of attribute paths: not
// UTF-8, an empty segment, or a path inside another. Each problem's col
// is the index in paths of the path it is about.
func csvCheckPaths(paths []string) []csvProblem {
	var probs []csvProblem
	index := make(map[string]int, len(paths))
	for i, p := range paths {
		if !utf8.ValidString(p) {
			probs = append(probs, csvProblem{i, fmt.Errorf("attribute path %q is not valid UTF-8", p)})
			continue
		}
		if p == "" {
			probs = append(probs, csvProblem{i, errors.New("no attribute path after \"attr.\"")})
			continue
		}
		if slices.Contains(strings.Split(p, "."), "") {
			probs = append(probs, csvProblem{i, fmt.Errorf("attribute path %q has an empty segment", p)})
			continue
		}
		if _, dup := index[p]; !dup {
			index[p] = i
		}
	}
	for i, p := range paths {
		if index[p] != i {
			continue // bad, or a duplicate reported by the caller
		}
		for j := range len(p) {
			if p[j] != '.' {
				continue
			}
			if k, ok := index[p[:j]]; ok {
				probs = append(probs, csvProblem{i, fmt.Errorf("attribute path %q is inside %q (%s%s)", p, p[:j], csvAttrPrefix, paths[k])})
				break
			}
		}
	}
	return probs
}

// Read returns the next row, io.EOF after the last. A malformed row is a
// *RowError at the line where the row starts, naming its ticket when the
// ticket's cell is readable; its Err joins every problem of the row, the
// first with its column in the RowError, the others each saying their
// column; Read goes on with the next row after it. An error that is not
// a *RowError (the log could not be read) ends the log.
func (c *CSVReader) Read() (Row, error) {
	rec, err := c.cr.Read()
	if err == io.EOF {
		return Row{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return Row{}, fmt.Errorf("replay: %s: %w", c.file, err)
		}
		re := &RowError{Pos: Pos{c.file, pe.StartLine}}
		if t := c.col[csvTicket]; t < len(rec) {
			if s := csvClean(rec[t]); utf8.ValidString(s) {
				re.Ticket = s
			}
		}
		if pe.Err == csv.ErrFieldCount {
			re.Err = fmt.Errorf("%d fields, but the header has %d", len(rec), c.ncol)
		} else {
			re.Err = csvSyntax(pe)
		}
		return Row{}, re
	}
	line, _ := c.cr.FieldPos(0)
	probs := c.probs[:0]
	for i, s := range rec {
		s = csvClean(s)
		c.cells[i], c.bad[i] = s, !utf8.ValidString(s)
		if c.bad[i] {
			probs = append(probs, csvProblem{i, fmt.Errorf("%q is not valid UTF-8", s)})
		}
	}
	// cell is a named column's cell, "" when absent or not UTF-8.
	cell := func(n int) string {
		if i := c.col[n]; i >= 0 && !c.bad[i] {
			return c.cells[i]
		}
		return ""
	}
	ev := escalation.Event{
		Ticket:   cell(csvTicket),
		Status:   cell(csvStatus),
		Tier:     cell(csvTier),
		Team:     cell(csvTeam),
		Impact:   cell(csvImpact),
		Urgency:  cell(csvUrgency),
		Priority: cell(csvPriority),
		Actor:    cell(csvActor),
		Reason:   cell(csvReason),
	}
	if ev.Ticket == "" && !c.bad[c.col[csvTicket]] {
		probs = append(probs, csvProblem{c.col[csvTicket], errors.New("empty: every row names its ticket")})
	}
	if i := c.col[csvAt]; !c.bad[i] {
		at, err := csvParseTime(c.cells[i])
		if err != nil {
			probs = append(probs, csvProblem{i, err})
		}
		ev.At = at
	}
	if i := c.col[csvKind]; !c.bad[i] {
		s := c.cells[i]
		k, ok := csvKindOf[s]
		switch {
		case s == "":
			probs = append(probs, csvProblem{i, fmt.Errorf("empty: want one of %s", csvKindList)})
		case !ok:
			probs = append(probs, csvProblem{i, fmt.Errorf("%q is not a kind: want one of %s", s, csvKindList)})
		case (k == escalation.Escalated || k == escalation.DeEscalated) && ev.Tier == "":
			if t := c.col[csvTier]; t < 0 {
				probs = append(probs, csvProblem{i, fmt.Errorf("%s names the tier the ticket moves to, and the log has no tier column", k)})
			} else if !c.bad[t] {
				probs = append(probs, csvProblem{t, fmt.Errorf("empty: %s names the tier the ticket moves to", k)})
			}
		}
		ev.Kind = k
	}
	for _, a := range c.attrs {
		s := c.cells[a.col]
		if s == "" || c.bad[a.col] {
			continue
		}
		if ev.Attrs == nil {
			ev.Attrs = map[string]any{}
		}
		csvSet(ev.Attrs, a.path, csvValue(s))
	}
	c.probs = probs[:0]
	if len(probs) > 0 {
		return Row{}, c.rowError(line, ev.Ticket, probs)
	}
	return Row{Pos: Pos{c.file, line}, Event: ev}, nil
}

// rowError is the *RowError of a row's or the header's problems: in the
// order of their columns (the row as a whole last), the first in the
// RowError, each other saying its column.
func (c *CSVReader) rowError(line int, ticket string, probs []csvProblem) *RowError {
	slices.SortStableFunc(probs, func(a, b csvProblem) int {
		return cmp.Compare(uint(a.col), uint(b.col)) // -1 (the whole row) sorts last
	})
	re := &RowError{Pos: Pos{c.file, line}, Ticket: ticket}
	if p := probs[0]; p.col >= 0 {
		re.Column, re.Field = p.col+1, c.names[p.col]
	}
	if len(probs) == 1 {
		re.Err = probs[0].err
		return re
	}
	errs := make([]error, len(probs))
	errs[0] = probs[0].err
	for i, p := range probs[1:] {
		switch {
		case p.col < 0:
			errs[i+1] = p.err
		case c.names[p.col] == "":
			errs[i+1] = fmt.Errorf("column %d: %w", p.col+1, p.err)
		default:
			errs[i+1] = fmt.Errorf("column %d (%s): %w", p.col+1, c.names[p.col], p.err)
		}
	}
	re.Err = errors.Join(errs...)
	return re
}

// csvSyntax is a CSV syntax error of encoding/csv, said where in the
// record it is.
func csvSyntax(pe *csv.ParseError) error {
	if pe.Line != pe.StartLine {
		return fmt.Errorf("line %d, byte %d: %w", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("byte %d: %w", pe.Column, pe.Err)
}

// csvClean drops each carriage return before a line feed: encoding/csv
// turns CR LF at the end of a line into LF, but keeps a CR before it.
func csvClean(s string) string {
	for strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

// csvParseTime reads an RFC 3339 instant with an offset: the strict form
// (two-digit fields, a period before the fraction, an offset within a
// day), which time.Parse alone does not hold to.
func csvParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("empty: want an RFC 3339 instant such as %s", csvExampleAt)
	}
	if !csvRFC3339(s) {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 instant such as %s", s, csvExampleAt)
	}
	t, err := time.Parse(time.RFC3339Nano, s) // checks the ranges of the fields
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 instant such as %s", s, csvExampleAt)
	}
	return t, nil
}

// csvRFC3339 reports whether s has the form of an RFC 3339 instant:
// 2006-01-02T15:04:05, a fraction or none, and Z or an offset of less
// than a day.
func csvRFC3339(s string) bool {
	const form = "dddd-dd-ddTdd:dd:dd"
	if len(s) < len(form)+1 {
		return false
	}
	for i := range len(form) {
		if form[i] == 'd' && !csvDigit(s[i]) || form[i] != 'd' && s[i] != form[i] {
			return false
		}
	}
	rest := s[len(form):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && csvDigit(rest[n]) {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	return rest == "Z" ||
		len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
			csvDigit(rest[1]) && csvDigit(rest[2]) && csvDigit(rest[4]) && csvDigit(rest[5]) &&
			rest[1:3] < "24" && rest[4:6] < "60"
}

func csvDigit(b byte) bool { return '0' <= b && b <= '9' }

// csvValue reads an attribute's cell: its JSON value when it parses as
// JSON, else the string it is.
func csvValue(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	// A JSON value starts, after white space, with one of these.
	if i := strings.IndexFunc(s, func(r rune) bool { return r != ' ' && r != '\t' && r != '\n' && r != '\r' }); i < 0 ||
		!strings.ContainsRune(`{["-0123456789tfn`, rune(s[i])) {
		return s
	}
	var v any
	if json.Unmarshal([]byte(s), &v) == nil {
		return v
	}
	return s
}

// csvSet sets the attribute at path in m, making the maps on its way.
func csvSet(m map[string]any, path []string, v any) {
	for _, seg := range path[:len(path)-1] {
		sub, ok := m[seg].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[seg] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}

// CSVWriter writes ladder's canonical event log, as CSVReader reads it:
// a header row, then a row per Write. Nothing is written until Write or
// Flush, which writes the header first (a log of no rows is a header).
// The Writer buffers: call Flush at the end.
//
// A CSVWriter is not safe for concurrent use.
type CSVWriter struct {
	cw     *csv.Writer
	paths  []string // the attribute columns' paths
	trie   *csvNode // the same, by segment
	err    error    // a wrong list of paths, or an error writing: sticky
	header bool     // the header is written
	n      int      // rows given to Write
	rec    []string
}

// csvNode is a segment of the attribute columns' paths: a column (col is
// its index among them) or the segments below it (col is -1).
type csvNode struct {
	col  int
	kids map[string]*csvNode
}

// NewCSVWriter returns a writer of the canonical log to w, with the
// columns ticket, at, kind, status, tier, team, impact, urgency, priority,
// actor and reason, then an attr.<path> column for each of attrPaths, in
// the order given. A path with an empty segment, given twice, or inside
// another of the paths is an error that Write and Flush return.
func NewCSVWriter(w io.Writer, attrPaths []string) *CSVWriter {
	cw := &CSVWriter{cw: csv.NewWriter(w), paths: slices.Clone(attrPaths), trie: &csvNode{col: -1}}
	var errs []error
	seen := map[string]bool{}
	for _, p := range attrPaths {
		if seen[p] {
			errs = append(errs, fmt.Errorf("attribute path %q appears twice", p))
		}
		seen[p] = true
	}
	for _, pp := range csvCheckPaths(attrPaths) {
		errs = append(errs, pp.err)
	}
	if len(errs) > 0 {
		cw.err = fmt.Errorf("replay: attribute columns: %w", errors.Join(errs...))
		return cw
	}
	for i, p := range attrPaths {
		n := cw.trie
		for seg := range strings.SplitSeq(p, ".") {
			k := n.kids[seg]
			if k == nil {
				k = &csvNode{col: -1}
				if n.kids == nil {
					n.kids = map[string]*csvNode{}
				}
				n.kids[seg] = k
			}
			n = k
		}
		n.col = i
	}
	cw.rec = make([]string, csvNamed+len(attrPaths))
	return cw
}

// Write writes a row: its event's fields, at in RFC 3339 with its offset
// (time.RFC3339Nano: a fraction only when it is not zero; an instant
// whose offset RFC 3339 cannot write, such as a local mean time's with
// seconds, in UTC), and its attributes, each in the column of its path or
// of a path above it (a map there is written as a JSON object). An
// attribute that is a string is written as it is, unless it would read
// back as something else (it is empty, parses as JSON, such as "true" or
// "12", or holds a carriage return): then it is written as a JSON string.
// Other values are written as compact JSON, so numbers read back as
// float64.
//
// A row CSVReader would not read back is an error, and is not written:
// an empty ticket, a kind a host does not report, an escalated or
// de_escalated without a tier, an instant outside years 0-9999, text that
// is not UTF-8, an attribute with no column, a value JSON cannot hold.
// The writer goes on after such a row; after an error writing w, it does
// not.
func (w *CSVWriter) Write(row Row) error {
	if w.err != nil {
		return w.err
	}
	w.n++
	if err := w.writeHeader(); err != nil {
		return err
	}
	ev := &row.Event
	rec := w.rec
	clear(rec)
	var errs []error
	rec[csvTicket] = ev.Ticket
	if ev.Ticket == "" {
		errs = append(errs, errors.New("ticket: empty"))
	}
	if at, err := csvFormatTime(ev.At); err != nil {
		errs = append(errs, fmt.Errorf("at: %w", err))
	} else {
		rec[csvAt] = at
	}
	rec[csvKind] = string(ev.Kind)
	if _, ok := csvKindOf[string(ev.Kind)]; !ok {
		errs = append(errs, fmt.Errorf("kind: %q is not a kind: want one of %s", ev.Kind, csvKindList))
	} else if (ev.Kind == escalation.Escalated || ev.Kind == escalation.DeEscalated) && ev.Tier == "" {
		errs = append(errs, fmt.Errorf("tier: empty: %s names the tier the ticket moves to", ev.Kind))
	}
	rec[csvStatus], rec[csvTier], rec[csvTeam] = ev.Status, ev.Tier, ev.Team
	rec[csvImpact], rec[csvUrgency], rec[csvPriority] = ev.Impact, ev.Urgency, ev.Priority
	rec[csvActor], rec[csvReason] = ev.Actor, ev.Reason
	for i := range csvNamed {
		if !utf8.ValidString(rec[i]) {
			errs = append(errs, fmt.Errorf("%s: %q is not valid UTF-8", csvNames[i], rec[i]))
		}
	}
	errs = w.fill(errs, ev.Attrs, w.trie, "")
	if len(errs) > 0 {
		return fmt.Errorf("replay: row %d (ticket %q): %w", w.n, ev.Ticket, errors.Join(errs...))
	}
	if err := w.cw.Write(rec); err != nil {
		w.err = fmt.Errorf("replay: %w", err)
		return w.err
	}
	return nil
}

// fill writes the attributes m, found at the node n of the paths (at
// path prefix), into their cells, adding its problems to errs.
func (w *CSVWriter) fill(errs []error, m map[string]any, n *csvNode, prefix string) []error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v, path := m[k], prefix+k
		kid := n.kids[k]
		switch {
		case kid == nil:
			errs = append(errs, fmt.Errorf("attribute %q has no column", path))
		case kid.col >= 0:
			s, err := csvCell(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s%s: %w", csvAttrPrefix, path, err))
				continue
			}
			w.rec[csvNamed+kid.col] = s
		default:
			sub, ok := v.(map[string]any)
			if !ok {
				errs = append(errs, fmt.Errorf("attribute %q has no column: the columns hold attributes inside it", path))
				continue
			}
			errs = w.fill(errs, sub, kid, path+".")
		}
	}
	return errs
}

// writeHeader writes the header, once.
func (w *CSVWriter) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	head := make([]string, 0, csvNamed+len(w.paths))
	head = append(head, csvNames[:]...)
	for _, p := range w.paths {
		head = append(head, csvAttrPrefix+p)
	}
	if err := w.cw.Write(head); err != nil {
		w.err = fmt.Errorf("replay: %w", err)
		return w.err
	}
	return nil
}

// Flush writes the header if no row has, and what is buffered, to the
// underlying writer, and returns the first error of the writer: a wrong
// list of paths or an error writing.
func (w *CSVWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		w.err = fmt.Errorf("replay: %w", err)
	}
	return w.err
}

// csvFormatTime is t in RFC 3339, with its offset when RFC 3339 can
// write it, else in UTC.
func csvFormatTime(t time.Time) (string, error) {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		t = t.UTC()
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("year %d: RFC 3339 writes years 0000 to 9999", y)
	}
	return t.Format(time.RFC3339Nano), nil
}

// csvCell is an attribute's cell: a string as it is, when it reads back
// as itself; else the value in compact JSON.
func csvCell(v any) (string, error) {
	if s, ok := v.(string); ok {
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("%q is not valid UTF-8", s)
		}
		if s != "" && !strings.ContainsRune(s, '\r') && !json.Valid([]byte(s)) {
			return s, nil
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// WriteCSV writes rows to w as ladder's canonical log (see CSVWriter),
// with an attr.<path> column, sorted by path, for each attribute path the
// rows set: nested maps become dotted paths, down to values that are not
// maps, empty maps, and maps with a key that cannot be a path segment (""
// or with a dot), which are written whole as JSON objects. When a path
// is a value in one row and a map in another (customer = "ACME", and
// customer.vip = true), the column is the shorter path and the map is
// written there as a JSON object. CSVReader reads the log back as the
// same rows, save their Pos, their instants' locations (At is the same
// instant, with the same offset), numbers (float64), Attrs that are
// empty (nil), and a carriage return before a line feed in a field that
// is not an attribute (dropped). It stops at the first row it cannot
// write.
func WriteCSV(w io.Writer, rows []Row) error {
	leaves := map[string]bool{}
	for i, row := range rows {
		for k := range row.Event.Attrs {
			if !csvSegment(k) {
				return fmt.Errorf("replay: row %d (ticket %q): attribute %q: an attribute's name must be neither empty nor dotted", i+1, row.Event.Ticket, k)
			}
		}
		csvLeaves(row.Event.Attrs, "", leaves)
	}
	// A column for each leaf path that is not inside another.
	var paths []string
	for p := range leaves {
		inside := false
		for j := range len(p) {
			if p[j] == '.' && leaves[p[:j]] {
				inside = true
				break
			}
		}
		if !inside {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	cw := NewCSVWriter(w, paths)
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// csvLeaves adds to out the paths of m's values that are not split into
// columns below them, at path prefix.
func csvLeaves(m map[string]any, prefix string, out map[string]bool) {
	for k, v := range m {
		p := prefix + k
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 && csvSplits(sub) {
			csvLeaves(sub, p+".", out)
			continue
		}
		out[p] = true
	}
}

// csvSplits reports whether each key of m can be a path segment.
func csvSplits(m map[string]any) bool {
	for k := range m {
		if !csvSegment(k) {
			return false
		}
	}
	return true
}

// csvSegment reports whether s can be a segment of an attribute path.
func csvSegment(s string) bool { return s != "" && !strings.Contains(s, ".") }
