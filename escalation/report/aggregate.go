package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Options say what a report covers and how it groups tickets. The zero
// value is a report of the "all" group on no policy, which New refuses:
// a report needs the policies its histories ran on.
type Options struct {
	// Policies are every policy version the histories ran on; the first
	// names the report's tiers (reached_tier has one share per tier).
	Policies []*escalation.Policy
	// By are the groupings besides "all": "priority" (when opened),
	// "start_team", "resolving_team", "start_tier", "policy" (the version
	// it opened on), "tenant" (of the ticket's key, escalation.TenantOf),
	// "week" and "month" (opened, in Location), or a path
	// into the ticket's attributes such as "customer.vip" (a path may
	// start with "ticket." to name an attribute called like a grouping).
	By []string
	// From and To bound the opening instants of the tickets Add counts,
	// [From, To); a zero bound is open. Tickets outside are skipped.
	From, To time.Time
	// End is the end of the data: the last stay and a wait still going on
	// last until it, and a ticket neither resolved nor closed then is in
	// the backlog. Zero means each ticket's last entry.
	End time.Time
	// Location is where weeks and months begin; nil means UTC.
	Location *time.Location
	// Feedback is the attribute path of a ticket's feedback scores, on a
	// scale of 1 to 5: a number or a list of numbers. "" means "feedback".
	Feedback string
	// ExactValues bounds the values the report keeps to work out exact
	// percentiles, across all groups; beyond it percentiles are within
	// 0.2%. 0 means the default, ExactValues (8 MiB); a negative value
	// keeps none.
	ExactValues int
}

// Ceiling is the longest a ticket should take to resolve: the share
// resolved within it is reported.
const Ceiling = 30 * 24 * time.Hour

// dimensions are the groupings Options.By may name besides an attribute.
var dimensions = []string{"all", "priority", "start_team", "resolving_team", "start_tier", "policy", "tenant", "week", "month"}

// Aggregator sums ticket facts into a report's groups in one pass; its
// memory grows with the groups, not with the tickets. It is not safe for
// concurrent use.
type Aggregator struct {
	opts     Options
	feedback []string
	policies map[string]*policyInfo
	tiers    []string
	metrics  []string // every metric of the policies, resolution first
	groups   []grouping
	rules    map[string]*RuleStats
	facts    Facts          // the current ticket's, reused
	names    map[any]string // attribute values as keys
	periods  map[int]string // weeks and months as keys
	budget   int            // exact values the distributions may still keep
}

// grouping is one Options.By entry and its groups by key.
type grouping struct {
	by     string
	attr   []string // the attribute path, for an attribute
	groups map[string]*acc
}

// policyInfo is what the report needs of one policy version.
type policyInfo struct {
	tiers   map[string]int
	pausing map[string]bool // the statuses that pause the resolution clock
}

func (p *policyInfo) tier(name string) int {
	if i, ok := p.tiers[name]; ok {
		return i
	}
	return -1
}

func (p *policyInfo) waits(status string) bool { return p.pausing[status] }

