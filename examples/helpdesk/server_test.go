package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/notify"
	"github.com/ladder-go/ladder/escalation/report"
)

var newYork = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return loc
}()

// start is a Monday morning in the office hours of policy.json.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, newYork)

// stores are the stores the tests run on: each returns a new empty one.
var stores = []struct {
	name string
	open func(t *testing.T) escalation.Store
}{
	{"memory", func(t *testing.T) escalation.Store { return openTestStore(t, config{mem: true}) }},
	{"sqlite", func(t *testing.T) escalation.Store {
		return openTestStore(t, config{db: filepath.Join(t.TempDir(), "helpdesk.db")})
	}},
	{"postgres", openPostgres},
}

// openPostgres opens a store in a new schema of the PostgreSQL database
// that LADDER_POSTGRES_DSN names (.ci/postgres starts one), and drops the
// schema when the test ends. Without the variable, the test is skipped.
func openPostgres(t *testing.T) escalation.Store {
	dsn := os.Getenv("LADDER_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("LADDER_POSTGRES_DSN is not set")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "helpdesk_" + strings.ToLower(rand.Text())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return openTestStore(t, config{postgres: u.String()})
}

func openTestStore(t *testing.T, cfg config) escalation.Store {
	t.Helper()
	s, closeStore, err := openStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeStore)
	return s
}

// desk is the helpdesk's handler on an engine with a mock clock; its log
// (notifications included) goes to a buffer, without times.
type desk struct {
	t       *testing.T
	clock   *clock.Mock
	engine  *escalation.Engine
	handler http.Handler
	log     bytes.Buffer
}

