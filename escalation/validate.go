package escalation

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/rules"
	"github.com/ladder-go/ladder/sla"
)

// Validate checks p as New does: it returns nil for a policy an engine can
// run, and otherwise a *PolicyError listing every problem with its path.
//
// It checks that the name and version are set; that there is at least one
// tier and that tiers are unique and not empty; every calendar, with
// sla.NewCalendar ("24x7" is predefined and may not be redefined); the
// matrix, with matrix.New against the tiers; that every calendar, team,
// metric, tier, priority, impact and urgency a policy names exists (the
// metrics are those the matrix's goals name); that a default team is named
// when teams are declared; that hand-offs between teams form no cycle; the
// warnings of each target, as sla.Target does, against every goal of its
// metric; that declared statuses are unique and not empty, and that every
// status that pauses a metric is declared when statuses are; every
// contract: a unique name, a condition that compiles, and goals for
// declared priorities, each a metric of the matrix's goals once per
// priority, with a positive target longer than the metric's warnings and a
// declared calendar; and every rule:
//
//   - a name, unique among the rules;
//   - exactly one trigger: an event, a point of a metric (the metric with
//     exactly one of percent, in (0, 100], breach, or before_due, which
//     must be shorter than the longest goal of the metric, or the rule
//     could never fire), in_tier or idle (positive durations); a calendar
//     only where it counts, for in_tier, idle and repeat;
//   - a repeat only on a time trigger (metric, in_tier, idle), positive,
//     and with a when condition, which is what stops the repeats;
//   - a condition that compiles (package rules, with the policy's schema
//     when it declares attributes, and the metrics of the matrix);
//   - at least one action, each with exactly one verb: escalate to "next"
//     or to a tier above the lowest, deescalate, team, notify (a non-empty
//     list of non-empty contacts), set_priority, set_impact, set_urgency,
//     pause or resume (a metric).
func (p *Policy) Validate() error {
	_, err := compile(p)
	return err
}

// compile checks p (see Validate) and returns it in the form the engine
// runs, or a *PolicyError listing every problem.
func compile(p *Policy) (*compiled, error) {
	if p == nil {
		return nil, policyError([]Problem{{Msg: "no policy"}})
	}
	c := newChecker(p)
	if p.Name == "" {
		c.add("name", "required")
	}
	if p.Version == "" {
		c.add("version", "required")
	}
	calendars := c.checkCalendars()
	if p.Calendar != "" {
		c.known("calendar", "calendar", p.Calendar, c.calendars)
	}
	c.checkTeams()
	m := c.checkMatrix()
	contracts := c.checkContracts()
	c.checkTargets()
	c.checkStatuses()
	c.checkPause()
	conditions := c.checkRules()
	if err := policyError(c.problems); err != nil {
		return nil, err
	}

	def := calendars[cmp.Or(p.Calendar, Always24x7)]
	calendars[""] = def
	tierIndex := make(map[string]int, len(p.Tiers))
	for i, t := range p.Tiers {
		tierIndex[t] = i
	}
	compiledRules := make([]compiledRule, len(p.Rules))
	for i, r := range p.Rules {
		trigger := triggerName(r.On)
		compiledRules[i] = compiledRule{Rule: r, index: i, when: conditions[i], calendar: calendars[r.On.Calendar], trigger: trigger,
			repeatTrigger: trigger + " (repeat)", firedPrefix: "rule/" + r.Name + "/"}
	}
	pol := &compiled{
		policy:    p,
		calendars: calendars,
		calendar:  def,
		tierIndex: tierIndex,
		matrix:    m,
		ladders:   make(map[string]*ladder, len(p.Matrix.Priorities)),
		targets:   p.Targets,
		pause:     p.Pause,
		metrics:   c.metrics,
		rules:     compiledRules,
		places:    places(p),
	}
	for _, pr := range p.Matrix.Priorities {
		pol.priorities = append(pol.priorities, pr.Name)
		goals, _ := m.Goals(pr.Name)
		start, _ := m.StartTier(pr.Name)
		l, err := pol.newLadder(pr.Name, goals, start)
		if err != nil {
			return nil, err
		}
		pol.ladders[pr.Name] = l
	}
	for i, ct := range p.Contracts {
		cc := compiledContract{name: ct.Name, when: contracts[i], ladders: make(map[string]*ladder, len(pol.ladders))}
		for _, name := range pol.priorities {
			base := pol.ladders[name]
			goals := slices.Clone(base.goals)
			for _, g := range ct.Goals[name] {
				if j := slices.IndexFunc(goals, func(b matrix.Goal) bool { return b.Metric == g.Metric }); j >= 0 {
					goals[j] = g
				} else {
					goals = append(goals, g)
				}
			}
			l, err := pol.newLadder(name, goals, base.start)
			if err != nil {
				return nil, err
			}
			cc.ladders[name] = l
		}
		pol.contracts = append(pol.contracts, cc)
	}
	return pol, nil
}

