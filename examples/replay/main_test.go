package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun backtests a small canonical log on the shipped BPIC 2013
// policies and checks the summary, the comparison and the files. By
// hand: T-1 (high: 8h) is escalated by a person at 16:00 and resolved
// after 11h, breached at 17:00; T-2 (low: 72h) waits 4h and is resolved
// in time; T-3 (major) opens on the third line and is still open, its
// goal not used up, when the log ends. Under the second policy the matrix
// moves T-1 at 75% of 8h (15:00) and tells the line manager, so the
// person's move finds it there, and its breach tells the duty manager.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	cfg, err := parseFlags([]string{"-policy", "bpic2013.policy.json", "-compare", "bpic2013.escalate.policy.json",
		"-json", filepath.Join(dir, "r.json"), "-md", filepath.Join(dir, "r.md"), "-svg", filepath.Join(dir, "charts"),
		"-export", filepath.Join(dir, "export.csv"), "-by", "priority,week", "testdata/desk.csv"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Replay of desk.csv on vinst 2013-as-run\n\n8 rows read, 8 events replayed, 3 tickets, 2026-03-02 to 2026-03-03.\n",
		"| tickets | 3 | 3 | +0 |\n",
		"| resolution attainment | 50.0% | 50.0% | +0.0 pt |\n",
		"| escalated by hand | 33.3% | 0.0% | -33.3 pt |\n",
		"| escalated automatically | 0.0% | 33.3% | +33.3 pt |\n",
		"| notifications | 0 | 2 | +2 |\n",
		"| T-1 | 1 → 1 | 1 → 1 | second_line → second_line | 0 → 2 |\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	// The export of a canonical log is the log, up to the writer's layout.
	exported, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(exported), "\n"); lines != 9 || !strings.HasPrefix(string(exported), "ticket,at,kind,status,tier,team,impact,urgency,priority,actor,reason,attr.customer.vip\n") {
		t.Errorf("export:\n%s", exported)
	}
	for _, f := range []string{"r.json", "r.md", "r.compare.json", "r.compare.md", "charts/attainment.svg", "charts/flow.svg",
		"charts/resolution.svg", "charts/trend.svg", "charts.compare/flow.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestFlags checks that a wrong command line says every problem.
func TestFlags(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseFlags([]string{"-format", "ladder"}, &stderr)
	if err == nil || err.Error() != "replay: -policy is required; want one log file, got 0 arguments" {
		t.Errorf("error %v", err)
	}
	if !strings.Contains(stderr.String(), "usage: replay -policy policy.json") {
		t.Errorf("no usage:\n%s", stderr.String())
	}
}