// New returns an Aggregator for opts, or an error listing every problem
// of opts.
func New(opts Options) (*Aggregator, error) {
	if opts.ExactValues == 0 {
		opts.ExactValues = ExactValues
	}
	a := &Aggregator{opts: opts, policies: map[string]*policyInfo{}, rules: map[string]*RuleStats{}, names: map[any]string{}, periods: map[int]string{}, budget: opts.ExactValues}
	var errs []error
	if len(opts.Policies) == 0 {
		errs = append(errs, errors.New("report: Policies: none given; a report needs the policies its histories ran on"))
	}
	metrics := map[string]bool{}
	for i, p := range opts.Policies {
		if p == nil {
			errs = append(errs, fmt.Errorf("report: Policies[%d]: nil", i))
			continue
		}
		if _, dup := a.policies[p.Version]; dup {
			errs = append(errs, fmt.Errorf("report: Policies[%d]: version %q given twice", i, p.Version))
			continue
		}
		info := &policyInfo{tiers: map[string]int{}, pausing: map[string]bool{}}
		for j, t := range p.Tiers {
			info.tiers[t] = j
		}
		for status, ms := range p.Pause {
			info.pausing[status] = slices.Contains(ms, "resolution")
		}
		a.policies[p.Version] = info
		if a.tiers == nil {
			a.tiers = slices.Clone(p.Tiers)
		}
		for _, r := range p.Rules {
			a.rule(r.Name)
		}
		for _, pr := range p.Matrix.Priorities {
			for _, g := range pr.Goals {
				metrics[g.Metric] = true
			}
			for j := range pr.Levels {
				a.rule(escalation.LevelName(pr.Name, j))
			}
		}
		for _, c := range p.Contracts {
			for _, goals := range c.Goals {
				for _, g := range goals {
					metrics[g.Metric] = true
				}
			}
		}
	}
	delete(metrics, "resolution")
	a.metrics = append([]string{"resolution"}, slices.Sorted(maps.Keys(metrics))...)
	a.feedback = attrPath(opts.Feedback)
	if opts.Feedback == "" {
		a.feedback = []string{"feedback"}
	}
	a.groups = append(a.groups, grouping{by: "all", groups: map[string]*acc{}})
	seen := map[string]bool{}
	for i, by := range opts.By {
		switch {
		case strings.TrimSpace(by) == "" || strings.HasSuffix(by, ".") || strings.HasPrefix(by, ".") || strings.Contains(by, ".."):
			errs = append(errs, fmt.Errorf("report: By[%d]: %q is neither a grouping (%s) nor an attribute path", i, by, strings.Join(dimensions, ", ")))
			continue
		case by == "all":
			errs = append(errs, fmt.Errorf("report: By[%d]: \"all\" is always reported; leave it out", i))
			continue
		case seen[by]:
			errs = append(errs, fmt.Errorf("report: By[%d]: %q given twice", i, by))
			continue
		}
		seen[by] = true
		g := grouping{by: by, groups: map[string]*acc{}}
		if !slices.Contains(dimensions, by) {
			g.attr = attrPath(by)
		}
		a.groups = append(a.groups, g)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return a, nil
}

// attrPath splits an attribute path, without a leading "ticket.".
func attrPath(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(path, "ticket."), ".")
}

func (a *Aggregator) rule(name string) *RuleStats {
	r := a.rules[name]
	if r == nil {
		r = &RuleStats{Rule: name}
		a.rules[name] = r
	}
	return r
}

// policy returns what the report knows of a version.
func (a *Aggregator) policy(id, version string) (*policyInfo, error) {
	if p, ok := a.policies[version]; ok {
		return p, nil
	}
	return nil, factsError(id, "policy version %q is not among Options.Policies", version)
}

// Facts works out one ticket's facts. The Facts are the caller's.
func (a *Aggregator) Facts(h escalation.History) (Facts, error) {
	var f Facts
	err := a.scan(h, &f)
	return f, err
}

// Add counts one ticket in every group it belongs to. A ticket opened
// outside [From, To) is skipped. A history the report cannot read is
// counted nowhere, and the error names the ticket.
func (a *Aggregator) Add(h escalation.History) error {
	if h.State != nil && !a.inWindow(h.State.Opened) {
		return nil
	}
	f := &a.facts
	if err := a.scan(h, f); err != nil {
		return err
	}
	if !a.inWindow(f.Opened) {
		return nil
	}
	for i := range a.groups {
		g := &a.groups[i]
		key := a.key(g, f, h.State.Attrs)
		ac := g.groups[key]
		if ac == nil {
			ac = newAcc(g.by, key, len(a.tiers))
			g.groups[key] = ac
		}
		ac.add(f, a)
	}
	a.countRules(f)
	return nil
}

func (a *Aggregator) inWindow(t time.Time) bool {
	return (a.opts.From.IsZero() || !t.Before(a.opts.From)) && (a.opts.To.IsZero() || t.Before(a.opts.To))
}

