package svg

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// Series is one named row of values, one per category.
// It is plain data; the drawing functions only read it.
type Series struct {
	Name   string    // shown in the legend and the tooltips; may be empty
	Values []float64 // one per category, each >= 0; NaN: no value (no bar; a gap in a line)
}

// Chart is what to draw. The zero Width means 640 pixels and the zero
// Height 360. A Chart is plain data; the drawing functions only read it, so
// one Chart may be drawn from several goroutines at once.
type Chart struct {
	Title         string
	Categories    []string // the x axis, left to right; none draws an empty chart saying "no data"
	Series        []Series
	Percent       bool   // values are shares in [0,1], shown as percentages with the axis from 0% to 100%
	YLabel        string // optional axis caption
	Width, Height int    // pixels; 0 means the default
}

// kind is the way the values are drawn.
type kind int

const (
	bars kind = iota
	stacked
	histogram
	lines
)

// Bars writes c as grouped bars: one group per category, one bar per
// series, series left to right within a group.
func Bars(w io.Writer, c Chart) error { return draw(w, c, bars) }

// Stacked writes c as stacked bars: one bar per category, the series stacked
// bottom-up in order. With Percent, each stack must add up to at most 1.
func Stacked(w io.Writer, c Chart) error { return draw(w, c, stacked) }

// Histogram writes c, which must have exactly one series, as touching bars:
// the categories are bin labels such as "<1h" and "1h-4h".
func Histogram(w io.Writer, c Chart) error { return draw(w, c, histogram) }

// Lines writes c as one polyline per series with a marker on every point;
// a NaN value splits the line.
func Lines(w io.Writer, c Chart) error { return draw(w, c, lines) }

// draw validates c, renders it whole, and only then writes it to w, so w
// receives nothing when c is invalid.
func draw(w io.Writer, c Chart, k kind) error {
	if err := validate(c, k); err != nil {
		return err
	}
	f := newFrame(c, k)
	switch k {
	case bars:
		f.bars()
	case stacked:
		f.stacked()
	case histogram:
		f.histogram()
	case lines:
		f.lines()
	}
	_, err := io.WriteString(w, f.finish())
	return err
}

// validate returns every problem of c, joined, or nil.
func validate(c Chart, k kind) error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("svg: "+format, args...))
	}
	if c.Width < 0 {
		add("Width %d is negative", c.Width)
	}
	if c.Height < 0 {
		add("Height %d is negative", c.Height)
	}
	if k == histogram && len(c.Series) != 1 {
		add("Series has %d entries, a histogram needs exactly 1", len(c.Series))
	}
	for i, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			add("Series[%d] %q has %d values for %d Categories", i, s.Name, len(s.Values), len(c.Categories))
		}
		for j, v := range s.Values {
			switch {
			case v < 0 || math.IsInf(v, 0):
				add("Series[%d] %q: Values[%d] is %g, want a finite value >= 0", i, s.Name, j, v)
			case c.Percent && v > 1:
				add("Series[%d] %q: Values[%d] is %g, above 1 with Percent", i, s.Name, j, v)
			}
		}
	}
	if k == stacked && len(errs) == 0 {
		for j, total := range totals(c) {
			switch {
			case math.IsInf(total, 0):
				add("stack of Categories[%d] %q adds up to %.6g", j, c.Categories[j], total)
			case c.Percent && total > 1+1e-9:
				add("stack of Categories[%d] %q adds up to %.6g, above 1 with Percent", j, c.Categories[j], total)
			}
		}
	}
	return errors.Join(errs...)
}

// totals returns the sum of each category's values, NaN counting as 0.
func totals(c Chart) []float64 {
	sums := make([]float64, len(c.Categories))
	for _, s := range c.Series {
		for j, v := range s.Values {
			if !math.IsNaN(v) && j < len(sums) {
				sums[j] += v
			}
		}
	}
	return sums
}

// dataMax returns the largest value the y axis must reach, 0 if none.
func dataMax(c Chart, k kind) float64 {
	m := 0.0
	if k == stacked {
		for _, t := range totals(c) {
			m = math.Max(m, t)
		}
		return m
	}
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v > m { // false for NaN
				m = v
			}
		}
	}
	return m
}
