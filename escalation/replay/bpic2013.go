package replay

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ladder-go/ladder/escalation"
)

func init() {
	register("bpic2013", func(r io.Reader, file string, p *escalation.Policy) (Reader, error) {
		return NewBPIC2013Reader(r, file, p.Tiers)
	})
}

// The columns of the BPIC 2013 incident log the reader uses, found by
// name in its header.
const (
	bpicSR = iota
	bpicTime
	bpicStatus
	bpicSubStatus
	bpicFunctionDiv
	bpicOrgLine
	bpicTeam
	bpicImpact
	bpicProduct
	bpicCountry
	bpicOwnerCountry
	bpicOwner
	bpicColumns
)

var bpicNames = [bpicColumns]string{
	"SR Number", "Change Date+Time", "Status", "Sub Status", "Involved ST Function Div",
	"Involved Org line 3", "Involved ST", "SR Latest Impact", "Product", "Country",
	"Owner Country", "Owner First Name",
}

// bpicRequired are the columns a log must have; a missing other column
// reads as empty on every row.
var bpicRequired = [...]int{bpicSR, bpicTime, bpicStatus, bpicSubStatus, bpicTeam}

// bpicAttrs are the ticket attributes a row sets, with their columns.
var bpicAttrs = [...]struct {
	name string
	col  int
}{
	{"product", bpicProduct},
	{"country", bpicCountry},
}

// The reasons BPIC2013Reader.Ignored counts rows under.
const (
	bpicIgnoredMove          = "move of a resolved or closed ticket"
	bpicIgnoredResolvedAgain = "resolved again without a reopen"
	bpicIgnoredClosedAgain   = "completed row on a closed ticket"
)

// bpicMaxIntern bounds the table of shared values: past it, new values are
// no longer shared (a log of unique values must not grow it forever).
const bpicMaxIntern = 1 << 16

// BPIC2013Reader reads the incident log of the BPI Challenge 2013 (Volvo
// IT Belgium's VINST, https://doi.org/10.4121/uuid:500573e6-accc-4b0c-9576-aa5468b10cee)
// in the challenge's CSV layout: ';'-separated, Windows-1252, CRLF or LF
// line ends, a header row naming the columns. It turns each row, a change
// of an incident's status, team or owner, into the events a host would
// have reported:
//
//   - The incident (SR Number) is the ticket; its rows must be contiguous
//     and in time order (Change Date+Time, RFC 3339). A row of an incident
//     whose rows ended earlier in the log, or a row earlier than its
//     incident's previous one, is a *RowError and changes nothing.
//   - The team is Involved ST; its tier comes from the team's name: one
//     ending in "2nd" is on the policy's second tier, "3rd" on the third
//     (so "V13 2nd 3rd" is on the third), any other on the first; a policy
//     with fewer tiers puts them on its highest.
//   - The status is Status and Sub Status joined by "/" ("Accepted/Wait -
//     User"), passed through as it is: the policy decides which statuses
//     pause which clocks. The priority is SR Latest Impact in lower case;
//     the actor is Owner First Name; the attributes are product and
//     country, each set when it changes to a value that is not empty. The
//     other columns describe the team (Involved Org line 3, Involved ST
//     Function Div) or the person (Owner Country), not the ticket, and are
//     not read.
//   - An incident's first row opens the ticket on its team's tier (a start
//     by gravity, not an escalation). Completed/Resolved and
//     Completed/In Call resolve it, Completed/Closed and
//     Completed/Cancelled close it, and a row that is not Completed after
//     a resolution or a close reopens it. A change of team to a higher
//     tier is escalated, to a lower one de_escalated; a change of team on
//     the same tier is a hand-off, carried by the row's event. A row that
//     changes only the status is status_changed, one that changes neither
//     status nor team (an owner change) fields_changed.
//   - A row that moves and resolves or closes is two events (two Rows
//     with the row's Pos, at its instant): the move, then the resolution
//     or close, a hand-off being then a fields_changed event carrying the
//     team. A row that reopens and changes tier is the reopen, then the
//     move; a reopen to another team on the same tier is one reopened
//     event carrying the team. A row that moves and changes the status
//     otherwise is the move carrying the status. A first row that is
//     already resolved or closed is opened (with no status), then
//     resolved or closed (with the status).
//   - What ladder cannot express is read and counted, never dropped
//     silently (see Ignored): a move of a resolved or closed ticket that
//     does not reopen it, a resolution of a resolved ticket, a Completed
//     row on a closed ticket. The row's other effect still happens (a
//     resolved ticket handed to another team and closed is closed).
//   - Each event carries the row's Owner First Name as Actor; the row's
//     first event carries the changes of priority and attributes.
//
// A BPIC2013Reader is not safe for concurrent use.
type BPIC2013Reader struct {
	sc    *bufio.Scanner
	file  string
	tiers []string
	line  int  // the line last read
	rows  int  // the rows read (lines but the header and blank ones)
	eof   bool // no line is left: Read returns what is queued, then io.EOF

	ncol   int                     // fields in the header
	col    [bpicColumns]int        // each column's index in a row, -1 when absent
	fields [][]byte                // the row being read, split
	last   [bpicColumns]*bpicValue // each column's value in the previous row
	status [4]*bpicValue           // the recent statuses, the previous row's first
	date   [16]byte                // the previous time's date and offset
	dateN  int                     // bytes of date in use
	day    int64                   // and its midnight, in Unix seconds
	loc    *time.Location          // and its offset
	prio   string                  // the previous row's priority
	intern map[string]*bpicValue   // every value read, by its bytes
	dec    []byte                  // scratch: decoded text
	cat    []byte                  // scratch: joined status, lower-cased impact
	zones  map[int]*time.Location

	queue []bpicItem // what Read returns next, from queue[head]
	head  int
	carry bool // the row being read has emitted no event yet

	cur     bpicIncident
	done    map[string]int // incidents whose rows ended: the line of their last row
	ignored map[string]int
}