func newDesk(t *testing.T, store escalation.Store) *desk {
	t.Helper()
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		t.Fatal(err)
	}
	d := &desk{t: t, clock: clock.NewMock()}
	d.clock.Set(start)
	log := slog.New(slog.NewTextHandler(&d.log, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	d.engine, err = escalation.New(policy, escalation.WithClock(d.clock), escalation.WithStore(store),
		escalation.WithNotifier(notify.Log(log)), escalation.WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	d.handler = newHandler(d.engine, policy, store, d.clock, log)
	return d
}

// do sends a request and returns the answer's status code and body.
func (d *desk) do(method, path, body string) (int, string) {
	d.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	d.handler.ServeHTTP(rec, req)
	want := "application/json"
	if rec.Code >= 400 {
		want = "application/problem+json"
	}
	if ct := rec.Header().Get("Content-Type"); ct != want {
		d.t.Errorf("%s %s: %d with Content-Type %q, want %q", method, path, rec.Code, ct, want)
	}
	return rec.Code, rec.Body.String()
}

// get sends GET path with an Accept header (none when accept is "") and
// returns the answer, whatever its Content-Type.
func (d *desk) get(path, accept string) *httptest.ResponseRecorder {
	d.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	d.handler.ServeHTTP(rec, req)
	return rec
}

// want sends a request, checks its status code and decodes its body into v.
func (d *desk) want(code int, method, path, body string, v any) {
	d.t.Helper()
	got, answer := d.do(method, path, body)
	if got != code {
		d.t.Fatalf("%s %s: %d %s, want %d", method, path, got, answer, code)
	}
	if err := json.Unmarshal([]byte(answer), v); err != nil {
		d.t.Fatalf("%s %s: %v in %s", method, path, err, answer)
	}
}

// advance moves the clock by dur and handles what fell due.
func (d *desk) advance(dur time.Duration) {
	d.t.Helper()
	d.clock.Add(dur)
	if err := d.engine.Step(context.Background()); err != nil {
		d.t.Fatal(err)
	}
}

// timeline is a list of entries, one line each, in New York's time.
func timeline(entries []escalation.Entry) []string {
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = escalationtest.Line(e, newYork)
	}
	return lines
}

// summary is what a person reads first in a ticket's status.
type summary struct {
	Priority, Tier, Team, Status string
	SLA                          []string // "metric state remaining due"
	Next                         string   // the next escalation's timeline line
}

func summarize(st escalation.TicketStatus) summary {
	s := summary{Priority: st.Priority, Tier: st.Tier, Team: st.Team, Status: st.Status}
	for _, x := range st.SLA {
		s.SLA = append(s.SLA, fmt.Sprintf("%s %s %s %s", x.Metric, x.State, x.Remaining, x.Due.In(newYork).Format("Mon 15:04")))
	}
	if st.HasNext {
		s.Next = escalationtest.Line(st.Next, newYork)
	}
	return s
}

// TestTicketLifecycle follows a P2 ticket through a Monday: opened at
// 10:00 with one business hour for a first response, breached at 11:00
// (the duty manager is told, the matrix moves it to specialists), answered
// late, waiting on the customer from 11:30 to 13:30 (its resolution clock
// paused), then planned ahead.
func TestTicketLifecycle(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			d := newDesk(t, s.open(t))
			var st escalation.TicketStatus
			check := func(when string, want summary) {
				t.Helper()
				if diff := cmp.Diff(want, summarize(st)); diff != "" {
					t.Errorf("status %s (-want +got):\n%s", when, diff)
				}
			}
			d.want(http.StatusCreated, "POST", "/tickets", `{"id": "T-1", "impact": "high", "urgency": "medium", "actor": "portal",
				"attrs": {"customer": {"vip": false, "name": "Ada"}, "product": "mail", "subject": "Mail is down"}}`, &st)
			check("when opened", summary{
				Priority: "P2", Tier: "frontline", Team: "billing",
				SLA:  []string{"first_response running 1h0m0s Mon 11:00", "resolution running 8h0m0s Tue 10:00"},
				Next: "Mon 11:00 notified first-response-breached (first_response:breach) duty_manager",
			})

			d.advance(70 * time.Minute) // Mon 11:10
			d.want(http.StatusOK, "GET", "/tickets/T-1", "", &st)
			check("at 11:10", summary{
				Priority: "P2", Tier: "specialists", Team: "billing",
				SLA:  []string{"first_response breached -10m0s Mon 11:00", "resolution running 6h50m0s Tue 10:00"},
				Next: "Mon 11:30 notified first-response-breached (first_response:breach (repeat)) duty_manager",
			})
			wantLog := strings.Join([]string{
				"level=INFO msg=notification ticket=T-1 key=T-1/first-response-breached/4 to=duty_manager rule=first-response-breached trigger=first_response:breach to_tier=frontline to_team=billing priority=P2 attempt=1",
				"level=INFO msg=notification ticket=T-1 key=T-1/matrix:P2[0]/6 to=team_lead rule=matrix:P2[0] trigger=first_response:100% from_tier=frontline to_tier=specialists to_team=billing priority=P2 attempt=1",
				"",
			}, "\n")
			if diff := cmp.Diff(wantLog, d.log.String()); diff != "" {
				t.Errorf("notifications logged (-want +got):\n%s", diff)
			}

			d.want(http.StatusOK, "POST", "/tickets/T-1/events", `{"kind": "agent_replied", "actor": "agent:bob"}`, &st)
			d.advance(20 * time.Minute) // Mon 11:30: the reply stopped the repeats
			d.want(http.StatusOK, "POST", "/tickets/T-1/events", `{"kind": "status_changed", "status": "pending_customer", "actor": "agent:bob"}`, &st)
			check("waiting on the customer", summary{
				Priority: "P2", Tier: "specialists", Team: "billing", Status: "pending_customer",
				SLA: []string{"first_response met -10m0s Mon 11:00", "resolution paused 6h30m0s Tue 10:00"},
			})
			d.advance(2 * time.Hour) // Mon 13:30
			d.want(http.StatusOK, "POST", "/tickets/T-1/events", `{"kind": "customer_replied", "status": "open"}`, &st)
			check("after the customer's reply", summary{
				Priority: "P2", Tier: "specialists", Team: "billing", Status: "open",
				SLA: []string{
					"first_response met -10m0s Mon 11:00",
					"resolution running 6h30m0s Tue 12:00", // two hours later: the pause
					"next_response running 4h0m0s Tue 09:30",
				},
				Next: "Tue 10:00 notified breach-warning (resolution:75%) team_lead",
			})
			if strings.Count(d.log.String(), "msg=notification") != 2 {
				t.Errorf("more notifications after the reply:\n%s", d.log.String())
			}

			var h []escalation.Entry
			d.want(http.StatusOK, "GET", "/tickets/T-1/history", "", &h)
			wantHistory := []string{
				"Mon 10:00 opened tier:frontline team:billing",
				"Mon 10:45 sla_warning (first_response:75%)",
				"Mon 11:00 sla_breached (first_response:breach)",
				"Mon 11:00 rule_fired first-response-breached (first_response:breach)",
				"Mon 11:00 notified first-response-breached (first_response:breach) duty_manager",
				"Mon 11:00 escalated matrix:P2[0] (first_response:100%) tier:frontline -> tier:specialists",
				"Mon 11:00 notified matrix:P2[0] (first_response:100%) team_lead",
				"Mon 11:10 delivered first-response-breached (first_response:breach) duty_manager",
				"Mon 11:10 delivered matrix:P2[0] (first_response:100%) team_lead",
				"Mon 11:10 agent_replied",
				"Mon 11:10 sla_met_late first_response",
				"Mon 11:30 status_changed",
				"Mon 11:30 sla_paused resolution",
				"Mon 13:30 customer_replied",
				"Mon 13:30 sla_resumed resolution",
				"Mon 13:30 sla_started next_response",
			}
			if diff := cmp.Diff(wantHistory, timeline(h)); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			if h[0].Actor != "portal" || h[9].Actor != "agent:bob" {
				t.Errorf("actors %q and %q, want portal and agent:bob", h[0].Actor, h[9].Actor)
			}

			// A week ahead by default; the stale-ticket rule fires after 8
			// business hours without a reply.
			tuesday := []string{
				"Tue 10:00 notified breach-warning (resolution:75%) team_lead",
				"Tue 10:00 escalated matrix:P2[1] (resolution:75%) tier:specialists -> tier:engineering",
				"Tue 10:00 notified matrix:P2[1] (resolution:75%) duty_manager",
			}
			plans := []struct {
				query string
				want  []string
			}{
				{"", append(tuesday, "Tue 13:30 notified stale-ticket (idle:8h) team_lead")},
				{"?until=2026-03-03T12:00:00-05:00", tuesday},
				{"?until=2026-03-03T09:59:59-05:00", []string{}},
			}
			for _, p := range plans {
				var plan []escalation.Entry
				d.want(http.StatusOK, "GET", "/tickets/T-1/plan"+p.query, "", &plan)
				if diff := cmp.Diff(p.want, timeline(plan)); diff != "" {
					t.Errorf("plan%s (-want +got):\n%s", p.query, diff)
				}
			}
			if _, body := d.do("GET", "/tickets/T-1/plan?until=2026-03-02T14:00:00-05:00", ""); body != "[]\n" {
				t.Errorf("an empty plan is %q, want []", body)
			}
		})
	}
}

