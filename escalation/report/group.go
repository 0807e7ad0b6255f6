package report

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
)

// Report is the figures of a set of tickets: its groups, "all" first and
// then each grouping of Options.By with its keys in order, and the
// effectiveness of every rule and matrix level. It is plain data, safe
// to read concurrently.
type Report struct {
	From    time.Time   `json:"from,omitzero"`
	To      time.Time   `json:"to,omitzero"`
	End     time.Time   `json:"end,omitzero"`
	By      []string    `json:"by"`      // the groupings besides "all"
	Tiers   []string    `json:"tiers"`   // the tiers of reached_tier and flow
	Metrics []string    `json:"metrics"` // the metrics of the attainment fields, resolution first
	Bins    []string    `json:"resolution_bins"`
	Groups  []Group     `json:"groups"`
	Rules   []RuleStats `json:"rules"`
	Unfired []string    `json:"never_fired"` // rules and levels that never fired on these tickets
	Tickets int         `json:"tickets"`
}

// Group is the figures of the tickets that share a key. Shares are in
// [0, 1] over the group's tickets; Counts holds the count behind each.
// Durations are in seconds.
type Group struct {
	By  string `json:"by"`  // "all", a grouping or an attribute path
	Key string `json:"key"` // "" for all, and for a ticket without the attribute

	Tickets  int `json:"tickets"`
	Resolved int `json:"resolved"` // tickets with a first resolution
	Backlog  int `json:"backlog"`  // tickets neither resolved nor closed at the end

	ReachedTier        []float64 `json:"reached_tier"`
	OnlyStartTier      float64   `json:"only_start_tier"`
	StartedAboveFirst  float64   `json:"started_above_first"`
	Escalated          float64   `json:"escalated"`
	EscalatedManual    float64   `json:"escalated_manual"`
	EscalatedAutomatic float64   `json:"escalated_automatic"`
	DeEscalated        float64   `json:"de_escalated"`
	TierSkip           float64   `json:"tier_skip"`
	TeamPingPong       float64   `json:"team_pingpong"`
	Waited             float64   `json:"waited"`
	WaitSeconds        Dist      `json:"wait_seconds"` // of the tickets that waited
	Reopened           float64   `json:"reopened"`
	OverEscalated      float64   `json:"over_escalated"`
	UnderEscalated     float64   `json:"under_escalated"`
	// FirstTierResolution is the share first resolved without a tier move.
	FirstTierResolution  float64 `json:"first_tier_resolution"`
	ResolvedWithin30Days float64 `json:"resolved_within_30_days"`

	TimeToFirstResponse   Dist    `json:"time_to_first_response_seconds"`
	WallToFirstResponse   Dist    `json:"wall_to_first_response_seconds"`
	TimeToFirstResolution Dist    `json:"time_to_first_resolution_seconds"`
	WallToFirstResolution Dist    `json:"wall_to_first_resolution_seconds"`
	MTTA                  float64 `json:"mtta_seconds"` // mean wall time to the first response
	MTTR                  float64 `json:"mttr_seconds"` // mean wall time to the first resolution

	// Notifications is how many notifications the group's tickets sent.
	Notifications int `json:"notifications"`

	FeedbackAverage float64 `json:"feedback_average"`
	CSAT            float64 `json:"csat"` // the share of feedback scores of 4 or more

	// Metrics hold, per metric (resolution first), its attainment and the
	// elapsed time and margin of its measured cycles. They marshal as
	// "<metric>_attainment", "<metric>_elapsed_seconds" and
	// "<metric>_margin_seconds".
	Metrics []MetricStats `json:"-"`
	// Flow counts the tickets by start tier (rows) and highest tier
	// reached (columns), on Report.Tiers.
	Flow [][]int `json:"flow"`
	// ResolutionHistogram counts the first resolutions by wall time, in
	// the bins Report.Bins names.
	ResolutionHistogram []int `json:"resolution_histogram"`

	Counts Counts `json:"counts"`
}

// MetricStats are one metric's figures in a group.
type MetricStats struct {
	Metric     string
	Attainment Attainment
	Elapsed    Dist // business time used by the measured cycles
	Margin     Dist // goal left when they ended; negative when late
}

