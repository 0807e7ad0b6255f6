package svg

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// palette is Okabe and Ito's colour-blind-safe palette, reordered so that
// the first colours contrast best on white; series beyond it cycle.
var palette = [...]string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"}

func color(i int) string { return palette[i%len(palette)] }

const (
	labelSize = 11  // font size of axis labels
	charWidth = 0.6 // average glyph width of sans-serif text, in font sizes
	maxLabel  = 24  // runes of a category or series name shown before "…"
)

// frame is a chart being written: the canvas, the plot area inside it and
// the y scale. Marks are drawn between newFrame and finish.
type frame struct {
	c                        Chart
	b                        strings.Builder
	width, height            float64
	left, top, right, bottom float64 // the plot area, in pixels
	max, step                float64 // the y axis runs from 0 to max in steps
	band                     float64 // width of one category
}

// newFrame lays out c and writes everything but the marks: the canvas,
// title, legend, grid, y ticks, y caption and category labels.
func newFrame(c Chart, k kind) *frame {
	width, height := 640, 360
	if c.Width > 0 {
		width = c.Width
	}
	if c.Height > 0 {
		height = c.Height
	}
	f := &frame{c: c, width: float64(width), height: float64(height), max: 1, step: 0.2}
	if !c.Percent {
		f.max, f.step = niceScale(dataMax(c, k))
	}
	var ticks []string
	tickWidth := 0.0
	for i := 0; i <= int(math.Round(f.max/f.step)); i++ {
		ticks = append(ticks, f.tick(float64(i)*f.step))
		tickWidth = math.Max(tickWidth, textWidth(ticks[i], labelSize))
	}

	// Legend items flow left to right below the title, wrapping as needed.
	type item struct{ x, y float64 }
	var items []item
	f.top = 44
	if len(c.Series) > 1 {
		x, y := 16.0, 36.0
		for _, s := range c.Series {
			w := 14 + textWidth(short(s.Name), 12) + 16
			if x > 16 && x+w > f.width-16 {
				x, y = 16, y+18
			}
			items = append(items, item{x, y})
			x += w
		}
		f.top = y + 26
	}

	f.left = math.Max(40, tickWidth+14)
	if c.YLabel != "" {
		f.left += 20
	}
	f.right = math.Max(f.width-16, f.left+1)
	f.bottom = f.height - 30
	labelWidth := 0.0
	for _, cat := range c.Categories {
		labelWidth = math.Max(labelWidth, textWidth(short(cat), labelSize))
	}
	n := float64(len(c.Categories))
	rotate := n > 0 && labelWidth > (f.right-f.left)/n-4
	if rotate {
		// A label turned by -35° hangs down and to the left of its category.
		f.bottom = f.height - math.Min(0.574*labelWidth+24, 0.4*f.height)
		f.left = math.Max(f.left, 0.82*labelWidth-(f.right-f.left)/n/2+8)
		f.right = math.Max(f.right, f.left+1)
	}
	f.bottom = math.Max(f.bottom, f.top+1)
	if n > 0 {
		f.band = (f.right - f.left) / n
	}

	w, h := strconv.Itoa(width), strconv.Itoa(height)
	f.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%" height="%" viewBox="0 0 % %" font-family="sans-serif" font-size="12" role="img" aria-label="%">`+"\n",
		w, h, w, h, esc(c.Title))
	if c.Title != "" {
		f.printf("<title>%</title>\n", esc(c.Title))
	}
	f.printf(`<rect width="%" height="%" fill="#fff"/>`+"\n", w, h)
	if c.Title != "" {
		f.printf(`<text class="title" x="16" y="24" font-size="16" font-weight="bold" fill="#222">%</text>`+"\n", esc(c.Title))
	}
	if len(items) > 0 {
		f.printf(`<g class="legend" fill="#333">` + "\n")
		for i, it := range items {
			f.printf(`<rect x="%" y="%" width="10" height="10" fill="%"/><text x="%" y="%">%</text>`+"\n",
				num(it.x), num(it.y), color(i), num(it.x+14), num(it.y+9.5), esc(short(c.Series[i].Name)))
		}
		f.printf("</g>\n")
	}

	f.printf(`<g class="grid" stroke="#e6e6e6">` + "\n")
	for i := range ticks {
		y := num(f.y(float64(i) * f.step))
		f.printf(`<line x1="%" y1="%" x2="%" y2="%"/>`+"\n", num(f.left), y, num(f.right), y)
	}
	f.printf("</g>\n")
	f.printf(`<g class="y-ticks" font-size="11" fill="#444" text-anchor="end">` + "\n")
	for i, t := range ticks {
		f.printf(`<text x="%" y="%">%</text>`+"\n", num(f.left-6), num(f.y(float64(i)*f.step)+4), t)
	}
	f.printf("</g>\n")
	if c.YLabel != "" {
		f.printf(`<text class="y-label" transform="translate(16 %) rotate(-90)" text-anchor="middle" fill="#444">%</text>`+"\n",
			num((f.top+f.bottom)/2), esc(c.YLabel))
	}

	if rotate {
		f.printf(`<g class="x-labels" font-size="11" fill="#444" text-anchor="end">` + "\n")
	} else {
		f.printf(`<g class="x-labels" font-size="11" fill="#444" text-anchor="middle">` + "\n")
	}
	for i, cat := range c.Categories {
		x, y := num(f.x(i)), num(f.bottom+16)
		if rotate {
			x, y = num(f.x(i)+3), num(f.bottom+12)
			f.printf(`<text x="%" y="%" transform="rotate(-35 % %)">%</text>`+"\n", x, y, x, y, esc(short(cat)))
		} else {
			f.printf(`<text x="%" y="%">%</text>`+"\n", x, y, esc(short(cat)))
		}
	}
	f.printf("</g>\n")
	return f
}

