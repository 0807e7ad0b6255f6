package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Prune deletes the tickets closed before closedBefore that have nothing
// due (a notification still to deliver keeps a ticket), with their
// histories, batch tickets at a time, oldest closed first, by the index on
// the closing instant. Each batch is one transaction: the batch's rows are
// locked (PostgreSQL skips a ticket another replica is saving; a later
// Prune takes it), read, folded into the rollups by fold, and deleted, and
// the rollups fold put are written, or nothing is. Live work on other
// tickets does not wait for it; a save of a ticket in the batch waits for
// the batch and then finds the ticket gone. Replicas pruning at once take
// turns, a batch at a time. See escalation.Pruner.
func (s *Store) Prune(ctx context.Context, closedBefore time.Time, batch int, fold escalation.Fold) (int, error) {
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	if err := escalation.CheckPrune(batch, fold); err != nil {
		return 0, err
	}
	before := instant(closedBefore)
	pruned := 0
	for {
		if err := ctx.Err(); err != nil {
			return pruned, fmt.Errorf("sqlstore: prune: %w", err)
		}
		n, err := s.pruneBatch(ctx, before, batch, fold)
		pruned += n
		if err != nil || n < batch {
			return pruned, err
		}
	}
}

// pruneBatch folds and deletes up to batch tickets closed before before,
// in one transaction.
func (s *Store) pruneBatch(ctx context.Context, before int64, batch int, fold escalation.Fold) (int, error) {
	fail := func(err error) error { return fmt.Errorf("sqlstore: prune: %w", s.hint(err)) }
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fail(err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if s.d.pruneLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.pruneLock); err != nil {
			return 0, fail(err)
		}
	}
	rows, err := tx.QueryContext(ctx, s.d.sql("SELECT id, version, state, entries, opened FROM ladder_tickets "+
		"WHERE closed IS NOT NULL AND closed < $1 AND due IS NULL ORDER BY closed, id LIMIT $2"+s.d.skipLocked), before, batch)
	if err != nil {
		return 0, fail(err)
	}
	var ps []paged[escalation.History]
	var counts []int64
	for rows.Next() {
		var p paged[escalation.History]
		var version, entries int64
		var text []byte
		var opened sql.NullInt64 // NULL: never saved with an opening instant
		if err := rows.Scan(&p.id, &version, &text, &entries, &opened); err != nil {
			rows.Close()
			return 0, fail(err)
		}
		if p.v.State, err = decodeState(p.id, version, text); err != nil {
			rows.Close()
			return 0, err
		}
		p.key = opened.Int64
		ps = append(ps, p)
		counts = append(counts, entries)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, fail(err)
	}
	if len(ps) == 0 {
		return 0, nil
	}
	if err := s.entries(ctx, tx, ps, counts); err != nil {
		return 0, err
	}
	hs := make([]escalation.History, len(ps))
	ids := make([]any, len(ps))
	for i, p := range ps {
		hs[i], ids[i] = p.v, p.id
	}
	if err := fold(hs, &txRollups{ctx: ctx, tx: tx, s: s}); err != nil {
		return 0, fmt.Errorf("sqlstore: prune: %w", err)
	}
	in := make([]string, len(ids))
	for i := range ids {
		in[i] = "$" + strconv.Itoa(i+1)
	}
	list := "(" + strings.Join(in, ", ") + ")"
	history := "DELETE FROM ladder_history WHERE ticket IN " + list
	hargs := ids
	if s.d.partitioned { // the partitions of the batch's opening months alone
		cond, bounds := openedWithin(ps, len(ids))
		history += cond
		hargs = append(slices.Clone(ids), bounds...)
	}
	for _, d := range []struct {
		q    string
		args []any
	}{{history, hargs}, {"DELETE FROM ladder_tickets WHERE id IN " + list, ids}} {
		if _, err := tx.ExecContext(ctx, s.d.sql(d.q), d.args...); err != nil {
			return 0, fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fail(err)
	}
	return len(ps), nil
}

// txRollups are the rollups a fold reads and writes, in its batch's
// transaction.
type txRollups struct {
	ctx context.Context
	tx  *sql.Tx
	s   *Store
}

func (r *txRollups) Get(tenant, key string) ([]byte, error) {
	var data []byte
	err := r.tx.QueryRowContext(r.ctx, r.s.d.sql("SELECT data FROM ladder_rollups WHERE tenant = $1 AND key = $2"), tenant, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rollup %q of tenant %q: %w", key, tenant, r.s.hint(err))
	}
	return data, nil
}

func (r *txRollups) Put(tenant, key string, data []byte) error {
	_, err := r.tx.ExecContext(r.ctx, r.s.d.sql("INSERT INTO ladder_rollups (tenant, key, data) VALUES ($1, $2, $3) "+
		"ON CONFLICT (tenant, key) DO UPDATE SET data = excluded.data"), tenant, key, string(data))
	if err != nil {
		return fmt.Errorf("sqlstore: rollup %q of tenant %q: %w", key, tenant, r.s.hint(err))
	}
	return nil
}

// rollupPage is how many rollups Rollups reads with one query.
const rollupPage = 64

// Rollups yields the tenant's rollups by key, a page at a time, holding no
// rows while the caller's loop body runs.
func (s *Store) Rollups(ctx context.Context, tenant string) iter.Seq2[escalation.Rollup, error] {
	return func(yield func(escalation.Rollup, error) bool) {
		fail := func(err error) { yield(escalation.Rollup{}, fmt.Errorf("sqlstore: rollups: %w", s.hint(err))) }
		if err := s.check(ctx); err != nil {
			yield(escalation.Rollup{}, err)
			return
		}
		if !keepable(tenant) {
			return
		}
		first := s.d.sql("SELECT key, data FROM ladder_rollups WHERE tenant = $1 AND key >= $2 ORDER BY key LIMIT $3")
		next := s.d.sql("SELECT key, data FROM ladder_rollups WHERE tenant = $1 AND key > $2 ORDER BY key LIMIT $3")
		q, after := first, ""
		for {
			rows, err := s.db.QueryContext(ctx, q, tenant, after, rollupPage)
			if err != nil {
				fail(err)
				return
			}
			var rs []escalation.Rollup
			for rows.Next() {
				r := escalation.Rollup{Tenant: tenant}
				if err := rows.Scan(&r.Key, &r.Data); err != nil {
					rows.Close()
					fail(err)
					return
				}
				rs = append(rs, r)
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				fail(err)
				return
			}
			for _, r := range rs {
				if !yield(r, nil) {
					return
				}
			}
			if len(rs) < rollupPage {
				return
			}
			q, after = next, rs[len(rs)-1].Key
		}
	}
}