// Counts are the ticket counts behind a group's shares, under the same
// names.
type Counts struct {
	Tickets              int   `json:"tickets"`
	Resolved             int   `json:"resolved"`
	Backlog              int   `json:"backlog"`
	ReachedTier          []int `json:"reached_tier"`
	OnlyStartTier        int   `json:"only_start_tier"`
	StartedAboveFirst    int   `json:"started_above_first"`
	Escalated            int   `json:"escalated"`
	EscalatedManual      int   `json:"escalated_manual"`
	EscalatedAutomatic   int   `json:"escalated_automatic"`
	DeEscalated          int   `json:"de_escalated"`
	TierSkip             int   `json:"tier_skip"`
	TeamPingPong         int   `json:"team_pingpong"`
	Waited               int   `json:"waited"`
	Reopened             int   `json:"reopened"`
	OverEscalated        int   `json:"over_escalated"`
	UnderEscalated       int   `json:"under_escalated"`
	FirstTierResolution  int   `json:"first_tier_resolution"`
	ResolvedWithin30Days int   `json:"resolved_within_30_days"`
	FeedbackScores       int   `json:"feedback_scores"`
	CSAT                 int   `json:"csat"` // scores of 4 or more
}

// RuleStats are how a rule or a matrix level did: times it fired (a
// level: reached, moving the ticket or skipped), times it failed, the
// escalations it made, how many of those were sent back down before the
// first resolution, and how many of those tickets breached their
// resolution goal after the escalation anyway.
type RuleStats struct {
	Rule           string `json:"rule"`
	Fired          int    `json:"fired"`
	Failed         int    `json:"failed"`
	Escalations    int    `json:"escalations"`
	OverEscalated  int    `json:"over_escalated"`
	BreachedAnyway int    `json:"breached_anyway"`
}

// ResolutionBins are the upper bounds of the resolution histogram's bins;
// the last bin holds everything longer.
var ResolutionBins = []time.Duration{time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, Ceiling}

var binNames = []string{"<1h", "1h-4h", "4h-8h", "8h-1d", "1d-3d", "3d-7d", "7d-30d", ">=30d"}

// acc sums one group.
type acc struct {
	by, key string
	c       Counts
	flow    [][]int
	hist    []int
	metrics []metricAcc

	wait, respClock, respWall, resClock, resWall sample
	feedback                                     float64
	notifications                                int
}

type metricAcc struct {
	metric          string
	met, breached   int
	elapsed, margin sample
}

func newAcc(by, key string, tiers int) *acc {
	ac := &acc{by: by, key: key, hist: make([]int, len(binNames)), flow: make([][]int, tiers)}
	ac.c.ReachedTier = make([]int, tiers)
	for i := range ac.flow {
		ac.flow[i] = make([]int, tiers)
	}
	return ac
}

func (ac *acc) metric(name string) *metricAcc {
	for i := range ac.metrics {
		if ac.metrics[i].metric == name {
			return &ac.metrics[i]
		}
	}
	ac.metrics = append(ac.metrics, metricAcc{metric: name})
	return &ac.metrics[len(ac.metrics)-1]
}

// count adds 1 to *n when yes.
func count(n *int, yes bool) {
	if yes {
		*n++
	}
}

