package report

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/ladder-go/ladder/internal/svg"
)

// The charts write standalone SVG documents that open in a browser.

// groups returns the report's groups of one grouping, in key order.
func (r *Report) groups(by string) []*Group {
	var gs []*Group
	for i := range r.Groups {
		if r.Groups[i].By == by {
			gs = append(gs, &r.Groups[i])
		}
	}
	return gs
}

// need returns the groups of the grouping a chart draws; a report that
// did not ask for the grouping cannot draw it. A report of no tickets
// has none: its chart says "no data".
func (r *Report) need(chart, by string) ([]*Group, error) {
	if by != "all" && !slices.Contains(r.By, by) {
		return nil, fmt.Errorf("report: the %s chart needs the %q grouping: add it to Options.By", chart, by)
	}
	return r.groups(by), nil
}

// attainmentOf is a metric's attainment in g, NaN when g has no cycle.
func attainmentOf(g *Group, metric string) float64 {
	s, ok := g.Metric(metric)
	if !ok || s.Attainment.Met+s.Attainment.Breached == 0 {
		return math.NaN()
	}
	return s.Attainment.Attainment
}

// AttainmentChart draws each metric's attainment by priority as grouped
// bars. It needs the "priority" grouping.
func (r *Report) AttainmentChart(w io.Writer) error {
	gs, err := r.need("attainment", "priority")
	if err != nil {
		return err
	}
	c := svg.Chart{Title: "SLA attainment by priority", Percent: true, YLabel: "attainment"}
	for _, g := range gs {
		c.Categories = append(c.Categories, label(g.Key))
	}
	for _, m := range r.Metrics {
		s := svg.Series{Name: m}
		for _, g := range gs {
			s.Values = append(s.Values, attainmentOf(g, m))
		}
		c.Series = append(c.Series, s)
	}
	return svg.Bars(w, c)
}

// FlowChart draws the escalation flow between tiers: one bar per start
// tier, stacked by the highest tier the tickets reached.
func (r *Report) FlowChart(w io.Writer) error {
	all, err := r.need("flow", "all")
	if err != nil {
		return err
	}
	g := all[0]
	c := svg.Chart{Title: "Escalation flow: start tier to highest tier reached", YLabel: "tickets"}
	c.Categories = append(c.Categories, r.Tiers...)
	for h, tier := range r.Tiers {
		s := svg.Series{Name: "reached " + tier}
		for start := range r.Tiers {
			v := 0.0
			if start < len(g.Flow) && h < len(g.Flow[start]) {
				v = float64(g.Flow[start][h])
			}
			s.Values = append(s.Values, v)
		}
		c.Series = append(c.Series, s)
	}
	return svg.Stacked(w, c)
}

// ResolutionChart draws the distribution of wall time to the first
// resolution as a histogram over Report.Bins.
func (r *Report) ResolutionChart(w io.Writer) error {
	all, err := r.need("resolution", "all")
	if err != nil {
		return err
	}
	s := svg.Series{Name: "tickets"}
	for _, n := range all[0].ResolutionHistogram {
		s.Values = append(s.Values, float64(n))
	}
	return svg.Histogram(w, svg.Chart{Title: "Time to first resolution", Categories: r.Bins, Series: []svg.Series{s}, YLabel: "tickets"})
}

// TrendChart draws the weekly trend of resolution attainment and of the
// escalation rate as lines. It needs the "week" grouping.
func (r *Report) TrendChart(w io.Writer) error {
	gs, err := r.need("trend", "week")
	if err != nil {
		return err
	}
	c := svg.Chart{Title: "Weekly trend", Percent: true}
	att := svg.Series{Name: "resolution attainment"}
	esc := svg.Series{Name: "escalated"}
	for _, g := range gs {
		c.Categories = append(c.Categories, g.Key)
		att.Values = append(att.Values, attainmentOf(g, "resolution"))
		esc.Values = append(esc.Values, g.Escalated)
	}
	c.Series = []svg.Series{att, esc}
	return svg.Lines(w, c)
}

// label names a group key on a chart.
func label(key string) string {
	if key == "" {
		return "(none)"
	}
	return key
}
