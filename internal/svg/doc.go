// Package svg draws the small charts of ladder's reports as standalone SVG
// documents: grouped bars ([Bars]), stacked bars ([Stacked]), a histogram
// ([Histogram]) and lines ([Lines]).
//
// A [Chart] is plain data: a title, the categories of the x axis and one
// [Series] of values per category. Each function validates the chart,
// reporting every problem at once, and then writes one SVG document that a
// browser opens as it is: a title, a y axis from 0 with 1-2-5 ticks and light
// grid lines, the category labels (turned when they would overlap), a legend
// when there is more than one series, a colour-blind-safe palette (Okabe-Ito)
// and a tooltip with the exact value on every bar and point. Values that are
// shares in [0,1] are shown as percentages when [Chart.Percent] is set.
//
// The output is a pure function of the chart, byte for byte: numbers are
// written at a fixed precision, and all user text is XML-escaped.
//
//	var b bytes.Buffer
//	err := svg.Bars(&b, svg.Chart{
//		Title:      "SLA attainment by priority",
//		Categories: []string{"P1", "P2", "P3", "P4"},
//		Series: []svg.Series{
//			{Name: "resolution", Values: []float64{0.875, 0.92, 0.97, 0.99}},
//			{Name: "first_response", Values: []float64{0.95, 0.9, math.NaN(), 1}},
//		},
//		Percent: true,
//	})
package svg
