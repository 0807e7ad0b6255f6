// Command replay backtests an escalation policy on a real ticket log: it
// replays the log through the policy at full speed on a simulated clock
// and reports what the policy did, or, with -compare, what a second
// policy would have done differently.
//
//	go run ./examples/replay -policy examples/replay/bpic2013.policy.json \
//	    -compare examples/replay/bpic2013.escalate.policy.json -format bpic2013 \
//	    -svg charts ../shared/data/bpic2013/incidents.csv.gz
//
// It prints a Markdown summary on standard output, writes the report as
// JSON (-json), Markdown (-md) and SVG charts (-svg), and shows its
// progress on standard error when a log takes more than a moment.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/replay"
	"github.com/ladder-go/ladder/escalation/report"
)

// config is what the command line asks for.
type config struct {
	policy, compare, format string
	lenient                 bool
	json, md, svg, export   string
	by                      []string
	log                     string
	progress                io.Writer // nil: no progress line
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg.progress = os.Stderr
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.policy, "policy", "", "the policy to replay the log through (JSON; required)")
	fs.StringVar(&cfg.compare, "compare", "", "a second policy: replay the log through both and compare")
	fs.StringVar(&cfg.format, "format", "ladder", "the log's format: "+strings.Join(replay.Formats(), ", "))
	fs.BoolVar(&cfg.lenient, "lenient", false, "skip a ticket with a bad row and list it, rather than stop")
	fs.StringVar(&cfg.json, "json", "", "write the report as JSON to this file")
	fs.StringVar(&cfg.md, "md", "", "write the report as Markdown to this file")
	fs.StringVar(&cfg.svg, "svg", "", "write the report's SVG charts into this directory")
	fs.StringVar(&cfg.export, "export", "", "write the log's events in ladder's canonical CSV to this file")
	by := fs.String("by", "priority", "the report's groupings, comma-separated: priority, start_team, resolving_team, start_tier, policy, tenant, week, month, or an attribute path")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: replay -policy policy.json [-compare other.json] [-format %s] [-lenient]\n"+
			"    [-json report.json] [-md report.md] [-svg dir] [-export log.csv] [-by priority,start_team] log.csv[.gz]\n\n", strings.Join(replay.Formats(), "|"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var problems []string
	if cfg.policy == "" {
		problems = append(problems, "-policy is required")
	}
	if fs.NArg() != 1 {
		problems = append(problems, fmt.Sprintf("want one log file, got %d arguments", fs.NArg()))
	} else {
		cfg.log = fs.Arg(0)
	}
	for _, b := range strings.Split(*by, ",") {
		if b = strings.TrimSpace(b); b != "" {
			cfg.by = append(cfg.by, b)
		}
	}
	if len(problems) > 0 {
		fs.Usage()
		return cfg, errors.New("replay: " + strings.Join(problems, "; "))
	}
	return cfg, nil
}

// side is one policy's replay and report.
type side struct {
	policy *escalation.Policy
	result *replay.Result
	report *report.Report
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	a, err := replayOne(ctx, cfg, cfg.policy)
	if err != nil {
		return err
	}
	if cfg.export != "" {
		if err := export(cfg, a.policy); err != nil {
			return err
		}
	}
	var b *side
	if cfg.compare != "" {
		if b, err = replayOne(ctx, cfg, cfg.compare); err != nil {
			return err
		}
	}
	summarize(out, cfg, a)
	if b != nil && b.result.Redirected > 0 {
		fmt.Fprintf(out, "Under %s, %d moves of the log found the ticket already on their tier (the policy had moved it): replayed as no move.\n\n",
			name(b.policy), b.result.Redirected)
	}
	if b == nil {
		if err := a.report.WriteMarkdown(out); err != nil {
			return err
		}
	} else {
		c, err := replay.Compare(ctx, a.result, b.result, report.Options{By: cfg.by, End: a.result.End}, 10)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "## %s against %s\n\n", name(a.policy), name(b.policy))
		if err := c.WriteMarkdown(out); err != nil {
			return err
		}
	}
	for _, s := range []*side{a, b} {
		if s == nil {
			continue
		}
		suffix := ""
		if s == b {
			suffix = ".compare"
		}
		if err := write(cfg, s.report, suffix); err != nil {
			return err
		}
	}
	return nil
}