// newLadder returns the ladder of a priority with these goals: the
// matrix's levels, and a timer per goal that tickets get clones of.
func (pol *compiled) newLadder(priority string, goals []matrix.Goal, start string) (*ladder, error) {
	levels, _ := pol.matrix.Levels(priority)
	timers := make([]*sla.Timer, len(goals))
	for i, g := range goals {
		target := pol.target(g)
		t, err := sla.NewTimer(target, pol.calendars[target.Calendar])
		if err != nil { // the checks make this unreachable
			return nil, fmt.Errorf("escalation: priority %s: %s: %w", priority, g.Metric, err)
		}
		timers[i] = t
	}
	l := &ladder{goals: goals, levels: levels, timers: timers, start: start}
	for i, lv := range levels {
		l.names = append(l.names, LevelName(priority, i))
		l.triggers = append(l.triggers, levelTrigger(lv))
	}
	return l, nil
}

// LevelName is the name under which the history records level i (from 0)
// of a priority's escalation ladder, in an entry's Rule: "matrix:P1[0]".
func LevelName(priority string, i int) string {
	return "matrix:" + priority + "[" + strconv.Itoa(i) + "]"
}

// triggerEvents names triggerKinds, for messages.
var triggerEvents = func() []string {
	var names []string
	for _, k := range triggerKinds {
		names = append(names, string(k))
	}
	return names
}()

// actionVerbs are the JSON names of the fields of Action, one per verb.
var actionVerbs = jsonNames(reflect.TypeFor[Action]())

// checker collects the problems of one policy, with the names the policy
// declares.
type checker struct {
	p         *Policy
	problems  []Problem
	calendars []string // "24x7" and the declared calendars, sorted
	teams     []string // sorted
	metrics   []string // every metric a goal names, sorted
	escalate  []string // "next" and the tiers
}

func newChecker(p *Policy) *checker {
	c := &checker{
		p:         p,
		calendars: []string{Always24x7},
		teams:     slices.Sorted(maps.Keys(p.Teams)),
		escalate:  append([]string{"next"}, p.Tiers...),
	}
	for name := range p.Calendars {
		if name != "" && name != Always24x7 {
			c.calendars = append(c.calendars, name)
		}
	}
	slices.Sort(c.calendars)
	for _, pr := range p.Matrix.Priorities {
		for _, g := range pr.Goals {
			if g.Metric != "" {
				c.metrics = append(c.metrics, g.Metric)
			}
		}
	}
	slices.Sort(c.metrics)
	c.metrics = slices.Compact(c.metrics)
	return c
}

// add records a problem at path; msg is formatted with args as by
// fmt.Sprintf.
func (c *checker) add(path, msg string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Msg: fmt.Sprintf(msg, args...)})
}

