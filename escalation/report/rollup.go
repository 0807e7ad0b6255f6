package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// A rollup is an Aggregator's sums kept for later: the figures of tickets
// whose histories are pruned, folded by week (see Folder), so that a
// report over two years reads 104 rollups and the raw histories of the
// tickets still kept, not two years of raw rows. Rollups add up: a report
// that adds the rollups of some tickets and the histories of the others
// has the counts, shares, attainments and means of a report of all their
// histories, exactly. Percentiles of a report that adds a rollup are those
// of its sketch, within 0.2% (see ExactValues).

// rollupVersion is the format of the rollups this code writes; it reads
// only this one.
const rollupVersion = 1

type rollupJSON struct {
	Version int         `json:"v"`
	Tiers   []string    `json:"tiers"`
	By      []string    `json:"by"` // "all" first
	Groups  []accJSON   `json:"groups"`
	Rules   []RuleStats `json:"rules,omitempty"`
	From    time.Time   `json:"from,omitzero"` // the opening instants it covers,
	To      time.Time   `json:"to,omitzero"`   // [From, To); zero when open
	Metrics []string    `json:"metrics"`
}

type accJSON struct {
	By            string       `json:"by"`
	Key           string       `json:"key"`
	Counts        Counts       `json:"counts"`
	Flow          [][]int      `json:"flow"`
	Hist          []int        `json:"hist"`
	Metrics       []metricJSON `json:"metrics,omitempty"`
	Wait          sampleJSON   `json:"wait"`
	RespClock     sampleJSON   `json:"resp_clock"`
	RespWall      sampleJSON   `json:"resp_wall"`
	ResClock      sampleJSON   `json:"res_clock"`
	ResWall       sampleJSON   `json:"res_wall"`
	Feedback      float64      `json:"feedback,omitempty"`
	Notifications int          `json:"notifications,omitempty"`
}

type metricJSON struct {
	Metric   string     `json:"metric"`
	Met      int        `json:"met"`
	Breached int        `json:"breached"`
	Elapsed  sampleJSON `json:"elapsed"`
	Margin   sampleJSON `json:"margin"`
}

// sampleJSON is a sample as its sketch: the buckets that count something,
// as pairs of index and count, below zero and above.
type sampleJSON struct {
	N     int      `json:"n,omitempty"`
	Secs  int64    `json:"s,omitempty"`
	Nanos int64    `json:"ns,omitempty"`
	Zero  int      `json:"zero,omitempty"`
	Neg   [][2]int `json:"neg,omitempty"`
	Pos   [][2]int `json:"pos,omitempty"`
}

// Rollup returns the sums of the tickets added so far, for AddRollup to
// add to another Aggregator's: every grouping of Options.By, the rules'
// effectiveness, and From and To. Its distributions are sketches.
func (a *Aggregator) Rollup() ([]byte, error) {
	r := rollupJSON{Version: rollupVersion, Tiers: a.tiers, Metrics: a.metrics, From: a.opts.From, To: a.opts.To}
	for _, g := range a.groups {
		r.By = append(r.By, g.by)
		for _, ac := range g.groups {
			r.Groups = append(r.Groups, ac.rollup())
		}
	}
	slices.SortFunc(r.Groups, func(x, y accJSON) int {
		if c := cmpIndex(r.By, x.By, y.By); c != 0 {
			return c
		}
		switch {
		case x.Key < y.Key:
			return -1
		case x.Key > y.Key:
			return 1
		}
		return 0
	})
	for _, name := range slices.Sorted(maps.Keys(a.rules)) {
		r.Rules = append(r.Rules, *a.rules[name])
	}
	return json.Marshal(r)
}

// cmpIndex compares x and y by their positions in order.
func cmpIndex(order []string, x, y string) int {
	return slices.Index(order, x) - slices.Index(order, y)
}

