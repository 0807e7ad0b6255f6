package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// page is how many tickets Histories and Upcoming read with one query.
// Memory holds one page at a time: its states and, for Histories, their
// histories.
const page = 256

// Histories yields the tickets opened in [from, to) (a zero bound leaves
// its side open), ordered by opening instant and id, each with its whole
// history. It reads a page of tickets at a time, by the index on (opened,
// id), each page after the last ticket of the page before, then the
// page's histories in one query; it holds no rows while the caller's loop
// body runs. A ticket's entries are those of the state it yields: entries
// appended after the state was read are left out. Tickets saved by a
// version of ladder older than the schema's opened column (another
// replica's, during an upgrade) appear once Migrate has run again. A
// ticket whose stored state or history is corrupt ends the sequence with a
// *CorruptError.
func (s *Store) Histories(ctx context.Context, from, to time.Time) iter.Seq2[escalation.History, error] {
	return s.histories(ctx, from, to, s.q.opened, s.q.openedAfter)
}

// TenantHistories is Histories for the tickets of tenant alone (those
// whose keys escalation.TenantOf gives tenant), read by the index on
// (tenant, opened, id): its cost follows the tenant's tickets, not all
// the database holds. Tenant "" reads the tickets of no tenant.
func (s *Store) TenantHistories(ctx context.Context, tenant string, from, to time.Time) iter.Seq2[escalation.History, error] {
	if !keepable(tenant) {
		return func(func(escalation.History, error) bool) {} // no key holds it
	}
	return s.histories(ctx, from, to, s.q.tenantOpened, s.q.tenantOpenedAfter, tenant)
}

// histories yields the tickets of query first's page and then of the
// pages of query after, each given the bounds, the page's size, and the
// last ticket's key, then tail.
func (s *Store) histories(ctx context.Context, from, to time.Time, first, after string, tail ...any) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		fail := func(err error) { yield(escalation.History{}, err) }
		if err := s.check(ctx); err != nil {
			fail(err)
			return
		}
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if !from.IsZero() {
			lo = instant(from)
		}
		if !to.IsZero() {
			hi = instant(to)
		}
		var ps []paged[escalation.History]
		var err error
		for i := 0; ; i++ {
			if i == 0 {
				ps, err = s.historyPage(ctx, first, append([]any{lo, hi, page}, tail...)...)
			} else {
				last := ps[len(ps)-1]
				ps, err = s.historyPage(ctx, after, append([]any{hi, page, last.key, last.id}, tail...)...)
			}
			if err != nil {
				fail(err)
				return
			}
			for _, p := range ps {
				if err := ctx.Err(); err != nil {
					fail(fmt.Errorf("sqlstore: histories: %w", err))
					return
				}
				if !yield(p.v, nil) {
					return
				}
			}
			if len(ps) < page {
				return
			}
		}
	}
}

// historyPage reads a page of tickets with query q and then their
// histories.
func (s *Store) historyPage(ctx context.Context, q string, args ...any) ([]paged[escalation.History], error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: histories: %w", s.hint(err))
	}
	defer rows.Close()
	var ps []paged[escalation.History]
	var counts []int64 // the entries of each state
	for rows.Next() {
		var p paged[escalation.History]
		var version, entries int64
		var text []byte
		if err := rows.Scan(&p.id, &version, &text, &entries, &p.key); err != nil {
			return nil, fmt.Errorf("sqlstore: histories: %w", s.hint(err))
		}
		if p.v.State, err = decodeState(p.id, version, text); err != nil {
			return nil, err
		}
		ps = append(ps, p)
		counts = append(counts, entries)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: histories: %w", s.hint(err))
	}
	rows.Close() // before the next query: SQLite may have one connection
	if len(ps) == 0 {
		return nil, nil
	}
	return ps, s.entries(ctx, s.db, ps, counts)
}