// known reports whether name is one of names, and records a problem at path
// when it is not; what says what name names ("team").
func (c *checker) known(path, what, name string, names []string) bool {
	if slices.Contains(names, name) {
		return true
	}
	if len(names) == 0 {
		c.add(path, "unknown %s %q; none is declared", what, name)
		return false
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	c.add(path, "unknown %s %q; want one of %s", what, name, strings.Join(quoted, ", "))
	return false
}

// unique records a problem when name, the name of item i of the list at
// path list, is empty or repeats an earlier item's; first holds the index
// of each name's first item.
func (c *checker) unique(list string, i int, what, name string, first map[string]int) {
	path := fmt.Sprintf("%s[%d].name", list, i)
	switch j, dup := first[name]; {
	case name == "":
		c.add(path, "required")
	case dup:
		c.add(path, "duplicate %s name %q, first at %s[%d]", what, name, list, j)
	default:
		first[name] = i
	}
}

// positive records a problem at path when d is negative; zero is "not set".
func (c *checker) positive(path string, d Duration) {
	if d < 0 {
		c.add(path, "must be positive, got %q", d)
	}
}

// percent records a problem at path when p, which is set, is not in
// (0, 100].
func (c *checker) percent(path string, p float64) {
	if !(p > 0 && p <= 100) { // also rejects NaN
		c.add(path, "%v is not in (0, 100]", p)
	}
}

// checkCalendars compiles every calendar and returns them by name, "24x7"
// included; a calendar with mistakes is left out.
func (c *checker) checkCalendars() map[string]*sla.Calendar {
	calendars := map[string]*sla.Calendar{Always24x7: sla.Always}
	for _, name := range slices.Sorted(maps.Keys(c.p.Calendars)) {
		path := member("calendars", name)
		switch name {
		case "":
			c.add("calendars", "a calendar has an empty name")
			continue
		case Always24x7:
			c.add(path, "%q is predefined (open at every instant) and cannot be redefined", name)
			continue
		}
		cal, err := sla.NewCalendar(c.p.Calendars[name])
		var spec *sla.SpecError
		switch {
		case errors.As(err, &spec):
			for _, fe := range spec.Problems {
				msg := fe.Msg
				if fe.Value != "" {
					msg = fmt.Sprintf("%q: %s", fe.Value, fe.Msg)
				}
				c.problems = append(c.problems, Problem{Path: path + "." + fe.Field, Msg: msg, Err: fe})
			}
		case err != nil:
			c.problems = append(c.problems, Problem{Path: path, Msg: err.Error(), Err: err})
		default:
			calendars[name] = cal
		}
	}
	return calendars
}

// checkTeams checks the hand-offs between teams and the default team.
func (c *checker) checkTeams() {
	for _, name := range c.teams {
		if name == "" {
			c.add("teams", "a team has an empty name")
			continue
		}
		for j, to := range c.p.Teams[name].Handoff {
			c.known(fmt.Sprintf("%s.handoff[%d]", member("teams", name), j), "team", to, c.teams)
		}
	}
	c.checkCycles()
	switch {
	case c.p.DefaultTeam != "":
		c.known("default_team", "team", c.p.DefaultTeam, c.teams)
	case len(c.p.Teams) > 0:
		c.add("default_team", "required when teams are declared")
	}
}

// checkCycles records the cycles of the hand-off graph that a depth-first
// search over the teams (by name) finds, each at the team where the search
// entered it. A team appears in one reported cycle at most, which keeps the
// report short on a graph with many cycles.
func (c *checker) checkCycles() {
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int, len(c.teams))
	reported := map[string]bool{}
	var path []string
	var visit func(team string)
	visit = func(team string) {
		state[team] = onPath
		path = append(path, team)
		for _, to := range c.p.Teams[team].Handoff {
			switch _, declared := c.p.Teams[to]; {
			case state[to] == onPath:
				cycle := path[slices.Index(path, to):]
				if slices.ContainsFunc(cycle, func(t string) bool { return reported[t] }) {
					continue
				}
				names := make([]string, 0, len(cycle)+1)
				for _, t := range cycle {
					reported[t] = true
					names = append(names, quoteOdd(t))
				}
				names = append(names, quoteOdd(to))
				c.add(member("teams", to)+".handoff", "hand-offs form a cycle: %s", strings.Join(names, " -> "))
			case state[to] == unseen && declared:
				visit(to)
			}
		}
		path = path[:len(path)-1]
		state[team] = done
	}
	for _, team := range c.teams {
		if state[team] == unseen {
			visit(team)
		}
	}
}

// checkMatrix builds the matrix against the tiers, reporting the matrix's
// problems under "matrix." (those of the tiers under "tiers"), then the
// calendars of its goals and the teams of its levels. It returns nil when
// the matrix has mistakes.
func (c *checker) checkMatrix() *matrix.Matrix {
	m, err := matrix.New(c.p.Matrix, c.p.Tiers)
	var merr *matrix.Error
	switch {
	case errors.As(err, &merr):
		for _, mp := range merr.Problems {
			path := mp.Path
			if section(path) != section("tiers") {
				path = "matrix." + path
			}
			c.problems = append(c.problems, Problem{Path: path, Msg: mp.Msg, Err: merr})
		}
	case err != nil:
		c.problems = append(c.problems, Problem{Path: "matrix", Msg: err.Error(), Err: err})
	}
	for i, pr := range c.p.Matrix.Priorities {
		for j, g := range pr.Goals {
			if g.Calendar != "" {
				c.known(fmt.Sprintf("matrix.priorities[%d].goals[%d].calendar", i, j), "calendar", g.Calendar, c.calendars)
			}
		}
		for j, l := range pr.Levels {
			if l.Team != "" {
				c.known(fmt.Sprintf("matrix.priorities[%d].levels[%d].team", i, j), "team", l.Team, c.teams)
			}
		}
	}
	return m
}