type bpicItem struct {
	row Row
	err error
}

// The lifecycle of an incident as far as its rows have taken it.
const (
	bpicNew = iota // no row has opened it yet
	bpicOpen
	bpicResolved
	bpicClosed
)

// bpicIncident is the incident being read: what its rows have made of it.
type bpicIncident struct {
	id       string
	life     int
	last     time.Time // its previous row's instant
	lastLine int       // and line; 0 before its first good row
	tier     int
	team     string
	status   string
	priority string
	attrs    [len(bpicAttrs)]string
}

// bpicRow is one row's values.
type bpicRow struct {
	at                            time.Time
	tier                          int
	team, status, priority, actor string
	completed                     bool   // Status is Completed
	ends                          string // "resolved", "closed" or "": what its status does
	attrs                         [len(bpicAttrs)]string
}

// bpicValue is a value of the log, decoded once and shared.
type bpicValue struct {
	raw, s string // its bytes as read (the same string when ASCII), its text
	v      any    // s as an attribute value (making an interface of a string allocates)
}

// bpicEmpty is the empty value.
var bpicEmpty = &bpicValue{v: ""}

// NewBPIC2013Reader reads the header of the BPIC 2013 incident log r (not
// compressed: Open decompresses) and returns a reader of its rows; file
// names the log in messages, and tiers are the policy's tiers, lowest
// first, at least one. The header must name the columns SR Number, Change
// Date+Time, Status, Sub Status and Involved ST; the others the reader
// uses (Involved ST Function Div, Involved Org line 3, SR Latest Impact,
// Product, Country, Owner Country, Owner First Name) read as empty when
// absent. Columns may come in any order; others are left alone.
func NewBPIC2013Reader(r io.Reader, file string, tiers []string) (*BPIC2013Reader, error) {
	if len(tiers) == 0 {
		return nil, errors.New("replay: bpic2013: the policy has no tiers")
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	br := &BPIC2013Reader{
		sc:      sc,
		file:    file,
		tiers:   slices.Clone(tiers),
		intern:  make(map[string]*bpicValue, 4096),
		zones:   map[int]*time.Location{},
		done:    make(map[string]int, 1024),
		ignored: map[string]int{},
	}
	for i := range br.last {
		br.last[i] = bpicEmpty
	}
	for i := range br.status {
		br.status[i] = bpicEmpty
	}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("replay: %s:1: %w", file, err)
		}
		return nil, fmt.Errorf("replay: %s: empty log: want a header row", file)
	}
	br.line = 1
	head := bytes.TrimPrefix(trimCR(sc.Bytes()), []byte("\xef\xbb\xbf"))
	br.fields = splitSemicolons(br.fields[:0], head)
	br.ncol = len(br.fields)
	for i := range br.col {
		br.col[i] = -1
	}
	var problems []string
	for i, f := range br.fields {
		name := strings.TrimSpace(br.plain(f))
		for c, want := range bpicNames {
			if name != want {
				continue
			}
			if br.col[c] >= 0 {
				problems = append(problems, fmt.Sprintf("column %q appears twice (columns %d and %d)", want, br.col[c]+1, i+1))
				break
			}
			br.col[c] = i
		}
	}
	for _, c := range bpicRequired {
		if br.col[c] < 0 {
			problems = append(problems, fmt.Sprintf("no column %q", bpicNames[c]))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("replay: %s:1: not a BPIC 2013 incident log: %s", file, strings.Join(problems, "; "))
	}
	return br, nil
}