// TestManualEscalation: an agent escalates a ticket by hand, skipping a
// tier and naming a team and a reason, then sends it back down; the
// history records who did it and why, and the status counts each move.
func TestManualEscalation(t *testing.T) {
	d := newDesk(t, escalation.NewMemoryStore())
	var st escalation.TicketStatus
	d.want(http.StatusCreated, "POST", "/tickets", `{"id": "T-9", "impact": "low", "urgency": "low"}`, &st)
	d.advance(10 * time.Minute)
	d.want(http.StatusOK, "POST", "/tickets/T-9/events",
		`{"kind": "escalated", "tier": "engineering", "team": "network", "actor": "agent:ana", "reason": "router firmware"}`, &st)
	d.advance(10 * time.Minute)
	d.want(http.StatusOK, "POST", "/tickets/T-9/events", `{"kind": "de_escalated", "tier": "specialists", "actor": "agent:raj"}`, &st)
	if st.Tier != "specialists" || st.Team != "network" || st.Escalations != 1 || st.DeEscalations != 1 {
		t.Errorf("status after the moves: tier %s, team %s, %d up, %d down", st.Tier, st.Team, st.Escalations, st.DeEscalations)
	}
	var h []escalation.Entry
	d.want(http.StatusOK, "GET", "/tickets/T-9/history", "", &h)
	var moves []string
	for _, e := range h {
		if e.By == escalation.ByPerson && (e.What == escalation.WhatEscalated || e.What == escalation.WhatDeEscalated) {
			moves = append(moves, fmt.Sprintf("%s by %s: %s -> %s (%s)", e.What, e.Actor, e.From, e.To, e.Note))
		}
	}
	want := []string{
		"escalated by agent:ana: tier:frontline team:billing -> tier:engineering team:network (router firmware)",
		"de_escalated by agent:raj: tier:engineering -> tier:specialists ()",
	}
	if diff := cmp.Diff(want, moves); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
}