// replayOne replays the log through the policy in file path and reports
// it.
func replayOne(ctx context.Context, cfg config, path string) (*side, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := escalation.ParsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := os.Open(cfg.log)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, err := replay.Open(f, filepath.Base(cfg.log), cfg.format, p)
	if err != nil {
		return nil, err
	}
	opts := replay.Options{Lenient: cfg.lenient}
	if cfg.progress != nil {
		opts.Progress = progressLine(cfg.progress, name(p))
	}
	res, err := replay.Run(ctx, rd, p, opts)
	if err != nil {
		return nil, err
	}
	r, err := report.Collect(ctx, res.Histories(ctx, time.Time{}, time.Time{}), report.Options{
		Policies: []*escalation.Policy{p}, By: cfg.by, End: res.End,
	})
	if err != nil {
		return nil, err
	}
	return &side{policy: p, result: res, report: r}, nil
}

// export writes the log's events, good rows only, in ladder's canonical
// CSV: a log of any format becomes one any helpdesk tool can read.
func export(cfg config, p *escalation.Policy) error {
	f, err := os.Open(cfg.log)
	if err != nil {
		return err
	}
	defer f.Close()
	rd, err := replay.Open(f, filepath.Base(cfg.log), cfg.format, p)
	if err != nil {
		return err
	}
	var rows []replay.Row
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			rows = append(rows, row)
		}
	}
	var b bytes.Buffer
	if err := replay.WriteCSV(&b, rows); err != nil {
		return err
	}
	return os.WriteFile(cfg.export, b.Bytes(), 0o644)
}

// progressLine returns a Progress that writes a line on w once the replay
// has run for two seconds, and then at each call.
func progressLine(w io.Writer, policy string) func(replay.Progress) {
	start := time.Now()
	shown := false
	return func(p replay.Progress) {
		if !shown && time.Since(start) < 2*time.Second {
			return
		}
		shown = true
		fmt.Fprintf(w, "\rreplay %s: %d of %d events, at %s", policy, p.Events, p.Of, p.At.Format("2006-01-02"))
		if p.Events == p.Of {
			fmt.Fprintln(w)
		}
	}
}

func name(p *escalation.Policy) string {
	if p.Version == "" {
		return p.Name
	}
	return p.Name + " " + p.Version
}

// summarize writes what the replay read and did.
func summarize(w io.Writer, cfg config, s *side) {
	res := s.result
	fmt.Fprintf(w, "# Replay of %s on %s\n\n", filepath.Base(cfg.log), name(s.policy))
	fmt.Fprintf(w, "%d rows read, %d events replayed, %d tickets, %s to %s.",
		res.Rows, res.Events, res.Tickets, res.Start.Format("2006-01-02"), res.End.Format("2006-01-02"))
	if len(res.Ignored) > 0 {
		var parts []string
		for _, reason := range slices.Sorted(maps.Keys(res.Ignored)) {
			parts = append(parts, fmt.Sprintf("%d %s", res.Ignored[reason], reason))
		}
		fmt.Fprintf(w, " Ignored: %s.", strings.Join(parts, ", "))
	}
	if res.Redirected > 0 {
		fmt.Fprintf(w, " %d moves of the log found the ticket already on their tier: replayed as no move.", res.Redirected)
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(w, " %d tickets skipped (%d rows):", len(res.Skipped), res.SkippedRows)
		for i, sk := range res.Skipped {
			if i == 10 {
				fmt.Fprintf(w, "\n- and %d more", len(res.Skipped)-10)
				break
			}
			fmt.Fprintf(w, "\n- %s", sk.Err)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}

// write writes the report in the formats asked, suffix before each file's
// extension (the second policy's report of a comparison).
func write(cfg config, r *report.Report, suffix string) error {
	at := func(path string) string {
		ext := filepath.Ext(path)
		return strings.TrimSuffix(path, ext) + suffix + ext
	}
	if cfg.json != "" {
		var b bytes.Buffer
		if err := r.WriteJSON(&b); err != nil {
			return err
		}
		if err := os.WriteFile(at(cfg.json), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if cfg.md != "" {
		var b bytes.Buffer
		if err := r.WriteMarkdown(&b); err != nil {
			return err
		}
		if err := os.WriteFile(at(cfg.md), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if cfg.svg != "" {
		dir := cfg.svg + suffix
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		charts := map[string]func(io.Writer) error{"flow.svg": r.FlowChart, "resolution.svg": r.ResolutionChart}
		if slices.Contains(r.By, "priority") {
			charts["attainment.svg"] = r.AttainmentChart
		}
		if slices.Contains(r.By, "week") {
			charts["trend.svg"] = r.TrendChart
		}
		for file, draw := range charts {
			var b bytes.Buffer
			if err := draw(&b); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, file), b.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
