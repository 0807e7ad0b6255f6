package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteJSON writes the report as indented JSON: snake_case names,
// durations in seconds under names ending in _seconds.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// column is one CSV column: its header and its value in a group.
type column struct {
	name  string
	value func(g *Group) string
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// columns are the report's CSV columns, in order.
func (r *Report) columns() []column {
	cols := []column{
		{"by", func(g *Group) string { return g.By }},
		{"key", func(g *Group) string { return g.Key }},
		{"tickets", func(g *Group) string { return strconv.Itoa(g.Tickets) }},
		{"resolved", func(g *Group) string { return strconv.Itoa(g.Resolved) }},
		{"backlog", func(g *Group) string { return strconv.Itoa(g.Backlog) }},
		{"notifications", func(g *Group) string { return strconv.Itoa(g.Notifications) }},
	}
	for i, t := range r.Tiers {
		cols = append(cols, column{"reached_tier_" + t, func(g *Group) string {
			if i < len(g.ReachedTier) {
				return num(g.ReachedTier[i])
			}
			return ""
		}})
	}
	share := func(name string, f func(g *Group) float64) {
		cols = append(cols, column{name, func(g *Group) string { return num(f(g)) }})
	}
	share("only_start_tier", func(g *Group) float64 { return g.OnlyStartTier })
	share("started_above_first", func(g *Group) float64 { return g.StartedAboveFirst })
	share("escalated", func(g *Group) float64 { return g.Escalated })
	share("escalated_manual", func(g *Group) float64 { return g.EscalatedManual })
	share("escalated_automatic", func(g *Group) float64 { return g.EscalatedAutomatic })
	share("de_escalated", func(g *Group) float64 { return g.DeEscalated })
	share("tier_skip", func(g *Group) float64 { return g.TierSkip })
	share("team_pingpong", func(g *Group) float64 { return g.TeamPingPong })
	share("waited", func(g *Group) float64 { return g.Waited })
	share("reopened", func(g *Group) float64 { return g.Reopened })
	share("over_escalated", func(g *Group) float64 { return g.OverEscalated })
	share("under_escalated", func(g *Group) float64 { return g.UnderEscalated })
	share("first_tier_resolution", func(g *Group) float64 { return g.FirstTierResolution })
	share("resolved_within_30_days", func(g *Group) float64 { return g.ResolvedWithin30Days })
	share("mtta_seconds", func(g *Group) float64 { return g.MTTA })
	share("mttr_seconds", func(g *Group) float64 { return g.MTTR })
	share("feedback_average", func(g *Group) float64 { return g.FeedbackAverage })
	share("csat", func(g *Group) float64 { return g.CSAT })
	dist := func(name string, f func(g *Group) Dist) {
		cols = append(cols,
			column{name + "_n", func(g *Group) string { return strconv.Itoa(f(g).N) }},
			column{name + "_p50", func(g *Group) string { return num(f(g).P50) }},
			column{name + "_p90", func(g *Group) string { return num(f(g).P90) }},
			column{name + "_mean", func(g *Group) string { return num(f(g).Mean) }})
	}
	dist("wait_seconds", func(g *Group) Dist { return g.WaitSeconds })
	dist("time_to_first_response_seconds", func(g *Group) Dist { return g.TimeToFirstResponse })
	dist("wall_to_first_response_seconds", func(g *Group) Dist { return g.WallToFirstResponse })
	dist("time_to_first_resolution_seconds", func(g *Group) Dist { return g.TimeToFirstResolution })
	dist("wall_to_first_resolution_seconds", func(g *Group) Dist { return g.WallToFirstResolution })
	for _, m := range r.Metrics {
		stats := func(g *Group) MetricStats { s, _ := g.Metric(m); return s }
		cols = append(cols,
			column{m + "_met", func(g *Group) string { return strconv.Itoa(stats(g).Attainment.Met) }},
			column{m + "_breached", func(g *Group) string { return strconv.Itoa(stats(g).Attainment.Breached) }},
			column{m + "_attainment", func(g *Group) string { return num(stats(g).Attainment.Attainment) }})
		dist(m+"_elapsed_seconds", func(g *Group) Dist { return stats(g).Elapsed })
		dist(m+"_margin_seconds", func(g *Group) Dist { return stats(g).Margin })
	}
	return cols
}

// WriteCSV writes one row per group under a header row. Shares are
// numbers in [0, 1], durations seconds; the names are the JSON's, with a
// distribution's fields and a metric's counts under their own columns
// (time_to_first_resolution_seconds_p50, resolution_met).
func (r *Report) WriteCSV(w io.Writer) error {
	cols := r.columns()
	cw := csv.NewWriter(w)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for gi := range r.Groups {
		for i, c := range cols {
			row[i] = c.value(&r.Groups[gi])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteMarkdown writes the tables a lead pastes into a review: the groups
// with their main figures, and the rules' effectiveness.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	head := []string{"group", "tickets", "resolved", "backlog"}
	head = append(head, r.Metrics...)
	head = append(head, "resolve p50", "resolve p90", "escalated", "over", "under", "first tier", "reopened", "CSAT")
	row(&b, head)
	align := make([]string, len(head))
	for i := range align {
		align[i] = "---:"
	}
	align[0] = "---"
	row(&b, align)
	for _, g := range r.Groups {
		name := g.By
		if g.By != "all" {
			key := g.Key
			if key == "" {
				key = "(none)"
			}
			name = g.By + " " + key
		}
		cells := []string{name, strconv.Itoa(g.Tickets), strconv.Itoa(g.Resolved), strconv.Itoa(g.Backlog)}
		for _, m := range r.Metrics {
			s, _ := g.Metric(m)
			cells = append(cells, attainmentCell(s.Attainment))
		}
		d := g.WallToFirstResolution
		cells = append(cells, seconds(d.P50, d.N), seconds(d.P90, d.N),
			percent(g.Escalated), percent(g.OverEscalated), percent(g.UnderEscalated),
			percent(g.FirstTierResolution), percent(g.Reopened))
		if g.Counts.FeedbackScores > 0 {
			cells = append(cells, percent(g.CSAT))
		} else {
			cells = append(cells, "-")
		}
		row(&b, cells)
	}
	if len(r.Rules) > 0 {
		b.WriteString("\n")
		row(&b, []string{"rule", "fired", "failed", "escalations", "sent back down", "breached anyway"})
		row(&b, []string{"---", "---:", "---:", "---:", "---:", "---:"})
		for _, rs := range r.Rules {
			row(&b, []string{rs.Rule, strconv.Itoa(rs.Fired), strconv.Itoa(rs.Failed), strconv.Itoa(rs.Escalations),
				strconv.Itoa(rs.OverEscalated), strconv.Itoa(rs.BreachedAnyway)})
		}
	}
	if len(r.Unfired) > 0 {
		fmt.Fprintf(&b, "\nNever fired: %s.\n", strings.Join(r.Unfired, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// row writes one Markdown table row, escaping the cells' pipes.
func row(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(c, "|", `\|`), "\n", " "))
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// percent writes a share as a percentage with one decimal.
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// attainmentCell writes an attainment with its counts: "75.0% (3/4)".
func attainmentCell(a Attainment) string {
	if a.Met+a.Breached == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d/%d)", percent(a.Attainment), a.Met, a.Met+a.Breached)
}

// seconds writes a number of seconds as a short duration: "1d 4h", "3h 20m".
func seconds(s float64, n int) string {
	if n == 0 {
		return "-"
	}
	return short(time.Duration(s * float64(time.Second)))
}

// short writes d in its two largest units.
func short(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Second)
	var s string
	switch days := d / (24 * time.Hour); {
	case days > 0:
		s = fmt.Sprintf("%dd %dh", days, (d%(24*time.Hour))/time.Hour)
	case d >= time.Hour:
		s = fmt.Sprintf("%dh %dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute:
		s = fmt.Sprintf("%dm %ds", d/time.Minute, (d%time.Minute)/time.Second)
	default:
		s = fmt.Sprintf("%ds", d/time.Second)
	}
	if neg {
		return "-" + s
	}
	return s
}