// AddRollup adds a rollup that Rollup wrote to the figures, as if the
// histories it sums were added: it must have every grouping of this
// Aggregator's Options.By and the same tiers, and the opening instants it
// covers must lie within Options.From and To (a rollup is counted whole).
// A rollup it cannot add changes nothing, and the error says why.
func (a *Aggregator) AddRollup(data []byte) error {
	var r rollupJSON
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("report: rollup: %w", err)
	}
	var errs []error
	if r.Version != rollupVersion {
		errs = append(errs, fmt.Errorf("report: rollup: format %d, want %d", r.Version, rollupVersion))
	}
	if !slices.Equal(r.Tiers, a.tiers) {
		errs = append(errs, fmt.Errorf("report: rollup: tiers %q, the report's are %q", r.Tiers, a.tiers))
	}
	for _, g := range a.groups {
		if !slices.Contains(r.By, g.by) {
			errs = append(errs, fmt.Errorf("report: rollup: no grouping %q (it has %q)", g.by, r.By))
		}
	}
	if (!a.opts.From.IsZero() && (r.From.IsZero() || r.From.Before(a.opts.From))) ||
		(!a.opts.To.IsZero() && (r.To.IsZero() || r.To.After(a.opts.To))) {
		errs = append(errs, fmt.Errorf("report: rollup: it covers [%v, %v), not within the report's [%v, %v)", r.From, r.To, a.opts.From, a.opts.To))
	}
	for _, gj := range r.Groups {
		if err := gj.check(len(a.tiers)); err != nil {
			errs = append(errs, fmt.Errorf("report: rollup: group %s %q: %w", gj.By, gj.Key, err))
			break
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i := range a.groups {
		g := &a.groups[i]
		for _, gj := range r.Groups {
			if gj.By != g.by {
				continue
			}
			ac := g.groups[gj.Key]
			if ac == nil {
				ac = newAcc(g.by, gj.Key, len(a.tiers))
				g.groups[gj.Key] = ac
			}
			ac.merge(&gj, a)
		}
	}
	for _, rs := range r.Rules {
		mine := a.rule(rs.Rule)
		mine.Fired += rs.Fired
		mine.Failed += rs.Failed
		mine.Escalations += rs.Escalations
		mine.OverEscalated += rs.OverEscalated
		mine.BreachedAnyway += rs.BreachedAnyway
	}
	return nil
}

// rollup is the accumulator as a rollup keeps it.
func (ac *acc) rollup() accJSON {
	j := accJSON{By: ac.by, Key: ac.key, Counts: ac.c, Flow: ac.flow, Hist: ac.hist,
		Wait: ac.wait.rollup(), RespClock: ac.respClock.rollup(), RespWall: ac.respWall.rollup(),
		ResClock: ac.resClock.rollup(), ResWall: ac.resWall.rollup(),
		Feedback: ac.feedback, Notifications: ac.notifications}
	for i := range ac.metrics {
		m := &ac.metrics[i]
		j.Metrics = append(j.Metrics, metricJSON{Metric: m.metric, Met: m.met, Breached: m.breached, Elapsed: m.elapsed.rollup(), Margin: m.margin.rollup()})
	}
	return j
}

// merge adds a rollup's group to the accumulator.
func (ac *acc) merge(j *accJSON, a *Aggregator) {
	c, o := &ac.c, &j.Counts
	for _, p := range []struct{ to, from *int }{
		{&c.Tickets, &o.Tickets}, {&c.Resolved, &o.Resolved}, {&c.Backlog, &o.Backlog},
		{&c.OnlyStartTier, &o.OnlyStartTier}, {&c.StartedAboveFirst, &o.StartedAboveFirst},
		{&c.Escalated, &o.Escalated}, {&c.EscalatedManual, &o.EscalatedManual}, {&c.EscalatedAutomatic, &o.EscalatedAutomatic},
		{&c.DeEscalated, &o.DeEscalated}, {&c.TierSkip, &o.TierSkip}, {&c.TeamPingPong, &o.TeamPingPong},
		{&c.Waited, &o.Waited}, {&c.Reopened, &o.Reopened}, {&c.OverEscalated, &o.OverEscalated},
		{&c.UnderEscalated, &o.UnderEscalated}, {&c.FirstTierResolution, &o.FirstTierResolution},
		{&c.ResolvedWithin30Days, &o.ResolvedWithin30Days}, {&c.FeedbackScores, &o.FeedbackScores}, {&c.CSAT, &o.CSAT},
	} {
		*p.to += *p.from
	}
	for i, n := range o.ReachedTier {
		c.ReachedTier[i] += n
	}
	for i, row := range j.Flow {
		for k, n := range row {
			if k < len(ac.flow[i]) {
				ac.flow[i][k] += n
			}
		}
	}
	for i, n := range j.Hist {
		ac.hist[i] += n
	}
	ac.wait.merge(&j.Wait, &a.budget)
	ac.respClock.merge(&j.RespClock, &a.budget)
	ac.respWall.merge(&j.RespWall, &a.budget)
	ac.resClock.merge(&j.ResClock, &a.budget)
	ac.resWall.merge(&j.ResWall, &a.budget)
	for _, name := range a.metrics { // every metric appears, in order, as add makes them
		ac.metric(name)
	}
	for _, mj := range j.Metrics {
		m := ac.metric(mj.Metric)
		m.met += mj.Met
		m.breached += mj.Breached
		m.elapsed.merge(&mj.Elapsed, &a.budget)
		m.margin.merge(&mj.Margin, &a.budget)
	}
	ac.feedback += j.Feedback
	ac.notifications += j.Notifications
}

// rollup is the sample as a sketch.
func (s *sample) rollup() sampleJSON {
	j := sampleJSON{N: s.n, Secs: s.secs, Nanos: s.nanos}
	k := s.sketch
	if k == nil {
		k = &sketch{}
		for _, v := range s.exact {
			k.add(v)
		}
	}
	j.Zero = k.zero
	j.Neg, j.Pos = k.neg.pairs(), k.pos.pairs()
	return j
}

// merge adds a rollup's sample: the sample becomes a sketch, giving its
// exact values' room back to *budget.
func (s *sample) merge(j *sampleJSON, budget *int) {
	if j.N == 0 {
		return
	}
	if s.sketch == nil {
		s.sketch = &sketch{}
		for _, v := range s.exact {
			s.sketch.add(v)
		}
		*budget += cap(s.exact)
		s.exact = nil
	}
	s.n += j.N
	s.secs += j.Secs
	s.nanos += j.Nanos
	s.sketch.zero += j.Zero
	for _, p := range j.Neg {
		s.sketch.neg.addN(p[0], p[1])
	}
	for _, p := range j.Pos {
		s.sketch.pos.addN(p[0], p[1])
	}
}

// pairs are the buckets that count something, as index and count.
func (k *counts) pairs() [][2]int {
	var out [][2]int
	for i, c := range k.c {
		if c > 0 {
			out = append(out, [2]int{k.lo + i, int(c)})
		}
	}
	return out
}

// addN adds n to bucket i.
func (k *counts) addN(i, n int) {
	k.add(i)
	k.c[i-k.lo] += uint32(n - 1)
}

// maxBucket is the index of the largest duration's bucket.
var maxBucket = bucket(1<<63 - 1)

// check reports what of a group read from a rollup cannot be added to a
// report of tiers tiers: arrays of other lengths, or buckets out of range.
func (j *accJSON) check(tiers int) error {
	if len(j.Counts.ReachedTier) != tiers || len(j.Flow) != tiers || len(j.Hist) != len(binNames) {
		return errors.New("its tiers or bins do not match")
	}
	for _, row := range j.Flow {
		if len(row) != tiers {
			return errors.New("its flow does not match the tiers")
		}
	}
	samples := []*sampleJSON{&j.Wait, &j.RespClock, &j.RespWall, &j.ResClock, &j.ResWall}
	for i := range j.Metrics {
		samples = append(samples, &j.Metrics[i].Elapsed, &j.Metrics[i].Margin)
	}
	for _, sj := range samples {
		n := sj.Zero
		for _, side := range [][][2]int{sj.Neg, sj.Pos} {
			for _, p := range side {
				if p[0] < 0 || p[0] > maxBucket || p[1] < 1 || p[1] > math.MaxUint32 {
					return fmt.Errorf("bucket %d of count %d is out of range", p[0], p[1])
				}
				n += p[1]
			}
		}
		if n != sj.N || sj.Zero < 0 {
			return fmt.Errorf("a sample of %d values has buckets counting %d", sj.N, n)
		}
	}
	return nil
}
