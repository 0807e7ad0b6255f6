package sqlstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/ladder-go/ladder/escalation"
)

// Store is an escalation.Store in a SQL database. It is safe for
// concurrent use; several Stores, in one process or (on PostgreSQL) in
// many, may share one database, each with its own owner name.
type Store struct {
	db         *sql.DB
	d          Dialect
	owner      string
	lease      time.Duration
	migrations []migration
	q          queries
	prepared   *prepared   // nil when the dialect does not prepare
	ready      atomic.Bool // the schema version is known to be right
}

// queries are a store's statements in its dialect.
type queries struct {
	load, history, exists string
	// tail reads a ticket's count of entries and its last entries, in
	// one statement: one row with no entry when it has none.
	tail string
	// create and update save a state and return the ticket's count of
	// history entries, or no row when the version is not the expected
	// one; on PostgreSQL they append the history too.
	create, update string
	// setDue sets a ticket's due alone: what saveTx most often sets
	// after an update on SQLite (see setIndexed).
	setDue string
	claim  string
	// nextAll, nextLater and nextAfter find the first ticket Due may
	// return after it claimed nothing (limit 0), fewer tickets than its
	// limit, or as many; leased finds the earliest end of another
	// replica's lease (or the ticket's due, if later) on a ticket due
	// before that first one ($3).
	nextAll, nextLater, nextAfter, leased string
	// opened and openedAfter read the first page of Histories' tickets
	// and the pages after a ticket; upcoming and upcomingAfter Upcoming's.
	opened, openedAfter, upcoming, upcomingAfter string
	// tenantOpened and tenantOpenedAfter are opened and openedAfter for
	// one tenant's tickets, named by their last parameter.
	tenantOpened, tenantOpenedAfter string
	// unopened and setOpened fill in the opened column of rows saved
	// before it existed.
	unopened, setOpened string
}

// Option configures a Store; New applies it once.
type Option func(*Store)

// WithOwner names this replica in the leases its Due takes; each replica
// sharing a database needs its own name. A replica that restarts under the
// same name takes up its leases at once.
func WithOwner(name string) Option { return func(s *Store) { s.owner = name } }

// WithLease sets how long a ticket that Due returned stays claimed by this
// replica, unless another replica saves it sooner. It should be longer
// than the engine takes to handle a batch of due tickets.
func WithLease(d time.Duration) Option { return func(s *Store) { s.lease = d } }

