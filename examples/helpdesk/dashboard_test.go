package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/chromedp/chromedp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/notify"
)

// TestDashboardServed: / is the dashboard's page and its assets are
// served beside it, with the types a browser needs.
func TestDashboardServed(t *testing.T) {
	d := newDesk(t, escalation.NewMemoryStore())
	for _, c := range []struct{ path, ctype, has string }{
		{"/", "text/html; charset=utf-8", `<script src="/dashboard/app.js">`},
		{"/dashboard/app.js", "text/javascript; charset=utf-8", "function countdown("},
		{"/dashboard/style.css", "text/css; charset=utf-8", ".countdown"},
	} {
		rec := d.get(c.path, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.ctype || !strings.Contains(rec.Body.String(), c.has) {
			t.Errorf("GET %s: %d %q, want 200 %s holding %q", c.path, rec.Code, rec.Header().Get("Content-Type"), c.ctype, c.has)
		}
	}
	if rec := d.get("/dashboard/nothing.js", ""); rec.Code != http.StatusNotFound {
		t.Errorf("GET /dashboard/nothing.js: %d", rec.Code)
	}
}

// chromium returns the Chromium to drive: LADDER_CHROMIUM (.ci/chromium
// sets it), else one on the machine; the test is skipped without one.
func chromium(t *testing.T) string {
	for _, c := range []string{os.Getenv("LADDER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	if c, err := exec.LookPath("chromium"); err == nil {
		return c
	}
	t.Skip("no Chromium: run eval \"$(.ci/chromium)\" to install one")
	return ""
}

// remaining parses a countdown as the dashboard writes it ("14m 58s") into
// seconds.
var countdownText = regexp.MustCompile(`^(?:(\d+)h )?(?:(\d+)m )?(\d+)s$`)

func remaining(t *testing.T, text string) int {
	t.Helper()
	m := countdownText.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("countdown %q is not a time left", text)
	}
	n := 0
	for i, unit := range []int{3600, 60, 1} {
		if m[i+1] != "" {
			v, _ := strconv.Atoi(m[i+1])
			n += v * unit
		}
	}
	return n
}

// TestDashboardInBrowser drives the dashboard in headless Chromium: a P1
// ticket opened through the API (its first response is due in 15 minutes
// of a 24x7 clock, so it is at risk whatever the hour) appears at risk,
// its countdown falls, a click shows its timeline and plan, and the
// week's charts load.
func TestDashboardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	browser := chromium(t)
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.New() // the browser counts in wall time: so does the engine
	log := slog.New(slog.DiscardHandler)
	store := escalation.NewMemoryStore()
	engine, err := escalation.New(policy, escalation.WithClock(clk), escalation.WithStore(store), escalation.WithNotifier(notify.Log(log)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newHandler(engine, policy, store, clk, log))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/tickets", "application/json", strings.NewReader(`{"id": "OUTAGE-7", "impact": "high", "urgency": "high"}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("open: %s", resp.Status)
	}

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancel()
	browserCtx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser, without a timeout
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(browserCtx, time.Minute) // a bound for the test, not a wait
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		must(err)
		return v
	}

	row := `tr[data-ticket="OUTAGE-7"]`
	started := time.Now()
	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?within=1h"), chromedp.WaitVisible(row+` td.countdown`)))
	if metric := text(row + ` td:nth-child(5)`); metric != "first_response" {
		t.Errorf("at risk on %q, want first_response", metric)
	}
	first := text(row + ` td.countdown`)
	before := remaining(t, first)
	if before <= 0 || before > 15*60 {
		t.Fatalf("countdown %q: want at most 15 minutes left", first)
	}
	// The countdown falls by the second: poll until it reads otherwise.
	later, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const el = document.querySelector('`+row+` td.countdown');
		return el && el.textContent !== `+strconv.Quote(first)+` ? el.textContent : false;
	})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	must(err)
	if after := remaining(t, later); after >= before {
		t.Errorf("countdown went from %q to %q: it did not fall", first, later)
	}

	must(chromedp.Do(ctx, chromedp.Click(row), chromedp.WaitVisible(`#timeline li[data-what="opened"]`)))
	timeline, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#timeline li')].map(li => li.dataset.what)`))
	must(err)
	planned, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#plan li[data-what]').length`))
	must(err)
	if len(timeline) == 0 || timeline[0] != "opened" || planned == 0 {
		t.Errorf("timeline %v, %d planned entries: want the opening and a plan", timeline, planned)
	}

	charts, err := chromedp.Run(ctx, chromedp.Poll[[]int](`(() => {
		const imgs = [...document.querySelectorAll('#charts img')];
		return imgs.length === 4 && imgs.every(i => i.complete) ? imgs.map(i => i.naturalWidth) : false;
	})()`, chromedp.WithPollingInterval(100*time.Millisecond)))
	must(err)
	for i, w := range charts {
		if w == 0 {
			t.Errorf("chart %d did not load", i)
		}
	}
	t.Logf("countdown %q then %q; timeline %v; charts %v wide; %v in the browser", first, later, timeline, charts, time.Since(started).Round(time.Millisecond))
}
