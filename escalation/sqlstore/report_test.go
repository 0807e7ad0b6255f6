package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"math"
	"os"
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/escalation/sqlstore"
)

// TestReportMillion holds the store and the report to the issue's
// requirement: "a report over 1,000,000 tickets from sqlstore/SQLite keeps
// its heap under 64 MiB". It runs only when LADDER_REPORT_TICKETS says how
// many tickets (at least reportTemplates): the database of a million
// takes minutes to build and several GB of disk.
//
// Saving a million tickets through an engine would take hours, so a real
// engine, on this package's Store, runs reportTemplates varied tickets
// (every priority, replies in time and late, waits on the customer,
// escalations by hand and by the matrix, hand-offs, reopens, closes, some
// left open), and SQL copies those rows, unchanged but for the ticket's
// id, until the store holds N tickets. The copies are checked against
// their templates, and the report of the N tickets against the reports
// of the templates alone: its counts are the templates' times the copies.
//
// The heap is read every reportSampleEvery tickets, as the report reads
// them, from the runtime's count of bytes in heap objects, garbage not yet
// collected included: the peak of those readings must stay under
// reportHeapLimit. SQLite's own memory (modernc.org/sqlite allocates
// outside the Go heap) is not in it.
//
// The store holds one page of tickets at a time, so what grows is the
// report's groups: each keeps up to 16,384 exact values of each of its
// distributions, then buckets. The templates open in weeks of their own,
// so the week grouping has reportTemplates groups, as a year of a desk's
// tickets would. The heap is then largest when those groups hold just
// under 16,384 tickets each (N just under 16,384 × reportTemplates), their
// exact values all but full, not at the largest N.
func TestReportMillion(t *testing.T) {
	env := os.Getenv("LADDER_REPORT_TICKETS")
	if env == "" {
		t.Skip("LADDER_REPORT_TICKETS is not set; to run it: LADDER_REPORT_TICKETS=1000000 go test -run TestReportMillion -timeout 60m -v ./escalation/sqlstore/")
	}
	n, err := strconv.Atoi(env)
	if err != nil || n < reportTemplates {
		t.Fatalf("LADDER_REPORT_TICKETS=%q: want a number of tickets, at least %d", env, reportTemplates)
	}
	ctx := context.Background()
	data, err := os.ReadFile("../../examples/quickstart/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := escalation.ParsePolicy(data)
	if err != nil {
		t.Fatalf("the quickstart policy: %v", err)
	}
	db := sqliteDB(t)
	store, err := sqlstore.New(db, sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	// Build: the templates through the engine, their reports, the copies.
	began := time.Now()
	end := runTemplates(t, store, p)
	opts := report.Options{Policies: []*escalation.Policy{p}, By: []string{"priority", "week", "start_team"}, End: end}
	templates := readTemplates(t, db, store)
	// Template i has copies(i) tickets in all, itself included: q each,
	// and one more for the first r.
	q, r := n/reportTemplates, n%reportTemplates
	copies := func(i int) int { return q + boolInt(i < r) }
	whole := templateReport(t, templates, opts)
	rest := templateReport(t, templates[:r], opts)
	copyTemplates(t, db, n)
	built := time.Since(began)
	checkCopies(t, db, store, templates, n, copies)
	checked := time.Since(began) - built
	var pages, pageSize int64
	if err := db.QueryRow("SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()").Scan(&pages, &pageSize); err != nil {
		t.Fatal(err)
	}
	lens := make([]int, len(templates))
	for i, h := range templates {
		lens[i] = len(h.Entries)
	}
	t.Logf("built %d tickets from %d templates (%d to %d history entries each) in %v, checked in %v; the database is %.0f MiB",
		n, reportTemplates, slices.Min(lens), slices.Max(lens), built.Round(time.Millisecond), checked.Round(time.Millisecond),
		float64(pages*pageSize)/(1<<20))
	if t.Failed() {
		return // a report of a wrong database proves nothing
	}

	// The report, with the heap read as it goes.
	runtime.GC()
	heap := newHeapPeak()
	base := heap.read()
	var tickets, entries int
	began = time.Now()
	got, err := report.Collect(ctx, measured(store.Histories(ctx, time.Time{}, time.Time{}), heap, &tickets, &entries), opts)
	took := time.Since(began)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	t.Logf("report of %d tickets, %d history entries, %d groups: %v, %.0f tickets/s, %.0f entries/s; heap %.1f MiB before, peak %.1f MiB",
		tickets, entries, len(got.Groups), took.Round(time.Millisecond), float64(tickets)/took.Seconds(), float64(entries)/took.Seconds(),
		mib(base), mib(heap.peak))
	if heap.peak >= reportHeapLimit {
		t.Errorf("the heap peaked at %.1f MiB during the report, want under %d MiB", mib(heap.peak), reportHeapLimit>>20)
	}

	// The figures: every count is the templates' times their copies.
	if g := got.Groups[0]; g.By != "all" || g.Tickets != n {
		t.Errorf("group %s has %d tickets, want all with %d", g.By, g.Tickets, n)
	}
	wholeCounts, wholeFigures := tally(whole)
	restCounts, _ := tally(rest)
	want := map[string]int{}
	for k, v := range wholeCounts {
		want[k] += q * v
	}
	for k, v := range restCounts {
		want[k] += v
	}
	gotCounts, gotFigures := tally(got)
	if diff := cmp.Diff(want, gotCounts); diff != "" {
		t.Errorf("the report's counts, against the templates' times their copies (-want +got):\n%s", diff)
	}
	if !slices.Equal(got.Unfired, whole.Unfired) {
		t.Errorf("never fired: %q, want the templates' %q", got.Unfired, whole.Unfired)
	}
	// With as many copies of each template, the shares, means and
	// percentiles are the templates' too: a percentile within the 0.2% of
	// the buckets a group keeps beyond 16,384 values, the rest to
	// rounding.
	if r == 0 {
		for _, k := range slices.Sorted(maps.Keys(wholeFigures)) {
			w, g := wholeFigures[k], gotFigures[k]
			tol := 1e-9 * math.Max(1, math.Abs(w))
			if strings.HasSuffix(k, ".P50") || strings.HasSuffix(k, ".P90") {
				tol = 0.002*math.Abs(w) + 1e-9
			}
			if math.Abs(g-w) > tol {
				t.Errorf("%s = %v, want the templates' %v", k, g, w)
			}
		}
	}
}

// reportTemplates is how many tickets the engine runs; the others are
// their copies. It divides 1,000, 100,000 and 1,000,000, so at those sizes
// each template has as many copies and the report's shares, means and
// percentiles must equal the templates' own.
const reportTemplates = 40

// reportHeapLimit is the bound on the heap during a report.
const reportHeapLimit = 64 << 20

// reportSampleEvery is how many tickets the report reads between two
// readings of the heap.
const reportSampleEvery = 1000

// copyChunk is how many tickets one transaction copies: SQLite's WAL grows
// to what a transaction writes, so a chunk, not the whole database.
const copyChunk = 25_000

// ticketID is the format of every ticket's id, in Go and in SQLite's
// printf: ticket n is a copy of template n % reportTemplates, and
// templates are tickets 0 to reportTemplates-1. Fixed-width ids sort as
// their numbers do, so the copies are inserted in index order.
const ticketID = "T-%07d"

// templateStep is something a person does to a template ticket at an
// instant: an event, or a move of move tiers up (or down, if negative)
// from wherever the ticket stands by then.
type templateStep struct {
	at   time.Time
	ev   escalation.Event
	move int
}

// runTemplates runs template tickets through an engine on store, in
// instant order, and returns the end of the data: when every template's
// last step is long past and the engine has handled everything due until
// then.
func runTemplates(t *testing.T, store *sqlstore.Store, p *escalation.Policy) time.Time {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// From Monday 8:00 in New York, a ticket opens every week and 8h23m,
	// so at every hour of every weekday, through the policy's holidays
	// and a change of summer time. Each opens in a week of its own, and
	// so do its copies: the report's week grouping has as many groups as
	// there are templates, as months of a desk's tickets would have, and
	// each group keeps its own distributions.
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, ny)
	const every = 7*24*time.Hour + 8*time.Hour + 23*time.Minute
	var steps []templateStep
	for i := range reportTemplates {
		steps = append(steps, templateSteps(i, start.Add(time.Duration(i)*every))...)
	}
	end := start.Add(time.Duration(reportTemplates-1)*every).AddDate(0, 0, 28) // the last script ends 10 days after its opening
	slices.SortStableFunc(steps, func(a, b templateStep) int { return a.at.Compare(b.at) })

	h := escalationtest.NewWithStore(t, store, p, start)
	ctx := context.Background()
	for _, s := range steps {
		h.AdvanceTo(s.at)
		if s.move != 0 {
			// A person moves the ticket from where it stands, which the
			// matrix's levels may have changed: skip a move past either
			// end, as the person would not ask for it.
			st, err := h.Engine.Status(ctx, s.ev.Ticket)
			if err != nil {
				t.Fatal(err)
			}
			from := slices.Index(p.Tiers, st.Tier)
			to := min(max(from+s.move, 0), len(p.Tiers)-1)
			if to == from {
				continue
			}
			s.ev.Kind, s.ev.Tier = escalation.Escalated, p.Tiers[to]
			if to < from {
				s.ev.Kind = escalation.DeEscalated
			}
		}
		h.Report(s.ev)
	}
	h.AdvanceTo(end)
	return end
}

// templateSteps are the steps of template ticket i, opened at opened. Its
// priority, customer and product vary with i; what happens to it follows
// one of ten scripts.
func templateSteps(i int, opened time.Time) []templateStep {
	const m, hr, day = time.Minute, time.Hour, 24 * time.Hour
	id := fmt.Sprintf(ticketID, i)
	levels := []string{"high", "medium", "low"}
	products := []string{"mail", "billing", "network", "portal"} // network: a rule hands it to the network team
	steps := []templateStep{{at: opened, ev: escalation.Event{Ticket: id, Kind: escalation.Opened, Status: "open",
		Impact: levels[i%3], Urgency: levels[i/3%3],
		Attrs: map[string]any{
			"customer": map[string]any{"vip": i%7 == 0, "name": fmt.Sprint("customer ", i%5)}, // VIPs start on specialists
			"product":  products[i%4],
		}}}}
	add := func(after time.Duration, kind escalation.EventKind, status string) {
		steps = append(steps, templateStep{at: opened.Add(after), ev: escalation.Event{Ticket: id, Kind: kind, Status: status, Actor: "ana"}})
	}
	move := func(after time.Duration, tiers int) {
		steps = append(steps, templateStep{at: opened.Add(after), ev: escalation.Event{Ticket: id, Actor: "bo", Reason: "needs a specialist"}, move: tiers})
	}
	handOff := func(after time.Duration) { // billing hands off to network (never a network ticket: i%4 is 1 or 3)
		steps = append(steps, templateStep{at: opened.Add(after), ev: escalation.Event{Ticket: id, Kind: escalation.FieldsChanged, Team: "network", Actor: "ana"}})
	}
	switch i % 10 {
	case 0: // answered, resolved the same day
		add(10*m, escalation.AgentReplied, "")
		add(3*hr, escalation.Resolved, "resolved")
	case 1: // waits a day on the customer, then is resolved
		add(30*m, escalation.AgentReplied, "pending_customer")
		add(day+30*m, escalation.CustomerReplied, "open")
		add(2*day, escalation.Resolved, "resolved")
	case 2: // escalated by hand
		add(20*m, escalation.AgentReplied, "")
		move(2*hr, 1)
		add(day, escalation.Resolved, "resolved")
	case 3: // escalated two tiers by hand, sent back down: over-escalated
		add(15*m, escalation.AgentReplied, "")
		move(hr, 2)
		move(5*hr, -1)
		add(day, escalation.Resolved, "resolved")
	case 4: // resolved, reopened, resolved again, closed
		add(hr, escalation.AgentReplied, "")
		add(6*hr, escalation.Resolved, "resolved")
		add(2*day, escalation.Reopened, "open")
		add(2*day+hr, escalation.AgentReplied, "")
		add(3*day, escalation.Resolved, "resolved")
		add(10*day, escalation.Closed, "closed")
	case 5: // answered late, resolved late: the rules and levels fire
		add(6*hr, escalation.AgentReplied, "")
		add(4*day, escalation.Resolved, "resolved")
	case 6: // answered, then left open: the backlog
		add(45*m, escalation.AgentReplied, "")
	case 7: // handed off, then resolved
		add(30*m, escalation.AgentReplied, "")
		handOff(3 * hr)
		add(day, escalation.Resolved, "resolved")
	case 8: // waits on a customer who never comes back; closed after a week
		add(2*hr, escalation.AgentReplied, "pending_customer")
		add(7*day, escalation.Closed, "closed")
	case 9: // escalated, handed off, resolved, reopened, resolved again
		add(5*m, escalation.AgentReplied, "")
		move(30*m, 1)
		handOff(hr)
		add(8*hr, escalation.Resolved, "resolved")
		add(day, escalation.Reopened, "open")
		add(day+4*hr, escalation.Resolved, "resolved")
	}
	return steps
}

// readTemplates returns the templates' histories from the store, by
// number, and checks that the copies can be made by SQL: a template's id
// appears in its stored state only as the state's id, and in none of its
// history entries, so replacing that one value makes a faithful copy.
func readTemplates(t *testing.T, db *sql.DB, store *sqlstore.Store) []escalation.History {
	t.Helper()
	hs := make([]escalation.History, reportTemplates)
	for h, err := range store.Histories(context.Background(), time.Time{}, time.Time{}) {
		if err != nil {
			t.Fatal(err)
		}
		var i int
		if _, err := fmt.Sscanf(h.State.ID, ticketID, &i); err != nil || i >= reportTemplates || hs[i].State != nil {
			t.Fatalf("ticket %q is not one of the templates", h.State.ID)
		}
		hs[i] = h
	}
	for i, h := range hs {
		if h.State == nil {
			t.Fatalf("template %d is not in the store", i)
		}
		var state string
		var inEntries int
		if err := db.QueryRow("SELECT state, (SELECT COUNT(*) FROM ladder_history WHERE ticket = id AND instr(entry, id) > 0) FROM ladder_tickets WHERE id = ?",
			h.State.ID).Scan(&state, &inEntries); err != nil {
			t.Fatal(err)
		}
		if k := strings.Count(state, h.State.ID); k != 1 || inEntries != 0 {
			t.Fatalf("template %s: its id is %d times in its state and in %d of its entries, want once and in none", h.State.ID, k, inEntries)
		}
	}
	return hs
}

// templateReport is the report of some templates, each once.
func templateReport(t *testing.T, hs []escalation.History, opts report.Options) *report.Report {
	t.Helper()
	r, err := report.Collect(context.Background(), func(yield func(escalation.History, error) bool) {
		for _, h := range hs {
			if !yield(h, nil) {
				return
			}
		}
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// copyTemplates makes tickets reportTemplates to n-1, each a copy of its
// template's rows, in set-based SQL: numbers from a recursive CTE joined
// to the templates. A copy keeps every column and every history entry;
// its id is its own in the id column, in the state's JSON and in its
// history's ticket column. The opened column and the state's opened
// instant stay the template's: Histories orders by (opened, id), so the
// copies of a template come together.
func copyTemplates(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	numbers := "WITH RECURSIVE copy(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM copy WHERE n + 1 < ?2) "
	id, template := "printf('"+ticketID+"', n)", "printf('"+ticketID+"', n % ?3)"
	tickets := numbers + "INSERT INTO ladder_tickets (id, version, state, due, entries, lease_owner, lease_until, opened) " +
		"SELECT " + id + ", t.version, json_set(t.state, '$.id', " + id + "), t.due, t.entries, t.lease_owner, t.lease_until, t.opened " +
		"FROM copy JOIN ladder_tickets t ON t.id = " + template + " ORDER BY n"
	history := numbers + "INSERT INTO ladder_history (ticket, seq, entry) " +
		"SELECT " + id + ", h.seq, h.entry FROM copy JOIN ladder_history h ON h.ticket = " + template + " ORDER BY n, h.seq"
	for lo := reportTemplates; lo < n; lo += copyChunk {
		hi := min(lo+copyChunk, n)
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{tickets, history} {
			if _, err := tx.Exec(q, lo, hi, reportTemplates); err != nil {
				tx.Rollback()
				t.Fatalf("copying tickets %d to %d: %v", lo, hi-1, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// checkCopies checks the n tickets: the rows of each template and its
// copies, in count; every copy's state is its template's with the id
// changed, to the byte; and some copies, read through the store, equal
// their templates but for the id.
func checkCopies(t *testing.T, db *sql.DB, store *sqlstore.Store, templates []escalation.History, n int, copies func(int) int) {
	t.Helper()
	ctx := context.Background()
	wantEntries := 0
	for i, h := range templates {
		wantEntries += copies(i) * len(h.Entries)
	}
	var tickets, entries, history int
	if err := db.QueryRow("SELECT COUNT(*), SUM(entries), (SELECT COUNT(*) FROM ladder_history) FROM ladder_tickets").Scan(&tickets, &entries, &history); err != nil {
		t.Fatal(err)
	}
	if tickets != n || entries != wantEntries || history != wantEntries {
		t.Errorf("the store holds %d tickets, %d entries by their count and %d history rows; want %d, %d and %d",
			tickets, entries, history, n, wantEntries, wantEntries)
	}
	var unfaithful int
	if err := db.QueryRow("SELECT COUNT(*) FROM ladder_tickets c JOIN ladder_tickets t ON t.id = printf('"+ticketID+"', CAST(substr(c.id, 3) AS INTEGER) % ?) "+
		"WHERE replace(c.state, c.id, t.id) <> t.state OR c.version <> t.version OR c.entries <> t.entries OR c.opened <> t.opened OR c.due IS NOT t.due",
		reportTemplates).Scan(&unfaithful); err != nil {
		t.Fatal(err)
	}
	if unfaithful != 0 {
		t.Errorf("%d tickets are not their templates' rows with their own ids", unfaithful)
	}
	// The first, a middle and the last copy of each template, through
	// the store as the report reads them.
	for i, tmpl := range templates {
		want, err := json.Marshal(tmpl.State)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range slices.Compact([]int{1, copies(i) / 2, copies(i) - 1}) {
			if k < 1 || k >= copies(i) {
				continue // no such copy: a template of few copies
			}
			id := fmt.Sprintf(ticketID, i+k*reportTemplates)
			st, err := store.Load(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if st.ID != id {
				t.Errorf("copy %s loads as ticket %s", id, st.ID)
			}
			st.ID = tmpl.State.ID
			if got, err := json.Marshal(st); err != nil || string(got) != string(want) {
				t.Errorf("copy %s of %s: state %s, %v; want %s", id, tmpl.State.ID, got, err, want)
			}
			h, err := store.History(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tmpl.Entries, h); diff != "" {
				t.Errorf("copy %s of %s: history (-template +copy):\n%s", id, tmpl.State.ID, diff)
			}
		}
	}
}

// heapPeak keeps the largest reading of the heap: the bytes in heap
// objects, live or garbage not yet collected, as runtime/metrics counts
// them without stopping the world.
type heapPeak struct {
	sample []metrics.Sample
	peak   uint64
}

func newHeapPeak() *heapPeak {
	return &heapPeak{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

// read reads the heap, keeps the peak and returns the reading.
func (h *heapPeak) read() uint64 {
	metrics.Read(h.sample)
	v := h.sample[0].Value.Uint64()
	h.peak = max(h.peak, v)
	return v
}

// measured is seq, counting the tickets and entries it yields and reading
// the heap before the first, every reportSampleEvery tickets, and after
// the last. The readings happen in the report's own loop, so they see
// whatever the store and the report hold at that point, at positions
// that fall all over the store's pages.
func measured(seq iter.Seq2[escalation.History, error], heap *heapPeak, tickets, entries *int) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		heap.read()
		defer heap.read()
		for h, err := range seq {
			if err == nil {
				*tickets++
				*entries += len(h.Entries)
				if *tickets%reportSampleEvery == 0 {
					heap.read()
				}
			}
			if !yield(h, err) {
				return
			}
		}
	}
}

// tally flattens a report's groups and rules into their counts and their
// other figures (shares, means, percentiles), each under a name that says
// where it is: "priority P1.Counts.Escalated", "rule stale-ticket.Fired".
// It walks the fields by reflection, so a count added to the report is
// checked without changing this test.
func tally(r *report.Report) (counts map[string]int, figures map[string]float64) {
	counts, figures = map[string]int{"tickets": r.Tickets}, map[string]float64{}
	var walk func(name string, v reflect.Value)
	walk = func(name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Int:
			counts[name] = int(v.Int())
		case reflect.Float64:
			figures[name] = v.Float()
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", name, i), v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(name+"."+f.Name, v.Field(i))
				}
			}
		}
	}
	for _, g := range r.Groups {
		name := g.By
		if g.Key != "" {
			name += " " + g.Key
		}
		walk(name, reflect.ValueOf(g))
	}
	for _, rs := range r.Rules {
		walk("rule "+rs.Rule, reflect.ValueOf(rs))
	}
	return counts, figures
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