// New returns a store on db in dialect d. It does not touch the database:
// call Migrate before first use; the first call of another method checks
// the schema's version.
//
// Defaults: a random owner name and a lease of one minute.
func New(db *sql.DB, d Dialect, opts ...Option) (*Store, error) {
	s := &Store{db: db, d: d, owner: "ladder-" + rand.Text(), lease: time.Minute}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	var errs []error
	if db == nil {
		errs = append(errs, errors.New("sqlstore: db is nil"))
	}
	if d.name == "" {
		errs = append(errs, errors.New("sqlstore: no dialect: use sqlstore.SQLite or sqlstore.Postgres"))
	}
	if s.owner == "" {
		errs = append(errs, errors.New("sqlstore: owner is empty"))
	}
	if s.lease <= 0 {
		errs = append(errs, fmt.Errorf("sqlstore: lease %v: must be positive", s.lease))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ms, err := migrations(d)
	if err != nil {
		return nil, err
	}
	s.migrations = ms
	s.q = newQueries(d)
	if d.prepare {
		s.prepared = &prepared{db: db, m: map[string]*sql.Stmt{}}
		runtime.AddCleanup(s, (*prepared).close, s.prepared)
	}
	return s, nil
}

// eligible is the condition of a ticket that Due may return: not under
// another replica's lease ($1 is the owner, $2 now).
const eligible = "(lease_owner IS NULL OR lease_owner = $1 OR lease_until <= $2)"

func newQueries(d Dialect) queries {
	// next is the first ticket past those Due returned that it may
	// return: the earliest instant something it did not return can be
	// returned, but for another replica's leases, which leased reads.
	next := func(past string) string {
		return d.sql("SELECT due FROM ladder_tickets WHERE " + past + " AND " + eligible + " ORDER BY due, id LIMIT 1")
	}
	create := "INSERT INTO ladder_tickets (id, version, state, due, entries, opened, tenant, closed) VALUES ($1, 1, $2, $3, $4, $5, $6, $7) " +
		"ON CONFLICT (id) DO NOTHING RETURNING entries"
	// A save keeps the lease of the replica that saves; another's save
	// ends it, so the ticket is free for whoever is due to handle it.
	update := "UPDATE ladder_tickets SET version = version + 1, state = $3, due = $4, entries = entries + $5, opened = COALESCE(opened, $7), closed = $8, " +
		"lease_owner = CASE WHEN lease_owner = $6 THEN lease_owner END, lease_until = CASE WHEN lease_owner = $6 THEN lease_until END " +
		"WHERE id = $1 AND version = $2 RETURNING entries"
	if !d.writingWith {
		// SQLite rewrites the index entries of every column an UPDATE
		// sets, changed or not: the save leaves due, opened and closed
		// alone and returns which of them differ from the state, and
		// saveTx sets those (setIndexed), which an event seldom needs.
		update = "UPDATE ladder_tickets SET version = version + 1, state = $3, entries = entries + $5, " +
			"lease_owner = CASE WHEN lease_owner = $6 THEN lease_owner END, lease_until = CASE WHEN lease_owner = $6 THEN lease_until END " +
			"WHERE id = $1 AND version = $2 RETURNING entries, due IS NOT $4, opened IS NULL, closed IS NOT $8"
	} else {
		// One statement, one round trip: the entries come as a JSON array
		// (parameter list), of which there are count.
		withHistory := func(save, count, list string) string {
			// The history rows go to the partition of the ticket's
			// opening month as the ticket's row has it.
			return "WITH t AS (" + save + ", opened), h AS (INSERT INTO ladder_history (ticket, seq, entry, opened) " +
				"SELECT $1, t.entries - " + count + " + e.seq, e.entry, t.opened FROM t, json_array_elements_text(" + list + "::json) WITH ORDINALITY AS e(entry, seq)) " +
				"SELECT entries FROM t"
		}
		create, update = withHistory(create, "$4", "$8"), withHistory(update, "$5", "$9")
	}
	pick := "SELECT id FROM ladder_tickets WHERE due <= $2 AND " + eligible + " ORDER BY due, id LIMIT $4" + d.skipLocked
	claim := "UPDATE ladder_tickets SET lease_owner = $1, lease_until = $3 WHERE id IN (" + pick + ") RETURNING id, due"
	if d.arrays {
		claim = "UPDATE ladder_tickets SET lease_owner = $1, lease_until = $3 WHERE id = ANY(ARRAY(" + pick + ")) RETURNING id, due"
	}
	history := "SELECT seq, entry FROM ladder_history WHERE ticket = $1 ORDER BY seq"
	tail := "SELECT t.entries, h.seq, h.entry FROM ladder_tickets t " +
		"LEFT JOIN ladder_history h ON h.ticket = t.id AND h.seq > t.entries - $2 WHERE t.id = $1 ORDER BY h.seq"
	if d.partitioned {
		// The ticket's row says which partition holds its history: the
		// other partitions are not read.
		history = "SELECT h.seq, h.entry FROM ladder_tickets t JOIN ladder_history h ON h.ticket = t.id AND h.opened = t.opened " +
			"WHERE t.id = $1 ORDER BY h.seq"
		tail = "SELECT t.entries, h.seq, h.entry FROM ladder_tickets t " +
			"LEFT JOIN ladder_history h ON h.ticket = t.id AND h.opened = t.opened AND h.seq > t.entries - $2 WHERE t.id = $1 ORDER BY h.seq"
	}
	return queries{
		load:      d.sql("SELECT version, state FROM ladder_tickets WHERE id = $1"),
		create:    d.sql(create),
		update:    d.sql(update),
		setDue:    setColumns(d, []string{"due = $2"}),
		history:   d.sql(history),
		exists:    d.sql("SELECT 1 FROM ladder_tickets WHERE id = $1"),
		tail:      d.sql(tail),
		claim:     d.sql(claim),
		nextAll:   next("due IS NOT NULL"),
		nextLater: next("due > $2"),
		// A row comparison, so that the index range starts after the
		// last ticket claimed rather than read past all those due with it.
		nextAfter: next("due IS NOT NULL AND (due, id) > ($3, $4)"),
		// A lease that ends after the first ticket Due may return is due
		// is not the next instant, so leased reads the index on due up to
		// that ticket: the tickets before it are those Due returned and
		// those other replicas hold, never all the store has.
		leased: d.sql("SELECT MIN(CASE WHEN due > lease_until THEN due ELSE lease_until END) FROM ladder_tickets " +
			"WHERE due IS NOT NULL AND due < $3 AND lease_owner <> $1 AND lease_until > $2"),
		// Pages go on from the last ticket of the page before (keyset
		// pagination), each an index range scan from there.
		opened: d.sql("SELECT id, version, state, entries, opened FROM " + d.tickets("ladder_tickets_opened") + " WHERE opened >= $1 AND opened < $2 " +
			"ORDER BY opened, id LIMIT $3"),
		// The last ticket was in the window: the pages after it need not
		// say where the window starts, and SQLite's planner starts the
		// index range at that ticket only when they do not.
		openedAfter: d.sql("SELECT id, version, state, entries, opened FROM " + d.tickets("ladder_tickets_opened") + " WHERE opened < $1 " +
			"AND (opened, id) > ($3, $4) ORDER BY opened, id LIMIT $2"),
		tenantOpened: d.sql("SELECT id, version, state, entries, opened FROM ladder_tickets WHERE tenant = $4 AND opened >= $1 AND opened < $2 " +
			"ORDER BY opened, id LIMIT $3"),
		tenantOpenedAfter: d.sql("SELECT id, version, state, entries, opened FROM ladder_tickets WHERE tenant = $5 AND opened < $1 " +
			"AND (opened, id) > ($3, $4) ORDER BY opened, id LIMIT $2"),
		upcoming: d.sql("SELECT id, version, state, due FROM ladder_tickets WHERE due IS NOT NULL AND due <= $1 " +
			"ORDER BY due, id LIMIT $2"),
		upcomingAfter: d.sql("SELECT id, version, state, due FROM ladder_tickets WHERE due IS NOT NULL AND due <= $1 " +
			"AND (due, id) > ($3, $4) ORDER BY due, id LIMIT $2"),
		unopened:  d.sql("SELECT id, state FROM ladder_tickets WHERE opened IS NULL ORDER BY id LIMIT $1"),
		setOpened: d.sql("UPDATE ladder_tickets SET opened = $2 WHERE id = $1 AND opened IS NULL"),
	}
}

// Load returns the ticket's state. Its timers are unbound; the engine
// binds them to its policy's calendars.
func (s *Store) Load(ctx context.Context, id string) (*escalation.State, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if !keepable(id) {
		return nil, notFound(id)
	}
	var version int64
	var text []byte
	err := s.statement(ctx, nil, s.q.load).row(id).Scan(&version, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, s.fail(id, "load", err)
	}
	return decodeState(id, version, text)
}

// decodeState reads ticket id's stored state, at version.
func decodeState(id string, version int64, text []byte) (*escalation.State, error) {
	st := new(escalation.State)
	if err := json.Unmarshal(text, st); err != nil {
		return nil, &CorruptError{Ticket: id, Err: err}
	}
	if st.ID != id {
		return nil, &CorruptError{Ticket: id, Err: fmt.Errorf("the state is ticket %q's", st.ID)}
	}
	st.Version = version
	return st, nil
}

// decodeEntry reads entry seq of ticket id's history into e.
func decodeEntry(id string, seq int64, text []byte, e *escalation.Entry) error {
	if err := json.Unmarshal(text, e); err != nil {
		return &CorruptError{Ticket: id, Entry: seq, Err: err}
	}
	return nil
}

// Save stores st and appends entries to the ticket's history, both or
// neither, if the stored version is st.Version (0: the ticket must not
// exist), and then advances st.Version; otherwise it returns an error
// wrapping escalation.ErrConflict and stores nothing. A save by the
// replica holding the ticket's lease keeps the lease, so that no other
// replica takes the ticket up between the saves of one handling (the
// notifications it saved, then their delivery); a save by another
// replica ends the lease.
func (s *Store) Save(ctx context.Context, st *escalation.State, entries []escalation.Entry) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	if err := escalation.CheckSave(st, entries); err != nil {
		return fmt.Errorf("sqlstore: ticket %q: save: %w", st.ID, err)
	}
	state, err := json.Marshal(st)
	if err != nil {
		return s.fail(st.ID, "save", err)
	}
	var due any // NULL when nothing is due
	if !st.Due.IsZero() {
		if due, err = nanos(st.Due); err != nil {
			return s.fail(st.ID, "save", err)
		}
	}
	rows := make([]string, len(entries))
	for i, e := range entries {
		b, err := json.Marshal(e)
		if err != nil {
			return s.fail(st.ID, "save", err)
		}
		rows[i] = string(b)
	}
	opened, closed := instant(st.Opened), closedAt(st)
	q, args := s.q.create, []any{st.ID, string(state), due, len(rows), opened, escalation.TenantOf(st.ID), closed}
	if st.Version != 0 {
		q, args = s.q.update, []any{st.ID, st.Version, string(state), due, len(rows), s.owner, opened, closed}
	}
	if s.d.writingWith {
		var total int64
		err = s.db.QueryRowContext(ctx, q, append(args, "["+strings.Join(rows, ",")+"]")...).Scan(&total)
	} else {
		var cols *indexed // an update's, which it sets if they changed
		if st.Version != 0 {
			cols = &indexed{due, opened, closed}
		}
		err = s.saveTx(ctx, st.ID, q, args, rows, cols)
	}
	if errors.Is(err, sql.ErrNoRows) { // no row of that version
		return fmt.Errorf("sqlstore: ticket %q: save: %w", st.ID, escalation.ErrConflict)
	}
	if err != nil {
		return s.fail(st.ID, "save", err)
	}
	st.Version++
	return nil
}

