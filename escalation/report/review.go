package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Review writes the post-resolution review of one ticket as Markdown: its
// timeline (who moved it, to which tier and team, how long it stayed),
// each SLA cycle with its margin, the rules that fired and why, the
// breaches and where they happened, its feedback, and the verdict on
// over- and under-escalation with its reason. Times are written in
// opts.Location (UTC when nil).
func Review(w io.Writer, h escalation.History, opts Options) error {
	a, err := New(opts)
	if err != nil {
		return err
	}
	f, err := a.Facts(h)
	if err != nil {
		return err
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Review of ticket %s\n\n", f.ID)
	fmt.Fprintf(&b, "Opened %s on %s, priority %s, policy %s.", when(f.Opened), where(f.StartTier, f.StartTeam), f.Priority, f.Policy)
	if f.FirstResponse.Reached() {
		fmt.Fprintf(&b, " First response after %s%s.", short(f.FirstResponse.Wall), clocked(f.FirstResponse))
	} else {
		b.WriteString(" No response yet.")
	}
	if f.FirstResolution.Reached() {
		fmt.Fprintf(&b, " First resolved after %s%s on %s.", short(f.FirstResolution.Wall), clocked(f.FirstResolution), where(f.ResolvedTier, f.ResolvedTeam))
	} else {
		b.WriteString(" Not resolved.")
	}
	if f.Reopens > 0 {
		fmt.Fprintf(&b, " Reopened %s.", times(f.Reopens))
	}
	if f.Open {
		fmt.Fprintf(&b, " Open at %s.", when(f.End))
	}
	b.WriteString("\n\n## Timeline\n\n")
	row(&b, []string{"from", "until", "tier", "team", "stayed", "moved there by"})
	row(&b, []string{"---", "---", "---", "---", "---:", "---"})
	for i, s := range f.Stays {
		by := "opened"
		if i > 0 && i-1 < len(f.Moves) {
			by = mover(f.Moves[i-1])
		}
		row(&b, []string{when(s.From), when(s.Until), s.Tier, s.Team, short(s.Duration()), by})
	}
	if f.Waited > 0 {
		fmt.Fprintf(&b, "\nWaited %s in statuses that pause the resolution clock before the first resolution.\n", short(f.Waited))
	}

	b.WriteString("\n## SLA clocks\n\n")
	if len(f.Cycles) == 0 {
		b.WriteString("No cycle was met or breached.\n")
	} else {
		row(&b, []string{"metric", "cycle", "outcome", "goal", "used", "margin", "breached at", "breached on"})
		row(&b, []string{"---", "---:", "---", "---:", "---:", "---:", "---", "---"})
		for _, c := range f.Cycles {
			goal, used, margin := "-", "-", "-"
			if c.Measured {
				goal, used, margin = short(c.Goal), short(c.Elapsed), short(c.Margin())
			}
			on := "-"
			if c.Outcome == Breached {
				on = where(c.BreachTier, c.BreachTeam)
			}
			row(&b, []string{c.Metric, strconv.Itoa(c.N), string(c.Outcome), goal, used, margin, when(c.BreachedAt), on})
		}
	}

	b.WriteString("\n## Rules\n\n")
	if len(f.Rules) == 0 && !movedByRules(f.Moves) {
		b.WriteString("No rule or matrix level fired.\n")
	} else {
		row(&b, []string{"at", "rule", "trigger", "result", "why"})
		row(&b, []string{"---", "---", "---", "---", "---"})
		for _, r := range f.Rules {
			result := "fired"
			switch {
			case r.Failed:
				result = "failed: " + r.Note
			case r.Skipped:
				result = "skipped: " + r.Note
			}
			row(&b, []string{when(r.At), r.Rule, r.Trigger, result, clauses(r.Why)})
		}
		for _, m := range f.Moves {
			if m.By == escalation.ByMatrix {
				row(&b, []string{when(m.At), m.Rule, "", string(m.What) + " to " + where(m.ToTier, m.ToTeam), ""})
			}
		}
	}

	b.WriteString("\n## Feedback\n\n")
	if len(f.Feedback) == 0 {
		b.WriteString("No feedback.\n")
	} else {
		var sum float64
		var scores []string
		for _, s := range f.Feedback {
			sum += s
			scores = append(scores, num(s))
		}
		fmt.Fprintf(&b, "Scores %s, average %s.\n", strings.Join(scores, ", "), strconv.FormatFloat(sum/float64(len(f.Feedback)), 'f', 2, 64))
	}

	b.WriteString("\n## Verdict\n\n")
	fmt.Fprintf(&b, "- Over-escalated: %s\n- Under-escalated: %s\n", overVerdict(&f), underVerdict(&f))
	_, err = io.WriteString(w, b.String())
	return err
}

func where(tier, team string) string {
	if team == "" {
		return "tier " + tier
	}
	return "tier " + tier + ", team " + team
}

func clocked(m Milestone) string {
	if !m.Clocked {
		return ""
	}
	return " (" + short(m.Clock) + " on the SLA clock)"
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return strconv.Itoa(n) + " times"
}

// mover says who made a move and why.
func mover(m Move) string {
	var s string
	switch m.By {
	case escalation.ByPerson:
		s = "person " + m.Actor
		if m.Actor == "" {
			s = "a person"
		}
	case escalation.ByRule:
		s = "rule " + m.Rule
	case escalation.ByMatrix:
		s = "matrix level " + m.Rule
	default:
		s = "the engine"
	}
	s = string(m.What) + " by " + s
	if m.Note != "" {
		s += ": " + m.Note
	}
	return s
}

func movedByRules(moves []Move) bool {
	for _, m := range moves {
		if m.By == escalation.ByMatrix {
			return true
		}
	}
	return false
}

// clauses writes a condition's clauses with their values.
func clauses(cs []escalation.Clause) string {
	var parts []string
	for _, c := range cs {
		p := "`" + c.Text + "` " + strconv.FormatBool(c.Value)
		if c.Error != "" {
			p += " (" + c.Error + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func overVerdict(f *Facts) string {
	switch {
	case f.OverEscalated:
		return fmt.Sprintf("yes. It reached tier %s and was first resolved on tier %s, below it.", f.HighestTier, f.ResolvedTier)
	case f.Escalations == 0:
		return "no. It was never escalated."
	case !f.FirstResolution.Reached():
		return "not yet. It was escalated and is not resolved."
	}
	return fmt.Sprintf("no. It was first resolved on tier %s, the highest it had reached.", f.ResolvedTier)
}

func underVerdict(f *Facts) string {
	for _, c := range f.Cycles {
		if c.Metric != "resolution" || c.N != 1 || c.Outcome != Breached {
			continue
		}
		if f.UnderEscalated {
			return fmt.Sprintf("yes. Its resolution goal breached at %s while it was still on its start tier %s.", c.BreachedAt.UTC().Format(time.RFC3339), f.StartTier)
		}
		return fmt.Sprintf("no. Its resolution goal breached at %s, after it had moved tiers.", c.BreachedAt.UTC().Format(time.RFC3339))
	}
	return "no. Its resolution goal did not breach."
}