func (ac *acc) add(f *Facts, a *Aggregator) {
	c := &ac.c
	c.Tickets++
	resolved := f.FirstResolution.Reached()
	count(&c.Resolved, resolved)
	count(&c.Backlog, f.Open)
	for i := range min(f.HighestIndex+1, len(c.ReachedTier)) {
		c.ReachedTier[i]++
	}
	count(&c.OnlyStartTier, f.Escalations+f.DeEscalations == 0)
	count(&c.StartedAboveFirst, f.StartIndex > 0)
	count(&c.Escalated, f.Escalations > 0)
	count(&c.EscalatedManual, f.ManualEscalations > 0)
	count(&c.EscalatedAutomatic, f.Escalations > f.ManualEscalations)
	count(&c.DeEscalated, f.DeEscalations > 0)
	count(&c.TierSkip, f.TierSkips > 0)
	count(&c.TeamPingPong, f.PingPong)
	count(&c.Waited, f.Waited > 0)
	count(&c.Reopened, f.Reopens > 0)
	count(&c.OverEscalated, f.OverEscalated)
	count(&c.UnderEscalated, f.UnderEscalated)
	count(&c.FirstTierResolution, f.ResolvedOnStart)
	count(&c.ResolvedWithin30Days, resolved && f.FirstResolution.Wall <= Ceiling)
	if f.Waited > 0 {
		ac.wait.add(f.Waited, &a.budget)
	}
	if f.FirstResponse.Reached() {
		ac.respWall.add(f.FirstResponse.Wall, &a.budget)
	}
	if f.FirstResponse.Clocked {
		ac.respClock.add(f.FirstResponse.Clock, &a.budget)
	}
	if resolved {
		ac.resWall.add(f.FirstResolution.Wall, &a.budget)
		bin := 0
		for bin < len(ResolutionBins) && f.FirstResolution.Wall >= ResolutionBins[bin] {
			bin++
		}
		ac.hist[bin]++
	}
	if f.FirstResolution.Clocked {
		ac.resClock.add(f.FirstResolution.Clock, &a.budget)
	}
	if s, h := f.StartIndex, f.HighestIndex; s >= 0 && h >= 0 && s < len(ac.flow) && h < len(ac.flow) {
		ac.flow[s][h]++
	}
	for _, name := range a.metrics { // every metric appears, in order, even with no cycle
		ac.metric(name)
	}
	for i := range f.Cycles {
		cy := &f.Cycles[i]
		if cy.Metric == "resolution" && cy.N != 1 {
			continue // resolution is measured on the first cycle
		}
		m := ac.metric(cy.Metric)
		if cy.Outcome == Breached {
			m.breached++
		} else {
			m.met++
		}
		if cy.Measured {
			m.elapsed.add(cy.Elapsed, &a.budget)
			m.margin.add(cy.Margin(), &a.budget)
		}
	}
	ac.notifications += f.Notifications
	for _, s := range f.Feedback {
		c.FeedbackScores++
		ac.feedback += s
		count(&c.CSAT, s >= 4)
	}
}

// group sums the accumulator up.
func (ac *acc) group() Group {
	c := ac.c
	n := c.Tickets
	g := Group{
		By: ac.by, Key: ac.key, Tickets: n, Resolved: c.Resolved, Backlog: c.Backlog,
		OnlyStartTier:         share(c.OnlyStartTier, n),
		StartedAboveFirst:     share(c.StartedAboveFirst, n),
		Escalated:             share(c.Escalated, n),
		EscalatedManual:       share(c.EscalatedManual, n),
		EscalatedAutomatic:    share(c.EscalatedAutomatic, n),
		DeEscalated:           share(c.DeEscalated, n),
		TierSkip:              share(c.TierSkip, n),
		TeamPingPong:          share(c.TeamPingPong, n),
		Waited:                share(c.Waited, n),
		WaitSeconds:           ac.wait.dist(),
		Reopened:              share(c.Reopened, n),
		OverEscalated:         share(c.OverEscalated, n),
		UnderEscalated:        share(c.UnderEscalated, n),
		FirstTierResolution:   share(c.FirstTierResolution, n),
		ResolvedWithin30Days:  share(c.ResolvedWithin30Days, n),
		TimeToFirstResponse:   ac.respClock.dist(),
		WallToFirstResponse:   ac.respWall.dist(),
		TimeToFirstResolution: ac.resClock.dist(),
		WallToFirstResolution: ac.resWall.dist(),
		CSAT:                  share(c.CSAT, c.FeedbackScores),
		Notifications:         ac.notifications,
		Flow:                  cloneRows(ac.flow),
		ResolutionHistogram:   slices.Clone(ac.hist),
		Counts:                c,
	}
	g.Counts.ReachedTier = slices.Clone(c.ReachedTier)
	g.MTTA, g.MTTR = g.WallToFirstResponse.Mean, g.WallToFirstResolution.Mean
	if c.FeedbackScores > 0 {
		g.FeedbackAverage = ac.feedback / float64(c.FeedbackScores)
	}
	for _, r := range c.ReachedTier {
		g.ReachedTier = append(g.ReachedTier, share(r, n))
	}
	for i := range ac.metrics {
		m := &ac.metrics[i]
		g.Metrics = append(g.Metrics, MetricStats{
			Metric:     m.metric,
			Attainment: Attainment{Met: m.met, Breached: m.breached, Attainment: share(m.met, m.met+m.breached)},
			Elapsed:    m.elapsed.dist(),
			Margin:     m.margin.dist(),
		})
	}
	return g
}