// Rows is how many rows of the log (not counting its header and blank
// lines) the reader has read so far, good or bad: after io.EOF, every row
// of the log is an event, a *RowError or counted by Ignored, or several of
// these.
func (r *BPIC2013Reader) Rows() int { return r.rows }

// Read returns the next event, io.EOF after the last. A malformed row is
// a *RowError naming its ticket when it is known; Read goes on after it.
// An error that is not a *RowError (the log could not be read) ends it.
func (r *BPIC2013Reader) Read() (Row, error) {
	for r.head == len(r.queue) {
		r.queue, r.head = r.queue[:0], 0
		if r.eof {
			return Row{}, io.EOF
		}
		r.next()
	}
	r.head++
	it := &r.queue[r.head-1]
	return it.row, it.err
}

// Ignored counts the rows whose change ladder cannot express, each row
// once, by reason:
//
//   - "move of a resolved or closed ticket": a row that moves a resolved
//     or closed ticket without reopening it. The move is dropped; the
//     row's other effect still happens (a resolved ticket closes), so
//     such a row may also have become an event.
//   - "resolved again without a reopen": a Completed/Resolved or
//     Completed/In Call row on a resolved ticket, without a move.
//   - "completed row on a closed ticket": any Completed row on a closed
//     ticket, without a move.
//
// Every other row became at least one event or a *RowError. The map is
// a copy.
func (r *BPIC2013Reader) Ignored() map[string]int { return maps.Clone(r.ignored) }

// next reads the next line and queues what it turns into.
func (r *BPIC2013Reader) next() {
	if !r.sc.Scan() {
		r.eof = true
		if err := r.sc.Err(); err != nil {
			r.queue = append(r.queue, bpicItem{err: fmt.Errorf("replay: %s:%d: %w", r.file, r.line+1, err)})
		}
		return
	}
	r.line++
	line := trimCR(r.sc.Bytes())
	if len(line) == 0 {
		return // a blank line holds no row
	}
	r.rows++
	r.fields = splitSemicolons(r.fields[:0], line)
	if len(r.fields) != r.ncol {
		ticket := ""
		if c := r.col[bpicSR]; c < len(r.fields) {
			ticket = r.plain(r.fields[c])
		}
		r.fail(0, "", ticket, fmt.Errorf("the row has %d fields, the header %d", len(r.fields), r.ncol))
		return
	}
	id := r.fields[r.col[bpicSR]]
	if len(id) == 0 {
		r.fail(r.col[bpicSR]+1, bpicNames[bpicSR], "", errors.New("no incident number"))
		return
	}
	ticket := r.cur.id
	if string(id) != ticket || !isASCII(id) {
		ticket = r.plain(id)
	}
	if ticket != r.cur.id {
		if line, ok := r.done[ticket]; ok {
			r.fail(r.col[bpicSR]+1, bpicNames[bpicSR], ticket,
				fmt.Errorf("the incident's rows are not contiguous: they ended at line %d", line))
			return
		}
		if r.cur.id != "" {
			r.done[r.cur.id] = r.cur.lastLine
		}
		r.cur = bpicIncident{id: ticket, lastLine: r.line}
	}
	var v bpicRow
	tf := r.fields[r.col[bpicTime]]
	at, ok := r.parseTime(tf)
	if !ok {
		r.fail(r.col[bpicTime]+1, bpicNames[bpicTime], ticket,
			fmt.Errorf("bad time %q: want RFC 3339, as 2012-04-02T10:00:00+01:00", r.plain(tf)))
		return
	}
	if r.cur.life != bpicNew && at.Before(r.cur.last) {
		r.fail(r.col[bpicTime]+1, bpicNames[bpicTime], ticket,
			fmt.Errorf("%s is before the incident's previous row (%s, line %d)", at.Format(time.RFC3339Nano), r.cur.last.Format(time.RFC3339Nano), r.cur.lastLine))
		return
	}
	v.at = at
	status, sub := r.fields[r.col[bpicStatus]], r.fields[r.col[bpicSubStatus]]
	if len(status) == 0 {
		r.fail(r.col[bpicStatus]+1, bpicNames[bpicStatus], ticket, errors.New("no status"))
		return
	}
	r.cat = append(append(append(r.cat[:0], status...), '/'), sub...)
	v.status = r.statusOf(r.cat)
	if string(status) == "Completed" {
		v.completed = true
		switch string(sub) {
		case "Resolved", "In Call":
			v.ends = "resolved"
		case "Closed", "Cancelled":
			v.ends = "closed"
		}
	}
	team, _ := r.value(bpicTeam)
	v.team, v.tier = team, r.tierOf(team)
	if impact, changed := r.value(bpicImpact); changed {
		r.prio = r.lower(impact)
	}
	v.priority = r.prio
	v.actor, _ = r.value(bpicOwner)
	for i, a := range bpicAttrs {
		v.attrs[i], _ = r.value(a.col)
	}
	r.apply(&v)
	r.cur.last, r.cur.lastLine = v.at, r.line
}