// goalBound returns the shortest positive goal of metric, or with longest
// the longest, and the name of its priority; ok is false when no priority
// has a positive goal of metric.
func (c *checker) goalBound(metric string, longest bool) (priority string, target Duration, ok bool) {
	for _, pr := range c.p.Matrix.Priorities {
		for _, g := range pr.Goals {
			if g.Metric != metric || g.Target <= 0 {
				continue
			}
			if !ok || (longest && g.Target > target) || (!longest && g.Target < target) {
				priority, target, ok = pr.Name, g.Target, true
			}
		}
	}
	return priority, target, ok
}

// checkTargets checks the settings of each metric's targets: every
// warning must be valid for every goal of the metric, as sla.Target
// requires.
func (c *checker) checkTargets() {
	for _, metric := range slices.Sorted(maps.Keys(c.p.Targets)) {
		path := member("targets", metric)
		if !c.known(path, "metric", metric, c.metrics) {
			continue
		}
		ts := c.p.Targets[metric]
		for i, p := range ts.WarnPercent {
			c.percent(fmt.Sprintf("%s.warn_percent[%d]", path, i), p)
		}
		priority, shortest, ok := c.goalBound(metric, false)
		for i, d := range ts.WarnBefore {
			wp := fmt.Sprintf("%s.warn_before[%d]", path, i)
			switch {
			case d <= 0:
				c.add(wp, "must be positive, got %q", d)
			case ok && d >= shortest:
				c.add(wp, "%q is not shorter than the %s goal of %s, %q", d, metric, priority, shortest)
			}
		}
	}
}

// checkStatuses checks the declared statuses: each once, none empty.
func (c *checker) checkStatuses() {
	seen := make(map[string]int, len(c.p.Statuses))
	for i, status := range c.p.Statuses {
		path := fmt.Sprintf("statuses[%d]", i)
		switch j, dup := seen[status]; {
		case status == "":
			c.add(path, "empty status")
		case dup:
			c.add(path, "duplicate status %q, first at statuses[%d]", status, j)
		default:
			seen[status] = i
		}
	}
}

// checkPause checks the metrics each status pauses, and that each status
// is declared when the policy lists its statuses.
func (c *checker) checkPause() {
	for _, status := range slices.Sorted(maps.Keys(c.p.Pause)) {
		if status == "" {
			c.add("pause", "a status has an empty name")
			continue
		}
		if len(c.p.Statuses) > 0 {
			c.known(member("pause", status), "status", status, c.p.Statuses)
		}
		for i, metric := range c.p.Pause[status] {
			c.known(fmt.Sprintf("%s[%d]", member("pause", status), i), "metric", metric, c.metrics)
		}
	}
}

// checkContracts checks every contract and returns their compiled
// conditions, by contract; the result is nil when one does not compile.
// A contract needs a unique name, a condition, and goals for priorities
// the matrix declares, each a metric of the matrix's goals at most once
// per priority, with a positive target and a declared calendar; the
// warnings of each metric's targets must fit its goals, as in the matrix.
func (c *checker) checkContracts() []*rules.Rule {
	if len(c.p.Contracts) == 0 {
		return nil
	}
	priorities := make([]string, len(c.p.Matrix.Priorities))
	for i, pr := range c.p.Matrix.Priorities {
		priorities[i] = pr.Name
	}
	srcs := make([]rules.Source, len(c.p.Contracts))
	first := make(map[string]int, len(c.p.Contracts))
	for i, ct := range c.p.Contracts {
		path := fmt.Sprintf("contracts[%d]", i)
		c.unique("contracts", i, "contract", ct.Name, first)
		srcs[i] = rules.Source{Name: ct.Name, When: cmp.Or(ct.When, "true")}
		if ct.When == "" {
			c.add(path+".when", "required; a contract without a condition would apply to every ticket")
		}
		if len(ct.Goals) == 0 {
			c.add(path+".goals", "empty; want the goals of at least one priority")
		}
		for _, priority := range slices.Sorted(maps.Keys(ct.Goals)) {
			pp := member(path+".goals", priority)
			c.known(pp, "priority", priority, priorities)
			seen := map[string]bool{}
			for j, g := range ct.Goals[priority] {
				gp := fmt.Sprintf("%s[%d]", pp, j)
				if c.known(gp+".metric", "metric", g.Metric, c.metrics) && seen[g.Metric] {
					c.add(gp+".metric", "metric %q twice for %s", g.Metric, priority)
				}
				seen[g.Metric] = true
				if g.Target <= 0 {
					c.add(gp+".target", "must be positive, got %q", g.Target)
				}
				if g.Calendar != "" {
					c.known(gp+".calendar", "calendar", g.Calendar, c.calendars)
				}
				for k, d := range c.p.Targets[g.Metric].WarnBefore {
					if g.Target > 0 && d >= g.Target {
						c.add(gp+".target", "%q is not longer than targets.%s.warn_before[%d], %q", g.Target, g.Metric, k, d)
					}
				}
			}
		}
	}
	conditions, errs := c.compileSet("contracts", srcs)
	for i, ct := range c.p.Contracts {
		if e := errs[i]; e != nil && ct.When != "" {
			c.problems = append(c.problems, conditionProblem(fmt.Sprintf("contracts[%d].when", i), e))
		}
	}
	return conditions
}

