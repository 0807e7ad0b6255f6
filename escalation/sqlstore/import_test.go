package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
)

// imported is ticket i of an import: due every minute from t0 for the
// even ones, never for the odd ones; i%5 history entries.
func imported(i int) escalation.History {
	id := escalation.TicketKey(fmt.Sprintf("desk-%d", i%3), fmt.Sprintf("T-%05d", i))
	st := &escalation.State{ID: id, Version: int64(1 + i%4), Policy: "v1", Opened: t0.Add(time.Duration(i) * time.Second), Tier: "frontline"}
	if i%2 == 0 {
		st.Due = t0.Add(time.Duration(i) * time.Minute)
	}
	var entries []escalation.Entry
	for k := range i % 5 {
		entries = append(entries, escalation.Entry{At: st.Opened.Add(time.Duration(k) * time.Minute), What: "opened", Note: fmt.Sprint(id, "#", k)})
	}
	return escalation.History{State: st, Entries: entries}
}

// seqOf yields histories, then err if it is not nil.
func seqOf(hs []escalation.History, err error) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		for _, h := range hs {
			if !yield(h, nil) {
				return
			}
		}
		if err != nil {
			yield(escalation.History{}, err)
		}
	}
}

// TestImport: 2,500 tickets in three batches read back as they were
// given; the store claims, updates and reports them like saved ones.
func TestImport(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		s := ss[0]
		var hs []escalation.History
		for i := range 2500 {
			hs = append(hs, imported(i))
		}
		n, err := s.Import(ctx, seqOf(hs, nil))
		if err != nil || n != len(hs) {
			t.Fatalf("Import: %d, %v", n, err)
		}
		for _, i := range []int{0, 1, 999, 1000, 1001, 2499} {
			want := imported(i)
			st, err := s.Load(ctx, want.State.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.Version != want.State.Version || !st.Due.Equal(want.State.Due) || !st.Opened.Equal(want.State.Opened) {
				t.Errorf("%s: version %d due %v opened %v; want %d, %v, %v", st.ID, st.Version, st.Due, st.Opened, want.State.Version, want.State.Due, want.State.Opened)
			}
			h, err := s.History(ctx, want.State.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(h, want.Entries) {
				t.Errorf("%s: history %+v, want %+v", st.ID, h, want.Entries)
			}
			// An imported ticket saves on from its version.
			if err := s.Save(ctx, st, []escalation.Entry{{At: t0, What: "note"}}); err != nil {
				t.Errorf("%s: save after the import: %v", st.ID, err)
			}
		}
		// The even tickets are due a minute apart: at t0 + 10m, 0 to 10.
		ids, _, err := s.Due(ctx, t0.Add(10*time.Minute), 100)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := 0; i <= 10; i += 2 {
			want = append(want, imported(i).State.ID)
		}
		if !cmp.Equal(ids, want) {
			t.Errorf("Due: %q, want %q", ids, want)
		}
		count := 0
		for h, err := range s.TenantHistories(ctx, "desk-1", time.Time{}, time.Time{}) {
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(h.State.ID, "desk-1/") {
				t.Errorf("desk-1's histories hold %s", h.State.ID)
			}
			count++
		}
		if count != 833 { // i%3 == 1 for i < 2500
			t.Errorf("desk-1 has %d tickets, want 833", count)
		}
	})
}

// TestImportRefuses: a batch with a ticket that exists, one given twice
// and one no store keeps is written not at all, and the error names each;
// the batches before it are stored, and n counts them.
func TestImportRefuses(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		_, ss := stores(t, b, 1)
		s := ss[0]
		save(t, s, "desk-0/T-01500", 0, time.Time{}) // exists already: ticket 1500
		var hs []escalation.History
		for i := range 2000 {
			hs = append(hs, imported(i))
		}
		hs[1200].State.ID = "bad\x00id"
		hs[1300] = imported(1100) // twice
		n, err := s.Import(ctx, seqOf(hs, nil))
		if n != 1000 {
			t.Errorf("stored %d, want the first batch's 1,000", n)
		}
		if !errors.Is(err, escalation.ErrLimit) || !errors.Is(err, escalation.ErrConflict) {
			t.Errorf("the error wraps neither ErrLimit nor ErrConflict: %v", err)
		}
		for _, named := range []string{`"bad\x00id"`, imported(1100).State.ID} {
			if err == nil || !strings.Contains(err.Error(), named) {
				t.Errorf("the error does not name %s: %v", named, err)
			}
		}
		for _, i := range []int{999, 1000, 1001, 1999} {
			_, err := s.Load(ctx, imported(i).State.ID)
			if stored := err == nil; stored != (i < 1000) {
				t.Errorf("ticket %d stored: %v", i, stored)
			}
		}
		// Without the bad ticket and the repeat, the existing ticket alone
		// stops the second batch.
		hs[1200], hs[1300] = imported(1200), imported(1300)
		n, err = s.Import(ctx, seqOf(hs[1000:], nil))
		if n != 0 || !errors.Is(err, escalation.ErrConflict) || !strings.Contains(err.Error(), "desk-0/T-01500") || strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("the existing ticket: %d, %v", n, err)
		}
		// An error of the sequence stops the import after what it stored.
		stop := errors.New("the source failed")
		n, err = s.Import(ctx, seqOf([]escalation.History{imported(3000)}, stop))
		if n != 0 || !errors.Is(err, stop) {
			t.Errorf("a failing source: %d, %v", n, err)
		}
		if _, err := s.Load(ctx, imported(3000).State.ID); !errors.Is(err, escalation.ErrNotFound) {
			t.Errorf("a ticket before the source failed, in its batch, was stored: %v", err)
		}
	})
}
