package matrix_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/matrix"
)

// base returns a small valid spec that each case below breaks.
func base() matrix.Spec {
	return matrix.Spec{
		Impacts:   []string{"High", "Low"},
		Urgencies: []string{"High", "Low"},
		Grid:      [][]string{{"P1", "P2"}, {"P2", "P3"}},
		Priorities: []matrix.PrioritySpec{
			{
				Name: "P1",
				Goals: []matrix.Goal{
					{Metric: "first_response", Target: matrix.Duration(15 * time.Minute)},
					{Metric: "resolution", Target: matrix.Duration(4 * time.Hour), Calendar: "24x7"},
				},
				Levels: []matrix.Level{
					{Clock: matrix.ClockSinceOpen, After: matrix.Duration(30 * time.Minute), Tier: "specialists", Notify: []string{"role:team_lead"}},
					{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 50, Tier: "engineering"},
					{Clock: matrix.ClockInTier, After: matrix.Duration(time.Hour), Tier: "escalation_manager", Team: "network", Notify: []string{"duty_manager"}},
				},
			},
			{Name: "P2", Goals: []matrix.Goal{{Metric: "resolution", Target: matrix.Duration(8 * time.Hour)}}},
			{Name: "P3", Goals: []matrix.Goal{{Metric: "resolution", Target: matrix.Duration(24 * time.Hour)}}},
		},
	}
}

// settled returns base() with its optional settings set: a default impact
// and urgency, and a start tier on P1 and P3.
func settled() matrix.Spec {
	s := base()
	s.DefaultImpact, s.DefaultUrgency = "Low", "High"
	s.Priorities[0].StartTier = "specialists"
	s.Priorities[2].StartTier = "escalation_manager"
	return s
}

func dur(s string) matrix.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return matrix.Duration(d)
}

func lv(clock matrix.Clock, after string, tier string) matrix.Level {
	return matrix.Level{Clock: clock, After: dur(after), Tier: tier}
}

func pct(metric string, p float64, tier string) matrix.Level {
	return matrix.Level{Clock: matrix.ClockPercent, Metric: metric, Percent: p, Tier: tier}
}

func TestNewValid(t *testing.T) {
	for name, spec := range map[string]matrix.Spec{
		"base":    base(),
		"settled": settled(),
		// A start tier above the tiers of the priority's levels is allowed:
		// where a ticket starts is the engine's business.
		"start tier above the levels": func() matrix.Spec {
			s := base()
			s.Priorities[0].StartTier = "escalation_manager"
			return s
		}(),
		"ITIL3x3": matrix.ITIL3x3(),
		"ITIL5x5": matrix.ITIL5x5(),
		// Levels on different clocks are never compared.
		"mixed clocks": func() matrix.Spec {
			s := base()
			s.Priorities[0].Levels = []matrix.Level{
				lv(matrix.ClockSinceOpen, "2h", "frontline"),
				pct("resolution", 90, "frontline"),
				lv(matrix.ClockInTier, "30m", "specialists"),
				lv(matrix.ClockSinceOpen, "3h", "specialists"),
				pct("first_response", 10, "specialists"),
				pct("resolution", 95, "engineering"),
			}
			return s
		}(),
		// Each in_tier level counts a different stay: no order between them.
		"in_tier across tiers": func() matrix.Spec {
			s := base()
			s.Priorities[0].Levels = []matrix.Level{
				lv(matrix.ClockInTier, "2h", "specialists"),
				lv(matrix.ClockInTier, "1h", "engineering"),
				lv(matrix.ClockInTier, "1h", "escalation_manager"),
			}
			return s
		}(),
		// Level 0 counts the stay in the starting tier, never paired.
		"in_tier first level": func() matrix.Spec {
			s := base()
			s.Priorities[0].Levels = []matrix.Level{
				lv(matrix.ClockInTier, "2h", "frontline"),
				lv(matrix.ClockInTier, "1h", "specialists"),
			}
			return s
		}(),
		// A level may name the same tier as the one before it.
		"same tier twice": func() matrix.Spec {
			s := base()
			s.Priorities[0].Levels = []matrix.Level{
				lv(matrix.ClockSinceOpen, "1h", "specialists"),
				{Clock: matrix.ClockSinceOpen, After: dur("2h"), Tier: "specialists", Team: "network"},
			}
			return s
		}(),
		"unused priority": func() matrix.Spec {
			s := base()
			s.Priorities = append(s.Priorities, matrix.PrioritySpec{Name: "P0", Goals: []matrix.Goal{{Metric: "custom_ack_2", Target: dur("5m")}}})
			return s
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := matrix.New(spec, tiers); err != nil {
				t.Fatalf("New: %v", err)
			}
		})
	}
}

