package report_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/ladder-go/ladder/escalation/report"
)

// TestOutputs holds the desk's report in every format to golden files;
// TestAggregate checks the figures behind them.
func TestOutputs(t *testing.T) {
	r := collect(t, desk(), "priority", "week")
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"desk.json", func(b *bytes.Buffer) error { return r.WriteJSON(b) }},
		{"desk.csv", func(b *bytes.Buffer) error { return r.WriteCSV(b) }},
		{"desk.md", func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"attainment.svg", func(b *bytes.Buffer) error { return r.AttainmentChart(b) }},
		{"flow.svg", func(b *bytes.Buffer) error { return r.FlowChart(b) }},
		{"resolution.svg", func(b *bytes.Buffer) error { return r.ResolutionChart(b) }},
		{"trend.svg", func(b *bytes.Buffer) error { return r.TrendChart(b) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.name, ".svg") {
				var doc struct{ XMLName xml.Name }
				if err := xml.Unmarshal(b.Bytes(), &doc); err != nil || doc.XMLName.Local != "svg" {
					t.Errorf("not an SVG document: %v %v", doc.XMLName, err)
				}
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestChartNeedsGrouping checks that a chart without its grouping says
// which one to add.
func TestChartNeedsGrouping(t *testing.T) {
	r := collect(t, desk())
	var b bytes.Buffer
	err := r.AttainmentChart(&b)
	if err == nil || err.Error() != `report: the attainment chart needs the "priority" grouping: add it to Options.By` {
		t.Errorf("attainment: %v", err)
	}
	if err := r.TrendChart(&b); err == nil || !strings.Contains(err.Error(), `"week"`) {
		t.Errorf("trend: %v", err)
	}
	if b.Len() != 0 {
		t.Error("wrote something")
	}
}

// TestReview holds the post-resolution review of the desk's T2 (over- and
// under-escalated) and T1 to golden files.
func TestReview(t *testing.T) {
	for _, tk := range desk()[:2] {
		var b bytes.Buffer
		if err := report.Review(&b, tk.history(), optsFor()); err != nil {
			t.Fatal(err)
		}
		golden(t, "review-"+tk.st.ID+".md", b.Bytes())
	}
}

// TestChartOfNoTickets checks that a report of no tickets still draws
// its charts, saying there is no data.
func TestChartOfNoTickets(t *testing.T) {
	r := collect(t, nil, "priority", "week")
	for name, draw := range map[string]func(*bytes.Buffer) error{
		"attainment": func(b *bytes.Buffer) error { return r.AttainmentChart(b) },
		"trend":      func(b *bytes.Buffer) error { return r.TrendChart(b) },
		"flow":       func(b *bytes.Buffer) error { return r.FlowChart(b) },
		"resolution": func(b *bytes.Buffer) error { return r.ResolutionChart(b) },
	} {
		var b bytes.Buffer
		if err := draw(&b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.HasPrefix(b.String(), "<svg") {
			t.Errorf("%s: not an SVG document: %.40q", name, b.String())
		}
	}
}
