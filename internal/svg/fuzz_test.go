package svg_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/ladder-go/ladder/internal/svg"
)

// FuzzCharts draws charts of arbitrary text and numbers: nothing may panic,
// an error writes nothing, and every drawing is an XML document whose root
// is <svg>.
func FuzzCharts(f *testing.F) {
	f.Add("SLA attainment", "P1\nP2\nP3", "resolution\nfirst_response", 0.875, 0.5, math.NaN(), 1.0, true, 0, 0, uint8(0))
	f.Add("flow", "frontline\nspecialists", "a\nb\nc", 812.0, 0.0, 58.0, 9.0, false, 800, 400, uint8(1))
	f.Add("bins", "<1h\n1h-4h\n>1w", "tickets", 143.0, 388.0, 12.0, 0.0, false, 320, 200, uint8(2))
	f.Add("trend", "w1\nw2\nw3\nw4", "x\ny", 0.9, math.NaN(), 0.1, 0.2, true, 1, 1, uint8(3))
	f.Add(`<b>&"x"`, "\x00\xff\n", "\u2028", math.MaxFloat64, 5e-324, math.Inf(1), -1.0, false, -1, 0, uint8(0x13))
	f.Fuzz(func(t *testing.T, title, cats, names string, v0, v1, v2, v3 float64, percent bool, width, height int, which uint8) {
		var categories []string
		if cats != "" {
			categories = strings.Split(cats, "\n")
		}
		if len(categories) > 100 {
			categories = categories[:100]
		}
		values := []float64{v0, v1, v2, v3}
		var series []svg.Series
		for k, name := range strings.Split(names, "\n") {
			if k == 10 {
				break
			}
			s := svg.Series{Name: name, Values: make([]float64, len(categories))}
			for j := range s.Values {
				s.Values[j] = values[(j+k)%len(values)]
			}
			series = append(series, s)
		}
		if which&0x10 != 0 && len(series[0].Values) > 0 {
			series[0].Values = series[0].Values[1:] // a length mismatch
		}
		c := svg.Chart{Title: title, Categories: categories, Series: series, Percent: percent,
			YLabel: names, Width: width % 5000, Height: height % 5000}
		draw := []func(io.Writer, svg.Chart) error{svg.Bars, svg.Stacked, svg.Histogram, svg.Lines}[which%4]

		var b bytes.Buffer
		if err := draw(&b, c); err != nil {
			if !strings.HasPrefix(err.Error(), "svg: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes and failed", b.Len())
			}
			return
		}
		d := xml.NewDecoder(&b)
		root := ""
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("not well-formed XML: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		if root != "svg" {
			t.Fatalf("root element is %q, want svg", root)
		}
	})
}
