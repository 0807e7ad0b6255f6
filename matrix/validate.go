package matrix

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wantClock lists the valid clocks for error messages.
const wantClock = `want "since_open", "percent" or "in_tier"`

// check returns every problem of spec against tiers (lowest first), in the
// order of the document. bad holds, by path, the raw JSON of each duration
// that Parse could not read, and that is zero in spec; it is nil for New.
func check(spec Spec, tiers []string, bad map[string]json.RawMessage) problems {
	var ps problems
	rank := ps.labels("tiers", "tiers[%d]", "tier", tiers)
	wantTier := wantOne(tiers, "tiers")
	impacts := ps.labels("impacts", "impacts[%d]", "impact", spec.Impacts)
	urgencies := ps.labels("urgencies", "urgencies[%d]", "urgency", spec.Urgencies)
	ps.known("default_impact", "impact", spec.DefaultImpact, impacts, wantOne(spec.Impacts, "impacts"))
	ps.known("default_urgency", "urgency", spec.DefaultUrgency, urgencies, wantOne(spec.Urgencies, "urgencies"))
	names := make([]string, len(spec.Priorities))
	for i, p := range spec.Priorities {
		names[i] = p.Name
	}
	priorities := ps.labels("priorities", "priorities[%d].name", "priority", names)
	ps.grid(spec, priorities)
	for i, p := range spec.Priorities {
		path := fmt.Sprintf("priorities[%d]", i)
		ps.known(path+".start_tier", "tier", p.StartTier, rank, wantTier)
		metrics := ps.goals(path, p.Goals, bad)
		ps.levels(path, p.Levels, metrics, rank, wantTier, bad)
	}
	return ps
}

// wantOne returns the end of the message of an unknown name that must be one
// of labels: the quoted labels, or, when there are none, that no labels were
// given, naming them by what, a plural such as "tiers".
func wantOne(labels []string, what string) string {
	if len(labels) == 0 {
		return "no " + what + " were given"
	}
	return "want one of " + quoteList(labels)
}

// known checks an optional name, at path, of a label of the list whose
// positions are pos (see labels): "" (unset) or one of them. want says what
// the name must be (see wantOne).
func (ps *problems) known(path, what, name string, pos map[string]int, want string) {
	if _, ok := pos[name]; name != "" && !ok {
		ps.add(path, "unknown %s %q; %s", what, name, want)
	}
}

// labels checks a list of labels: not empty, each label non-empty, a valid
// text (see text), and unique. It returns the position of each label (its
// first, for a duplicate).
func (ps *problems) labels(listPath, itemPath, what string, labels []string) map[string]int {
	if len(labels) == 0 {
		ps.add(listPath, "empty; want at least one %s", what)
	}
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		path := fmt.Sprintf(itemPath, i)
		if l == "" {
			ps.add(path, "empty %s", what)
		} else {
			ps.text(path, what, l)
		}
		if first, dup := pos[l]; dup {
			ps.add(path, "duplicate %s %q, first at "+itemPath, what, l, first)
			continue
		}
		pos[l] = i
	}
	return pos
}

// text checks a name that the renderings print: valid UTF-8, without
// surrounding spaces or control characters.
func (ps *problems) text(path, what, s string) {
	switch {
	case !utf8.ValidString(s):
		ps.add(path, "%s %q is not valid UTF-8", what, s)
	case strings.TrimSpace(s) != s:
		ps.add(path, "%s %q has leading or trailing space", what, s)
	case strings.ContainsFunc(s, unicode.IsControl):
		ps.add(path, "%s %q has a control character", what, s)
	}
}

