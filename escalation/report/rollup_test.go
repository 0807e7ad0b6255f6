package report_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// rollupOptions group the desk as a report that adds rollups may.
func rollupOptions() report.Options {
	return report.Options{Policies: []*escalation.Policy{policy()}, By: []string{"priority", "customer.vip", "start_team"}, ExactValues: -1}
}

// TestRollupAddsUp: for every split of the desk, the rollup of the first
// tickets added to the histories of the others reports what the
// histories of all report: counts, shares, notifications, feedback,
// rules, and percentiles (both from sketches).
func TestRollupAddsUp(t *testing.T) {
	ts := desk()
	want, err := report.Collect(t.Context(), seq(ts), rollupOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want.Groups[0].Notifications == 0 || want.Groups[0].FeedbackAverage == 0 {
		t.Fatal("the desk has no notifications or feedback to add up")
	}
	for k := range len(ts) + 1 {
		first, err := report.New(rollupOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts[:k] {
			if err := first.Add(tk.history()); err != nil {
				t.Fatal(err)
			}
		}
		data, err := first.Rollup()
		if err != nil {
			t.Fatal(err)
		}
		a, err := report.New(rollupOptions())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.AddRollup(data); err != nil {
			t.Fatalf("split %d: %v", k, err)
		}
		for _, tk := range ts[k:] {
			if err := a.Add(tk.history()); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(want, a.Report(), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("split after %d tickets (-histories +rollup):\n%s", k, diff)
		}
	}
}

// TestAddRollupRefuses: a rollup that cannot be added is refused whole,
// with every reason, and changes nothing.
func TestAddRollupRefuses(t *testing.T) {
	ts := desk()
	src, err := report.New(rollupOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if err := src.Add(tk.history()); err != nil {
			t.Fatal(err)
		}
	}
	good, err := src.Rollup()
	if err != nil {
		t.Fatal(err)
	}
	other := rollupOptions()
	other.By = []string{"priority", "week"}
	for _, c := range []struct {
		name, data string
		opts       report.Options
		want       []string
	}{
		{"not JSON", "{", rollupOptions(), []string{"rollup: unexpected end"}},
		{"a grouping missing", string(good), other, []string{`no grouping "week"`}},
		{"another format", strings.Replace(string(good), `"v":1`, `"v":9`, 1), rollupOptions(), []string{"format 9"}},
		{"other tiers", strings.Replace(string(good), `"tiers":["frontline"`, `"tiers":["first"`, 1), rollupOptions(), []string{"tiers"}},
		{"a bucket out of range", strings.Replace(string(good), `"pos":[[`, `"pos":[[99999999,1],[`, 1), rollupOptions(), []string{"out of range"}},
		{"a count that does not add up", strings.Replace(string(good), `"pos":[[`, `"pos":[[600,1],[`, 1), rollupOptions(), []string{"buckets counting"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := report.New(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Add(ts[0].history()); err != nil {
				t.Fatal(err)
			}
			before := a.Report()
			err = a.AddRollup([]byte(c.data))
			for _, w := range c.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to say %q", err, w)
				}
			}
			if diff := cmp.Diff(before, a.Report()); diff != "" {
				t.Errorf("a refused rollup changed the report:\n%s", diff)
			}
		})
	}
}

// FuzzAddRollup: no rollup, however corrupt, panics or is half added.
func FuzzAddRollup(f *testing.F) {
	src, err := report.New(rollupOptions())
	if err != nil {
		f.Fatal(err)
	}
	for _, tk := range desk() {
		if err := src.Add(tk.history()); err != nil {
			f.Fatal(err)
		}
	}
	good, err := src.Rollup()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"v":1,"tiers":[],"by":["all"],"groups":[{"by":"all","counts":{"reached_tier":[]},"flow":[],"hist":[0,0,0,0,0,0,0,0],"wait":{"n":1,"pos":[[-5,1]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := report.New(rollupOptions())
		if err != nil {
			t.Fatal(err)
		}
		before := a.Report()
		if err := a.AddRollup(data); err != nil {
			if diff := cmp.Diff(before, a.Report()); diff != "" {
				t.Errorf("a refused rollup changed the report:\n%s", diff)
			}
			return
		}
		_ = a.Report()
	})
}
