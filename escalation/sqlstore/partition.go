package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// partitionsAhead is how many months past its latest ticket's opening
// month Migrate creates history partitions for.
const partitionsAhead = 12

// Partitions creates the monthly partitions of PostgreSQL's history from
// the month of the earliest ticket through the month of through, moving
// into each new one the rows the default partition holds for its month,
// and drops the partitions of months before the earliest ticket's, which
// Prune has emptied. Migrate calls it through 12 months past the latest
// ticket's opening; a service calls it at start and then every month
// (through its clock's now and a few months), so that its tickets' rows
// never wait in the default partition. It takes Migrate's lock, so
// replicas may call it at once. On SQLite it does nothing.
func (s *Store) Partitions(ctx context.Context, through time.Time) error {
	if !s.d.partitioned {
		return nil
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: partitions: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
		return fmt.Errorf("sqlstore: partitions: %w", err)
	}
	if err := s.partition(ctx, tx, through); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: partitions: %w", err)
	}
	return nil
}

// month is a month of history: its partition's name and the range of
// opening instants it holds, [lo, hi).
type month struct {
	name   string
	lo, hi int64
}

// monthOf is the month of t, in UTC.
func monthOf(t time.Time) month {
	t = t.UTC()
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return month{name: fmt.Sprintf("ladder_history_%04d_%02d", t.Year(), int(t.Month())), lo: start.UnixNano(), hi: start.AddDate(0, 1, 0).UnixNano()}
}

// partition creates the partitions from the earliest ticket's month
// through the month of through, and drops the empty ones before it.
func (s *Store) partition(ctx context.Context, tx *sql.Tx, through time.Time) error {
	fail := func(err error) error { return fmt.Errorf("sqlstore: partitions: %w", err) }
	var earliest sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MIN(opened) FROM ladder_tickets WHERE opened > $1 AND opened < $2",
		int64(math.MinInt64+1), int64(math.MaxInt64-1)).Scan(&earliest); err != nil {
		return fail(err)
	}
	if through.Year() < 1678 || through.Year() > 2261 {
		return fail(fmt.Errorf("through %s: outside the years 1678 to 2261 that a store keeps", through.Format(time.RFC3339)))
	}
	last := monthOf(through)
	first := last
	if earliest.Valid && earliest.Int64 < last.lo {
		first = monthOf(time.Unix(0, earliest.Int64))
	}
	have, err := s.partitions(ctx, tx)
	if err != nil {
		return fail(err)
	}
	for _, m := range have {
		if m.hi > first.lo {
			continue
		}
		var any int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+m.name+" LIMIT 1").Scan(&any)
		if errors.Is(err, sql.ErrNoRows) { // before every ticket, and empty: pruned
			if _, err := tx.ExecContext(ctx, "DROP TABLE "+m.name); err != nil {
				return fail(err)
			}
			continue
		}
		if err != nil {
			return fail(err)
		}
	}
	for m := first; m.lo <= last.lo; m = monthOf(time.Unix(0, m.hi)) {
		if _, ok := have[m.name]; ok {
			continue
		}
		var waiting int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM ladder_history_default WHERE opened >= $1 AND opened < $2", m.lo, m.hi).Scan(&waiting); err != nil {
			return fail(err)
		}
		bounds := fmt.Sprintf("FOR VALUES FROM (%d) TO (%d)", m.lo, m.hi)
		if waiting == 0 {
			if _, err := tx.ExecContext(ctx, "CREATE TABLE "+m.name+" PARTITION OF ladder_history "+bounds); err != nil {
				return fail(err)
			}
			continue
		}
		// Rows wait in the default partition: they move to the new one,
		// which is attached once the default holds none of its month.
		for _, q := range []string{
			"CREATE TABLE " + m.name + " (LIKE ladder_history INCLUDING DEFAULTS)",
			fmt.Sprintf("INSERT INTO %s SELECT * FROM ladder_history_default WHERE opened >= %d AND opened < %d", m.name, m.lo, m.hi),
			fmt.Sprintf("DELETE FROM ladder_history_default WHERE opened >= %d AND opened < %d", m.lo, m.hi),
			"ALTER TABLE ladder_history ATTACH PARTITION " + m.name + " " + bounds,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// partitions are the month partitions the history has, by name.
func (s *Store) partitions(ctx context.Context, tx *sql.Tx) (map[string]month, error) {
	rows, err := tx.QueryContext(ctx, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "+
		"WHERE i.inhparent = 'ladder_history'::regclass")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]month{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		var y, mo int
		if _, err := fmt.Sscanf(strings.TrimPrefix(name, "ladder_history_"), "%04d_%02d", &y, &mo); err != nil {
			continue // the default partition
		}
		have[name] = monthOf(time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC))
	}
	return have, rows.Err()
}

// partitionAhead moves the history rows written without their ticket's
// opening instant (by an older ladder, during an upgrade) to their
// ticket's month, and creates the partitions through 12 months past the
// latest ticket's month.
func (s *Store) partitionAhead(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "UPDATE ladder_history h SET opened = t.opened FROM ladder_tickets t "+
		"WHERE h.opened = -9223372036854775808 AND h.ticket = t.id AND t.opened <> -9223372036854775808"); err != nil {
		return fmt.Errorf("sqlstore: migrate: partitions: %w", err)
	}
	var latest sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(opened) FROM ladder_tickets WHERE opened > $1 AND opened < $2",
		int64(math.MinInt64+1), int64(math.MaxInt64-1)).Scan(&latest); err != nil {
		return fmt.Errorf("sqlstore: migrate: partitions: %w", err)
	}
	if !latest.Valid {
		return nil
	}
	return s.partition(ctx, tx, time.Unix(0, latest.Int64).AddDate(0, partitionsAhead, 0))
}

// partitionHistory fills the partitioned history that migration 0006
// created with the rows of the table it replaced, once the months they
// need exist, and drops that table.
func (s *Store) partitionHistory(ctx context.Context, tx *sql.Tx) error {
	if err := s.partitionAhead(ctx, tx); err != nil {
		return err
	}
	for _, q := range []string{
		"INSERT INTO ladder_history (ticket, seq, entry, opened) SELECT h.ticket, h.seq, h.entry, COALESCE(t.opened, -9223372036854775808) " +
			"FROM ladder_history_unpartitioned h LEFT JOIN ladder_tickets t ON t.id = h.ticket",
		"DROP TABLE ladder_history_unpartitioned",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrate: partitions: %w", err)
		}
	}
	return nil
}