// TestErrors checks every error answer: its status, its problem code and
// each field at fault, and that a refused request changes nothing.
func TestErrors(t *testing.T) {
	big := `{"id": "T-9", "reason": "` + strings.Repeat("x", defaultMaxBody) + `"}`
	cases := []struct {
		name         string
		method, path string
		body         string
		code         int
		problem      string   // its code
		fields       []string // "field: detail" each, in order
	}{
		{"open twice", "POST", "/tickets", `{"id": "T-1"}`, 409, codeTicketExists, []string{"id: a ticket has this id"}},
		{"status of no ticket", "GET", "/tickets/nope", "", 404, codeTicketNotFound, nil},
		{"history of no ticket", "GET", "/tickets/nope/history", "", 404, codeTicketNotFound, nil},
		{"plan of no ticket", "GET", "/tickets/nope/plan", "", 404, codeTicketNotFound, nil},
		{"event of no ticket", "POST", "/tickets/nope/events", `{"kind": "agent_replied"}`, 404, codeTicketNotFound, nil},
		{"event on a closed ticket", "POST", "/tickets/T-2/events", `{"kind": "agent_replied"}`, 409, codeRefused,
			[]string{"kind: escalation: ticket is closed"}},
		{"reopen of an open ticket", "POST", "/tickets/T-1/events", `{"kind": "reopened"}`, 409, codeRefused,
			[]string{"kind: escalation: only a resolved or closed ticket reopens"}},
		{"event before the last one", "POST", "/tickets/T-1/events", `{"kind": "agent_replied", "at": "2026-03-02T09:59:00-05:00"}`, 422, codeInvalid,
			[]string{"at: escalation: event before the ticket's last event: 2026-03-02T09:59:00-05:00 is before 2026-03-02T10:00:00-05:00"}},
		{"an instant in year 1", "POST", "/tickets/T-1/events", `{"kind": "agent_replied", "at": "0001-01-01T00:00:01Z"}`, 422, codeInvalid,
			[]string{"at: at: 0001-01-01T00:00:01Z is outside 1678-01-01 to 2261-12-31 (Limits.Earliest)",
				"at: escalation: event before the ticket's last event: 0001-01-01T00:00:01Z is before 2026-03-02T10:00:00-05:00"}},
		{"unknown kind", "POST", "/tickets/T-1/events", `{"kind": "teleported"}`, 422, codeInvalid,
			[]string{"kind: escalation: unknown event kind"}},
		{"escalated without a tier", "POST", "/tickets/T-1/events", `{"kind": "escalated"}`, 422, codeInvalid,
			[]string{"tier: tier is required on escalated"}},
		{"escalated down", "POST", "/tickets/T-1/events", `{"kind": "escalated", "tier": "frontline"}`, 422, codeInvalid,
			[]string{"tier: escalation: the move does not go the way its kind says: tier frontline is not above frontline"}},
		{"unknown tier", "POST", "/tickets/T-1/events", `{"kind": "escalated", "tier": "heaven"}`, 422, codeInvalid,
			[]string{`tier: unknown "heaven" (one of frontline, specialists, engineering, escalation_manager)`}},
		{"attributes against the schema", "POST", "/tickets/T-1/events",
			`{"kind": "fields_changed", "attrs": {"customer": {"vip": "yes"}, "tags": "urgent"}}`, 422, codeInvalid,
			[]string{`attrs.customer.vip: ticket.customer.vip: is string "yes", the schema says bool`,
				`attrs.tags: ticket.tags: is string "urgent", the schema says strings`}},
		{"a name over the limit", "POST", "/tickets/T-1/events", `{"kind": "agent_replied", "actor": "` + strings.Repeat("a", 300) + `"}`, 422, codeInvalid,
			[]string{"actor: actor: 300 bytes, over 256 (Limits.Name)"}},
		{"open through events", "POST", "/tickets/T-3/events", `{"kind": "opened"}`, 422, codeInvalid,
			[]string{`kind: "opened": open a ticket with POST /tickets`}},
		{"no kind", "POST", "/tickets/T-1/events", `{"status": "open"}`, 422, codeInvalid, []string{"kind: required"}},
		{"every problem at once", "POST", "/tickets",
			`{"impact": "hgh", "urgency": "soon", "priority": "P9", "team": "sales", "at": "2026-03-02T11:00:00-05:00"}`, 422, codeInvalid,
			[]string{"id: required",
				`impact: unknown "hgh" (one of high, medium, low)`,
				`urgency: unknown "soon" (one of high, medium, low)`,
				`priority: unknown "P9" (one of P1, P2, P3, P4)`,
				`team: unknown "sales" (one of billing, network)`,
				"at: 2026-03-02T11:00:00-05:00 is in the future (now is 2026-03-02T10:10:00-05:00)"}},
		{"not JSON", "POST", "/tickets", `{"id": `, 400, codeMalformed, []string{"body: unexpected EOF"}},
		{"unknown field", "POST", "/tickets", `{"id": "T-3", "severity": "high"}`, 400, codeMalformed,
			[]string{`severity: json: unknown field "severity"`}},
		{"two JSON values", "POST", "/tickets", `{"id": "T-3"} {"id": "T-4"}`, 400, codeMalformed,
			[]string{"body: more than one JSON value"}},
		{"wrong type", "POST", "/tickets/T-1/events", `{"kind": 7}`, 400, codeMalformed,
			[]string{"kind: json: cannot unmarshal number into Go struct field eventRequest.kind of type string"}},
		{"a body over the limit", "POST", "/tickets", big, 413, codeBodyTooLarge, nil},
		{"a wrong method", "DELETE", "/tickets/T-1", "", 405, codeMethodNotAllowed, nil},
		{"no such route", "GET", "/nowhere", "", 404, codeNotFound, nil},
		{"plan until not an instant", "GET", "/tickets/T-1/plan?until=tomorrow", "", 400, codeInvalid,
			[]string{`until: "tomorrow" is not an RFC 3339 instant`}},
		{"open the at-risk list", "POST", "/tickets", `{"id": "at-risk"}`, 422, codeInvalid,
			[]string{`id: "at-risk" is taken by GET /tickets/at-risk`}},
		{"at risk within a negative window", "GET", "/tickets/at-risk?within=-1h", "", 400, codeInvalid, []string{`within: "-1h" is not positive`}},
		{"at risk within no window", "GET", "/tickets/at-risk?within=0", "", 400, codeInvalid, []string{`within: "0" is not positive`}},
		{"at risk within not a duration", "GET", "/tickets/at-risk?within=abc", "", 400, codeInvalid,
			[]string{`within: "abc" is not a duration such as 90m or 2h`}},
		{"at risk within too long", "GET", "/tickets/at-risk?within=721h", "", 400, codeInvalid, []string{`within: "721h" is more than 720h0m0s`}},
		{"report: every problem at once", "GET", "/report?from=yesterday&to=2026-13-01&format=xml&chart=pie&by=priority&by=.x", "", 400, codeInvalid,
			[]string{`from: "yesterday" is neither an RFC 3339 instant nor a date such as 2026-11-02`,
				`to: "2026-13-01" is neither an RFC 3339 instant nor a date such as 2026-11-02`,
				`format: unknown "xml" (one of json, markdown, csv, svg)`,
				`chart: unknown "pie" (one of attainment, flow, resolution, trend)`,
				`by: report: By[1]: ".x" is neither a grouping (all, priority, start_team, resolving_team, start_tier, policy, tenant, week, month) nor an attribute path`}},
		{"report: to before from", "GET", "/report?from=2026-03-03&to=2026-03-02T23:59:59Z", "", 400, codeInvalid,
			[]string{"to: 2026-03-02T23:59:59Z is before from 2026-03-03T00:00:00Z"}},
		{"report: a grouping twice", "GET", "/report?by=priority,week&by=priority", "", 400, codeInvalid,
			[]string{`by: report: By[2]: "priority" given twice`}},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			d := newDesk(t, s.open(t))
			var st escalation.TicketStatus
			d.want(http.StatusCreated, "POST", "/tickets", `{"id": "T-1", "impact": "high", "urgency": "medium"}`, &st)
			d.want(http.StatusCreated, "POST", "/tickets", `{"id": "T-2"}`, &st)
			d.want(http.StatusOK, "POST", "/tickets/T-2/events", `{"kind": "closed"}`, &st)
			d.advance(10 * time.Minute)
			var before []escalation.Entry
			d.want(http.StatusOK, "GET", "/tickets/T-1/history", "", &before)

			for _, c := range cases {
				rec := httptest.NewRecorder()
				d.handler.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, strings.NewReader(c.body)))
				var p problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
					t.Errorf("%s: %v in %q", c.name, err, rec.Body.String())
				}
				var fields []string
				for _, f := range p.Errors {
					fields = append(fields, f.Field+": "+f.Detail)
				}
				ct := rec.Header().Get("Content-Type")
				if rec.Code != c.code || p.Status != c.code || p.Code != c.problem || ct != "application/problem+json" || p.Title == "" {
					t.Errorf("%s: %s %s: %d %s %q, want %d %s as a problem", c.name, c.method, c.path, rec.Code, ct, rec.Body.String(), c.code, c.problem)
				}
				if diff := cmp.Diff(c.fields, fields); diff != "" {
					t.Errorf("%s: fields at fault (-want +got):\n%s", c.name, diff)
				}
			}

			var after []escalation.Entry
			d.want(http.StatusOK, "GET", "/tickets/T-1/history", "", &after)
			if diff := cmp.Diff(timeline(before), timeline(after)); diff != "" {
				t.Errorf("refused requests changed T-1's history (-before +after):\n%s", diff)
			}
			for _, id := range []string{"T-3", "T-4"} {
				if code, body := d.do("GET", "/tickets/"+id, ""); code != http.StatusNotFound {
					t.Errorf("a refused request opened %s: %d %s", id, code, body)
				}
			}
		})
	}
}

