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
	for name, m := range map[string]*matrix.Matrix{"classic": classic(t), "itil5x5": itil} {
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
