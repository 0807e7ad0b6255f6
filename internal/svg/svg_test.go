package svg_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ladder-go/ladder/internal/svg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var nan = math.NaN()

// drawFunc is the signature shared by Bars, Stacked, Histogram and Lines.
type drawFunc func(io.Writer, svg.Chart) error

// fixtures are the four weekly charts of a support lead.
var fixtures = []struct {
	name  string
	draw  drawFunc
	chart svg.Chart
}{
	{"bars", svg.Bars, svg.Chart{
		Title:      "SLA attainment by priority",
		Categories: []string{"P1", "P2", "P3", "P4"},
		Series: []svg.Series{
			{Name: "resolution", Values: []float64{0.875, 0.92, 0.964, 0.991}},
			{Name: "first_response", Values: []float64{0.95, 0.887, nan, 1}},
		},
		Percent: true,
		YLabel:  "attainment",
	}},
	{"stacked", svg.Stacked, svg.Chart{
		Title:      "Escalation flow: highest tier reached by start tier",
		Categories: []string{"frontline", "specialists", "engineering"},
		Series: []svg.Series{
			{Name: "frontline", Values: []float64{812, 0, 0}},
			{Name: "specialists", Values: []float64{236, 141, 0}},
			{Name: "engineering", Values: []float64{58, 37, 64}},
			{Name: "escalation manager", Values: []float64{9, 4, 11}},
		},
		YLabel: "tickets",
	}},
	{"histogram", svg.Histogram, svg.Chart{
		Title:      "Time to resolution",
		Categories: []string{"<1h", "1h-4h", "4h-8h", "8h-1d", "1d-3d", "3d-1w", ">1w"},
		Series:     []svg.Series{{Name: "tickets", Values: []float64{143, 388, 265, 201, 97, 31, 12}}},
		YLabel:     "tickets",
	}},
	{"lines", svg.Lines, svg.Chart{
		Title: "Weekly trend",
		Categories: []string{
			"week of 2026-01-05", "week of 2026-01-12", "week of 2026-01-19", "week of 2026-01-26",
			"week of 2026-02-02", "week of 2026-02-09", "week of 2026-02-16", "week of 2026-02-23",
		},
		Series: []svg.Series{
			{Name: "SLA attainment", Values: []float64{0.91, 0.93, 0.89, nan, 0.94, 0.95, 0.92, 0.96}},
			{Name: "escalation rate", Values: []float64{0.18, 0.16, 0.21, 0.19, 0.15, 0.14, 0.17, 0.13}},
		},
		Percent: true,
		Width:   720,
	}},
}

func render(t *testing.T, draw drawFunc, c svg.Chart) string {
	t.Helper()
	var b bytes.Buffer
	if err := draw(&b, c); err != nil {
		t.Fatalf("draw: %v", err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			got := render(t, fx.draw, fx.chart)
			if again := render(t, fx.draw, fx.chart); again != got {
				t.Fatal("two renderings of the same chart differ")
			}
			path := filepath.Join("testdata", fx.name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/svg -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs (-want +got):\n%s", path,
					cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")))
			}
		})
	}
}

// node is any XML element, with its attributes, text and children.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns n and its descendants named name, in document order.
func (n node) all(name string) []node {
	var out []node
	if n.XMLName.Local == name {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(name)...)
	}
	return out
}

// class returns the texts of the <text> elements inside the <g> of a class.
func (n node) class(class string) []string {
	var out []string
	for _, g := range n.all("g") {
		if g.attr("class") == class {
			for _, t := range g.all("text") {
				out = append(out, t.Text)
			}
		}
	}
	return out
}

// parse checks that doc is well-formed XML whose root is an SVG <svg>.
func parse(t *testing.T, doc string) node {
	t.Helper()
	var root node
	d := xml.NewDecoder(strings.NewReader(doc))
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, doc)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) > 0 {
			t.Fatalf("content after the root element: %v %v", tok, err)
		}
	}
	if root.XMLName != (xml.Name{Space: "http://www.w3.org/2000/svg", Local: "svg"}) {
		t.Fatalf("root is %v, want svg in the SVG namespace", root.XMLName)
	}
	return root
}

func TestWellFormed(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			root := parse(t, render(t, fx.draw, fx.chart))
			if got, want := root.attr("width"), "640"; fx.chart.Width == 0 && got != want {
				t.Errorf("width = %q, want %q", got, want)
			}
			if got := root.class("x-labels"); !cmp.Equal(got, fx.chart.Categories) {
				t.Errorf("x labels = %q, want the categories %q", got, fx.chart.Categories)
			}
			wantLegend := 0
			if len(fx.chart.Series) > 1 {
				wantLegend = len(fx.chart.Series)
			}
			if got := root.class("legend"); len(got) != wantLegend {
				t.Errorf("legend = %q, want %d entries", got, wantLegend)
			}
		})
	}
}