// checkRules checks every rule and returns their compiled conditions, by
// rule (nil for a rule without one); the result is nil when a condition
// does not compile.
func (c *checker) checkRules() []*rules.Rule {
	conditions, errs := c.compileConditions()
	first := make(map[string]int, len(c.p.Rules))
	for i, r := range c.p.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		c.unique("rules", i, "rule", r.Name, first)
		c.checkTrigger(path, r)
		if e := errs[i]; e != nil {
			c.problems = append(c.problems, conditionProblem(path+".when", e))
		}
		c.checkRepeat(path, r)
		if len(r.Do) == 0 {
			c.add(path+".do", "empty; want at least one action")
		}
		for j, a := range r.Do {
			c.checkAction(fmt.Sprintf("%s.do[%d]", path, j), a)
		}
	}
	return conditions
}

// compileConditions compiles the rules' conditions as one set, and returns
// them by rule, and their errors by the index of their rule. A rule without
// a condition compiles "true" in its place, so that the indexes of the set
// are those of the rules, and gets none.
func (c *checker) compileConditions() ([]*rules.Rule, map[int]*rules.Error) {
	srcs := make([]rules.Source, len(c.p.Rules))
	for i, r := range c.p.Rules {
		srcs[i] = rules.Source{Name: r.Name, When: cmp.Or(r.When, "true")}
	}
	conditions, errs := c.compileSet("rules", srcs)
	for i, r := range c.p.Rules {
		if r.When == "" && conditions != nil {
			conditions[i] = nil
		}
	}
	return conditions, errs
}

// compileSet compiles conditions as one set, and returns them by index (nil
// when one does not compile), and their errors by index. Conditions read
// the policy's schema when it declares attributes (an empty schema, which
// JSON cannot tell from none, leaves them dynamic), and the metrics of the
// matrix. A problem of the set as a whole is recorded at path.
func (c *checker) compileSet(path string, srcs []rules.Source) ([]*rules.Rule, map[int]*rules.Error) {
	opts := []rules.Option{rules.WithMetrics(c.metrics...)}
	if len(c.p.Schema) > 0 {
		opts = append(opts, rules.WithSchema(c.p.Schema))
	}
	errs := map[int]*rules.Error{}
	set, err := rules.CompileSet(srcs, opts...)
	var list rules.Errors
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			errs[e.Index] = e
		}
		return nil, errs
	case err != nil:
		c.problems = append(c.problems, Problem{Path: path, Msg: err.Error(), Err: err})
		return nil, errs
	}
	conditions := make([]*rules.Rule, len(srcs))
	for i := range srcs {
		conditions[i] = set.Rule(i)
	}
	return conditions, errs
}