// indexed are the values of a ticket's indexed columns that a save
// stores.
type indexed struct{ due, opened, closed any }

// saveTx saves a state with query q and appends the history rows after
// it, in a transaction. An update (q is s.q.update, with the state's
// indexed columns cols) returns which of them differ from the stored
// ones as well, and saveTx sets those.
func (s *Store) saveTx(ctx context.Context, id, q string, args []any, rows []string, cols *indexed) error {
	if s.prepared != nil {
		qs := []string{q, s.q.setDue}
		if len(rows) <= preparedRows {
			qs = append(qs, s.d.sql(insertHistory(len(rows))))
		}
		s.prepare(ctx, qs...)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit, a no-op
	var total int64
	var moved [3]bool // due, opened, closed
	dest := []any{&total}
	if cols != nil {
		dest = append(dest, &moved[0], &moved[1], &moved[2])
	}
	if err := s.statement(ctx, tx, q).row(args...).Scan(dest...); err != nil {
		return err
	}
	if moved != [3]bool{} {
		if err := s.setIndexed(ctx, tx, id, moved, cols); err != nil {
			return err
		}
	}
	if err := s.append(ctx, tx, id, total-int64(len(rows)), rows); err != nil {
		return err
	}
	return tx.Commit()
}

// setIndexed sets the indexed columns of ticket id that an update found
// different from the state's, cols: due, opened, closed, as moved says.
// Only those are set, so only their indexes are written.
func (s *Store) setIndexed(ctx context.Context, tx *sql.Tx, id string, moved [3]bool, cols *indexed) error {
	var set []string
	args := []any{id}
	for i, c := range []struct {
		name  string
		value any
	}{{"due", cols.due}, {"opened", cols.opened}, {"closed", cols.closed}} {
		if moved[i] {
			args = append(args, c.value)
			set = append(set, c.name+" = $"+strconv.Itoa(len(args)))
		}
	}
	_, err := s.statement(ctx, tx, setColumns(s.d, set)).exec(args...)
	return err
}

// setColumns is the UPDATE of ticket $1 that sets the columns set.
func setColumns(d Dialect, set []string) string {
	return d.sql("UPDATE ladder_tickets SET " + strings.Join(set, ", ") + " WHERE id = $1")
}

// historyBatch is how many entries one INSERT of saveTx writes, well
// below the parameters a SQLite statement may have.
const historyBatch = 200

// preparedRows is the most entries whose INSERT saveTx prepares, where
// the store prepares: an event appends one to a few; a larger save is
// rare, and its statement is not worth keeping on every connection.
const preparedRows = 8

// append inserts the ticket's history entries after entry seq.
func (s *Store) append(ctx context.Context, tx *sql.Tx, id string, seq int64, rows []string) error {
	for chunk := range slices.Chunk(rows, historyBatch) {
		args := make([]any, 1, 1+2*len(chunk))
		args[0] = id
		for _, row := range chunk {
			seq++
			args = append(args, seq, row)
		}
		if _, err := s.statement(ctx, tx, s.d.sql(insertHistory(len(chunk)))).exec(args...); err != nil {
			return err
		}
	}
	return nil
}

// insertHistory is the INSERT of n history entries of a ticket: its
// parameters are the ticket, then each entry's seq and text.
func insertHistory(n int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO ladder_history (ticket, seq, entry) VALUES ")
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("($1, $" + strconv.Itoa(2*i+2) + ", $" + strconv.Itoa(2*i+3) + ")")
	}
	return q.String()
}