func TestTooltips(t *testing.T) {
	tests := []struct {
		fixture int
		want    []string
	}{
		{0, []string{
			"P1 resolution: 87.5%", "P2 resolution: 92%", "P3 resolution: 96.4%", "P4 resolution: 99.1%",
			"P1 first_response: 95%", "P2 first_response: 88.7%", "P4 first_response: 100%",
		}},
		{2, []string{"<1h tickets: 143", "1h-4h tickets: 388", "4h-8h tickets: 265", "8h-1d tickets: 201",
			"1d-3d tickets: 97", "3d-1w tickets: 31", ">1w tickets: 12"}},
	}
	for _, tt := range tests {
		fx := fixtures[tt.fixture]
		root := parse(t, render(t, fx.draw, fx.chart))
		var got []string
		for _, r := range root.all("rect") {
			for _, title := range r.all("title") {
				got = append(got, title.Text)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s tooltips (-want +got):\n%s", fx.name, diff)
		}
	}
}

func TestLinesSplitAtNaN(t *testing.T) {
	fx := fixtures[3]
	root := parse(t, render(t, fx.draw, fx.chart))
	// attainment: weeks 1-3 and 5-8 around the NaN; escalation rate: one line.
	if got := len(root.all("polyline")); got != 3 {
		t.Errorf("%d polylines, want 3", got)
	}
	if got := len(root.all("circle")); got != 15 {
		t.Errorf("%d markers, want 15", got)
	}
	if !strings.Contains(render(t, fx.draw, fx.chart), `transform="rotate(-35 `) {
		t.Error("long week labels are not turned")
	}
	if strings.Contains(render(t, fixtures[0].draw, fixtures[0].chart), "rotate(-35") {
		t.Error("short priority labels are turned")
	}
}

func TestTicks(t *testing.T) {
	one := func(values ...float64) []svg.Series { return []svg.Series{{Name: "n", Values: values}} }
	tests := []struct {
		name  string
		draw  drawFunc
		chart svg.Chart
		want  []string
	}{
		{"percent max 0.87", svg.Bars, svg.Chart{Categories: []string{"a", "b"}, Series: one(0.87, 0.5), Percent: true},
			[]string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{"max 7", svg.Bars, svg.Chart{Categories: []string{"a", "b"}, Series: one(7, 3)},
			[]string{"0", "2", "4", "6", "8"}},
		{"max 5", svg.Histogram, svg.Chart{Categories: []string{"a"}, Series: one(5)},
			[]string{"0", "1", "2", "3", "4", "5"}},
		{"max 1234", svg.Lines, svg.Chart{Categories: []string{"a", "b"}, Series: one(1234, 10)},
			[]string{"0", "500", "1k", "1.5k"}},
		{"max 2.4M", svg.Bars, svg.Chart{Categories: []string{"a"}, Series: one(2.4e6)},
			[]string{"0", "500k", "1M", "1.5M", "2M", "2.5M"}},
		{"max 0.3", svg.Lines, svg.Chart{Categories: []string{"a"}, Series: one(0.3)},
			[]string{"0", "0.1", "0.2", "0.3"}},
		{"max 0.12", svg.Bars, svg.Chart{Categories: []string{"a"}, Series: one(0.12)},
			[]string{"0", "0.05", "0.1", "0.15"}},
		{"stack of 12+9", svg.Stacked, svg.Chart{Categories: []string{"a", "b"},
			Series: []svg.Series{{Values: []float64{12, 1}}, {Values: []float64{9, nan}}}},
			[]string{"0", "5", "10", "15", "20", "25"}},
		{"all zeros", svg.Bars, svg.Chart{Categories: []string{"a", "b"}, Series: one(0, 0)},
			[]string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{"all zeros percent", svg.Stacked, svg.Chart{Categories: []string{"a"}, Series: one(0), Percent: true},
			[]string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{"no categories", svg.Lines, svg.Chart{},
			[]string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse(t, render(t, tt.draw, tt.chart)).class("y-ticks")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("y ticks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	const evil = `<b>&"x"`
	c := svg.Chart{
		Title:      `</svg><script>alert('t')</script>`,
		Categories: []string{evil, "ok"},
		Series: []svg.Series{
			{Name: `a&b`, Values: []float64{1, 2}},
			{Name: `"quoted" <i>`, Values: []float64{3, 4}},
		},
		YLabel: "it's <y>",
	}
	for _, fx := range fixtures {
		if fx.name == "histogram" {
			continue // one series only
		}
		doc := render(t, fx.draw, c)
		if strings.Contains(doc, "<b>") || strings.Contains(doc, "<script>") || strings.Contains(doc, "<i>") {
			t.Errorf("%s: unescaped user text in\n%s", fx.name, doc)
		}
		if !strings.Contains(doc, `&lt;b&gt;&amp;&#34;x&#34;`) {
			t.Errorf("%s: escaped category missing", fx.name)
		}
		root := parse(t, doc)
		if got := root.class("x-labels"); !cmp.Equal(got, c.Categories) {
			t.Errorf("%s: x labels read back as %q, want %q", fx.name, got, c.Categories)
		}
		if got, want := root.class("legend"), []string{`a&b`, `"quoted" <i>`}; !cmp.Equal(got, want) {
			t.Errorf("%s: legend reads back as %q, want %q", fx.name, got, want)
		}
		if got := root.all("title")[0].Text; got != c.Title {
			t.Errorf("%s: title reads back as %q", fx.name, got)
		}
		if !strings.Contains(doc, "<title>&lt;b&gt;&amp;&#34;x&#34; a&amp;b: 1</title>") {
			t.Errorf("%s: escaped tooltip missing", fx.name)
		}
	}
}

func TestNoData(t *testing.T) {
	charts := []svg.Chart{
		{Title: "Empty"},
		{Title: "Empty", Series: []svg.Series{{Name: "tickets"}}},
		{Title: "No values", Categories: []string{"a", "b"}, Series: []svg.Series{{Name: "tickets", Values: []float64{nan, nan}}}},
		{Title: "Empty percent", Series: []svg.Series{{Name: "tickets"}}, Percent: true, Width: 1, Height: 1},
	}
	for _, c := range charts {
		for _, fx := range fixtures {
			if fx.name == "histogram" && len(c.Series) != 1 {
				continue
			}
			doc := render(t, fx.draw, c)
			parse(t, doc)
			if !strings.Contains(doc, ">no data</text>") {
				t.Errorf("%s of %q: no \"no data\" note in\n%s", fx.name, c.Title, doc)
			}
		}
	}
	if doc := render(t, svg.Bars, fixtures[0].chart); strings.Contains(doc, "no data") {
		t.Error("a chart with data says \"no data\"")
	}
}

func TestValidation(t *testing.T) {
	cats := []string{"P1", "P2"}
	tests := []struct {
		name  string
		draw  drawFunc
		chart svg.Chart
		want  string
	}{
		{"length", svg.Bars, svg.Chart{Categories: cats, Series: []svg.Series{{Name: "r", Values: []float64{1}}}},
			`svg: Series[0] "r" has 1 values for 2 Categories`},
		{"negative", svg.Lines, svg.Chart{Categories: cats, Series: []svg.Series{{Name: "r", Values: []float64{1, -0.5}}}},
			`svg: Series[0] "r": Values[1] is -0.5, want a finite value >= 0`},
		{"infinite", svg.Stacked, svg.Chart{Categories: cats, Series: []svg.Series{{}, {Name: "f", Values: []float64{math.Inf(1), math.Inf(-1)}}}},
			"svg: Series[0] \"\" has 0 values for 2 Categories\n" +
				"svg: Series[1] \"f\": Values[0] is +Inf, want a finite value >= 0\n" +
				`svg: Series[1] "f": Values[1] is -Inf, want a finite value >= 0`},
		{"percent above 1", svg.Bars, svg.Chart{Categories: cats, Percent: true, Series: []svg.Series{{Name: "r", Values: []float64{1, 87.5}}}},
			`svg: Series[0] "r": Values[1] is 87.5, above 1 with Percent`},
		{"percent stack above 1", svg.Stacked, svg.Chart{Categories: cats, Percent: true,
			Series: []svg.Series{{Name: "a", Values: []float64{0.5, 0.7}}, {Name: "b", Values: []float64{0.5, 0.6}}}},
			`svg: stack of Categories[1] "P2" adds up to 1.3, above 1 with Percent`},
		{"stack overflows", svg.Stacked, svg.Chart{Categories: cats,
			Series: []svg.Series{{Name: "a", Values: []float64{math.MaxFloat64, 1}}, {Name: "b", Values: []float64{math.MaxFloat64, 1}}}},
			`svg: stack of Categories[0] "P1" adds up to +Inf`},
		{"histogram of two", svg.Histogram, svg.Chart{Categories: cats, Series: []svg.Series{{Values: []float64{1, 2}}, {Values: []float64{1, 2}}}},
			`svg: Series has 2 entries, a histogram needs exactly 1`},
		{"histogram of none", svg.Histogram, svg.Chart{},
			`svg: Series has 0 entries, a histogram needs exactly 1`},
		{"size", svg.Bars, svg.Chart{Width: -1, Height: -360},
			"svg: Width -1 is negative\nsvg: Height -360 is negative"},
		{"all at once", svg.Histogram, svg.Chart{Width: -5, Categories: cats, Percent: true,
			Series: []svg.Series{{Name: "x", Values: []float64{2, nan, 3}}, {Name: "y", Values: []float64{nan, nan}}}},
			"svg: Width -5 is negative\n" +
				"svg: Series has 2 entries, a histogram needs exactly 1\n" +
				"svg: Series[0] \"x\" has 3 values for 2 Categories\n" +
				"svg: Series[0] \"x\": Values[0] is 2, above 1 with Percent\n" +
				`svg: Series[0] "x": Values[2] is 3, above 1 with Percent`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := tt.draw(&b, tt.chart)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes with an invalid chart", b.Len())
			}
		})
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	if err := svg.Bars(failingWriter{}, fixtures[0].chart); !errors.Is(err, errWrite) {
		t.Errorf("error = %v, want the writer's", err)
	}
}
