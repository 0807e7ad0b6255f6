package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/ladder-go/ladder/escalation"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

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
}

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
//
// GET /tickets/at-risk is more specific than GET /tickets/{id}, so it wins:
// no ticket may be called "at-risk". Errors it cannot blame on the
// request are logged on log.
func newHandler(e *escalation.Engine, p *escalation.Policy, store escalation.Store, clk clock.Clock, log *slog.Logger) http.Handler {
	s := &server{engine: e, policy: p, store: store, clock: clk, log: log}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tickets", s.open)
	mux.HandleFunc("POST /tickets/{id}/events", s.event)
	mux.HandleFunc("GET /tickets/{id}", s.status)
	mux.HandleFunc("GET /tickets/{id}/history", s.history)
	mux.HandleFunc("GET /tickets/{id}/plan", s.plan)
	mux.HandleFunc("GET /tickets/at-risk", s.atRisk)
	mux.HandleFunc("GET /report", s.figures)
	return mux
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
	var bad []string
	switch req.ID {
	case "":
		bad = append(bad, "id: required")
	case atRiskID:
		bad = append(bad, fmt.Sprintf("id: %q is taken by GET /tickets/%s", req.ID, atRiskID))
	}
	s.report(w, r, escalation.Event{Ticket: req.ID, Kind: escalation.Opened}, req.fields, bad, http.StatusCreated)
}

func (s *server) event(w http.ResponseWriter, r *http.Request) {
	var req eventRequest
	if !s.decode(w, r, &req) {
		return
	}
	var bad []string
	switch req.Kind {
	case "":
		bad = append(bad, "kind: required")
	case string(escalation.Opened):
		bad = append(bad, `kind: "opened": open a ticket with POST /tickets`)
	}
	s.report(w, r, escalation.Event{Ticket: r.PathValue("id"), Kind: escalation.EventKind(req.Kind)}, req.fields, bad, http.StatusOK)
}

// report checks f, reports ev with it and answers with the ticket's status
// and code. bad are the problems the caller found in the request.
func (s *server) report(w http.ResponseWriter, r *http.Request, ev escalation.Event, f fields, bad []string, code int) {
	now := s.clock.Now()
	bad = append(bad, s.check(f, now)...)
	if len(bad) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{Error: "helpdesk: invalid request", Problems: bad})
		return
	}
	ev.At, ev.Status, ev.Attrs, ev.Tier, ev.Team, ev.Actor, ev.Reason = f.At, f.Status, f.Attrs, f.Tier, f.Team, f.Actor, f.Reason
	ev.Impact, ev.Urgency, ev.Priority = f.Impact, f.Urgency, f.Priority
	if ev.At.IsZero() {
		ev.At = now
	}
	if err := s.engine.Report(r.Context(), ev); err != nil {
		s.fail(w, ev.Ticket, err)
		return
	}
	if code == http.StatusCreated {
		w.Header().Set("Location", "/tickets/"+url.PathEscape(ev.Ticket))
	}
	s.answerStatus(w, r, ev.Ticket, code)
}

// check returns every problem of f: names the policy does not know, an
// instant in the future.
func (s *server) check(f fields, now time.Time) []string {
	m := s.policy.Matrix
	priorities := make([]string, len(m.Priorities))
	for i, p := range m.Priorities {
		priorities[i] = p.Name
	}
	var bad []string
	oneOf := func(field, v string, names []string) {
		if v != "" && !slices.Contains(names, v) {
			bad = append(bad, fmt.Sprintf("%s: unknown %q (one of %s)", field, v, strings.Join(names, ", ")))
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
		bad = append(bad, fmt.Sprintf("at: %s is in the future (now is %s)", f.At.Format(time.RFC3339), now.Format(time.RFC3339)))
	}
	return bad
}

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	s.answerStatus(w, r, r.PathValue("id"), http.StatusOK)
}

func (s *server) answerStatus(w http.ResponseWriter, r *http.Request, id string, code int) {
	st, err := s.engine.Status(r.Context(), id)
	if err != nil {
		s.fail(w, id, err)
		return
	}
	writeJSON(w, code, st) // durations as "1h30m", as the policy writes them
}

func (s *server) history(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	h, err := s.engine.History(r.Context(), id)
	if err != nil {
		s.fail(w, id, err)
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
			writeJSON(w, http.StatusBadRequest, errorBody{Error: fmt.Sprintf("helpdesk: until: %q is not an RFC 3339 instant", q)})
			return
		}
		until = t
	}
	plan, err := s.engine.Plan(r.Context(), id, until)
	if err != nil {
		s.fail(w, id, err)
		return
	}
	if plan == nil {
		plan = []escalation.Entry{} // [], not null
	}
	writeJSON(w, http.StatusOK, plan)
}

// decode reads the request's JSON body into v, strictly, or answers 400
// and returns false.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "helpdesk: request body: " + err.Error()})
		return false
	}
	return true
}

// fail answers with the status code err calls for and its message; an
// error that is not the request's fault is logged and not shown. id is the
// ticket the request names.
func (s *server) fail(w http.ResponseWriter, id string, err error) {
	code, msg := codeOf(err), err.Error()
	switch code {
	case http.StatusNotFound:
		msg = fmt.Sprintf("helpdesk: no ticket %q", id) // the same whatever the store says
	case http.StatusInternalServerError:
		s.log.Error("helpdesk", "ticket", id, "err", err)
		msg = "helpdesk: internal error"
	}
	writeJSON(w, code, errorBody{Error: msg})
}

// codeOf maps the engine's errors to HTTP status codes.
func codeOf(err error) int {
	is := func(targets ...error) bool {
		return slices.ContainsFunc(targets, func(t error) bool { return errors.Is(err, t) })
	}
	switch {
	case is(escalation.ErrNotFound):
		return http.StatusNotFound
	case is(escalation.ErrExists, escalation.ErrConflict):
		return http.StatusConflict
	case is(escalation.ErrClosed, escalation.ErrResolved, escalation.ErrNotResolved, escalation.ErrOutOfOrder, escalation.ErrNoInstant,
		escalation.ErrFuture, escalation.ErrAttrs, escalation.ErrUnknownEvent, escalation.ErrUnknownName, escalation.ErrIncomplete, escalation.ErrMove):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// errorBody is the body of every error answer. Problems lists what is
// wrong with a request, one problem each, when there are several.
type errorBody struct {
	Error    string   `json:"error"`
	Problems []string `json:"problems,omitempty"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) // an error here is the client's connection: nobody to tell
}