// History returns the ticket's history, oldest first.
func (s *Store) History(ctx context.Context, id string) ([]escalation.Entry, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if !keepable(id) {
		return nil, notFound(id)
	}
	rows, err := s.statement(ctx, nil, s.q.history).rows(id)
	if err != nil {
		return nil, s.fail(id, "history", err)
	}
	defer rows.Close()
	var h []escalation.Entry
	for rows.Next() {
		var seq int64
		var text []byte
		if err := rows.Scan(&seq, &text); err != nil {
			return nil, s.fail(id, "history", err)
		}
		h = append(h, escalation.Entry{})
		if err := decodeEntry(id, seq, text, &h[len(h)-1]); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(id, "history", err)
	}
	if len(h) == 0 { // no entries: does the ticket exist?
		var one int
		err := s.statement(ctx, nil, s.q.exists).row(id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound(id)
		}
		if err != nil {
			return nil, s.fail(id, "history", err)
		}
	}
	return h, nil
}

// Tail returns the ticket's last n entries (all when it has fewer, or n
// < 0), oldest first, and how many it has, reading only those rows; it is
// escalation.TailStore's, which the engine uses to give a notification
// the end of the history.
func (s *Store) Tail(ctx context.Context, id string, n int) ([]escalation.Entry, int, error) {
	if n < 0 {
		h, err := s.History(ctx, id)
		return h, len(h), err
	}
	if err := s.check(ctx); err != nil {
		return nil, 0, err
	}
	if !keepable(id) {
		return nil, 0, notFound(id)
	}
	rows, err := s.statement(ctx, nil, s.q.tail).rows(id, n)
	if err != nil {
		return nil, 0, s.fail(id, "history", err)
	}
	defer rows.Close()
	var h []escalation.Entry
	total, found := int64(0), false
	for rows.Next() {
		var seq sql.NullInt64
		var text []byte
		if err := rows.Scan(&total, &seq, &text); err != nil {
			return nil, 0, s.fail(id, "history", err)
		}
		found = true
		if !seq.Valid { // the ticket has no entries, or n is 0
			continue
		}
		h = append(h, escalation.Entry{})
		if err := decodeEntry(id, seq.Int64, text, &h[len(h)-1]); err != nil {
			return nil, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, s.fail(id, "history", err)
	}
	if !found {
		return nil, 0, notFound(id)
	}
	return h, int(total), nil
}

// Due returns up to limit tickets due at or before now that no other
// replica's lease holds, earliest first and by id at the same instant, and
// claims them for this replica until now plus the lease, in one
// statement; on PostgreSQL, replicas claiming at once skip each other's
// rows (FOR UPDATE SKIP LOCKED). next is the earliest instant at which a
// ticket it did not return can be returned: its due, or the end of
// another replica's lease on it if that is later. limit 0 claims nothing.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]string, time.Time, error) {
	if err := s.check(ctx); err != nil {
		return nil, time.Time{}, err
	}
	at, err := nanos(now)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlstore: due: %w", err)
	}
	until, err := nanos(now.Add(s.lease))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlstore: due: lease: %w", err)
	}
	claimed, err := s.claim(ctx, at, until, limit)
	if err != nil {
		return nil, time.Time{}, err
	}
	var first, leased sql.NullInt64
	var row *sql.Row
	switch {
	case limit <= 0:
		row = s.statement(ctx, nil, s.q.nextAll).row(s.owner, at)
	case len(claimed) < limit:
		row = s.statement(ctx, nil, s.q.nextLater).row(s.owner, at)
	default:
		last := claimed[len(claimed)-1]
		row = s.statement(ctx, nil, s.q.nextAfter).row(s.owner, at, last.due, last.id)
	}
	if err := row.Scan(&first); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("sqlstore: due: %w", s.hint(err))
	}
	bound := int64(math.MaxInt64)
	if first.Valid {
		bound = first.Int64
	}
	if err := s.statement(ctx, nil, s.q.leased).row(s.owner, at, bound).Scan(&leased); err != nil {
		return nil, time.Time{}, fmt.Errorf("sqlstore: due: %w", s.hint(err))
	}
	var next time.Time
	switch {
	case first.Valid && (!leased.Valid || first.Int64 <= leased.Int64):
		next = time.Unix(0, first.Int64).UTC()
	case leased.Valid:
		next = time.Unix(0, leased.Int64).UTC()
	}
	var ids []string
	for _, c := range claimed {
		ids = append(ids, c.id)
	}
	return ids, next, nil
}

