package matrix_test

import (
	"strings"
	"testing"

	"github.com/ladder-go/ladder/matrix"
)

// TestRender compares the renderings with the golden files in testdata;
// go test -update rewrites them.
func TestRender(t *testing.T) {
	itil, err := matrix.New(matrix.ITIL5x5(), tiers)
	if err != nil {
		t.Fatal(err)
	}
	// The documented matrix with its settings: defaults, a start tier on a
	// priority with levels (P3) and on one without (P4).
	spec := classic(t).Spec()
	spec.DefaultImpact, spec.DefaultUrgency = "Medium", "Low"
	spec.Priorities[2].StartTier = "specialists"
	spec.Priorities[3].StartTier = "specialists"
	settled, err := matrix.New(spec, tiers)
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*matrix.Matrix{"classic": classic(t), "itil5x5": itil, "settled": settled} {
		t.Run(name, func(t *testing.T) {
			golden(t, name+".md", []byte(m.Markdown()))
			golden(t, name+".txt", []byte(m.Text()))
		})
	}
}

func TestRenderEscapesMarkdown(t *testing.T) {
	spec := base()
	spec.Impacts[0] = `Site | region`
	spec.Priorities[0].Levels[0].Team = `a\|b`
	m, err := matrix.New(spec, tiers)
	if err != nil {
		t.Fatal(err)
	}
	md := m.Markdown()
	for _, want := range []string{
		`| Site \| region | P1 | P2 |`,
		`| 1 | 30m after open | specialists | a\\\|b | role:team_lead |`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if text := m.Text(); !strings.Contains(text, "  Site | region     P1    P2\n") {
		t.Errorf("Text does not keep the label as it is:\n%s", text)
	}
}

func TestTextHasNoTrailingSpace(t *testing.T) {
	for line := range strings.Lines(classic(t).Text()) {
		if strings.TrimRight(line, " \n") != strings.TrimSuffix(line, "\n") {
			t.Errorf("trailing space in %q", line)
		}
	}
}

// TestRenderSettings checks how each rendering shows the defaults and the
// start tiers, and that it shows nothing for those that are not set.
func TestRenderSettings(t *testing.T) {
	tests := []struct {
		name           string
		change         func(*matrix.Spec)
		tiers          []string // nil means tiers
		markdown, text []string // in this order in the output
		neither        []string // in no output
	}{
		{
			name:    "none",
			change:  func(*matrix.Spec) {},
			neither: []string{"efault", "tart tier"},
		},
		{
			name:     "default impact",
			change:   func(s *matrix.Spec) { s.DefaultImpact = "Low" },
			markdown: []string{"| Low | P2 | P3 |\n\nDefault impact: Low.\n\n## Goals\n"},
			text:     []string{"  Low               P2    P3\n  default impact: Low\n\nGoals\n"},
			neither:  []string{"efault urgency", "tart tier"},
		},
		{
			name:     "default urgency",
			change:   func(s *matrix.Spec) { s.DefaultUrgency = "High" },
			markdown: []string{"| Low | P2 | P3 |\n\nDefault urgency: High.\n\n## Goals\n"},
			text:     []string{"  Low               P2    P3\n  default urgency: High\n\nGoals\n"},
			neither:  []string{"efault impact", "tart tier"},
		},
		{
			name: "start tiers",
			change: func(s *matrix.Spec) {
				s.Priorities[0].StartTier = "frontline"
				s.Priorities[2].StartTier = "engineering"
			},
			markdown: []string{
				"### P1\n\nStart tier: frontline.\n\n| level |",
				"### P2\n\nNo escalation levels.\n",
				"### P3\n\nStart tier: engineering.\n\nNo escalation levels.\n",
			},
			text: []string{
				"Escalation of P1\n  start tier: frontline\n  level  when",
				"Escalation of P2\n  no escalation levels\n",
				"Escalation of P3\n  start tier: engineering\n  no escalation levels\n",
			},
			neither: []string{"efault"},
		},
		{
			name: "labels with | and \\",
			change: func(s *matrix.Spec) {
				s.Impacts[1] = `Low | none`
				s.DefaultImpact = `Low | none`
				s.Urgencies[1] = `Low\later`
				s.DefaultUrgency = `Low\later`
				s.Priorities[0].Levels = nil
				s.Priorities[0].StartTier = "tier|2"
			},
			tiers: []string{"frontline", "tier|2"},
			markdown: []string{
				"Default impact: Low \\| none.\nDefault urgency: Low\\\\later.\n",
				"### P1\n\nStart tier: tier\\|2.\n\nNo escalation levels.\n",
			},
			text: []string{
				"  default impact: Low | none\n  default urgency: Low\\later\n",
				"Escalation of P1\n  start tier: tier|2\n  no escalation levels\n",
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
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range []struct {
				name, got string
				want      []string
			}{{"Markdown", m.Markdown(), tt.markdown}, {"Text", m.Text(), tt.text}} {
				rest := out.got
				for _, want := range out.want {
					_, after, ok := strings.Cut(rest, want)
					if !ok {
						t.Errorf("%s lacks %q after the fragments before it:\n%s", out.name, want, out.got)
						break
					}
					rest = after
				}
				for _, not := range tt.neither {
					if strings.Contains(out.got, not) {
						t.Errorf("%s has %q:\n%s", out.name, not, out.got)
					}
				}
				for line := range strings.Lines(out.got) {
					if strings.TrimRight(line, " \n") != strings.TrimSuffix(line, "\n") {
						t.Errorf("%s: trailing space in %q", out.name, line)
					}
				}
			}
		})
	}
}
