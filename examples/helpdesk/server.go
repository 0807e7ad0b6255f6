package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
)

// defaultMaxBody bounds a request body unless -max-body says otherwise.
const defaultMaxBody = 1 << 20

// defaultPlan is how far ahead GET /tickets/{id}/plan looks without until.
const defaultPlan = 7 * 24 * time.Hour

// server serves the helpdesk's API on an engine. It is safe for concurrent
// use, as the engine is.
type server struct {
	engine *escalation.Engine
	policy *escalation.Policy // what requests are checked against
	store  escalation.Store   // the engine's: reports read it
	clock  clock.Clock        // the engine's: it stamps events
	log    *slog.Logger

	maxBody  int64        // bytes a request body may have
	metrics  http.Handler // GET /metrics; nil: 404
	draining *atomic.Bool // set once shutdown began: /healthz answers 503
}

// option configures a server.
type option func(*server)

// withMaxBody bounds request bodies to n bytes.
func withMaxBody(n int64) option { return func(s *server) { s.maxBody = n } }

// withMetrics serves h on GET /metrics.
func withMetrics(h http.Handler) option { return func(s *server) { s.metrics = h } }

// withDraining makes /healthz answer 503 once draining is set.
func withDraining(draining *atomic.Bool) option { return func(s *server) { s.draining = draining } }

// newHandler returns the helpdesk's HTTP JSON API on engine e, which opens
// tickets on policy p, keeps them in store and runs on clk:
//
//	POST /tickets                       open a ticket
//	POST /tickets/{id}/events           report what happened to it
//	GET  /tickets/{id}                  where it stands
//	GET  /tickets/{id}/history          what happened, oldest first
//	GET  /tickets/{id}/plan?until=      what will happen if nothing else does
//	GET  /tickets/at-risk?within=       the open tickets breaching soon, soonest first
//	GET  /report?from=&to=&by=&format=  figures of the tickets opened in [from, to)
//	GET  /healthz                       200 while the store answers and the server is not shutting down
//	GET  /                              the dashboard (dashboard.go)
//	GET  /metrics                       the engine's metrics for Prometheus (withMetrics)
//
// GET /tickets/at-risk is more specific than GET /tickets/{id}, so it wins:
// no ticket may be called "at-risk". Every 4xx and 5xx answer is a problem
// document (problem.go). Errors it cannot blame on the request are logged
// on log.
func newHandler(e *escalation.Engine, p *escalation.Policy, store escalation.Store, clk clock.Clock, log *slog.Logger, opts ...option) http.Handler {
	s := &server{engine: e, policy: p, store: store, clock: clk, log: log, maxBody: defaultMaxBody}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tickets", s.open)
	mux.HandleFunc("POST /tickets/{id}/events", s.event)
	mux.HandleFunc("GET /tickets/{id}", s.status)
	mux.HandleFunc("GET /tickets/{id}/history", s.history)
	mux.HandleFunc("GET /tickets/{id}/plan", s.plan)
	mux.HandleFunc("GET /tickets/at-risk", s.atRisk)
	mux.HandleFunc("GET /report", s.figures)
	mux.HandleFunc("GET /healthz", s.healthz)
	dashboard(mux)
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics)
	}
	return routed(mux)
}