// claimed is a ticket Due claimed, and when it was due.
type claimed struct {
	id  string
	due int64
}

// claim leases up to limit due tickets until until and returns them in
// due order.
func (s *Store) claim(ctx context.Context, now, until int64, limit int) ([]claimed, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.statement(ctx, nil, s.q.claim).rows(s.owner, now, until, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: due: %w", s.hint(err))
	}
	defer rows.Close()
	var cs []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.id, &c.due); err != nil {
			return nil, fmt.Errorf("sqlstore: due: %w", s.hint(err))
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: due: %w", s.hint(err))
	}
	slices.SortFunc(cs, func(a, b claimed) int { return cmp.Or(cmp.Compare(a.due, b.due), strings.Compare(a.id, b.id)) })
	return cs, nil
}

// instant is t as a column compares it, for the opened column and the
// bounds of Histories and Upcoming: Unix nanoseconds, the smallest integer
// for the zero instant (a ticket not opened: it sorts first, as the zero
// time.Time does), and, for an instant outside the years a store keeps,
// the nearest end of them.
func instant(t time.Time) int64 {
	switch {
	case t.IsZero():
		return math.MinInt64
	case t.Year() < 1678:
		return math.MinInt64 + 1
	case t.Year() > 2261:
		return math.MaxInt64 - 1
	}
	return t.UnixNano()
}

