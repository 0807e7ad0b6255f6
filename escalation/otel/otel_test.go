package otel_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/otel"
	"github.com/ladder-go/ladder/matrix"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// policy has two tiers, a P1 whose first response is due in an hour, a
// matrix level that escalates after 30 minutes in tier and notifies the
// team lead, and a rule that pages the duty manager on the breach.
func policy() *escalation.Policy {
	return &escalation.Policy{
		Name: "otel", Version: "v1",
		Tiers: []string{"frontline", "specialists"},
		Matrix: matrix.Spec{
			Impacts: []string{"high"}, Urgencies: []string{"high"}, Grid: [][]string{{"P1"}},
			Priorities: []matrix.PrioritySpec{{Name: "P1",
				Goals:  []matrix.Goal{{Metric: "first_response", Target: matrix.Duration(time.Hour), Calendar: "24x7"}},
				Levels: []matrix.Level{{Clock: matrix.ClockInTier, After: matrix.Duration(30 * time.Minute), Tier: "specialists", Notify: []string{"team_lead"}}}}},
		},
		Rules: []escalation.Rule{{Name: "page", On: escalation.Trigger{Metric: "first_response", Breach: true},
			Do: []escalation.Action{{Notify: []string{"duty_manager"}}}}},
	}
}

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// scenario runs two tickets through an engine observed by obs on a
// SimClock: both escalate by the matrix at 10:30 (fired 10 minutes late),
// T-1 is resolved, T-2 breaches its first response at 11:00 (the page
// fails for good) and a person de-escalates it.
func scenario(t *testing.T, obs escalation.Observer) {
	t.Helper()
	ctx := context.Background()
	clk := escalation.NewSimClock(t0)
	pager := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		if n.Rule == "page" {
			return escalation.Permanent(errors.New("no pager"))
		}
		return nil
	})
	e, err := escalation.New(policy(), escalation.WithClock(clk), escalation.WithNotifier(pager), escalation.WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	report := func(ev escalation.Event) {
		t.Helper()
		ev.At = clk.Now()
		if err := e.Report(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	step := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := e.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	report(escalation.Event{Ticket: "T-1", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	report(escalation.Event{Ticket: "T-2", Kind: escalation.Opened, Impact: "high", Urgency: "high"})
	step(t0.Add(40 * time.Minute))
	report(escalation.Event{Ticket: "T-1", Kind: escalation.Resolved})
	step(t0.Add(60 * time.Minute))
	report(escalation.Event{Ticket: "T-2", Kind: escalation.DeEscalated, Tier: "frontline", Actor: "ana"})
}

// flatten returns the data points of rm as "name{k=v,...}" -> value; a
// histogram gives its count and its sum.
func flatten(t *testing.T, rm metricdata.ResourceMetrics) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name+attrs(p.Attributes.ToSlice())] = float64(p.Value)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name+".count"+attrs(p.Attributes.ToSlice())] = float64(p.Count)
					out[m.Name+".sum"+attrs(p.Attributes.ToSlice())] = p.Sum
				}
			default:
				t.Errorf("%s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	return out
}

// attrs writes attributes as "{k=v,...}", sorted; none as "".
func attrs(kv []attribute.KeyValue) string {
	if len(kv) == 0 {
		return ""
	}
	parts := make([]string, len(kv))
	for i, a := range kv {
		parts[i] = string(a.Key) + "=" + a.Value.Emit()
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

func TestObserver(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs, err := otel.NewObserver(provider.Meter("github.com/ladder-go/ladder/escalation"))
	if err != nil {
		t.Fatal(err)
	}
	scenario(t, obs)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"ladder.events{kind=opened}":                                 2,
		"ladder.events{kind=resolved}":                               1,
		"ladder.events{kind=de_escalated}":                           1,
		"ladder.moves{kind=escalated,manual=false,tier=specialists}": 2, // by the matrix
		"ladder.moves{kind=de_escalated,manual=true,tier=frontline}": 1, // by ana
		"ladder.sla.breaches{metric=first_response,priority=P1}":     1,
		"ladder.notifications{outcome=delivered}":                    2, // to the team lead
		"ladder.notifications{outcome=failed}":                       1, // the page
		"ladder.tickets.open":                                        1,
		// Two points fired 10 minutes late (the levels), two on time
		// (the breach and the rule on it).
		"ladder.firing.lateness.count": 4,
		"ladder.firing.lateness.sum":   1200,
	}
	if diff := cmp.Diff(want, flatten(t, rm)); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok {
				if m.Unit != "s" || !slices.Equal(h.DataPoints[0].Bounds, otel.LatenessBuckets) {
					t.Errorf("%s: unit %q, bounds %v", m.Name, m.Unit, h.DataPoints[0].Bounds)
				}
			}
		}
	}
}

func TestNewObserverNil(t *testing.T) {
	if _, err := otel.NewObserver(nil); err == nil || !strings.HasPrefix(err.Error(), "otel: ") {
		t.Errorf("NewObserver(nil): %v", err)
	}
}

// BenchmarkObserve is the cost of one observation of a move on the SDK's
// instruments.
func BenchmarkObserve(b *testing.B) {
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	obs, err := otel.NewObserver(provider.Meter("bench"))
	if err != nil {
		b.Fatal(err)
	}
	o := escalation.Observation{Kind: escalation.ObservedMove, Ticket: "T-1", Priority: "P1", Event: escalation.Escalated, Tier: "specialists", By: escalation.ByRule}
	b.ReportAllocs()
	for b.Loop() {
		obs.Observe(o)
	}
}
