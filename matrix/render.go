package matrix

import (
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// table is a header row followed by body rows of cells.
type table [][]string

// Markdown renders the matrix as Markdown for a handbook: a "Priority"
// section with the impact x urgency grid, followed by the default impact
// and urgency when they are set ("Default impact: Medium."), a "Goals"
// section with one row per priority and one column per metric (a goal on a
// named calendar shows it in parentheses, a missing goal shows "-"), and an
// "Escalation" section with, per priority, its start tier when it has one
// ("Start tier: specialists.") and its table of levels. Everything appears
// in the order of the spec, so the output is the same on every call. A "|"
// in a label is escaped.
func (m *Matrix) Markdown() string {
	var b strings.Builder
	grid, goals := m.gridTable(), m.goalTable()
	b.WriteString("## Priority\n\n")
	markdownTable(&b, grid)
	if defaults := m.defaults(); len(defaults) > 0 {
		b.WriteByte('\n')
		for _, d := range defaults {
			b.WriteString("Default " + d.what + ": " + escapeMarkdown(d.value) + ".\n")
		}
	}
	b.WriteString("\n## Goals\n\n")
	markdownTable(&b, goals)
	b.WriteString("\n## Escalation\n")
	for _, p := range m.spec.Priorities {
		b.WriteString("\n### " + escapeMarkdown(p.Name) + "\n\n")
		if p.StartTier != "" {
			b.WriteString("Start tier: " + escapeMarkdown(p.StartTier) + ".\n\n")
		}
		if len(p.Levels) == 0 {
			b.WriteString("No escalation levels.\n")
			continue
		}
		markdownTable(&b, levelTable(p.Levels))
	}
	return b.String()
}

// Text renders the same tables and settings as Markdown, as plain text with
// aligned columns, for a terminal or a plain-text page: the defaults follow
// the grid ("  default impact: Medium"), and a start tier comes first under
// its priority ("  start tier: specialists"). Lines carry no trailing
// spaces.
func (m *Matrix) Text() string {
	var b strings.Builder
	b.WriteString("Priority\n")
	textTable(&b, m.gridTable())
	for _, d := range m.defaults() {
		b.WriteString("  default " + d.what + ": " + d.value + "\n")
	}
	b.WriteString("\nGoals\n")
	textTable(&b, m.goalTable())
	for _, p := range m.spec.Priorities {
		b.WriteString("\nEscalation of " + p.Name + "\n")
		if p.StartTier != "" {
			b.WriteString("  start tier: " + p.StartTier + "\n")
		}
		if len(p.Levels) == 0 {
			b.WriteString("  no escalation levels\n")
			continue
		}
		textTable(&b, levelTable(p.Levels))
	}
	return b.String()
}

// fallback is a default label of the matrix: what it is the default of
// ("impact" or "urgency"), and its value.
type fallback struct {
	what, value string
}

// defaults returns the default impact and the default urgency, those that
// are set, in that order.
func (m *Matrix) defaults() []fallback {
	var d []fallback
	if m.spec.DefaultImpact != "" {
		d = append(d, fallback{"impact", m.spec.DefaultImpact})
	}
	if m.spec.DefaultUrgency != "" {
		d = append(d, fallback{"urgency", m.spec.DefaultUrgency})
	}
	return d
}

// gridTable returns the priority grid: one row per impact, one column per
// urgency.
func (m *Matrix) gridTable() table {
	t := table{append([]string{`impact \ urgency`}, m.spec.Urgencies...)}
	for i, row := range m.spec.Grid {
		t = append(t, append([]string{m.spec.Impacts[i]}, row...))
	}
	return t
}

// goalTable returns the goals: one row per priority, one column per metric
// in the order metrics first appear.
func (m *Matrix) goalTable() table {
	var metrics []string
	for _, p := range m.spec.Priorities {
		for _, g := range p.Goals {
			if !slices.Contains(metrics, g.Metric) {
				metrics = append(metrics, g.Metric)
			}
		}
	}
	t := table{append([]string{"priority"}, metrics...)}
	for _, p := range m.spec.Priorities {
		row := []string{p.Name}
		for _, metric := range metrics {
			cell := "-"
			if k := slices.IndexFunc(p.Goals, func(g Goal) bool { return g.Metric == metric }); k >= 0 {
				cell = p.Goals[k].Target.String()
				if c := p.Goals[k].Calendar; c != "" {
					cell += " (" + c + ")"
				}
			}
			row = append(row, cell)
		}
		t = append(t, row)
	}
	return t
}

// levelTable returns the escalation levels of one priority, numbered from 1.
func levelTable(levels []Level) table {
	t := table{{"level", "when", "tier", "team", "notify"}}
	for i, l := range levels {
		t = append(t, []string{strconv.Itoa(i + 1), when(l), l.Tier, orDash(l.Team), orDash(strings.Join(l.Notify, ", "))})
	}
	return t
}

// when describes the trigger of l: "30m after open", "75% of resolution",
// "2h in tier".
func when(l Level) string {
	switch l.Clock {
	case ClockPercent:
		return strconv.FormatFloat(l.Percent, 'f', -1, 64) + "% of " + l.Metric
	case ClockInTier:
		return l.After.String() + " in tier"
	default:
		return l.After.String() + " after open"
	}
}

// orDash returns s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// markdownTable writes t as a Markdown table.
func markdownTable(b *strings.Builder, t table) {
	for r, row := range t {
		for _, cell := range row {
			b.WriteString("| " + escapeMarkdown(cell) + " ")
		}
		b.WriteString("|\n")
		if r == 0 {
			b.WriteString(strings.Repeat("| --- ", len(row)) + "|\n")
		}
	}
}

// escapeMarkdown escapes the characters that would break a table cell or
// a heading: backslash and "|".
func escapeMarkdown(s string) string {
	return strings.NewReplacer(`\`, `\\`, `|`, `\|`).Replace(s)
}

// textTable writes t indented by two spaces, with columns aligned.
func textTable(b *strings.Builder, t table) {
	w := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, row := range t {
		w.Write([]byte("  " + strings.Join(row, "\t") + "\n"))
	}
	w.Flush()
}