// entries reads the histories of a page of tickets in one query, up to
// each ticket's count of entries, and gives each ticket its own. Each
// ticket's key is its opened column, which says where its history is.
func (s *Store) entries(ctx context.Context, db querier, ps []paged[escalation.History], counts []int64) error {
	var q strings.Builder
	q.WriteString("SELECT ticket, seq, entry FROM ladder_history WHERE ticket IN (")
	args := make([]any, len(ps))
	at := make(map[string]int, len(ps)) // by id: the ticket's position in ps
	for i, p := range ps {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("$" + strconv.Itoa(i+1))
		args[i] = p.id
		at[p.id] = i
	}
	q.WriteString(")")
	if s.d.partitioned { // the partitions of the page's opening months alone
		cond, bounds := openedWithin(ps, len(args))
		q.WriteString(cond)
		args = append(args, bounds...)
	}
	q.WriteString(" ORDER BY ticket, seq")
	rows, err := db.QueryContext(ctx, s.d.sql(q.String()), args...)
	if err != nil {
		return fmt.Errorf("sqlstore: histories: %w", s.hint(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var seq int64
		var text []byte
		if err := rows.Scan(&id, &seq, &text); err != nil {
			return fmt.Errorf("sqlstore: histories: %w", s.hint(err))
		}
		i, ok := at[id]
		if !ok || seq > counts[i] { // appended after the state was read
			continue
		}
		h := &ps[i].v
		if h.Entries == nil {
			h.Entries = make([]escalation.Entry, 0, counts[i])
		}
		h.Entries = append(h.Entries, escalation.Entry{})
		if err := decodeEntry(id, seq, text, &h.Entries[len(h.Entries)-1]); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: histories: %w", s.hint(err))
	}
	return nil
}

// Upcoming yields the tickets due at or before until, earliest first and
// by id at the same instant, whatever their leases; it claims nothing. It
// reads a page of tickets at a time, by the index Due uses, each page
// after the last ticket of the page before; it holds no rows while the
// caller's loop body runs, so a ticket saved meanwhile with a later due
// instant may come again in a later page. The states' timers are
// unbound, as Load's are. A ticket whose stored state is corrupt ends the
// sequence with a *CorruptError.
func (s *Store) Upcoming(ctx context.Context, until time.Time) iter.Seq2[*escalation.State, error] {
	return func(yield func(*escalation.State, error) bool) {
		fail := func(err error) { yield(nil, err) }
		if err := s.check(ctx); err != nil {
			fail(err)
			return
		}
		bound := instant(until)
		var ps []paged[*escalation.State]
		var err error
		for first := true; ; first = false {
			if first {
				ps, err = s.upcomingPage(ctx, s.q.upcoming, bound, page)
			} else {
				last := ps[len(ps)-1]
				ps, err = s.upcomingPage(ctx, s.q.upcomingAfter, bound, page, last.key, last.id)
			}
			if err != nil {
				fail(err)
				return
			}
			for _, p := range ps {
				if err := ctx.Err(); err != nil {
					fail(fmt.Errorf("sqlstore: upcoming: %w", err))
					return
				}
				if !yield(p.v, nil) {
					return
				}
			}
			if len(ps) < page {
				return
			}
		}
	}
}

// openedWithin is the condition that reads the history rows of tickets ps
// from the partitions of their opening months alone, " AND opened >= $n
// AND opened <= $m" after the first after parameters, and its arguments:
// the least and greatest opened columns (their keys) of ps.
func openedWithin[T any](ps []paged[T], after int) (string, []any) {
	lo, hi := ps[0].key, ps[0].key
	for _, p := range ps {
		lo, hi = min(lo, p.key), max(hi, p.key)
	}
	return " AND opened >= $" + strconv.Itoa(after+1) + " AND opened <= $" + strconv.Itoa(after+2), []any{lo, hi}
}

// querier runs queries: *sql.DB, *sql.Tx, or a prepared statement
// (preparedStmt).
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// paged is a ticket read in a page, with the key the next page goes on
// from: its id and the column the pages are ordered by.
type paged[T any] struct {
	v   T
	id  string
	key int64
}

// upcomingPage reads a page of due tickets with query q.
func (s *Store) upcomingPage(ctx context.Context, q string, args ...any) ([]paged[*escalation.State], error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: upcoming: %w", s.hint(err))
	}
	defer rows.Close()
	var ps []paged[*escalation.State]
	for rows.Next() {
		var p paged[*escalation.State]
		var version int64
		var text []byte
		if err := rows.Scan(&p.id, &version, &text, &p.key); err != nil {
			return nil, fmt.Errorf("sqlstore: upcoming: %w", s.hint(err))
		}
		if p.v, err = decodeState(p.id, version, text); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: upcoming: %w", s.hint(err))
	}
	return ps, nil
}