// closedAt is the closed column of st: when it closed, or NULL.
func closedAt(st *escalation.State) any {
	if at := escalation.ClosedAt(st); !at.IsZero() {
		return instant(at)
	}
	return nil
}

// keepable reports whether a ticket of id can be in the database: an id
// that escalation.CheckSave refuses (not UTF-8, or with a NUL byte) is
// never saved, and PostgreSQL cannot even take it in a query.
func keepable(id string) bool { return utf8.ValidString(id) && strings.IndexByte(id, 0) < 0 }

// notFound is the error of a ticket the store does not have.
func notFound(id string) error {
	return fmt.Errorf("sqlstore: ticket %q: %w", id, escalation.ErrNotFound)
}

// nanos is t in Unix nanoseconds, the form instants take in the database.
func nanos(t time.Time) (int64, error) {
	if t.Year() < 1678 || t.Year() > 2261 {
		return 0, fmt.Errorf("instant %s is outside the years 1678 to 2261 that a store keeps", t.Format(time.RFC3339))
	}
	return t.UnixNano(), nil
}

// fail is the error of an operation on a ticket that the database refused.
func (s *Store) fail(id, op string, err error) error {
	return fmt.Errorf("sqlstore: ticket %q: %s: %w", id, op, s.hint(err))
}

// hint adds to a database's error what to do about it, where ladder knows:
// SQLite's "database is locked" means a writer waited less than the busy
// timeout, or none was set.
func (s *Store) hint(err error) error {
	msg := err.Error()
	if s.d == SQLite && (strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")) {
		return &BusyError{Err: err}
	}
	return err
}