// fail queues a *RowError for the line just read.
func (r *BPIC2013Reader) fail(column int, field, ticket string, err error) {
	r.queue = append(r.queue, bpicItem{err: &RowError{Pos: Pos{File: r.file, Line: r.line}, Column: column, Field: field, Ticket: ticket, Err: err}})
}

// apply turns the row v of the current incident into events, and counts
// what it cannot turn into any. The row's first event carries its changes
// of priority and attributes (see event).
func (r *BPIC2013Reader) apply(v *bpicRow) {
	c := &r.cur
	r.carry = true
	if c.life == bpicNew {
		ev := r.event(escalation.Opened, v)
		ev.Tier, ev.Team = r.tiers[v.tier], v.team
		c.life, c.tier, c.team = bpicOpen, v.tier, v.team
		if v.ends == "" {
			ev.Status, c.status = v.status, v.status
		} else {
			r.end(v)
		}
		return
	}
	moved := v.team != "" && v.team != c.team
	switch {
	case c.life == bpicOpen || (c.life == bpicResolved && v.completed && v.ends == ""):
		// An open ticket, or a resolved one in a Completed status that
		// neither resolves nor closes: the engine takes a status change
		// there, not a move.
		if moved && c.life == bpicResolved {
			r.ignored[bpicIgnoredMove]++
			moved = false
		}
		switch {
		case v.ends != "":
			if moved {
				r.move(v, false)
			}
			r.end(v)
		case moved:
			r.move(v, v.status != c.status)
		case v.status != c.status:
			r.event(escalation.StatusChanged, v).Status, c.status = v.status, v.status
		default:
			r.event(escalation.FieldsChanged, v)
		}
	case !v.completed: // a resolved or closed ticket reopens
		ev := r.event(escalation.Reopened, v)
		ev.Status = v.status
		c.life, c.status = bpicOpen, v.status
		if moved && v.tier == c.tier {
			ev.Team, c.team = v.team, v.team
		} else if moved {
			r.move(v, false)
		}
	default: // a Completed row on a resolved or closed ticket
		switch {
		case moved:
			r.ignored[bpicIgnoredMove]++
		case c.life == bpicClosed:
			r.ignored[bpicIgnoredClosedAgain]++
		case v.ends == "resolved":
			r.ignored[bpicIgnoredResolvedAgain]++
		}
		if c.life == bpicResolved && v.ends == "closed" {
			r.end(v)
		}
	}
}