// healthz answers 200 while the store answers within two seconds and the
// server is not shutting down, 503 otherwise.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.draining != nil && s.draining.Load() {
		writeProblem(w, http.StatusServiceUnavailable, codeUnavailable, "shutting down")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := s.store.Due(ctx, s.clock.Now(), 0); err != nil { // claims nothing
		s.log.Warn("helpdesk: health check", "err", err)
		writeProblem(w, http.StatusServiceUnavailable, codeUnavailable, "the store does not answer")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// fields are what an open request and an event may say about a ticket.
// Empty fields keep what the ticket has.
type fields struct {
	At       time.Time      `json:"at"` // when it happened; zero: now
	Status   string         `json:"status"`
	Attrs    map[string]any `json:"attrs"` // all of them, as rules read them
	Impact   string         `json:"impact"`
	Urgency  string         `json:"urgency"`
	Priority string         `json:"priority"` // wins over impact and urgency
	Tier     string         `json:"tier"`     // where an escalation or de-escalation goes; where an open starts
	Team     string         `json:"team"`
	Actor    string         `json:"actor"`
	Reason   string         `json:"reason"` // why, for the history
}

// openRequest is the body of POST /tickets.
type openRequest struct {
	ID string `json:"id"`
	fields
}

// eventRequest is the body of POST /tickets/{id}/events.
type eventRequest struct {
	Kind string `json:"kind"`
	fields
}

func (s *server) open(w http.ResponseWriter, r *http.Request) {
	var req openRequest
	if !s.decode(w, r, &req) {
		return
	}
	var bad []fieldError
	switch req.ID {
	case "":
		bad = append(bad, fieldError{"id", "required"})
	case atRiskID:
		bad = append(bad, fieldError{"id", fmt.Sprintf("%q is taken by GET /tickets/%s", req.ID, atRiskID)})
	}
	s.report(w, r, escalation.Event{Ticket: req.ID, Kind: escalation.Opened}, req.fields, bad, http.StatusCreated)
}

func (s *server) event(w http.ResponseWriter, r *http.Request) {
	var req eventRequest
	if !s.decode(w, r, &req) {
		return
	}
	var bad []fieldError
	switch req.Kind {
	case "":
		bad = append(bad, fieldError{"kind", "required"})
	case string(escalation.Opened):
		bad = append(bad, fieldError{"kind", `"opened": open a ticket with POST /tickets`})
	}
	s.report(w, r, escalation.Event{Ticket: r.PathValue("id"), Kind: escalation.EventKind(req.Kind)}, req.fields, bad, http.StatusOK)
}

// report checks f, reports ev with it and answers with the ticket's status
// and code. bad are the problems the caller found in the request. The
// request's Idempotency-Key header is the event's ID: a client that
// retries a request whose answer it did not get applies the event once.
func (s *server) report(w http.ResponseWriter, r *http.Request, ev escalation.Event, f fields, bad []fieldError, code int) {
	now := s.clock.Now()
	bad = append(bad, s.check(f, now)...)
	if len(bad) > 0 {
		invalid(w, bad)
		return
	}
	ev.ID = r.Header.Get("Idempotency-Key")
	ev.At, ev.Status, ev.Attrs, ev.Tier, ev.Team, ev.Actor, ev.Reason = f.At, f.Status, f.Attrs, f.Tier, f.Team, f.Actor, f.Reason
	ev.Impact, ev.Urgency, ev.Priority = f.Impact, f.Urgency, f.Priority
	if ev.At.IsZero() {
		ev.At = now
	}
	if err := s.engine.Report(r.Context(), ev); err != nil {
		s.fail(w, r, ev.Ticket, err)
		return
	}
	if code == http.StatusCreated {
		w.Header().Set("Location", "/tickets/"+url.PathEscape(ev.Ticket))
	}
	s.answerStatus(w, r, ev.Ticket, code)
}

// check returns every problem of f: names the policy does not know, an
// instant in the future.
func (s *server) check(f fields, now time.Time) []fieldError {
	m := s.policy.Matrix
	priorities := make([]string, len(m.Priorities))
	for i, p := range m.Priorities {
		priorities[i] = p.Name
	}
	var bad []fieldError
	oneOf := func(field, v string, names []string) {
		if v != "" && !slices.Contains(names, v) {
			bad = append(bad, fieldError{field, fmt.Sprintf("unknown %q (one of %s)", v, strings.Join(names, ", "))})
		}
	}
	oneOf("impact", f.Impact, m.Impacts)
	oneOf("urgency", f.Urgency, m.Urgencies)
	oneOf("priority", f.Priority, priorities)
	oneOf("tier", f.Tier, s.policy.Tiers)
	if !s.policy.OpenTeams {
		oneOf("team", f.Team, slices.Sorted(maps.Keys(s.policy.Teams)))
	}
	if f.At.After(now) {
		bad = append(bad, fieldError{"at", fmt.Sprintf("%s is in the future (now is %s)", f.At.Format(time.RFC3339), now.Format(time.RFC3339))})
	}
	return bad
}

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	s.answerStatus(w, r, r.PathValue("id"), http.StatusOK)
}

func (s *server) answerStatus(w http.ResponseWriter, r *http.Request, id string, code int) {
	st, err := s.engine.Status(r.Context(), id)
	if err != nil {
		s.fail(w, r, id, err)
		return
	}
	writeJSON(w, code, st) // durations as "1h30m", as the policy writes them
}

func (s *server) history(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	h, err := s.engine.History(r.Context(), id)
	if err != nil {
		s.fail(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *server) plan(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	until := s.clock.Now().Add(defaultPlan)
	if q := r.URL.Query().Get("until"); q != "" {
		t, err := time.Parse(time.RFC3339, q)
		if err != nil {
			writeProblem(w, http.StatusBadRequest, codeInvalid, "the query has parameters at fault: see errors",
				fieldError{"until", fmt.Sprintf("%q is not an RFC 3339 instant", q)})
			return
		}
		until = t
	}
	plan, err := s.engine.Plan(r.Context(), id, until)
	if err != nil {
		s.fail(w, r, id, err)
		return
	}
	if plan == nil {
		plan = []escalation.Entry{} // [], not null
	}
	writeJSON(w, http.StatusOK, plan)
}

// decode reads the request's JSON body into v, strictly, or answers with
// a problem and returns false.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		bodyProblem(w, err)
		return false
	}
	return true
}

// fail answers for an error of the engine about ticket id: a problem the
// request caused, or, logged and not shown, an internal error.
func (s *server) fail(w http.ResponseWriter, r *http.Request, id string, err error) {
	if !engineProblem(w, id, err) {
		s.internal(w, r, err)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) // an error here is the client's connection: nobody to tell
}