// grid checks that spec.Grid has one row per impact and one cell per urgency
// in each row, and that every cell names a priority.
func (ps *problems) grid(spec Spec, priorities map[string]int) {
	if len(spec.Grid) != len(spec.Impacts) {
		ps.add("grid", "want %d rows (one per impact), got %d", len(spec.Impacts), len(spec.Grid))
	}
	for i, row := range spec.Grid {
		if len(row) != len(spec.Urgencies) {
			ps.add(fmt.Sprintf("grid[%d]", i), "want %d cells (one per urgency), got %d", len(spec.Urgencies), len(row))
		}
		for u, cell := range row {
			if _, ok := priorities[cell]; !ok {
				ps.add(fmt.Sprintf("grid[%d][%d]", i, u), "unknown priority %q", cell)
			}
		}
	}
}

// goals checks the goals of the priority at path and returns their valid
// metric names.
func (ps *problems) goals(path string, goals []Goal, bad map[string]json.RawMessage) map[string]bool {
	if len(goals) == 0 {
		ps.add(path+".goals", "empty; want at least one goal")
	}
	metrics := make(map[string]bool, len(goals))
	first := make(map[string]int, len(goals))
	for i, g := range goals {
		gp := fmt.Sprintf("%s.goals[%d]", path, i)
		if !isMetric(g.Metric) {
			ps.add(gp+".metric", "%q is not a metric name (lower-case letters, digits and _, starting with a letter)", g.Metric)
		} else if j, dup := first[g.Metric]; dup {
			ps.add(gp+".metric", "duplicate metric %q, first at goals[%d]", g.Metric, j)
		} else {
			first[g.Metric] = i
			metrics[g.Metric] = true
		}
		if g.Calendar != "" {
			ps.text(gp+".calendar", "calendar", g.Calendar)
		}
		if !ps.badDuration(bad, gp+".target") && g.Target <= 0 {
			ps.add(gp+".target", "must be positive, got %q", g.Target)
		}
	}
	return metrics
}

// levels checks the escalation levels of the priority at path: each level
// on its own, and the order of its times (see the package overview,
// "Escalation levels"). wantTier says what a tier must be (see wantOne).
func (ps *problems) levels(path string, levels []Level, metrics map[string]bool, rank map[string]int, wantTier string, bad map[string]json.RawMessage) {
	lastSinceOpen := -1
	lastPercent := map[string]int{}
	for i, l := range levels {
		lp := fmt.Sprintf("%s.levels[%d]", path, i)
		ps.trigger(lp, l, metrics, bad)
		switch {
		case l.Clock == ClockSinceOpen && l.After > 0:
			if j := lastSinceOpen; j >= 0 && levels[j].After >= l.After {
				ps.add(lp+".after", "%q does not come after %q of levels[%d] (since_open levels must increase)", l.After, levels[j].After, j)
			}
			lastSinceOpen = i
		case l.Clock == ClockPercent && metrics[l.Metric] && validPercent(l.Percent):
			if j, ok := lastPercent[l.Metric]; ok && levels[j].Percent >= l.Percent {
				ps.add(lp+".percent", "%v does not exceed %v of levels[%d] (percent levels of %q must increase)", l.Percent, levels[j].Percent, j, l.Metric)
			}
			lastPercent[l.Metric] = i
		case l.Clock == ClockInTier && l.After > 0:
			if j := sameStay(levels, i); j >= 0 && levels[j].After > 0 && levels[j].After >= l.After {
				ps.add(lp+".after", "%q does not come after %q of levels[%d] (in_tier levels within one stay in tier %q must increase)", l.After, levels[j].After, j, levels[i-1].Tier)
			}
		}
		ps.tier(lp, levels, i, rank, wantTier)
		if l.Team != "" {
			ps.text(lp+".team", "team", l.Team)
		}
		ps.contacts(lp, l.Notify)
	}
}

// tier checks that levels[i], at path, names a known tier that is not lower
// than the tier of the level before it.
func (ps *problems) tier(path string, levels []Level, i int, rank map[string]int, wantTier string) {
	tier := levels[i].Tier
	r, known := rank[tier]
	switch {
	case tier == "":
		ps.add(path+".tier", "missing; %s", wantTier)
	case !known:
		ps.add(path+".tier", "unknown tier %q; %s", tier, wantTier)
	case i > 0:
		if prev, ok := rank[levels[i-1].Tier]; ok && r < prev {
			ps.add(path+".tier", "%q is lower than %q of levels[%d]; a level may not move a ticket down", tier, levels[i-1].Tier, i-1)
		}
	}
}