// move emits the event that takes the current incident to the row v's
// team: escalated or de_escalated to its tier, else a hand-off carried by
// a status_changed event (withStatus) or a fields_changed one. It updates
// the incident's place, and its status when withStatus.
func (r *BPIC2013Reader) move(v *bpicRow, withStatus bool) {
	c := &r.cur
	var ev *escalation.Event
	switch {
	case v.tier > c.tier:
		ev = r.event(escalation.Escalated, v)
		ev.Tier = r.tiers[v.tier]
	case v.tier < c.tier:
		ev = r.event(escalation.DeEscalated, v)
		ev.Tier = r.tiers[v.tier]
	case withStatus:
		ev = r.event(escalation.StatusChanged, v)
	default:
		ev = r.event(escalation.FieldsChanged, v)
	}
	if withStatus {
		ev.Status, c.status = v.status, v.status
	}
	ev.Team = v.team
	c.tier, c.team = v.tier, v.team
}

// end emits the resolution or close the row v makes of the current
// incident.
func (r *BPIC2013Reader) end(v *bpicRow) {
	c := &r.cur
	kind := escalation.Resolved
	c.life = bpicResolved
	if v.ends == "closed" {
		kind, c.life = escalation.Closed, bpicClosed
	}
	r.event(kind, v).Status, c.status = v.status, v.status
}

// event queues an event of the current incident from the row v, with its
// kind, instant, actor and place in the log, and returns it to be filled
// in before the next is queued. The row's first event carries the row's
// changes of priority and attributes, which become the incident's; a row
// that emits nothing changes neither.
func (r *BPIC2013Reader) event(kind escalation.EventKind, v *bpicRow) *escalation.Event {
	r.queue = append(r.queue, bpicItem{})
	it := &r.queue[len(r.queue)-1]
	it.row.Pos = Pos{File: r.file, Line: r.line}
	ev := &it.row.Event
	ev.Ticket, ev.Kind, ev.At, ev.Actor = r.cur.id, kind, v.at, v.actor
	if r.carry {
		r.carry = false
		if v.priority != "" && v.priority != r.cur.priority {
			ev.Priority, r.cur.priority = v.priority, v.priority
		}
		ev.Attrs = r.attrs(v)
	}
	return ev
}

// attrs returns the attributes of the row v that differ from the current
// incident's (all of them on its first row), nil when none does, and
// records them as the incident's. An empty value changes nothing.
func (r *BPIC2013Reader) attrs(v *bpicRow) map[string]any {
	var m map[string]any
	for i, a := range bpicAttrs {
		val := v.attrs[i]
		if val == "" || val == r.cur.attrs[i] {
			continue
		}
		if m == nil {
			m = make(map[string]any, len(bpicAttrs))
		}
		m[a.name] = r.last[a.col].v
		r.cur.attrs[i] = val
	}
	return m
}

// tierOf returns the index in the policy's tiers of a team's tier.
func (r *BPIC2013Reader) tierOf(team string) int {
	i := 0
	switch {
	case strings.HasSuffix(team, "2nd"):
		i = 1
	case strings.HasSuffix(team, "3rd"):
		i = 2
	}
	return min(i, len(r.tiers)-1)
}

// value returns column c of the row being read, and whether it differs
// from the previous row's (an absent column is always empty).
func (r *BPIC2013Reader) value(c int) (string, bool) {
	i := r.col[c]
	if i < 0 {
		return "", false
	}
	if b := r.fields[i]; string(b) != r.last[c].raw {
		r.last[c] = r.lookup(b)
		return r.last[c].s, true
	}
	return r.last[c].s, false
}

// statusOf returns the status whose bytes are b. The few statuses come
// back often: the recent ones are found without hashing.
func (r *BPIC2013Reader) statusOf(b []byte) string {
	st := &r.status
	if string(b) == st[0].raw {
		return st[0].s
	}
	i := 1
	for i < len(st) && st[i].raw != string(b) {
		i++
	}
	if i == len(st) {
		i--
		st[i] = r.lookup(b)
	}
	hit := st[i]
	copy(st[1:i+1], st[:i])
	st[0] = hit
	return hit.s
}

// lookup returns the value whose bytes, Windows-1252, are b.
func (r *BPIC2013Reader) lookup(b []byte) *bpicValue {
	if t, ok := r.intern[string(b)]; ok {
		return t
	}
	t := &bpicValue{s: r.plain(b)}
	t.raw, t.v = t.s, t.s
	if !isASCII(b) {
		t.raw = string(b)
	}
	if len(r.intern) < bpicMaxIntern {
		r.intern[t.raw] = t
	}
	return t
}