// key is the ticket's group in g.
func (a *Aggregator) key(g *grouping, f *Facts, attrs map[string]any) string {
	switch {
	case g.attr != nil:
		return a.name(lookup(attrs, g.attr))
	case g.by == "all":
		return ""
	case g.by == "priority":
		return f.Priority
	case g.by == "start_team":
		return f.StartTeam
	case g.by == "resolving_team":
		return f.ResolvedTeam
	case g.by == "start_tier":
		return f.StartTier
	case g.by == "policy":
		return f.Policy
	case g.by == "tenant":
		return escalation.TenantOf(f.ID)
	}
	loc := a.opts.Location
	if loc == nil {
		loc = time.UTC
	}
	t := f.Opened.In(loc)
	if g.by == "week" {
		y, w := t.ISOWeek()
		return a.period(-(y*100 + w), "%04d-W%02d", y, w)
	}
	return a.period(t.Year()*100+int(t.Month()), "%04d-%02d", t.Year(), int(t.Month()))
}

// period names a week (k < 0) or a month once, so that a ticket costs
// no string.
func (a *Aggregator) period(k int, format string, y, n int) string {
	if s, ok := a.periods[k]; ok {
		return s
	}
	s := fmt.Sprintf(format, y, n)
	a.periods[k] = s
	return s
}

// name is an attribute value as a group key: a string as it is, a missing
// value "", others as JSON writes them.
func (a *Aggregator) name(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, json.Number:
		if s, ok := a.names[v]; ok {
			return s
		}
		b, _ := json.Marshal(v)
		a.names[v] = string(b)
		return string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// lookup follows path into attrs; nil when it leads nowhere.
func lookup(attrs map[string]any, path []string) any {
	var v any = attrs
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[p]; !ok {
			return nil
		}
	}
	if len(path) == 0 {
		return nil
	}
	return v
}

// appendScores appends the feedback scores in v: a number or a list of
// numbers; anything else holds none.
func appendScores(dst []float64, v any) []float64 {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			dst = appendScores(dst, x)
		}
	case []float64:
		dst = append(dst, v...)
	case []int:
		for _, x := range v {
			dst = append(dst, float64(x))
		}
	case float64:
		dst = append(dst, v)
	case int:
		dst = append(dst, float64(v))
	case json.Number:
		if x, err := v.Float64(); err == nil {
			dst = append(dst, x)
		}
	}
	return dst
}

// Collect reads every history of seq into a report made with opts. An
// error of seq ends it: Collect returns it, and no report. A history the
// report cannot read is left out: Collect returns the report of the
// others and a *SkippedError.
func Collect(ctx context.Context, seq iter.Seq2[escalation.History, error], opts Options) (*Report, error) {
	a, err := New(opts)
	if err != nil {
		return nil, err
	}
	skipped := &SkippedError{}
	for h, err := range seq {
		if err != nil {
			return nil, err
		}
		if err := a.Add(h); err != nil {
			if skipped.Tickets++; len(skipped.Errs) < maxSkipped {
				skipped.Errs = append(skipped.Errs, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if skipped.Tickets > 0 {
		return a.Report(), skipped
	}
	return a.Report(), nil
}

// maxSkipped is how many of the histories it left out a SkippedError
// keeps.
const maxSkipped = 20

// SkippedError is the histories Collect left out because it could not
// read them: how many, and the errors of the first 20.
type SkippedError struct {
	Tickets int
	Errs    []error
}

func (e *SkippedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "report: %d tickets left out", e.Tickets)
	for _, err := range e.Errs {
		b.WriteString("\n")
		b.WriteString(err.Error())
	}
	if more := e.Tickets - len(e.Errs); more > 0 {
		fmt.Fprintf(&b, "\nand %d more", more)
	}
	return b.String()
}

// Unwrap returns the errors it keeps.
func (e *SkippedError) Unwrap() []error { return e.Errs }