// contacts checks the notify list of the level at path: no empty or
// duplicate contact, each a valid text.
func (ps *problems) contacts(path string, notify []string) {
	seen := make(map[string]bool, len(notify))
	for k, n := range notify {
		np := fmt.Sprintf("%s.notify[%d]", path, k)
		switch {
		case n == "":
			ps.add(np, "empty contact")
		case seen[n]:
			ps.add(np, "duplicate contact %q", n)
		default:
			ps.text(np, "contact", n)
		}
		seen[n] = true
	}
}

// trigger checks the clock of the level at path and the fields that go
// with it.
func (ps *problems) trigger(path string, l Level, metrics map[string]bool, bad map[string]json.RawMessage) {
	switch l.Clock {
	case ClockSinceOpen, ClockInTier:
		if !ps.badDuration(bad, path+".after") && l.After <= 0 {
			ps.add(path+".after", "must be positive, got %q", l.After)
		}
		if l.Metric != "" {
			ps.add(path+".metric", "%q not allowed with clock %q; only a percent clock has a metric", l.Metric, l.Clock)
		}
		if l.Percent != 0 {
			ps.add(path+".percent", "%v not allowed with clock %q; only a percent clock has a percent", l.Percent, l.Clock)
		}
	case ClockPercent:
		if !metrics[l.Metric] {
			ps.add(path+".metric", "%q is not the metric of a goal of this priority", l.Metric)
		}
		if !validPercent(l.Percent) {
			ps.add(path+".percent", "must be in (0, 100], got %v", l.Percent)
		}
		if !ps.badDuration(bad, path+".after") && l.After != 0 {
			ps.add(path+".after", "%q not allowed with clock %q; only since_open and in_tier clocks have a time", l.After, l.Clock)
		}
	case "":
		ps.add(path+".clock", "missing; "+wantClock)
		ps.badDuration(bad, path+".after")
	default:
		ps.add(path+".clock", "unknown clock %q; "+wantClock, l.Clock)
		ps.badDuration(bad, path+".after")
	}
}

// badDuration reports bad[path], the raw JSON of a duration that Parse could
// not read, quoting it, when there is one, and says whether there was.
func (ps *problems) badDuration(bad map[string]json.RawMessage, path string) bool {
	raw, ok := bad[path]
	if !ok {
		return false
	}
	value := string(raw) // a number, true or false
	var s string
	switch {
	case json.Unmarshal(raw, &s) == nil:
		value = strconv.Quote(s)
	case raw[0] == '{':
		value = "an object"
	case raw[0] == '[':
		value = "an array"
	}
	ps.add(path, `%s is not a duration (a string such as "30m", "4h" or "1h30m")`, value)
	return true
}

// sameStay returns the index of the in_tier level before levels[i] that
// counts the same stay in a tier as levels[i], or -1. Level k waits on the
// time spent in the tier of level k-1, so levels j < i count the same stay
// when levels j-1 through i-1 all name one tier. Level 0 counts the stay in
// the ticket's starting tier, which the matrix does not know, so it is
// never paired.
func sameStay(levels []Level, i int) int {
	if i == 0 {
		return -1
	}
	tier := levels[i-1].Tier
	for j := i - 1; j >= 1 && levels[j-1].Tier == tier; j-- {
		if levels[j].Clock == ClockInTier {
			return j
		}
	}
	return -1
}

// validPercent reports whether p lies in (0, 100].
func validPercent(p float64) bool {
	return p > 0 && p <= 100
}

// isMetric reports whether s is a metric name: lower-case ASCII letters,
// digits and underscores, starting with a letter.
func isMetric(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// quoteList returns the quoted items joined by ", ".
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
