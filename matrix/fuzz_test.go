package matrix_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ladder-go/ladder/matrix"
)

// FuzzMatrixJSON checks that Parse never panics, that it fails with
// errors of this package only, that a document that encoding/json cannot
// decode into a Spec for a reason other than a duration fails with the same
// error, and that a matrix that parses round-trips through JSON to an equal
// spec, renders, and answers lookups.
func FuzzMatrixJSON(f *testing.F) {
	f.Add(docDocument(f))
	for _, spec := range []matrix.Spec{base(), settled(), matrix.ITIL3x3(), matrix.ITIL5x5()} {
		data, err := json.Marshal(spec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, doc := range []string{
		"", "{", "null", "[]", "{}", `{"impacts": 3}`, `{"impact": []}`, "{} x",
		`{"impacts": ["High", "High"], "urgencies": [""], "grid": [["P1"], []], "priorities": [{"name": "P1", "goals": []}]}`,
		`{"impacts": ["A"], "urgencies": ["B"], "grid": [["P1"]], "priorities": [{"name": "P1",
		  "goals": [{"metric": "resolution", "target": "-4h"}],
		  "levels": [{"clock": "percent", "metric": "resolution", "percent": 120, "tier": "frontline"},
		             {"clock": "since_open", "after": "0s", "tier": "nowhere"},
		             {"clock": "in_tier", "after": "4 hours", "tier": "frontline"}]}]}`,
		`{"impacts": ["A"], "urgencies": ["B"], "grid": [["P1"]], "priorities": [{"name": "P1",
		  "goals": [{"metric": "resolution", "target": "4h"}],
		  "levels": [{"clock": "in_tier", "after": "2h", "tier": "specialists", "notify": []},
		             {"clock": "in_tier", "after": "1h", "tier": "specialists", "notify": ["a", "a"]}]}]}`,
		`{"impacts": ["A"], "urgencies": ["B"], "grid": [["P1"]], "priorities": [{"name": "P1",
		  "goals": [{"metric": "resolution", "target": 3600}, {"metric": "first_response", "target": null}],
		  "levels": [{"clock": "since_open", "after": {"h": 1}, "tier": "frontline"},
		             {"clock": "percent", "after": ["1h"], "metric": "resolution", "percent": 50, "tier": "frontline"},
		             {"after": true, "tier": "frontline"}]}]}`,
		`{"priorities": [{"levels": [{"after": "4 hours", "percent": "50"}], "goals": [{"target": "x", "metric": 1}]}]}`,
		// The settings: valid, unknown, of the wrong type, misspelt.
		`{"impacts": ["A", "B"], "urgencies": ["C"], "default_impact": "B", "default_urgency": "C", "grid": [["P1"], ["P2"]], "priorities": [
		  {"name": "P1", "start_tier": "specialists", "goals": [{"metric": "resolution", "target": "4h"}],
		   "levels": [{"clock": "in_tier", "after": "1h", "tier": "engineering"}]},
		  {"name": "P2", "start_tier": "", "goals": [{"metric": "resolution", "target": "8h"}]}]}`,
		`{"impacts": ["A"], "urgencies": ["C"], "default_impact": "a", "default_urgency": "", "grid": [["P1"]], "priorities": [
		  {"name": "P1", "start_tier": "nowhere", "goals": [{"metric": "resolution", "target": "4 hours"}]}]}`,
		`{"impacts": [], "urgencies": null, "default_impact": "A", "default_urgency": "C", "priorities": [{"name": "P1", "start_tier": " frontline"}]}`,
		`{"default_impact": 1, "priorities": [{"start_tier": ["frontline"]}]}`,
		`{"default_urgency": {}, "priorities": [{"start_tier": null}]}`,
		`{"priorities": [{"name": "P1", "start": "frontline"}]}`,
		`{"priorities": [{"levels": [{"start_tier": "frontline"}]}]}`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := matrix.Parse(data, tiers)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var typeErr *json.UnmarshalTypeError
		if decodeErr := dec.Decode(new(matrix.Spec)); decodeErr != nil && decodeErr != io.EOF &&
			!(errors.As(decodeErr, &typeErr) && typeErr.Type == reflect.TypeFor[matrix.Duration]()) {
			if err == nil || !strings.HasSuffix(err.Error(), ": "+decodeErr.Error()) {
				t.Fatalf("Parse: %v\nwant the error of decoding a Spec: %v", err, decodeErr)
			}
		}
		if err != nil {
			if m != nil {
				t.Fatal("Parse returned a matrix along with its error")
			}
			for line := range strings.Lines(err.Error()) {
				if !strings.HasPrefix(line, "matrix: ") {
					t.Fatalf("error line %q lacks the package prefix", line)
				}
			}
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := matrix.Parse(out, tiers)
		if err != nil {
			t.Fatalf("Parse(Marshal(m)) = %v\n%s", err, out)
		}
		// An empty notify list is absent from the output, so it comes back nil.
		if diff := cmp.Diff(m.Spec(), back.Spec(), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-parsed +reparsed):\n%s", diff)
		}

		_, _ = m.Markdown(), m.Text()
		spec := m.Spec()
		impact, urgency := m.Defaults()
		if impact != spec.DefaultImpact || urgency != spec.DefaultUrgency {
			t.Fatalf("Defaults() = %q, %q; the spec has %q, %q", impact, urgency, spec.DefaultImpact, spec.DefaultUrgency)
		}
		if impact != "" && !slices.Contains(spec.Impacts, impact) || urgency != "" && !slices.Contains(spec.Urgencies, urgency) {
			t.Fatalf("Defaults() = %q, %q; want labels of %q and %q", impact, urgency, spec.Impacts, spec.Urgencies)
		}
		for _, p := range spec.Priorities {
			if tier, ok := m.StartTier(p.Name); !ok || tier != p.StartTier || tier != "" && !slices.Contains(tiers, tier) {
				t.Fatalf("StartTier(%q) = %q, %v; the spec has %q", p.Name, tier, ok, p.StartTier)
			}
		}
		for i, impact := range spec.Impacts {
			for u, urgency := range spec.Urgencies {
				if p, ok := m.Priority(impact, urgency); !ok || p != spec.Grid[i][u] {
					t.Fatalf("Priority(%q, %q) = %q, %v; want %q", impact, urgency, p, ok, spec.Grid[i][u])
				}
			}
		}
		for _, p := range spec.Priorities {
			for reached := -1; reached <= len(p.Levels)+1; reached++ {
				st, ok := m.Level(p.Name, matrix.Progress{Reached: reached, SinceOpen: time.Hour, InTier: time.Hour, Percent: map[string]float64{"resolution": 50}})
				if !ok || st.Current < min(max(reached, 0), len(p.Levels))-1 || st.Next >= len(p.Levels) || (st.Next >= 0 && st.Next != st.Current+1) {
					t.Fatalf("Level(%q, reached %d) = %+v, %v", p.Name, reached, st, ok)
				}
			}
		}
	})
}

// FuzzDurationJSON checks that a duration that reads from JSON writes back
// to the same value, and reads as time.ParseDuration does.
func FuzzDurationJSON(f *testing.F) {
	for _, s := range []string{"30m", "1h30m", "-5m", "1.5s", "0", "", "4 hours", "2562047h47m16.854775807s", "-2562047h47m16.854775808s", "9999999h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := json.Marshal(s)
		if err != nil {
			t.Skip("not a JSON string")
		}
		var d matrix.Duration
		err = json.Unmarshal(in, &d)
		want, parseErr := time.ParseDuration(s)
		if (err == nil) != (parseErr == nil) || (err == nil && time.Duration(d) != want) {
			t.Fatalf("Unmarshal(%s) = %v, %v; time.ParseDuration = %v, %v", in, time.Duration(d), err, want, parseErr)
		}
		if err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back matrix.Duration
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Fatalf("Unmarshal(%s) = %v, %v; want %v", out, back, err, d)
		}
	})
}
