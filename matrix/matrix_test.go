package matrix_test

import (
	"bytes"
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

// TestMatrixOwnsItsSettings checks that the defaults and start tiers of a
// matrix are its own: changing the spec it was built from, or the spec it
// returns, changes none of them.
func TestMatrixOwnsItsSettings(t *testing.T) {
	tests := []struct {
		name   string
		change func(*matrix.Spec)
	}{
		{"default impact", func(s *matrix.Spec) { s.DefaultImpact = "High" }},
		{"default urgency", func(s *matrix.Spec) { s.DefaultUrgency = "" }},
		{"start tier", func(s *matrix.Spec) { s.Priorities[0].StartTier = "frontline" }},
		{"start tier set", func(s *matrix.Spec) { s.Priorities[1].StartTier = "engineering" }},
		{"start tier unset", func(s *matrix.Spec) { s.Priorities[2].StartTier = "" }},
		{"priorities replaced", func(s *matrix.Spec) { s.Priorities[0] = matrix.PrioritySpec{Name: "P1", StartTier: "engineering"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := settled()
			m, err := matrix.New(spec, tiers)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(&spec)
			got := m.Spec()
			tt.change(&got)

			if diff := cmp.Diff(settled(), m.Spec()); diff != "" {
				t.Errorf("spec (-want +got):\n%s", diff)
			}
			if impact, urgency := m.Defaults(); impact != "Low" || urgency != "High" {
				t.Errorf(`Defaults() = %q, %q; want "Low", "High"`, impact, urgency)
			}
			for _, p := range settled().Priorities {
				if tier, ok := m.StartTier(p.Name); !ok || tier != p.StartTier {
					t.Errorf("StartTier(%q) = %q, %v; want %q, true", p.Name, tier, ok, p.StartTier)
				}
			}
		})
	}
}

func TestStartTier(t *testing.T) {
	m, err := matrix.New(settled(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	itil, err := matrix.New(matrix.ITIL3x3(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m        *matrix.Matrix
		priority string
		want     string
		ok       bool
	}{
		{m, "P1", "specialists", true},
		{m, "P2", "", true}, // none: the lowest tier
		{m, "P3", "escalation_manager", true},
		{m, "P4", "", false},
		{m, "p1", "", false},
		{m, "", "", false},
		{itil, "P1", "", true},
		{itil, "P5", "", true},
	}
	for _, tt := range tests {
		got, ok := tt.m.StartTier(tt.priority)
		if got != tt.want || ok != tt.ok {
			t.Errorf("StartTier(%q) = %q, %v; want %q, %v", tt.priority, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDefaults(t *testing.T) {
	tests := []struct {
		name                string
		impact, urgency     string
		wantImp, wantUrgent string
	}{
		{"none", "", "", "", ""},
		{"impact only", "Low", "", "Low", ""},
		{"urgency only", "", "Low", "", "Low"},
		{"both", "High", "Low", "High", "Low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base()
			spec.DefaultImpact, spec.DefaultUrgency = tt.impact, tt.urgency
			m, err := matrix.New(spec, tiers)
			if err != nil {
				t.Fatal(err)
			}
			if impact, urgency := m.Defaults(); impact != tt.wantImp || urgency != tt.wantUrgent {
				t.Errorf("Defaults() = %q, %q; want %q, %q", impact, urgency, tt.wantImp, tt.wantUrgent)
			}
		})
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
	for name, spec := range map[string]matrix.Spec{"base": base(), "settled": settled(), "ITIL5x5": matrix.ITIL5x5(), "classic": classic(t).Spec()} {
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

// TestMarshalJSONOmitsUnsetSettings checks that a matrix without defaults
// or start tiers writes the JSON it wrote before they existed.
func TestMarshalJSONOmitsUnsetSettings(t *testing.T) {
	m, err := matrix.New(matrix.ITIL3x3(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"default_impact", "default_urgency", "start_tier"} {
		if bytes.Contains(data, []byte(key)) {
			t.Errorf("the JSON of a matrix without settings has %q:\n%s", key, data)
		}
	}
	m, err = matrix.New(settled(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	data, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"default_impact":"Low","default_urgency":"High","grid":`, `{"name":"P1","start_tier":"specialists","goals":`, `{"name":"P2","goals":`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("the JSON of a matrix with settings lacks %s:\n%s", want, data)
		}
	}
}

// TestParseSettings checks that Parse reads the defaults and the start
// tiers.
func TestParseSettings(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want func(*matrix.Spec) // changes base() into the spec of doc
	}{
		{
			name: "none",
			doc:  `{"impacts": ["High", "Low"], "urgencies": ["High", "Low"], "grid": [["P1", "P2"], ["P2", "P2"]], "priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}]}, {"name": "P2", "goals": [{"metric": "resolution", "target": "8h"}]}]}`,
		},
		{
			name: "all",
			doc: `{
			  "impacts": ["High", "Low"],
			  "urgencies": ["High", "Low"],
			  "default_impact": "Low",
			  "default_urgency": "High",
			  "grid": [["P1", "P2"], ["P2", "P2"]],
			  "priorities": [
			    {"name": "P1", "start_tier": "specialists", "goals": [{"metric": "resolution", "target": "4h"}]},
			    {"start_tier": "escalation_manager", "name": "P2", "goals": [{"metric": "resolution", "target": "8h"}]}
			  ]
			}`,
			want: func(s *matrix.Spec) {
				s.DefaultImpact, s.DefaultUrgency = "Low", "High"
				s.Priorities[0].StartTier = "specialists"
				s.Priorities[1].StartTier = "escalation_manager"
			},
		},
		{
			name: "empty strings and nulls are unset",
			doc: `{
			  "impacts": ["High", "Low"], "urgencies": ["High", "Low"],
			  "default_impact": "", "default_urgency": null,
			  "grid": [["P1", "P2"], ["P2", "P2"]],
			  "priorities": [
			    {"name": "P1", "start_tier": "", "goals": [{"metric": "resolution", "target": "4h"}]},
			    {"name": "P2", "start_tier": null, "goals": [{"metric": "resolution", "target": "8h"}]}
			  ]
			}`,
		},
		{
			name: "urgency only",
			doc:  `{"impacts": ["High", "Low"], "urgencies": ["High", "Low"], "default_urgency": "Low", "grid": [["P1", "P2"], ["P2", "P2"]], "priorities": [{"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}]}, {"name": "P2", "start_tier": "frontline", "goals": [{"metric": "resolution", "target": "8h"}]}]}`,
			want: func(s *matrix.Spec) {
				s.DefaultUrgency = "Low"
				s.Priorities[1].StartTier = "frontline"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := matrix.Spec{
				Impacts:   []string{"High", "Low"},
				Urgencies: []string{"High", "Low"},
				Grid:      [][]string{{"P1", "P2"}, {"P2", "P2"}},
				Priorities: []matrix.PrioritySpec{
					{Name: "P1", Goals: []matrix.Goal{{Metric: "resolution", Target: dur("4h")}}},
					{Name: "P2", Goals: []matrix.Goal{{Metric: "resolution", Target: dur("8h")}}},
				},
			}
			if tt.want != nil {
				tt.want(&want)
			}
			m, err := matrix.Parse([]byte(tt.doc), tiers)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(want, m.Spec()); diff != "" {
				t.Errorf("spec (-want +got):\n%s", diff)
			}
			if impact, urgency := m.Defaults(); impact != want.DefaultImpact || urgency != want.DefaultUrgency {
				t.Errorf("Defaults() = %q, %q; want %q, %q", impact, urgency, want.DefaultImpact, want.DefaultUrgency)
			}
			for _, p := range want.Priorities {
				if tier, ok := m.StartTier(p.Name); !ok || tier != p.StartTier {
					t.Errorf("StartTier(%q) = %q, %v; want %q, true", p.Name, tier, ok, p.StartTier)
				}
			}
		})
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
		// The settings: a value of the wrong type, a misspelt name.
		{`{"default_impact": 3}`,
			"matrix: line 1, column 20: json: cannot unmarshal number into Go struct field Spec.default_impact of type string"},
		{`{"impacts": ["High"], "default_urgency": ["High"]}`,
			"matrix: line 1, column 42: json: cannot unmarshal array into Go struct field Spec.default_urgency of type string"},
		{`{"priorities": [{"name": "P1", "start_tier": 2}]}`,
			"matrix: line 1, column 46: json: cannot unmarshal number into Go struct field PrioritySpec.priorities.start_tier of type string"},
		{`{"defaultImpact": "High"}`, `matrix: json: unknown field "defaultImpact"`},
		{`{"priorities": [{"name": "P1", "start": "specialists"}]}`, `matrix: json: unknown field "start"`},
		{`{"priorities": [{"levels": [{"start_tier": "specialists"}]}]}`, `matrix: json: unknown field "start_tier"`},
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
