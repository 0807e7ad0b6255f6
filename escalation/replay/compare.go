package replay

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// Comparison is one log replayed through two policies: the report of
// each, and the tickets whose outcome changed most.
type Comparison struct {
	A, B         *report.Report
	NameA, NameB string
	// Changed are the tickets whose outcome differs most, most first
	// (ties by ID); at most the number Compare was asked for.
	Changed []Change
}

// Outcome is what a replay did to one ticket.
type Outcome struct {
	Escalations, DeEscalations int
	Breaches                   int // SLA cycles breached, every metric
	HighestTier                string
	ResolvedTier               string
	Notifications              int
	Over, Under                bool
}

// Change is a ticket's outcome under each policy, and how much it
// changed: the sum of the differences in escalations, de-escalations,
// breaches, notifications and tiers of the highest tier reached.
type Change struct {
	Ticket string
	A, B   Outcome
	Score  int
}

// Compare reports the replays a and b of one log side by side, opts
// giving the groupings (their Policies are taken from the replays), and
// finds the top tickets whose outcome changed most.
func Compare(ctx context.Context, a, b *Result, opts report.Options, top int) (*Comparison, error) {
	optsA, optsB := opts, opts
	optsA.Policies = []*escalation.Policy{a.policy}
	optsB.Policies = []*escalation.Policy{b.policy}
	aggA, err := report.New(optsA)
	if err != nil {
		return nil, err
	}
	aggB, err := report.New(optsB)
	if err != nil {
		return nil, err
	}
	c := &Comparison{NameA: name(a.policy), NameB: name(b.policy)}
	next, stop := iter.Pull2(b.Histories(ctx, opts.From, opts.To))
	defer stop()
	pending := map[string]Outcome{} // tickets seen on one side only so far
	for ha, err := range a.Histories(ctx, opts.From, opts.To) {
		if err != nil {
			return nil, err
		}
		fa, err := add(aggA, ha)
		if err != nil {
			return nil, err
		}
		hb, err, ok := next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("replay: ticket %q is in the first replay only", ha.State.ID)
		}
		fb, err := add(aggB, hb)
		if err != nil {
			return nil, err
		}
		if hb.State.ID != ha.State.ID { // two skips apart: pair them by ID
			pending["a:"+ha.State.ID], pending["b:"+hb.State.ID] = fa, fb
			continue
		}
		c.note(ha.State.ID, fa, fb, top)
	}
	for {
		hb, err, ok := next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		fb, err := add(aggB, hb)
		if err != nil {
			return nil, err
		}
		pending["b:"+hb.State.ID] = fb
	}
	for key, fa := range pending {
		id, isA := strings.CutPrefix(key, "a:")
		if fb, ok := pending["b:"+id]; isA && ok {
			c.note(id, fa, fb, top)
		}
	}
	c.A, c.B = aggA.Report(), aggB.Report()
	c.sortChanged(top)
	return c, nil
}

func name(p *escalation.Policy) string {
	if p.Version == "" {
		return p.Name
	}
	return p.Name + " " + p.Version
}

// add counts h and returns its outcome.
func add(agg *report.Aggregator, h escalation.History) (Outcome, error) {
	f, err := agg.Facts(h)
	if err != nil {
		return Outcome{}, err
	}
	if err := agg.Add(h); err != nil {
		return Outcome{}, err
	}
	o := Outcome{Escalations: f.Escalations, DeEscalations: f.DeEscalations, HighestTier: f.HighestTier,
		ResolvedTier: f.ResolvedTier, Notifications: f.Notifications, Over: f.OverEscalated, Under: f.UnderEscalated}
	for _, cy := range f.Cycles {
		if cy.Outcome == report.Breached {
			o.Breaches++
		}
	}
	return o, nil
}

// note keeps a ticket's change if it is among the top ones so far.
func (c *Comparison) note(id string, a, b Outcome, top int) {
	ch := Change{Ticket: id, A: a, B: b, Score: absDiff(a.Escalations, b.Escalations) + absDiff(a.DeEscalations, b.DeEscalations) +
		absDiff(a.Breaches, b.Breaches) + absDiff(a.Notifications, b.Notifications) + tierDiff(a.HighestTier, b.HighestTier)}
	if ch.Score == 0 || top <= 0 {
		return
	}
	c.Changed = append(c.Changed, ch)
	if len(c.Changed) > 4*top { // keep the list short on a big log
		c.sortChanged(top)
	}
}

func (c *Comparison) sortChanged(top int) {
	slices.SortFunc(c.Changed, func(x, y Change) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.Ticket, y.Ticket))
	})
	if len(c.Changed) > top {
		c.Changed = c.Changed[:top]
	}
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// tierDiff is 1 when the tiers differ: the policies may name them apart.
func tierDiff(a, b string) int {
	if a == b {
		return 0
	}
	return 1
}

// WriteMarkdown writes the two reports' main figures side by side with
// their differences, the rules of each, and the tickets that changed most.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	a, bb := &c.A.Groups[0], &c.B.Groups[0]
	fmt.Fprintf(&b, "| figure | %s | %s | difference |\n| --- | ---: | ---: | ---: |\n", cell(c.NameA), cell(c.NameB))
	count := func(name string, x, y int) {
		fmt.Fprintf(&b, "| %s | %d | %d | %+d |\n", name, x, y, y-x)
	}
	pct := func(name string, x, y float64) {
		fmt.Fprintf(&b, "| %s | %.1f%% | %.1f%% | %+.1f pt |\n", name, 100*x, 100*y, 100*(y-x))
	}
	count("tickets", a.Tickets, bb.Tickets)
	for _, m := range union(c.A.Metrics, c.B.Metrics) {
		ma, _ := a.Metric(m)
		mb, _ := bb.Metric(m)
		pct(m+" attainment", ma.Attainment.Attainment, mb.Attainment.Attainment)
		count(m+" breached", ma.Attainment.Breached, mb.Attainment.Breached)
	}
	pct("escalated", a.Escalated, bb.Escalated)
	pct("escalated by hand", a.EscalatedManual, bb.EscalatedManual)
	pct("escalated automatically", a.EscalatedAutomatic, bb.EscalatedAutomatic)
	pct("over-escalated", a.OverEscalated, bb.OverEscalated)
	pct("under-escalated", a.UnderEscalated, bb.UnderEscalated)
	count("notifications", a.Notifications, bb.Notifications)

	b.WriteString("\n| rule or level | fired | escalations | fired | escalations |\n| --- | ---: | ---: | ---: | ---: |\n")
	rules := map[string][2]report.RuleStats{}
	for _, r := range c.A.Rules {
		v := rules[r.Rule]
		v[0] = r
		rules[r.Rule] = v
	}
	for _, r := range c.B.Rules {
		v := rules[r.Rule]
		v[1] = r
		rules[r.Rule] = v
	}
	for _, name := range slices.Sorted(maps.Keys(rules)) {
		v := rules[name]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", cell(name), v[0].Fired, v[0].Escalations, v[1].Fired, v[1].Escalations)
	}
	if len(c.Changed) > 0 {
		b.WriteString("\nThe tickets whose outcome changed most:\n\n| ticket | escalations | breaches | highest tier | notifications |\n| --- | --- | --- | --- | --- |\n")
		for _, ch := range c.Changed {
			fmt.Fprintf(&b, "| %s | %d → %d | %d → %d | %s → %s | %d → %d |\n", cell(ch.Ticket), ch.A.Escalations, ch.B.Escalations,
				ch.A.Breaches, ch.B.Breaches, cell(ch.A.HighestTier), cell(ch.B.HighestTier), ch.A.Notifications, ch.B.Notifications)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