// finish draws the axis lines over the marks, the "no data" note when there
// is nothing to show, and closes the document.
func (f *frame) finish() string {
	f.printf(`<g class="axes" stroke="#444"><line x1="%" y1="%" x2="%" y2="%"/><line x1="%" y1="%" x2="%" y2="%"/></g>`+"\n",
		num(f.left), num(f.bottom), num(f.right), num(f.bottom), num(f.left), num(f.top), num(f.left), num(f.bottom))
	if !hasData(f.c) {
		f.printf(`<text class="no-data" x="%" y="%" text-anchor="middle" font-size="14" fill="#777">no data</text>`+"\n",
			num((f.left+f.right)/2), num((f.top+f.bottom)/2))
	}
	f.printf("</svg>\n")
	return f.b.String()
}

// bars draws one group per category with one bar per series.
func (f *frame) bars() {
	ns := float64(len(f.c.Series))
	for si, s := range f.c.Series {
		f.printf(`<g class="series" fill="%">`+"\n", color(si))
		w := 0.8 * f.band / ns
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				f.rect(f.x(i)-0.4*f.band+float64(si)*w+0.05*w, 0.9*w, 0, v, i, s.Name)
			}
		}
		f.printf("</g>\n")
	}
}

// stacked draws one bar per category, the series stacked bottom-up.
func (f *frame) stacked() {
	base := make([]float64, len(f.c.Categories))
	for si, s := range f.c.Series {
		f.printf(`<g class="series" fill="%">`+"\n", color(si))
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				f.rect(f.x(i)-0.3*f.band, 0.6*f.band, base[i], v, i, s.Name)
				base[i] += v
			}
		}
		f.printf("</g>\n")
	}
}

// histogram draws the only series as bars that touch.
func (f *frame) histogram() {
	s := f.c.Series[0]
	f.printf(`<g class="series" fill="%" stroke="#fff">`+"\n", color(0))
	for i, v := range s.Values {
		if !math.IsNaN(v) {
			f.rect(f.x(i)-0.5*f.band, f.band, 0, v, i, s.Name)
		}
	}
	f.printf("</g>\n")
}

