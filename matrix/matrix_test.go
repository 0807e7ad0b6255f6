package matrix_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/matrix"
)

func TestPriority(t *testing.T) {
	m3, err := matrix.New(matrix.ITIL3x3(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	m5, err := matrix.New(matrix.ITIL5x5(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m               *matrix.Matrix
		impact, urgency string
		want            string
		ok              bool
	}{
		{m3, "High", "High", "P1", true},
		{m3, "High", "Low", "P3", true},
		{m3, "Low", "High", "P3", true},
		{m3, "Medium", "Medium", "P3", true},
		{m3, "Low", "Low", "P5", true},
		{m3, "high", "High", "", false},
		{m3, "High", "", "", false},
		{m5, "Extensive", "Critical", "P1", true},
		{m5, "Extensive", "Very low", "P3", true},
		{m5, "Moderate", "Medium", "P3", true},
		{m5, "Minor", "Critical", "P2", true},
		{m5, "Minimal", "Very low", "P5", true},
		{m5, "Minimal", "Extensive", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.m.Priority(tt.impact, tt.urgency)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Priority(%q, %q) = %q, %v; want %q, %v", tt.impact, tt.urgency, got, ok, tt.want, tt.ok)
		}
	}
}

// TestPriorityEveryCell checks every cell of grids whose rows and columns
// differ in number.
func TestPriorityEveryCell(t *testing.T) {
	spec := base()
	spec.Impacts = []string{"A", "B", "C"}
	spec.Grid = [][]string{{"P1", "P2"}, {"P2", "P3"}, {"P3", "P3"}}
	for name, spec := range map[string]matrix.Spec{"3x2": spec, "ITIL5x5": matrix.ITIL5x5(), "ITIL3x3": matrix.ITIL3x3()} {
		m, err := matrix.New(spec, tiers)
		if err != nil {
			t.Fatal(err)
		}
		for i, impact := range spec.Impacts {
			for u, urgency := range spec.Urgencies {
				if got, ok := m.Priority(impact, urgency); !ok || got != spec.Grid[i][u] {
					t.Errorf("%s: Priority(%q, %q) = %q, %v; want %q", name, impact, urgency, got, ok, spec.Grid[i][u])
				}
			}
		}
	}
}

// TestITIL5x5Grid pins the grid that ITIL5x5's documentation shows.
func TestITIL5x5Grid(t *testing.T) {
	want := [][]string{
		{"P1", "P1", "P2", "P2", "P3"},
		{"P1", "P2", "P2", "P3", "P3"},
		{"P2", "P2", "P3", "P3", "P4"},
		{"P2", "P3", "P3", "P4", "P4"},
		{"P3", "P3", "P4", "P4", "P5"},
	}
	if diff := cmp.Diff(want, matrix.ITIL5x5().Grid); diff != "" {
		t.Errorf("ITIL5x5 grid (-want +got):\n%s", diff)
	}
}

// TestMatrixOwnsItsSpec checks that the matrix neither sees later changes to
// the spec it was built from nor lets callers change it through what it
// returns.
func TestMatrixOwnsItsSpec(t *testing.T) {
	spec := base()
	m, err := matrix.New(spec, tiers)
	if err != nil {
		t.Fatal(err)
	}
	want := base()

	spec.Grid[0][0] = "P3"
	spec.Priorities[0].Levels[0].Notify[0] = "nobody"
	spec.Priorities[0].Goals[0].Target = 1
	got := m.Spec()
	got.Impacts[0] = "changed"
	got.Priorities[0].Levels[0].Notify[0] = "changed"
	levels, _ := m.Levels("P1")
	levels[0].Notify[0] = "changed"
	goals, _ := m.Goals("P1")
	goals[0].Metric = "changed"

	if diff := cmp.Diff(want, m.Spec()); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
	if p, _ := m.Priority("High", "High"); p != "P1" {
		t.Errorf(`Priority("High", "High") = %q, want "P1"`, p)
	}
}

func TestGoalsAndLevels(t *testing.T) {
	m, err := matrix.New(base(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	goals, ok := m.Goals("P2")
	if want := []matrix.Goal{{Metric: "resolution", Target: matrix.Duration(8 * time.Hour)}}; !ok || !cmp.Equal(goals, want) {
		t.Errorf(`Goals("P2") = %+v, %v; want %+v, true`, goals, ok, want)
	}
	levels, ok := m.Levels("P1")
	if want := base().Priorities[0].Levels; !ok || !cmp.Equal(levels, want) {
		t.Errorf(`Levels("P1") = %+v, %v; want %+v, true`, levels, ok, want)
	}
	if levels, ok := m.Levels("P3"); !ok || len(levels) != 0 {
		t.Errorf(`Levels("P3") = %+v, %v; want none, true`, levels, ok)
	}
	if goals, ok := m.Goals("P0"); ok || goals != nil {
		t.Errorf(`Goals("P0") = %+v, %v; want nil, false`, goals, ok)
	}
	if levels, ok := m.Levels("P0"); ok || levels != nil {
		t.Errorf(`Levels("P0") = %+v, %v; want nil, false`, levels, ok)
	}
}

// TestDocDocument checks that the JSON document of the package overview
// parses; TestRender pins what it holds.
func TestDocDocument(t *testing.T) {
	classic(t)
}

func TestMarshalJSONRoundTrip(t *testing.T) {
	for name, spec := range map[string]matrix.Spec{"base": base(), "ITIL5x5": matrix.ITIL5x5(), "classic": classic(t).Spec()} {
		m, err := matrix.New(spec, tiers)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := matrix.Parse(data, tiers)
		if err != nil {
			t.Fatalf("%s: Parse(%s): %v", name, data, err)
		}
		if diff := cmp.Diff(spec, back.Spec()); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", name, diff)
		}
	}
}

func TestParseDecodeErrors(t *testing.T) {
	tests := []struct {
		doc, want string
	}{
		{"", "matrix: empty document"},
		{" \n\t", "matrix: empty document"},
		{"{", "matrix: unexpected EOF"},
		{"[1]", "matrix: line 1, column 1: json: cannot unmarshal array into Go value of type matrix.Spec"},
		{`{"impacts": ["High",}`, "matrix: line 1, column 21: invalid character '}' looking for beginning of value"},
		{"{\n  \"impacts\": [\"High\"],\n  \"grid\": [[1]]\n}", "matrix: line 3, column 13: json: cannot unmarshal number into Go struct field Spec.grid of type string"},
		{`{"impact": ["High"]}`, `matrix: json: unknown field "impact"`},
		{`{"priorities": [{"name": "P1", "levels": [{"percent": "50"}]}]}`,
			`matrix: line 1, column 58: json: cannot unmarshal string into Go struct field Level.priorities.levels.percent of type float64`},
		{`{"priorities": 3}`,
			"matrix: line 1, column 16: json: cannot unmarshal number into Go struct field Spec.priorities of type []matrix.PrioritySpec"},
		{`{"priorities": [1]}`,
			"matrix: line 1, column 17: json: cannot unmarshal number into Go struct field Spec.priorities of type matrix.PrioritySpec"},
		{`{"priorities": [{"goals": [1]}]}`,
			"matrix: line 1, column 28: json: cannot unmarshal number into Go struct field PrioritySpec.priorities.goals of type matrix.Goal"},
		{`{"priorities": [{"goals": [], "levels": {}}]}`,
			"matrix: line 1, column 41: json: cannot unmarshal object into Go struct field PrioritySpec.priorities.levels of type []matrix.Level"},
		// A duration that is not one does not hide a decoding error: that
		// error is reported, alone.
		{`{"priorities": [{"levels": [{"clock": "in_tier", "after": "4 hours", "percent": "50"}]}]}`,
			"matrix: line 1, column 84: json: cannot unmarshal string into Go struct field Level.priorities.levels.percent of type float64"},
		{`{"priorities": [{"goals": [{"target": 3600, "metric": 1}]}]}`,
			"matrix: line 1, column 55: json: cannot unmarshal number into Go struct field Goal.priorities.goals.metric of type string"},
		{`{"priorities": [{"levels": [{"after": "4 hours", "tier": "x", "dept": "z"}]}]}`,
			`matrix: json: unknown field "dept"`},
		{`{"priorities": [{"goals": [{"target": "4 hours"}]}], "grid": [`,
			"matrix: unexpected EOF"},
		{"{}\n  x", "matrix: line 2, column 3: unexpected data after the document"},
		{"{} {}", "matrix: line 1, column 4: unexpected data after the document"},
	}
	for _, tt := range tests {
		m, err := matrix.Parse([]byte(tt.doc), tiers)
		if err == nil || err.Error() != tt.want || m != nil {
			t.Errorf("Parse(%q) = %v, %v\nwant error: %s", tt.doc, m, err, tt.want)
		}
	}

	// encoding/json's errors stay reachable.
	_, err := matrix.Parse([]byte(`{"impacts": 3}`), tiers)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Field != "impacts" {
		t.Errorf("Parse: %v does not wrap the *json.UnmarshalTypeError of impacts", err)
	}
	_, err = matrix.Parse([]byte(`{"impacts": ]`), tiers)
	var syntaxErr *json.SyntaxError
	if !errors.As(err, &syntaxErr) {
		t.Errorf("Parse: %v does not wrap a *json.SyntaxError", err)
	}
}

// TestParseChecks checks that a document that decodes is checked as New
// checks a spec.
func TestParseChecks(t *testing.T) {
	_, err := matrix.Parse([]byte(`null`), tiers)
	var e *matrix.Error
	if !errors.As(err, &e) || len(e.Problems) != 3 {
		t.Fatalf("Parse(null) = %v; want the three problems of an empty spec", err)
	}
}
