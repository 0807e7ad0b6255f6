package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/ladder-go/ladder/escalation"
)

// importBatch is how many tickets one transaction of Import writes, with
// one INSERT for their states and one for every 5,000 of their entries:
// 8,000 and 15,000 parameters, within what SQLite (32,766) and
// PostgreSQL (65,535) take in a statement.
const (
	importBatch   = 1000
	importEntries = 5000
)

// Import stores tickets that do not exist yet, each with its whole
// history, many at once: a bulk load of the tickets of a helpdesk that
// starts using ladder, or of another store's. A state is stored at its
// Version (1 if it has none) with its Due, Opened and tenant as Save
// stores them, and no lease.
//
// Import writes a batch of tickets at a time, each batch in one
// transaction of two multi-row INSERTs (the states, then their entries),
// so that live work waits for one batch at most. A batch in which a
// ticket is refused (see escalation.CheckSave), exists already, or comes
// twice is not written: the error lists every such ticket of the batch
// (errors.Is finds escalation.ErrLimit and escalation.ErrConflict), and
// Import stops there. n is how many tickets the batches before it stored,
// so the caller may resume after them. An error of the sequence stops
// Import in the same way. After 10,000 tickets or more, Import updates
// PostgreSQL's planner statistics (ANALYZE), so that the store's queries
// use their indexes at once. After a large import, run VACUUM (ANALYZE)
// on ladder_tickets and ladder_history before live work: otherwise the
// first events to touch the new rows pay for setting their hint bits,
// beside autovacuum's first pass over them.
func (s *Store) Import(ctx context.Context, tickets iter.Seq2[escalation.History, error]) (n int, err error) {
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	batch := make([]escalation.History, 0, importBatch)
	for h, err := range tickets {
		if err != nil {
			return n, fmt.Errorf("sqlstore: import: after %d tickets: %w", n, err)
		}
		if batch = append(batch, h); len(batch) == importBatch {
			if err := s.importBatch(ctx, batch); err != nil {
				return n, err
			}
			n += len(batch)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := s.importBatch(ctx, batch); err != nil {
			return n, err
		}
		n += len(batch)
	}
	if n >= analyzeAfter && s.d.analyze != "" {
		// The planner's statistics do not know of the rows yet: they
		// would choose scans of the whole table until autovacuum's next
		// analysis.
		if _, err := s.db.ExecContext(ctx, s.d.analyze); err != nil {
			return n, fmt.Errorf("sqlstore: import: after %d tickets: %w", n, s.hint(err))
		}
	}
	return n, nil
}

// analyzeAfter is how many tickets Import loads before it updates the
// planner's statistics.
const analyzeAfter = 10 * importBatch

// importBatch writes a batch of new tickets in one transaction, or none of
// them.
func (s *Store) importBatch(ctx context.Context, batch []escalation.History) error {
	var refused []error
	seen := make(map[string]bool, len(batch))
	for _, h := range batch {
		if h.State == nil {
			refused = append(refused, errors.New("sqlstore: import: a ticket without a state"))
			continue
		}
		if err := escalation.CheckSave(h.State, h.Entries); err != nil {
			refused = append(refused, fmt.Errorf("sqlstore: ticket %q: import: %w", h.State.ID, err))
		} else if seen[h.State.ID] {
			refused = append(refused, fmt.Errorf("sqlstore: ticket %q: import: twice in a batch: %w", h.State.ID, escalation.ErrConflict))
		}
		seen[h.State.ID] = true
	}
	if len(refused) > 0 {
		return errors.Join(refused...)
	}
	var q strings.Builder
	q.WriteString("INSERT INTO ladder_tickets (id, version, state, due, entries, opened, tenant, closed) VALUES ")
	args := make([]any, 0, 8*len(batch))
	for i, h := range batch {
		st := h.State
		state, err := json.Marshal(st)
		if err != nil {
			return s.fail(st.ID, "import", err)
		}
		var due any
		if !st.Due.IsZero() {
			due = st.Due.UnixNano() // CheckSave kept it within the years a store keeps
		}
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(placeholders(len(args), 8))
		args = append(args, st.ID, max(st.Version, 1), string(state), due, len(h.Entries), instant(st.Opened), escalation.TenantOf(st.ID), closedAt(st))
	}
	q.WriteString(" ON CONFLICT (id) DO NOTHING RETURNING id")
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: import: %w", s.hint(err))
	}
	defer tx.Rollback() // after Commit, a no-op
	rows, err := tx.QueryContext(ctx, s.d.sql(q.String()), args...)
	if err != nil {
		return fmt.Errorf("sqlstore: import: %w", s.hint(err))
	}
	stored := make(map[string]bool, len(batch))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: import: %w", s.hint(err))
		}
		stored[id] = true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("sqlstore: import: %w", s.hint(err))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: import: %w", s.hint(err))
	}
	if len(stored) < len(batch) {
		for _, h := range batch {
			if !stored[h.State.ID] {
				refused = append(refused, fmt.Errorf("sqlstore: ticket %q: import: %w", h.State.ID, escalation.ErrConflict))
			}
		}
		return errors.Join(refused...)
	}
	if err := s.importEntries(ctx, tx, batch); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: import: %w", s.hint(err))
	}
	return nil
}

// importEntries inserts the histories of a batch of tickets, numbered from
// 1, importEntries rows a statement.
func (s *Store) importEntries(ctx context.Context, tx *sql.Tx, batch []escalation.History) error {
	type row struct {
		id     string
		seq    int
		e      *escalation.Entry
		opened int64
	}
	var all []row
	for _, h := range batch {
		for i := range h.Entries {
			all = append(all, row{h.State.ID, i + 1, &h.Entries[i], instant(h.State.Opened)})
		}
	}
	columns := 3
	if s.d.partitioned {
		columns = 4 // and opened, which picks the partition
	}
	for chunk := range slices.Chunk(all, importEntries) {
		var q strings.Builder
		q.WriteString("INSERT INTO ladder_history (ticket, seq, entry")
		if s.d.partitioned {
			q.WriteString(", opened")
		}
		q.WriteString(") VALUES ")
		args := make([]any, 0, columns*len(chunk))
		for i, r := range chunk {
			text, err := json.Marshal(r.e)
			if err != nil {
				return s.fail(r.id, "import", err)
			}
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(placeholders(len(args), columns))
			args = append(args, r.id, r.seq, string(text))
			if s.d.partitioned {
				args = append(args, r.opened)
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.sql(q.String()), args...); err != nil {
			return fmt.Errorf("sqlstore: import: %w", s.hint(err))
		}
	}
	return nil
}

// placeholders is a row of n parameters after the first `after`:
// "($after+1, ..., $after+n)".
func placeholders(after, n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(after+i+1))
	}
	b.WriteByte(')')
	return b.String()
}
