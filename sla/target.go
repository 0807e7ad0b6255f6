package sla

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Target is the SLA goal of one metric of a ticket: how much business time
// the metric allows, on which calendar, and when to warn before it is
// missed. It is plain data; the zero Target is invalid (no metric, no goal).
type Target struct {
	// Metric names what is measured: "first_response", "next_response",
	// "resolution", or a custom metric.
	Metric string `json:"metric"`
	// Goal is the business time allowed; it must be positive.
	Goal time.Duration `json:"goal"`
	// Calendar names the calendar the clock runs on; "" means Always. The
	// *Calendar itself is given to NewTimer or Bind.
	Calendar string `json:"calendar,omitempty"`
	// WarnPercent are warning thresholds as percentages of the goal used,
	// each in (0, 100].
	WarnPercent []float64 `json:"warn_percent,omitempty"`
	// WarnBefore are warning thresholds as business time left before the
	// due time, each positive and shorter than the goal.
	WarnBefore []time.Duration `json:"warn_before,omitempty"`
	// RestartOnReopen makes a reopen start a new cycle with the whole goal;
	// by default a reopen continues the clock where it stopped.
	RestartOnReopen bool `json:"restart_on_reopen,omitempty"`
}

// ErrInvalidTarget is matched by errors.Is for every *TargetError.
var ErrInvalidTarget = errors.New("sla: invalid target")

// TargetError lists every problem of a Target, each with its field.
type TargetError struct {
	Metric   string
	Problems []*FieldError
}

func (e *TargetError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sla: invalid target %q:", e.Metric)
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Is reports whether target is ErrInvalidTarget.
func (e *TargetError) Is(target error) bool { return target == ErrInvalidTarget }

// Validate reports every problem of t in a *TargetError, or nil.
func (t Target) Validate() error {
	var probs []*FieldError
	bad := func(field, value, msg string) {
		probs = append(probs, &FieldError{Field: field, Value: value, Msg: msg})
	}
	if t.Metric == "" {
		bad("metric", "", "a target needs a metric name")
	}
	if t.Goal <= 0 {
		bad("goal", t.Goal.String(), "must be positive")
	}
	for i, p := range t.WarnPercent {
		if !(p > 0 && p <= 100) { // also rejects NaN
			bad(fmt.Sprintf("warn_percent[%d]", i), fmt.Sprint(p), "must be in (0, 100]")
		}
	}
	for i, d := range t.WarnBefore {
		if d <= 0 || d >= t.Goal {
			bad(fmt.Sprintf("warn_before[%d]", i), d.String(), "must be positive and shorter than the goal")
		}
	}
	if len(probs) > 0 {
		return &TargetError{Metric: t.Metric, Problems: probs}
	}
	return nil
}

// Threshold is a point on a timer's clock: a warning or the breach.
type Threshold struct {
	// Percent is set for a WarnPercent warning, Before for a WarnBefore
	// warning; both are zero for the breach.
	Percent float64       `json:"percent,omitempty"`
	Before  time.Duration `json:"before,omitempty"`
	// Breach is the point where the goal is used up.
	Breach bool `json:"breach,omitempty"`
	// Elapsed is the business time used when the point is reached.
	Elapsed time.Duration `json:"elapsed"`
}

func (th Threshold) String() string {
	switch {
	case th.Breach:
		return "breach"
	case th.Before > 0:
		return th.Before.String() + " before due"
	}
	return fmt.Sprintf("%g%%", th.Percent)
}

// Thresholds lists the target's warnings and its breach by elapsed time;
// points at the same elapsed time are all kept, in a stable order.
func (t Target) Thresholds() []Threshold {
	ths := make([]Threshold, 0, len(t.WarnPercent)+len(t.WarnBefore)+1)
	for _, p := range t.WarnPercent {
		ths = append(ths, Threshold{Percent: p, Elapsed: percentOf(t.Goal, p)})
	}
	for _, d := range t.WarnBefore {
		ths = append(ths, Threshold{Before: d, Elapsed: t.Goal - d})
	}
	ths = append(ths, Threshold{Breach: true, Elapsed: t.Goal})
	slices.SortStableFunc(ths, func(a, b Threshold) int { return cmp.Compare(a.Elapsed, b.Elapsed) })
	return ths
}

// after returns the first threshold, in the order of Thresholds, whose
// elapsed time is after e, without allocating.
func (t Target) after(e time.Duration) (Threshold, bool) {
	best := Threshold{Breach: true, Elapsed: t.Goal}
	found := t.Goal > e
	consider := func(th Threshold) {
		// Ties go to the earlier in Thresholds' order: percentages, then
		// offsets before due, then the breach.
		if th.Elapsed > e && (!found || th.Elapsed < best.Elapsed || (th.Elapsed == best.Elapsed && best.Breach)) {
			best, found = th, true
		}
	}
	for _, p := range t.WarnPercent {
		consider(Threshold{Percent: p, Elapsed: percentOf(t.Goal, p)})
	}
	for _, d := range t.WarnBefore {
		consider(Threshold{Before: d, Elapsed: t.Goal - d})
	}
	return best, found
}

// percentOf is p percent of goal, rounded to the nanosecond.
func percentOf(goal time.Duration, p float64) time.Duration {
	return time.Duration(math.Round(float64(goal) * p / 100))
}
