package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// svgTexts returns the texts an SVG chart shows, in order: its title,
// axis labels, categories and legend.
func svgTexts(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

// WriteMarkdown writes the report as Markdown tables, for a weekly review
// posted to a wiki or a chat; here its first lines.
func ExampleReport_WriteMarkdown() {
	var buf bytes.Buffer
	if err := exReport().WriteMarkdown(&buf); err != nil {
		panic(err)
	}
	lines := strings.Split(buf.String(), "\n")
	for _, line := range lines[:8] {
		fmt.Println(line)
	}
	// Output:
	// | group | tickets | resolved | backlog | resolution | first_response | resolve p50 | resolve p90 | escalated | over | under | first tier | reopened | CSAT |
	// | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
	// | all | 3 | 3 | 0 | 66.7% (2/3) | 66.7% (2/3) | 3h 0m | 4h 50m | 66.7% | 33.3% | 0.0% | 33.3% | 0.0% | - |
	// | priority P1 | 2 | 2 | 0 | 50.0% (1/2) | 50.0% (1/2) | 3h 0m | 4h 50m | 100.0% | 50.0% | 0.0% | 0.0% | 0.0% | - |
	// | priority P2 | 1 | 1 | 0 | 100.0% (1/1) | 100.0% (1/1) | 1h 0m | 1h 0m | 0.0% | 0.0% | 0.0% | 100.0% | 0.0% | - |
	//
	// | rule | fired | failed | escalations | sent back down | breached anyway |
	// | --- | ---: | ---: | ---: | ---: | ---: |
}

// FlowChart draws where tickets started and the highest tier they
// reached, as stacked bars.
func ExampleReport_FlowChart() {
	var buf bytes.Buffer
	if err := exReport().FlowChart(&buf); err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(svgTexts(buf.String()), " | "))
	// Output:
	// Escalation flow: start tier to highest tier reached | reached frontline | reached specialists | reached engineering | 0 | 1 | 2 | 3 | tickets | frontline | specialists | engineering
}

// ResolutionChart is the histogram of times to the first resolution.
func ExampleReport_ResolutionChart() {
	var buf bytes.Buffer
	if err := exReport().ResolutionChart(&buf); err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(svgTexts(buf.String()), " | "))
	// Output:
	// Time to first resolution | 0 | 0.5 | 1 | 1.5 | 2 | tickets | &lt;1h | 1h-4h | 4h-8h | 8h-1d | 1d-3d | 3d-7d | 7d-30d | &gt;=30d
}

// TrendChart needs the weekly grouping; without it, it says so.
func ExampleReport_TrendChart() {
	fmt.Println(exReport().TrendChart(os.Stdout))

	ctx := context.Background()
	p, store, end := exWeek()
	r, err := report.Collect(ctx, store.Histories(ctx, time.Time{}, time.Time{}),
		report.Options{Policies: []*escalation.Policy{p}, By: []string{"week"}, End: end})
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := r.TrendChart(&buf); err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(svgTexts(buf.String()), " | "))
	// Output:
	// report: the trend chart needs the "week" grouping: add it to Options.By
	// Weekly trend | resolution attainment | escalated | 0% | 20% | 40% | 60% | 80% | 100% | 2026-W10
}

// Metric finds one metric's figures in a group.
func ExampleGroup_Metric() {
	all := exReport().Groups[0]
	for _, name := range []string{"first_response", "resolution", "nope"} {
		m, ok := all.Metric(name)
		fmt.Printf("%s %v: met %d, breached %d\n", name, ok, m.Attainment.Met, m.Attainment.Breached)
	}
	// Output:
	// first_response true: met 2, breached 1
	// resolution true: met 2, breached 1
	// nope false: met 0, breached 0
}