// checkTrigger checks the trigger of the rule r at path.
func (c *checker) checkTrigger(path string, r Rule) {
	on, path := r.On, path+".on"
	var kinds []string
	if on.Event != "" {
		kinds = append(kinds, "event")
		c.known(path+".event", "event", on.Event, triggerEvents)
	}
	if on.Metric != "" || on.Percent != 0 || on.Breach || on.BeforeDue != 0 {
		kinds = append(kinds, "metric")
		c.checkMetricPoint(path, on)
	}
	if on.InTier != 0 {
		kinds = append(kinds, "in_tier")
		c.positive(path+".in_tier", on.InTier)
	}
	if on.Idle != 0 {
		kinds = append(kinds, "idle")
		c.positive(path+".idle", on.Idle)
	}
	switch len(kinds) {
	case 0:
		c.add(path, "no trigger; want one of event, metric, in_tier or idle")
	case 1:
	default:
		c.add(path, "more than one trigger (%s); want exactly one", strings.Join(kinds, ", "))
	}
	if on.Calendar != "" && c.known(path+".calendar", "calendar", on.Calendar, c.calendars) &&
		on.InTier == 0 && on.Idle == 0 && r.Repeat == 0 {
		c.add(path+".calendar", "%q has no effect: only in_tier, idle and repeat run on a calendar", on.Calendar)
	}
}

// checkMetricPoint checks a trigger on a point of an SLA metric, at path.
func (c *checker) checkMetricPoint(path string, on Trigger) {
	var points []string
	if on.Percent != 0 {
		points = append(points, "percent")
		c.percent(path+".percent", on.Percent)
	}
	if on.Breach {
		points = append(points, "breach")
	}
	if on.BeforeDue != 0 {
		points = append(points, "before_due")
		c.positive(path+".before_due", on.BeforeDue)
	}
	switch {
	case on.Metric == "":
		c.add(path+".metric", "required with %s", strings.Join(points, " and "))
	case c.known(path+".metric", "metric", on.Metric, c.metrics) && on.BeforeDue > 0:
		if priority, longest, ok := c.goalBound(on.Metric, true); ok && on.BeforeDue >= longest {
			c.add(path+".before_due", "%q is not shorter than any %s goal (the longest is %q, of %s); the rule could never fire",
				on.BeforeDue, on.Metric, longest, priority)
		}
	}
	switch len(points) {
	case 0:
		c.add(path, "a metric trigger needs one of percent, breach or before_due")
	case 1:
	default:
		c.add(path, "more than one of percent, breach and before_due; want exactly one")
	}
}

// checkRepeat checks the repeat of the rule r at path.
func (c *checker) checkRepeat(path string, r Rule) {
	path += ".repeat"
	switch {
	case r.Repeat == 0:
	case r.Repeat < 0:
		c.positive(path, r.Repeat)
	case r.On.Event != "":
		c.add(path, "an event trigger does not repeat; only time triggers do (metric, in_tier, idle)")
	case r.When == "":
		c.add(path, "needs a when condition, which stops the repeats")
	}
}

// checkAction checks one action, at path.
func (c *checker) checkAction(path string, a Action) {
	var verbs []string
	v := reflect.ValueOf(a)
	for i, verb := range actionVerbs {
		if !v.Field(i).IsZero() {
			verbs = append(verbs, verb)
		}
	}
	switch len(verbs) {
	case 0:
		c.add(path, "no action; want one of %s", strings.Join(actionVerbs, ", "))
	case 1:
	default:
		c.add(path, "more than one action (%s); want exactly one per item", strings.Join(verbs, ", "))
	}
	if a.Escalate != "" && c.known(path+".escalate", "tier", a.Escalate, c.escalate) &&
		a.Escalate != "next" && a.Escalate == c.p.Tiers[0] {
		c.add(path+".escalate", "%q is the lowest tier; no ticket can move up to it", a.Escalate)
	}
	if a.Team != "" {
		c.known(path+".team", "team", a.Team, c.teams)
	}
	if a.Notify != nil {
		if len(a.Notify) == 0 {
			c.add(path+".notify", "empty; want at least one contact")
		}
		for k, to := range a.Notify {
			if to == "" {
				c.add(fmt.Sprintf("%s.notify[%d]", path, k), "empty contact")
			}
		}
	}
	spec := c.p.Matrix
	if a.SetPriority != "" {
		names := make([]string, len(spec.Priorities))
		for i, pr := range spec.Priorities {
			names[i] = pr.Name
		}
		c.known(path+".set_priority", "priority", a.SetPriority, names)
	}
	if a.SetImpact != "" {
		c.known(path+".set_impact", "impact", a.SetImpact, spec.Impacts)
	}
	if a.SetUrgency != "" {
		c.known(path+".set_urgency", "urgency", a.SetUrgency, spec.Urgencies)
	}
	if a.Pause != "" {
		c.known(path+".pause", "metric", a.Pause, c.metrics)
	}
	if a.Resume != "" {
		c.known(path+".resume", "metric", a.Resume, c.metrics)
	}
}