func cloneRows(rows [][]int) [][]int {
	out := make([][]int, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// Metric returns the group's figures of one metric, and false when the
// group has none.
func (g *Group) Metric(name string) (MetricStats, bool) {
	for _, m := range g.Metrics {
		if m.Metric == name {
			return m, true
		}
	}
	return MetricStats{}, false
}

// groupJSON is Group without its methods, for MarshalJSON.
type groupJSON Group

// MarshalJSON writes the group's fields, with the metrics' fields by
// their metric's name.
func (g Group) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(groupJSON(g))
	if err != nil {
		return nil, err
	}
	var extra bytes.Buffer
	for _, m := range g.Metrics {
		for _, f := range []struct {
			suffix string
			v      any
		}{{"_attainment", m.Attainment}, {"_elapsed_seconds", m.Elapsed}, {"_margin_seconds", m.Margin}} {
			v, err := json.Marshal(f.v)
			if err != nil {
				return nil, err
			}
			name, _ := json.Marshal(m.Metric + f.suffix)
			extra.WriteByte(',')
			extra.Write(name)
			extra.WriteByte(':')
			extra.Write(v)
		}
	}
	return append(append(b[:len(b)-1], extra.Bytes()...), '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (g *Group) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, (*groupJSON)(g)); err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	g.Metrics = nil
	for name, raw := range fields {
		metric, ok := strings.CutSuffix(name, "_attainment")
		if !ok {
			continue
		}
		m := MetricStats{Metric: metric}
		if err := json.Unmarshal(raw, &m.Attainment); err != nil {
			return err
		}
		for suffix, d := range map[string]*Dist{"_elapsed_seconds": &m.Elapsed, "_margin_seconds": &m.Margin} {
			if raw, ok := fields[metric+suffix]; ok {
				if err := json.Unmarshal(raw, d); err != nil {
					return err
				}
			}
		}
		g.Metrics = append(g.Metrics, m)
	}
	slices.SortFunc(g.Metrics, func(a, b MetricStats) int {
		switch {
		case a.Metric == b.Metric:
			return 0
		case a.Metric == "resolution":
			return -1
		case b.Metric == "resolution":
			return 1
		}
		return strings.Compare(a.Metric, b.Metric)
	})
	return nil
}

// countRules adds a ticket's firings and escalations to the rules'
// effectiveness.
func (a *Aggregator) countRules(f *Facts) {
	for _, r := range f.Rules {
		if r.Failed {
			a.rule(r.Rule).Failed++
		} else {
			a.rule(r.Rule).Fired++
		}
	}
	var breachAt time.Time
	for _, c := range f.Cycles {
		if c.Metric == "resolution" && c.N == 1 && c.Outcome == Breached {
			breachAt = c.BreachedAt
		}
	}
	for i, m := range f.Moves {
		if m.By == escalation.ByMatrix {
			a.rule(m.Rule).Fired++ // a level that moved the ticket records no rule_fired
		}
		if m.What != escalation.WhatEscalated || m.Rule == "" {
			continue
		}
		r := a.rule(m.Rule)
		r.Escalations++
		for _, later := range f.Moves[i+1:] {
			if later.What == escalation.WhatDeEscalated && (!f.FirstResolution.Reached() || !later.At.After(f.FirstResolution.At)) {
				r.OverEscalated++
				break
			}
		}
		if breachAt.After(m.At) {
			r.BreachedAnyway++
		}
	}
}

// Report returns the figures of the tickets added so far. The Aggregator
// may go on adding after it.
func (a *Aggregator) Report() *Report {
	r := &Report{From: a.opts.From, To: a.opts.To, End: a.opts.End, By: []string{}, Tiers: slices.Clone(a.tiers),
		Metrics: slices.Clone(a.metrics), Bins: slices.Clone(binNames), Groups: []Group{}, Rules: []RuleStats{}, Unfired: []string{}}
	if a.groups[0].groups[""] == nil {
		r.Groups = append(r.Groups, newAcc("all", "", len(a.tiers)).group())
	}
	for _, g := range a.groups[1:] {
		r.By = append(r.By, g.by)
	}
	for _, g := range a.groups {
		keys := slices.Sorted(maps.Keys(g.groups))
		for _, k := range keys {
			r.Groups = append(r.Groups, g.groups[k].group())
		}
	}
	if all := a.groups[0].groups[""]; all != nil {
		r.Tickets = all.c.Tickets
	}
	for _, name := range slices.Sorted(maps.Keys(a.rules)) {
		rs := *a.rules[name]
		r.Rules = append(r.Rules, rs)
		if rs.Fired == 0 {
			r.Unfired = append(r.Unfired, name)
		}
	}
	return r
}