// lines draws each series as polylines, split at NaN, with a marker per point.
func (f *frame) lines() {
	for si, s := range f.c.Series {
		f.printf(`<g class="series" fill="%" stroke="%">`+"\n", color(si), color(si))
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				f.printf(`<polyline fill="none" stroke-width="2" points="%"/>`+"\n", strings.Join(pts, " "))
			}
			pts = pts[:0]
		}
		for i, v := range s.Values {
			if math.IsNaN(v) {
				flush()
				continue
			}
			pts = append(pts, num(f.x(i))+","+num(f.y(v)))
		}
		flush()
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				f.printf(`<circle cx="%" cy="%" r="3.5" stroke="#fff"><title>%</title></circle>`+"\n",
					num(f.x(i)), num(f.y(v)), f.tooltip(i, s.Name, v))
			}
		}
		f.printf("</g>\n")
	}
}

// rect draws the bar at x of width w from value base to base+v, with a
// tooltip for category i of the named series.
func (f *frame) rect(x, w, base, v float64, i int, name string) {
	top := f.y(base + v)
	f.printf(`<rect x="%" y="%" width="%" height="%"><title>%</title></rect>`+"\n",
		num(x), num(top), num(w), num(f.y(base)-top), f.tooltip(i, name, v))
}

// tooltip is the escaped text "category series: value".
func (f *frame) tooltip(i int, name string, v float64) string {
	label := strings.TrimSpace(f.c.Categories[i] + " " + name)
	if f.c.Percent {
		return esc(label + ": " + trimZeros(strconv.FormatFloat(100*pos(v), 'f', 1, 64)) + "%")
	}
	return esc(label + ": " + strconv.FormatFloat(pos(v), 'f', -1, 64))
}

// x is the centre of category i.
func (f *frame) x(i int) float64 { return f.left + (float64(i)+0.5)*f.band }

// y is the vertical position of value v.
func (f *frame) y(v float64) float64 { return f.bottom - v/f.max*(f.bottom-f.top) }

// tick labels the y axis at v: a percentage, or a number shortened with k
// or M, at as many decimals as the step needs.
func (f *frame) tick(v float64) string {
	unit, div := "", 1.0
	switch {
	case f.c.Percent:
		unit, div = "%", 0.01
	case v >= 1e6:
		unit, div = "M", 1e6
	case v >= 1e3:
		unit, div = "k", 1e3
	}
	decimals := 0
	if step := f.step / div; step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	return trimZeros(strconv.FormatFloat(pos(v/div), 'f', decimals, 64)) + unit
}

// niceScale returns the top of an axis from 0 that holds max, and a step of
// 1, 2 or 5 times a power of ten giving at most five intervals. No data, or
// values too small to see, give the axis 0 to 1.
func niceScale(max float64) (top, step float64) {
	if !(max >= 1e-300) || math.IsInf(max, 0) {
		return 1, 0.2
	}
	raw := max / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	top = math.Ceil(max/step) * step
	if math.IsInf(top, 0) || step == 0 { // near the largest float64
		return max, max / 5
	}
	return top, step
}

// hasData reports whether c has a category and a value to draw.
func hasData(c Chart) bool {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// printf appends format to the document with each % replaced by the next
// argument, which must already be escaped; this keeps the output free of
// fmt's formatting rules.
func (f *frame) printf(format string, args ...string) {
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 || len(args) == 0 {
			f.b.WriteString(format)
			return
		}
		f.b.WriteString(format[:i])
		f.b.WriteString(args[0])
		format, args = format[i+1:], args[1:]
	}
}

// num formats a coordinate with one decimal, without a trailing ".0".
func num(v float64) string {
	return trimZeros(strconv.FormatFloat(pos(v), 'f', 1, 64))
}

// pos turns -0 into 0 and leaves other values alone.
func pos(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

// trimZeros drops the trailing zeros of a decimal fraction, and its point.
func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// esc returns s escaped for XML text and attribute values; invalid UTF-8
// and characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// short cuts s to maxLabel runes, ending it with "…" when cut.
func short(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	return string([]rune(s)[:maxLabel-1]) + "…"
}

// textWidth estimates the width in pixels of s at the font size.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charWidth
}