// failing is a store whose reads fail.
type failing struct{ escalation.Store }

func (failing) Load(context.Context, string) (*escalation.State, error) {
	return nil, errors.New("disk on fire")
}

func (failing) Histories(context.Context, time.Time, time.Time) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		yield(escalation.History{}, errors.New("disk on fire"))
	}
}

func (failing) Upcoming(context.Context, time.Time) iter.Seq2[*escalation.State, error] {
	return func(yield func(*escalation.State, error) bool) { yield(nil, errors.New("disk on fire")) }
}

func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	cases := []struct{ path, log string }{
		{"/tickets/T-1", `level=ERROR msg=helpdesk request="GET /tickets/T-1" err="disk on fire"`},
		{"/report", `level=ERROR msg=helpdesk request="GET /report" err="disk on fire"`},
		{"/report?format=csv", `level=ERROR msg=helpdesk request="GET /report" err="disk on fire"`},
		{"/tickets/at-risk", `level=ERROR msg=helpdesk request="GET /tickets/at-risk" err="disk on fire"`},
	}
	for _, c := range cases {
		d := newDesk(t, failing{escalation.NewMemoryStore()})
		code, body := d.do("GET", c.path, "")
		var p problem
		if err := json.Unmarshal([]byte(body), &p); err != nil || code != http.StatusInternalServerError || p.Code != codeInternal || strings.Contains(body, "disk") {
			t.Errorf("%s: got %d %q, want 500 with the internal problem, saying nothing of the cause", c.path, code, body)
		}
		if want := c.log + "\n"; d.log.String() != want {
			t.Errorf("%s: log %q, want %q", c.path, d.log.String(), want)
		}
	}
}