// plain returns b, Windows-1252, as a string of its own.
func (r *BPIC2013Reader) plain(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	r.dec = decode1252(r.dec[:0], b)
	return string(r.dec)
}

// lower returns s in lower case, shared.
func (r *BPIC2013Reader) lower(s string) string {
	if !isASCII([]byte(s)) {
		return strings.ToLower(s)
	}
	r.cat = append(r.cat[:0], s...)
	for i, ch := range r.cat {
		if 'A' <= ch && ch <= 'Z' {
			r.cat[i] = ch + 'a' - 'A'
		}
	}
	return r.lookup(r.cat).s
}

// parseTime reads an RFC 3339 instant: the fixed layout of the log,
// 2006-01-02T15:04:05+01:00 (or Z), by hand, reusing the date and offset
// of the previous time; anything else (fractions of a second, or a
// mistake) by time.Parse, which has the last word.
func (r *BPIC2013Reader) parseTime(b []byte) (time.Time, bool) {
	if t, ok := r.parseFixed(b); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, string(b))
	return t, err == nil
}

// parseFixed reads an instant in the fixed layout; false means it is not
// one (it may still be RFC 3339).
func (r *BPIC2013Reader) parseFixed(b []byte) (time.Time, bool) {
	if len(b) != 20 && len(b) != 25 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	hour, ok1 := digits(b[11:13])
	minute, ok2 := digits(b[14:16])
	sec, ok3 := digits(b[17:19])
	if !(ok1 && ok2 && ok3) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	date, zone := b[:10], b[19:]
	if r.dateN == 0 || string(date) != string(r.date[:10]) || string(zone) != string(r.date[10:r.dateN]) {
		if !r.parseDate(date, zone) {
			return time.Time{}, false
		}
	}
	return time.Unix(r.day+int64(hour*3600+minute*60+sec), 0).In(r.loc), true
}

// parseDate reads the date and offset of a time in the fixed layout, and
// keeps them for the times that follow.
func (r *BPIC2013Reader) parseDate(date, zone []byte) bool {
	year, ok1 := digits(date[0:4])
	month, ok2 := digits(date[5:7])
	day, ok3 := digits(date[8:10])
	if !(ok1 && ok2 && ok3) || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return false
	}
	loc, off := time.UTC, 0
	switch {
	case len(zone) == 1 && zone[0] == 'Z':
	case len(zone) == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':':
		oh, ok1 := digits(zone[1:3])
		om, ok2 := digits(zone[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return false
		}
		off = oh*3600 + om*60
		if zone[0] == '-' {
			off = -off
		}
		if loc = r.zones[off]; loc == nil {
			loc = time.FixedZone("", off)
			r.zones[off] = loc
		}
	default:
		return false
	}
	r.dateN = copy(r.date[copy(r.date[:], date):], zone) + len(date)
	r.day = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Unix() - int64(off)
	r.loc = loc
	return true
}

// digits reads b, ASCII digits only, as a number.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// splitSemicolons appends the ';'-separated fields of line to dst. It
// looks at eight bytes at a time, which beats bytes.IndexByte on fields
// this short.
func splitSemicolons(dst [][]byte, line []byte) [][]byte {
	const (
		semis = 0x3b3b3b3b3b3b3b3b // ';' in every byte
		low7  = 0x7f7f7f7f7f7f7f7f
	)
	start, i := 0, 0
	for ; i+8 <= len(line); i += 8 {
		x := binary.LittleEndian.Uint64(line[i:]) ^ semis // zero bytes where ';' was
		// The high bit of each byte of m is set iff the byte of x is zero
		// (no carry crosses bytes, so there is no false match).
		m := ^((x&low7 + low7) | x | low7)
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			dst = append(dst, line[start:j])
			start = j + 1
			m &= m - 1
		}
	}
	for ; i < len(line); i++ {
		if line[i] == ';' {
			dst = append(dst, line[start:i])
			start = i + 1
		}
	}
	return append(dst, line[start:])
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 to their code points;
// the five it leaves undefined keep their own, as the other bytes do
// (those are ISO 8859-1).
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// decode1252 appends b, Windows-1252, to dst as UTF-8.
func decode1252(dst, b []byte) []byte {
	for _, c := range b {
		switch {
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		case c < 0xA0:
			dst = utf8.AppendRune(dst, cp1252[c-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}