// TestNewProblems is the golden table of New's error messages: each case
// breaks base() and lists every problem New must report, in order.
func TestNewProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(*matrix.Spec)
		tiers  []string // nil means tiers
		want   []string
	}{
		{
			name:   "zero spec",
			change: func(s *matrix.Spec) { *s = matrix.Spec{} },
			want: []string{
				"impacts: empty; want at least one impact",
				"urgencies: empty; want at least one urgency",
				"priorities: empty; want at least one priority",
			},
		},
		{
			name:   "no tiers",
			change: func(*matrix.Spec) {},
			tiers:  []string{},
			want: []string{
				"tiers: empty; want at least one tier",
				`priorities[0].levels[0].tier: unknown tier "specialists"; no tiers were given`,
				`priorities[0].levels[1].tier: unknown tier "engineering"; no tiers were given`,
				`priorities[0].levels[2].tier: unknown tier "escalation_manager"; no tiers were given`,
			},
		},
		{
			name:   "bad tiers",
			change: func(*matrix.Spec) {},
			tiers:  []string{"frontline", "", "specialists", "frontline", "engineering ", "escalation_manager"},
			want: []string{
				"tiers[1]: empty tier",
				`tiers[3]: duplicate tier "frontline", first at tiers[0]`,
				`tiers[4]: tier "engineering " has leading or trailing space`,
				`priorities[0].levels[1].tier: unknown tier "engineering"; want one of "frontline", "", "specialists", "frontline", "engineering ", "escalation_manager"`,
			},
		},
		{
			name: "bad labels",
			change: func(s *matrix.Spec) {
				s.Impacts = []string{"High", "High"}
				s.Urgencies = []string{"", "Lo\nw"}
				s.Priorities[2].Name = "P\xff"
			},
			want: []string{
				`impacts[1]: duplicate impact "High", first at impacts[0]`,
				"urgencies[0]: empty urgency",
				`urgencies[1]: urgency "Lo\nw" has a control character`,
				`priorities[2].name: priority "P\xff" is not valid UTF-8`,
				`grid[1][1]: unknown priority "P3"`,
			},
		},
		{
			name: "duplicate priority",
			change: func(s *matrix.Spec) {
				s.Priorities[2].Name = "P1"
			},
			want: []string{
				`priorities[2].name: duplicate priority "P1", first at priorities[0].name`,
				`grid[1][1]: unknown priority "P3"`,
			},
		},
		{
			name: "grid not rectangular",
			change: func(s *matrix.Spec) {
				s.Grid = [][]string{{"P1"}, {"P2", "P3", "P3"}, {}}
			},
			want: []string{
				"grid: want 2 rows (one per impact), got 3",
				"grid[0]: want 2 cells (one per urgency), got 1",
				"grid[1]: want 2 cells (one per urgency), got 3",
				"grid[2]: want 2 cells (one per urgency), got 0",
			},
		},
		{
			name: "grid incomplete",
			change: func(s *matrix.Spec) {
				s.Grid = [][]string{{"P1", ""}}
			},
			want: []string{
				"grid: want 2 rows (one per impact), got 1",
				`grid[0][1]: unknown priority ""`,
			},
		},
		{
			name: "goals",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Goals = []matrix.Goal{
					{Metric: "First Response", Target: dur("15m")},
					{Metric: "resolution", Target: 0, Calendar: " 24x7"},
					{Metric: "resolution", Target: dur("-4h")},
					{Metric: "", Target: dur("1h")},
					{Metric: "2nd_response", Target: dur("1h")},
				}
				s.Priorities[1].Goals = nil
			},
			want: []string{
				`priorities[0].goals[0].metric: "First Response" is not a metric name (lower-case letters, digits and _, starting with a letter)`,
				`priorities[0].goals[1].calendar: calendar " 24x7" has leading or trailing space`,
				`priorities[0].goals[1].target: must be positive, got "0s"`,
				`priorities[0].goals[2].metric: duplicate metric "resolution", first at goals[1]`,
				`priorities[0].goals[2].target: must be positive, got "-4h"`,
				`priorities[0].goals[3].metric: "" is not a metric name (lower-case letters, digits and _, starting with a letter)`,
				`priorities[0].goals[4].metric: "2nd_response" is not a metric name (lower-case letters, digits and _, starting with a letter)`,
				"priorities[1].goals: empty; want at least one goal",
			},
		},
		{
			name: "clocks",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = []matrix.Level{
					{Tier: "frontline"},
					{Clock: "since_ack", After: dur("1h"), Tier: "frontline"},
					{Clock: matrix.ClockSinceOpen, Tier: "frontline"},
					{Clock: matrix.ClockInTier, After: dur("-30m"), Metric: "resolution", Percent: 50, Tier: "frontline"},
					{Clock: matrix.ClockPercent, Metric: "resolutoin", After: dur("1h"), Tier: "frontline"},
					pct("resolution", 120, "frontline"),
					pct("resolution", -5, "frontline"),
				}
			},
			want: []string{
				`priorities[0].levels[0].clock: missing; want "since_open", "percent" or "in_tier"`,
				`priorities[0].levels[1].clock: unknown clock "since_ack"; want "since_open", "percent" or "in_tier"`,
				`priorities[0].levels[2].after: must be positive, got "0s"`,
				`priorities[0].levels[3].after: must be positive, got "-30m"`,
				`priorities[0].levels[3].metric: "resolution" not allowed with clock "in_tier"; only a percent clock has a metric`,
				`priorities[0].levels[3].percent: 50 not allowed with clock "in_tier"; only a percent clock has a percent`,
				`priorities[0].levels[4].metric: "resolutoin" is not the metric of a goal of this priority`,
				`priorities[0].levels[4].percent: must be in (0, 100], got 0`,
				`priorities[0].levels[4].after: "1h" not allowed with clock "percent"; only since_open and in_tier clocks have a time`,
				`priorities[0].levels[5].percent: must be in (0, 100], got 120`,
				`priorities[0].levels[6].percent: must be in (0, 100], got -5`,
			},
		},
		{
			name: "percent of another priority's metric",
			change: func(s *matrix.Spec) {
				s.Priorities[1].Levels = []matrix.Level{pct("first_response", 50, "frontline")}
			},
			want: []string{
				`priorities[1].levels[0].metric: "first_response" is not the metric of a goal of this priority`,
			},
		},
		{
			name: "since_open times do not increase",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = []matrix.Level{
					lv(matrix.ClockSinceOpen, "1h", "frontline"),
					pct("resolution", 10, "frontline"), // another clock: not compared
					lv(matrix.ClockSinceOpen, "1h", "frontline"),
					lv(matrix.ClockSinceOpen, "30m", "frontline"),
					lv(matrix.ClockSinceOpen, "45m", "frontline"),
				}
			},
			want: []string{
				`priorities[0].levels[2].after: "1h" does not come after "1h" of levels[0] (since_open levels must increase)`,
				`priorities[0].levels[3].after: "30m" does not come after "1h" of levels[2] (since_open levels must increase)`,
			},
		},
		{
			name: "percent times do not increase per metric",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = []matrix.Level{
					pct("resolution", 50, "frontline"),
					pct("first_response", 25, "frontline"), // another metric: not compared
					pct("resolution", 50, "frontline"),
					pct("first_response", 20, "frontline"),
					pct("resolution", 100, "frontline"),
				}
			},
			want: []string{
				`priorities[0].levels[2].percent: 50 does not exceed 50 of levels[0] (percent levels of "resolution" must increase)`,
				`priorities[0].levels[3].percent: 20 does not exceed 25 of levels[1] (percent levels of "first_response" must increase)`,
			},
		},
		{
			name: "in_tier times do not increase within one stay",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = []matrix.Level{
					lv(matrix.ClockSinceOpen, "1h", "specialists"),
					// counts the stay in specialists entered at levels[0]
					{Clock: matrix.ClockInTier, After: dur("2h"), Tier: "specialists", Notify: []string{"role:team_lead"}},
					// still the same stay, with a since_open level between
					lv(matrix.ClockSinceOpen, "2h", "specialists"),
					lv(matrix.ClockInTier, "2h", "engineering"),
					// a new stay, in engineering: not compared with levels[3]
					lv(matrix.ClockInTier, "1h", "engineering"),
					// same stay in engineering as levels[4]
					lv(matrix.ClockInTier, "30m", "escalation_manager"),
				}
			},
			want: []string{
				`priorities[0].levels[3].after: "2h" does not come after "2h" of levels[1] (in_tier levels within one stay in tier "specialists" must increase)`,
				`priorities[0].levels[5].after: "30m" does not come after "1h" of levels[4] (in_tier levels within one stay in tier "engineering" must increase)`,
			},
		},
		{
			name: "tiers of levels",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = []matrix.Level{
					lv(matrix.ClockSinceOpen, "1h", "engineering"),
					lv(matrix.ClockSinceOpen, "2h", "specialists"),
					lv(matrix.ClockSinceOpen, "3h", ""),
					lv(matrix.ClockSinceOpen, "4h", "enginering"),
					lv(matrix.ClockSinceOpen, "5h", "frontline"),
				}
			},
			want: []string{
				`priorities[0].levels[1].tier: "specialists" is lower than "engineering" of levels[0]; a level may not move a ticket down`,
				`priorities[0].levels[2].tier: missing; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
				`priorities[0].levels[3].tier: unknown tier "enginering"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
			},
		},
		{
			name: "team and notify",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels[0].Team = "net\twork"
				s.Priorities[0].Levels[0].Notify = []string{"duty_manager", "", "duty_manager", "role:team_lead "}
			},
			want: []string{
				`priorities[0].levels[0].team: team "net\twork" has a control character`,
				"priorities[0].levels[0].notify[1]: empty contact",
				`priorities[0].levels[0].notify[2]: duplicate contact "duty_manager"`,
				`priorities[0].levels[0].notify[3]: contact "role:team_lead " has leading or trailing space`,
			},
		},
		{
			name: "settings among other problems",
			change: func(s *matrix.Spec) {
				s.Urgencies[1] = "Low "
				s.DefaultImpact = "Medium"
				s.DefaultUrgency = "Low" // the label is "Low ", itself a problem
				s.Grid[1][1] = "P4"
				s.Priorities[0].StartTier = "specialist"
				s.Priorities[0].Goals[0].Target = 0
				s.Priorities[1].StartTier = "engineering"
				s.Priorities[2].StartTier = "Frontline"
				s.Priorities[2].Levels = []matrix.Level{lv(matrix.ClockSinceOpen, "1h", "nowhere")}
			},
			want: []string{
				`urgencies[1]: urgency "Low " has leading or trailing space`,
				`default_impact: unknown impact "Medium"; want one of "High", "Low"`,
				`default_urgency: unknown urgency "Low"; want one of "High", "Low "`,
				`grid[1][1]: unknown priority "P4"`,
				`priorities[0].start_tier: unknown tier "specialist"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
				`priorities[0].goals[0].target: must be positive, got "0s"`,
				`priorities[2].start_tier: unknown tier "Frontline"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
				`priorities[2].levels[0].tier: unknown tier "nowhere"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
			},
		},
		{
			name: "a default names a badly formed label",
			change: func(s *matrix.Spec) {
				s.Impacts[1] = "L\tow"
				s.DefaultImpact = "L\tow" // one of the impacts: only the label is reported
				s.Urgencies[0] = "High\xff"
				s.DefaultUrgency = "High\xff"
			},
			want: []string{
				`impacts[1]: impact "L\tow" has a control character`,
				`urgencies[0]: urgency "High\xff" is not valid UTF-8`,
			},
		},
		{
			name: "defaults without impacts or urgencies",
			change: func(s *matrix.Spec) {
				s.Impacts, s.Urgencies, s.Grid = nil, []string{}, nil
				s.DefaultImpact, s.DefaultUrgency = "High", "Low"
			},
			want: []string{
				"impacts: empty; want at least one impact",
				"urgencies: empty; want at least one urgency",
				`default_impact: unknown impact "High"; no impacts were given`,
				`default_urgency: unknown urgency "Low"; no urgencies were given`,
			},
		},
		{
			name: "start tiers without tiers",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = nil
				s.Priorities[1].StartTier = "frontline"
				s.Priorities[2].StartTier = " "
			},
			tiers: []string{},
			want: []string{
				"tiers: empty; want at least one tier",
				`priorities[1].start_tier: unknown tier "frontline"; no tiers were given`,
				`priorities[2].start_tier: unknown tier " "; no tiers were given`,
			},
		},
		{
			name: "start tier against bad tiers",
			change: func(s *matrix.Spec) {
				s.Priorities[0].Levels = nil
				s.Priorities[1].StartTier = "engineering " // one of the tiers: only the tier is reported
				s.Priorities[2].StartTier = "engineering"
			},
			tiers: []string{"frontline", "engineering "},
			want: []string{
				`tiers[1]: tier "engineering " has leading or trailing space`,
				`priorities[2].start_tier: unknown tier "engineering"; want one of "frontline", "engineering "`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base()
			tt.change(&spec)
			ts := tt.tiers
			if ts == nil {
				ts = tiers
			}
			m, err := matrix.New(spec, ts)
			wantProblems(t, m, err, tt.want)
		})
	}
}

// TestParseProblems is the golden table of the problems of documents that
// decode: a duration that is not one is reported with every other
// problem, in the order of the document.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "a duration that is not one among other problems",
			doc: `{
			  "impacts": ["High", "Low"],
			  "urgencies": ["High", "Low"],
			  "grid": [["P1", "P2"], ["P2", "P4"]],
			  "priorities": [
			    {"name": "P1",
			     "goals": [{"metric": "first_response", "target": "15m"}, {"metric": "resolution", "target": "4h"}],
			     "levels": [{"clock": "since_open", "after": "30m", "tier": "specialists"},
			                {"clock": "percent", "metric": "resolution", "percent": 150, "tier": "engineering"}]},
			    {"name": "P2",
			     "goals": [{"metric": "resolution", "target": "4 hours"}],
			     "levels": [{"clock": "since_open", "after": "1h", "tier": "enginering"}]}
			  ]
			}`,
			want: []string{
				`grid[1][1]: unknown priority "P4"`,
				`priorities[0].levels[1].percent: must be in (0, 100], got 150`,
				`priorities[1].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[1].levels[0].tier: unknown tier "enginering"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
			},
		},
		{
			name: "targets",
			doc: `{"impacts": ["High"], "urgencies": ["High"], "grid": [["P1"]], "priorities": [{"name": "P1", "goals": [
			  {"metric": "a", "target": "4 hours"},
			  {"metric": "b", "target": ""},
			  {"metric": "c", "target": "-"},
			  {"metric": "d", "target": 12},
			  {"metric": "e", "target": true},
			  {"metric": "f", "target": {"h": 4}},
			  {"metric": "g", "target": ["4h"]},
			  {"metric": "h", "target": "4\nh\u00e9"},
			  {"metric": "i", "target": "9999999h"},
			  {"metric": "j", "target": null},
			  {"metric": "k"},
			  {"metric": "l", "target": "-1h"},
			  {"metric": "m", "target": "1h30m"}
			]}]}`,
			want: []string{
				`priorities[0].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[1].target: "" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[2].target: "-" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[3].target: 12 is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[4].target: true is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[5].target: an object is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[6].target: an array is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[7].target: "4\nhé" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[8].target: "9999999h" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].goals[9].target: must be positive, got "0s"`,
				`priorities[0].goals[10].target: must be positive, got "0s"`,
				`priorities[0].goals[11].target: must be positive, got "-1h"`,
			},
		},
		{
			name: "afters",
			doc: `{"impacts": ["High"], "urgencies": ["High"], "grid": [["P1"]], "priorities": [
			  {"name": "P1", "goals": [{"metric": "resolution", "target": "4h"}], "levels": [
			    {"clock": "since_open", "after": "1h", "tier": "frontline"},
			    {"clock": "since_open", "after": "2 h", "tier": "frontline"},
			    {"clock": "since_open", "after": "30m", "tier": "frontline"},
			    {"clock": "percent", "metric": "resolution", "percent": 50, "after": "soon", "tier": "specialists"},
			    {"clock": "in_tier", "after": 3600, "tier": "specialists"},
			    {"clock": "in_tier", "after": "1h", "tier": "specialists"},
			    {"after": false, "tier": "specialists"},
			    {"clock": "since_ack", "after": [], "tier": "frontline"}
			  ]},
			  {"name": "P2", "goals": [{"metric": "resolution", "target": "1d"}], "levels": [
			    {"clock": "in_tier", "after": "", "metric": "resolution", "tier": "frontline"}
			  ]}
			]}`,
			want: []string{
				`priorities[0].levels[1].after: "2 h" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].levels[2].after: "30m" does not come after "1h" of levels[0] (since_open levels must increase)`,
				`priorities[0].levels[3].after: "soon" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].levels[4].after: 3600 is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].levels[6].clock: missing; want "since_open", "percent" or "in_tier"`,
				`priorities[0].levels[6].after: false is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].levels[7].clock: unknown clock "since_ack"; want "since_open", "percent" or "in_tier"`,
				`priorities[0].levels[7].after: an array is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[0].levels[7].tier: "frontline" is lower than "specialists" of levels[6]; a level may not move a ticket down`,
				`priorities[1].goals[0].target: "1d" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[1].levels[0].after: "" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[1].levels[0].metric: "resolution" not allowed with clock "in_tier"; only a percent clock has a metric`,
			},
		},
		{
			name: "settings among other problems",
			doc: `{
			  "impacts": ["High", "Low"],
			  "urgencies": ["High", "Low"],
			  "default_impact": "high",
			  "default_urgency": "Medium",
			  "grid": [["P1", "P2"], ["P2", "P2"]],
			  "priorities": [
			    {"name": "P1", "start_tier": "specialists",
			     "goals": [{"metric": "resolution", "target": "4 hours"}]},
			    {"name": "P2", "start_tier": "tier 2",
			     "goals": [{"metric": "resolution", "target": "8h"}],
			     "levels": [{"clock": "since_open", "after": "1h", "tier": "frontline"}]}
			  ]
			}`,
			want: []string{
				`default_impact: unknown impact "high"; want one of "High", "Low"`,
				`default_urgency: unknown urgency "Medium"; want one of "High", "Low"`,
				`priorities[0].goals[0].target: "4 hours" is not a duration (a string such as "30m", "4h" or "1h30m")`,
				`priorities[1].start_tier: unknown tier "tier 2"; want one of "frontline", "specialists", "engineering", "escalation_manager"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := matrix.Parse([]byte(tt.doc), tiers)
			wantProblems(t, m, err, tt.want)
		})
	}
}

// wantProblems checks that m is nil and err an *matrix.Error listing the
// problems want, in order, one line each.
func wantProblems(t *testing.T, m *matrix.Matrix, err error, want []string) {
	t.Helper()
	if m != nil {
		t.Error("got a matrix along with the error")
	}
	var e *matrix.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *matrix.Error", err, err)
	}
	var got []string
	for _, p := range e.Problems {
		got = append(got, p.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	wantText := "matrix: " + strings.Join(want, "\nmatrix: ")
	if err.Error() != wantText {
		t.Errorf("Error():\n%s\nwant:\n%s", err, wantText)
	}
}