// TestServe runs the service as main does, on a real listener and clock:
// it answers, and it returns nil once its context ends.
func TestServe(t *testing.T) {
	policy, err := escalation.ParsePolicy(policyJSON)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log bytes.Buffer
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, ln, policy, escalation.NewMemoryStore(), slog.New(slog.NewTextHandler(&log, nil)), serveOptions{})
	}()

	base := "http://" + ln.Addr().String()
	resp, err := http.Post(base+"/tickets", "application/json", strings.NewReader(`{"id": "VIP-1", "attrs": {"customer": {"vip": true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("open: %s", resp.Status)
	}
	resp, err = http.Get(base + "/tickets/VIP-1")
	if err != nil {
		t.Fatal(err)
	}
	var st escalation.TicketStatus
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.Tier != "specialists" {
		t.Errorf("status: %v, tier %q; want the VIP on specialists", err, st.Tier)
	}

	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve returned %v after its context ended, want nil", err)
	}
	if _, err := http.Get(base + "/tickets/VIP-1"); err == nil {
		t.Error("the server still answers after shutting down")
	}
	if !strings.Contains(log.String(), "msg=\"helpdesk shutting down\"") {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestLocation opens a ticket whose id needs escaping in a path, and
// follows the Location answered.
func TestLocation(t *testing.T) {
	d := newDesk(t, escalation.NewMemoryStore())
	rec := httptest.NewRecorder()
	d.handler.ServeHTTP(rec, httptest.NewRequest("POST", "/tickets", strings.NewReader(`{"id": "mail 7/2026?"}`)))
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusCreated || loc != "/tickets/mail%207%2F2026%3F" {
		t.Fatalf("open: %d, Location %q", rec.Code, loc)
	}
	var st escalation.TicketStatus
	d.want(http.StatusOK, "GET", loc, "", &st)
	if st.ID != "mail 7/2026?" {
		t.Errorf("GET %s: ticket %q", loc, st.ID)
	}
}

// week opens four tickets through the API: on Monday R-1 (P1, answered
// at 10:10 and resolved at 10:20, before its first level at 10:30), R-2
// (P2, no answer: its first response breaches at 11:05 and the matrix
// moves it to specialists, then to engineering at 16:05, 75% of its
// resolution goal) and R-3 (P4), and on Tuesday at 09:30 R-4 (P2), where
// the clock stays. R-2's resolution goal is used up at Tuesday 10:05, R-3's
// first response at Tuesday 10:10: neither has breached yet.
func week(d *desk) {
	d.t.Helper()
	var st escalation.TicketStatus
	d.want(http.StatusCreated, "POST", "/tickets", `{"id": "R-1", "impact": "high", "urgency": "high"}`, &st) // Mon 10:00
	d.advance(5 * time.Minute)
	d.want(http.StatusCreated, "POST", "/tickets", `{"id": "R-2", "impact": "high", "urgency": "medium"}`, &st) // 10:05
	d.advance(5 * time.Minute)
	d.want(http.StatusOK, "POST", "/tickets/R-1/events", `{"kind": "agent_replied"}`, &st) // 10:10
	d.want(http.StatusCreated, "POST", "/tickets", `{"id": "R-3", "impact": "low", "urgency": "low"}`, &st)
	d.advance(10 * time.Minute)
	d.want(http.StatusOK, "POST", "/tickets/R-1/events", `{"kind": "resolved"}`, &st) // 10:20
	d.advance(23*time.Hour + 10*time.Minute)
	d.want(http.StatusCreated, "POST", "/tickets", `{"id": "R-4", "impact": "high", "urgency": "medium"}`, &st) // Tue 09:30
}

// groups are a report's groups, one line each: tickets, resolved,
// backlog, escalated, and the met and measured cycles of first response
// and resolution.
func groups(r report.Report) []string {
	var lines []string
	for _, g := range r.Groups {
		fr, _ := g.Metric("first_response")
		res, _ := g.Metric("resolution")
		att := func(a report.Attainment) string { return fmt.Sprintf("%d/%d", a.Met, a.Met+a.Breached) }
		lines = append(lines, fmt.Sprintf("%s %s: %d tickets, %d resolved, %d backlog, %d escalated, first_response %s, resolution %s",
			g.By, g.Key, g.Tickets, g.Resolved, g.Backlog, g.Counts.Escalated, att(fr.Attainment), att(res.Attainment)))
	}
	return lines
}

// TestReport reads the figures of the week's tickets as JSON, whole and
// in windows.
func TestReport(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			d := newDesk(t, s.open(t))
			week(d)
			var r report.Report
			d.want(http.StatusOK, "GET", "/report?by=priority&by=week", "", &r)
			want := []string{
				"all : 4 tickets, 1 resolved, 3 backlog, 1 escalated, first_response 1/2, resolution 1/1",
				"priority P1: 1 tickets, 1 resolved, 0 backlog, 0 escalated, first_response 1/1, resolution 1/1",
				"priority P2: 2 tickets, 0 resolved, 2 backlog, 1 escalated, first_response 0/1, resolution 0/0",
				"priority P4: 1 tickets, 0 resolved, 1 backlog, 0 escalated, first_response 0/0, resolution 0/0",
				"week 2026-W10: 4 tickets, 1 resolved, 3 backlog, 1 escalated, first_response 1/2, resolution 1/1",
			}
			if diff := cmp.Diff(want, groups(r)); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
			if tuesday := start.Add(23*time.Hour + 30*time.Minute); r.Tickets != 4 || !r.End.Equal(tuesday) || !r.From.IsZero() || !r.To.IsZero() {
				t.Errorf("report of %d tickets from %v to %v, end %v; want 4, open bounds, end %v", r.Tickets, r.From, r.To, r.End, tuesday)
			}
			var comma report.Report
			d.want(http.StatusOK, "GET", "/report?by=priority,week", "", &comma)
			if diff := cmp.Diff(want, groups(comma)); diff != "" {
				t.Errorf("by=priority,week (-want +got):\n%s", diff)
			}

			windows := []struct {
				query string
				want  []string // the groups' keys, "all" first
			}{
				{"from=2026-03-03", []string{"all 1", "P2 1"}}, // Monday 19:00 in New York
				{"to=2026-03-03", []string{"all 3", "P1 1", "P2 1", "P4 1"}},
				{"from=2026-03-02T10:05:00-05:00&to=2026-03-02T10:10:00-05:00", []string{"all 1", "P2 1"}},
				{"from=2026-03-02T15:05:00+00:00&to=2026-03-02T15:10:00Z", []string{"all 1", "P2 1"}}, // + unescaped
				{"from=2026-03-02T15:05:00%2B00:00&to=2026-03-02T10:10:01-05:00", []string{"all 2", "P2 1", "P4 1"}},
				{"from=2026-03-02T10:00:00-05:00&to=2026-03-02T10:00:00-05:00", []string{"all 0"}},
				{"from=2026-03-04", []string{"all 0"}},
			}
			for _, w := range windows {
				var r report.Report
				d.want(http.StatusOK, "GET", "/report?by=priority&"+w.query, "", &r)
				var got []string
				for _, g := range r.Groups {
					name := g.Key
					if g.By == "all" {
						name = "all"
					}
					got = append(got, fmt.Sprintf("%s %d", name, g.Tickets))
				}
				if diff := cmp.Diff(w.want, got); diff != "" {
					t.Errorf("%s: groups (-want +got):\n%s", w.query, diff)
				}
			}
		})
	}
}

// TestReportFormats asks for the report in each format, by the format
// parameter and by Accept, and for each chart.
func TestReportFormats(t *testing.T) {
	const (
		jsonType = "application/json"
		mdType   = "text/markdown; charset=utf-8"
		csvType  = "text/csv"
		svgType  = "image/svg+xml"
	)
	cases := []struct {
		path, accept string
		contentType  string
		prefix       string
		contains     string
	}{
		{"/report", "", jsonType, "{\n", `"tickets": 4`},
		{"/report", "*/*", jsonType, "{\n", `"tickets": 4`},
		{"/report", "application/json", jsonType, "{\n", `"tickets": 4`},
		{"/report", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", jsonType, "{\n", `"tickets": 4`},
		{"/report?format=json", "text/csv", jsonType, "{\n", `"tickets": 4`},
		{"/report?format=markdown&by=priority", "", mdType, "| group |", "\n| priority P2 | 2 | 0 | 2 |"},
		{"/report?by=priority", "text/markdown", mdType, "| group |", "\n| all | 4 | 1 | 3 |"},
		{"/report", "text/csv;q=0.5, text/markdown", mdType, "| group |", "\n| all | 4 | 1 | 3 |"},
		{"/report?format=csv", "application/json", csvType, "by,key,", "\nall,,4,1,3,"},
		{"/report?by=priority", "text/csv", csvType, "by,key,", "\npriority,P4,1,0,1,"},
		{"/report?format=svg", "", svgType, "<svg", "SLA attainment by priority"},
		{"/report", "image/svg+xml", svgType, "<svg", "SLA attainment by priority"},
		{"/report", "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", svgType, "<svg", "SLA attainment by priority"},
		{"/report?format=svg&chart=attainment&by=week", "", svgType, "<svg", "SLA attainment by priority"},
		{"/report?format=svg&chart=flow", "", svgType, "<svg", "Escalation flow"},
		{"/report?format=svg&chart=resolution", "", svgType, "<svg", "Time to first resolution"},
		{"/report?format=svg&chart=trend&by=priority", "", svgType, "<svg", "2026-W10"},
		{"/report?chart=trend", "image/svg+xml", svgType, "<svg", "Weekly trend"},
		{"/report?format=svg&chart=flow&from=2026-04-01", "", svgType, "<svg", "Escalation flow"}, // no ticket: an empty chart
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			d := newDesk(t, s.open(t))
			week(d)
			for _, c := range cases {
				rec := d.get(c.path, c.accept)
				body := rec.Body.String()
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.contentType {
					t.Errorf("GET %s, Accept %q: %d, Content-Type %q, want 200 %q\n%s", c.path, c.accept, rec.Code, rec.Header().Get("Content-Type"), c.contentType, body)
					continue
				}
				if !strings.HasPrefix(body, c.prefix) || !strings.Contains(body, c.contains) {
					t.Errorf("GET %s, Accept %q: body does not start with %q and hold %q:\n%.400s", c.path, c.accept, c.prefix, c.contains, body)
				}
				if rec.Header().Get("X-Report-Problems") != "" {
					t.Errorf("GET %s: X-Report-Problems %q", c.path, rec.Header().Get("X-Report-Problems"))
				}
			}
		})
	}
}

// ghostly is a store whose Histories end with tickets the report cannot
// read: their histories are lost.
type ghostly struct {
	escalation.Store
	ghosts int
}

func (g ghostly) Histories(ctx context.Context, from, to time.Time) iter.Seq2[escalation.History, error] {
	return func(yield func(escalation.History, error) bool) {
		for h, err := range g.Store.Histories(ctx, from, to) {
			if !yield(h, err) || err != nil {
				return
			}
		}
		for i := range g.ghosts {
			if !yield(escalation.History{State: &escalation.State{ID: fmt.Sprintf("G-%02d", i+1)}}, nil) {
				return
			}
		}
	}
}

// TestReportLeavesOutUnreadable: histories the report cannot read are
// left out, counted in X-Report-Problems and logged, the first 20 one by
// one.
func TestReportLeavesOutUnreadable(t *testing.T) {
	for _, ghosts := range []int{1, 25} {
		d := newDesk(t, ghostly{escalation.NewMemoryStore(), ghosts})
		var st escalation.TicketStatus
		d.want(http.StatusCreated, "POST", "/tickets", `{"id": "T-1"}`, &st)
		rec := d.get("/report", "")
		var r report.Report
		if err := json.Unmarshal(rec.Body.Bytes(), &r); rec.Code != http.StatusOK || err != nil || r.Tickets != 1 {
			t.Errorf("%d ghosts: %d, %v, %d tickets; want 200 and T-1 alone", ghosts, rec.Code, err, r.Tickets)
		}
		if got, want := rec.Header().Get("X-Report-Problems"), fmt.Sprint(ghosts); got != want {
			t.Errorf("%d ghosts: X-Report-Problems %q, want %q", ghosts, got, want)
		}
		log := d.log.String()
		first := `level=WARN msg="helpdesk: the report leaves out a history it cannot read" err="report: ticket \"G-01\": its history does not start with opened"` + "\n"
		if !strings.Contains(log, first) || strings.Contains(log, `G-21`) || strings.Count(log, "level=WARN") != min(ghosts, 21) {
			t.Errorf("%d ghosts: log\n%s", ghosts, log)
		}
		if more := `msg="helpdesk: the report leaves out more histories it cannot read" more=5`; (ghosts == 25) != strings.Contains(log, more) {
			t.Errorf("%d ghosts: log says %q: %v\n%s", ghosts, more, strings.Contains(log, more), log)
		}
	}
}

// TestAtRisk: four tickets opened on Monday at 10:00, the P1 K-4 resolved
// at once; K-1 (P1) must have a first response within 15 minutes, K-2 (P2)
// within a business hour, K-3 (P3) within four; K-1's resolution is due
// in four hours, round the clock.
func TestAtRisk(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			d := newDesk(t, s.open(t))
			var st escalation.TicketStatus
			for _, open := range []string{
				`{"id": "K-1", "impact": "high", "urgency": "high"}`,
				`{"id": "K-2", "impact": "high", "urgency": "medium"}`,
				`{"id": "K-3", "impact": "medium", "urgency": "medium"}`,
				`{"id": "K-4", "impact": "high", "urgency": "high"}`,
			} {
				d.want(http.StatusCreated, "POST", "/tickets", open, &st)
			}
			d.advance(5 * time.Minute)
			d.want(http.StatusOK, "POST", "/tickets/K-4/events", `{"kind": "resolved"}`, &st)

			atRisk := func(query string) []string {
				t.Helper()
				var risks []escalation.Risk
				d.want(http.StatusOK, "GET", "/tickets/at-risk"+query, "", &risks)
				lines := []string{}
				for _, r := range risks {
					lines = append(lines, fmt.Sprintf("%s %s %s %s %s %s %s", r.ID, r.Metric, r.Due.In(newYork).Format("Mon 15:04"),
						r.Remaining, r.Priority, r.Tier, r.Team))
				}
				return lines
			}
			steps := []struct {
				query string
				want  []string
			}{
				{"", []string{ // Mon 10:05, an hour by default
					"K-1 first_response Mon 10:15 10m0s P1 frontline billing",
					"K-2 first_response Mon 11:00 55m0s P2 frontline billing",
				}},
				{"?within=10m", []string{"K-1 first_response Mon 10:15 10m0s P1 frontline billing"}}, // due at the window's end
				{"?within=9m59s", []string{}},
				{"?within=4h", []string{
					"K-1 first_response Mon 10:15 10m0s P1 frontline billing",
					"K-2 first_response Mon 11:00 55m0s P2 frontline billing",
					"K-3 first_response Mon 14:00 3h55m0s P3 frontline billing",
				}},
			}
			for _, step := range steps {
				if diff := cmp.Diff(step.want, atRisk(step.query)); diff != "" {
					t.Errorf("Mon 10:05, at risk%s (-want +got):\n%s", step.query, diff)
				}
			}
			if _, body := d.do("GET", "/tickets/at-risk?within=9m59s", ""); body != "[]\n" {
				t.Errorf("nothing at risk is %q, want []", body)
			}

			// Mon 10:40: K-1's first response breached at 10:15, and its
			// first level moved it to specialists at 10:30; its resolution
			// is next.
			d.advance(35 * time.Minute)
			want := []string{
				"K-2 first_response Mon 11:00 20m0s P2 frontline billing",
				"K-1 resolution Mon 14:00 3h20m0s P1 specialists billing",
				"K-3 first_response Mon 14:00 3h20m0s P3 frontline billing",
			}
			if diff := cmp.Diff(want, atRisk("?within=4h")); diff != "" {
				t.Errorf("Mon 10:40, at risk within 4h (-want +got):\n%s", diff)
			}
			if _, body := d.do("GET", "/tickets/at-risk?within=30m", ""); !strings.Contains(body, `"remaining": "20m"`) {
				t.Errorf("remaining is not a duration string:\n%s", body)
			}
			// GET /tickets/at-risk wins over GET /tickets/{id}, which
			// still answers for tickets.
			d.want(http.StatusOK, "GET", "/tickets/K-1", "", &st)
			if st.ID != "K-1" || st.Tier != "specialists" {
				t.Errorf("GET /tickets/K-1: ticket %q on %s", st.ID, st.Tier)
			}
		})
	}
}
