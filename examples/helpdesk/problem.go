package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/ladder-go/ladder/escalation"
)

// problem is the body of every 4xx and 5xx answer, an RFC 9457 problem
// document: Type, Title, Status and Detail as the RFC says, Code a stable
// string a program switches on, and Errors every field at fault.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Code   string       `json:"code"`
	Errors []fieldError `json:"errors,omitempty"`
}

// fieldError is one field at fault: "at", "kind", "attrs.customer.vip",
// "within", or "body" for the request body as a whole.
type fieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// The problems' codes.
const (
	codeInvalid          = "invalid_field"      // a field's value is wrong: Errors says which
	codeMalformed        = "malformed_body"     // the body is not the JSON asked for
	codeBodyTooLarge     = "body_too_large"     // over the server's -max-body
	codeTimeout          = "request_timeout"    // the body came too slowly
	codeNotFound         = "not_found"          // no such route
	codeMethodNotAllowed = "method_not_allowed" // the route takes other methods: Allow lists them
	codeTicketNotFound   = "ticket_not_found"
	codeTicketExists     = "ticket_exists"
	codeRefused          = "refused"  // the ticket cannot take the event now: resolved, closed...
	codeConflict         = "conflict" // another writer saved the ticket meanwhile: retry
	codeInternal         = "internal"
	codeUnavailable      = "unavailable" // shutting down, or the store does not answer
)

// writeProblem answers with a problem of status code and the given code,
// detail and field errors.
func writeProblem(w http.ResponseWriter, status int, code, detail string, errs ...fieldError) {
	p := problem{Type: "https://github.com/ladder-go/ladder/tree/main/examples/helpdesk#" + code,
		Title: http.StatusText(status), Status: status, Detail: detail, Code: code, Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(p) // an error here is the client's connection: nobody to tell
}

// invalid answers 422 listing every field at fault.
func invalid(w http.ResponseWriter, errs []fieldError) {
	writeProblem(w, http.StatusUnprocessableEntity, codeInvalid, "the request has fields at fault: see errors", errs...)
}

// bodyProblem answers for a request body that could not be read or
// decoded: too large, too slow, or not the JSON asked for.
func bodyProblem(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeProblem(w, http.StatusRequestEntityTooLarge, codeBodyTooLarge, fmt.Sprintf("the body is over %d bytes", tooLarge.Limit))
	case errors.Is(err, os.ErrDeadlineExceeded):
		writeProblem(w, http.StatusRequestTimeout, codeTimeout, "the body did not come within the server's read timeout")
	default:
		writeProblem(w, http.StatusBadRequest, codeMalformed, "the body is not the JSON this route takes", fieldError{Field: jsonField(err), Detail: err.Error()})
	}
}

// jsonField names the field a JSON decoding error is about, or "body".
func jsonField(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return typ.Field
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
	}
	return "body"
}

// engineProblem answers for an error of the engine about ticket id, and
// reports whether it was the request's fault; an error that is not (the
// store's) is for the caller to log and answer as internal.
func engineProblem(w http.ResponseWriter, id string, err error) bool {
	switch {
	case errors.Is(err, escalation.ErrNotFound):
		writeProblem(w, http.StatusNotFound, codeTicketNotFound, fmt.Sprintf("no ticket %q", id))
	case errors.Is(err, escalation.ErrExists):
		writeProblem(w, http.StatusConflict, codeTicketExists, fmt.Sprintf("ticket %q exists", id), fieldError{"id", "a ticket has this id"})
	case errors.Is(err, escalation.ErrConflict):
		writeProblem(w, http.StatusConflict, codeConflict, "the ticket changed meanwhile: retry")
	default:
		errs := eventErrors(err)
		if errs == nil {
			return false
		}
		status, code := http.StatusUnprocessableEntity, codeInvalid
		if errors.Is(err, escalation.ErrClosed) || errors.Is(err, escalation.ErrResolved) || errors.Is(err, escalation.ErrNotResolved) {
			status, code = http.StatusConflict, codeRefused
		}
		writeProblem(w, status, code, err.Error(), errs...)
	}
	return true
}

// eventErrors turns the problems of an event the engine refused into
// field errors, one each; nil when err is no refusal.
func eventErrors(err error) []fieldError {
	var ee *escalation.EventError
	if !errors.As(err, &ee) {
		return nil
	}
	var out []fieldError
	for _, e := range unjoin(ee.Err) {
		var le *escalation.LimitError
		switch {
		case errors.As(e, &le):
			out = append(out, fieldError{le.Field, le.Error()})
		case errors.Is(e, escalation.ErrOutOfOrder), errors.Is(e, escalation.ErrFuture), errors.Is(e, escalation.ErrNoInstant):
			out = append(out, fieldError{"at", e.Error()})
		case errors.Is(e, escalation.ErrAttrs):
			for _, line := range details(e, escalation.ErrAttrs) {
				field, _, _ := strings.Cut(line, ":")
				out = append(out, fieldError{"attrs" + strings.TrimPrefix(field, "ticket"), line})
			}
		case errors.Is(e, escalation.ErrUnknownName), errors.Is(e, escalation.ErrIncomplete):
			sentinel := escalation.ErrUnknownName
			if errors.Is(e, escalation.ErrIncomplete) {
				sentinel = escalation.ErrIncomplete
			}
			for _, line := range details(e, sentinel) {
				field, _, _ := strings.Cut(line, " ") // "tier \"heaven\" is not one of ...", "urgency is required ..."
				out = append(out, fieldError{field, line})
			}
		case errors.Is(e, escalation.ErrMove):
			out = append(out, fieldError{"tier", e.Error()})
		case errors.Is(e, escalation.ErrUnknownEvent), errors.Is(e, escalation.ErrClosed), errors.Is(e, escalation.ErrResolved), errors.Is(e, escalation.ErrNotResolved):
			out = append(out, fieldError{"kind", e.Error()})
		default:
			return nil // the store's, the context's: not the request's fault
		}
	}
	return out
}

// details returns the problems an engine error lists after its sentinel's
// message, one a line: "sentinel:\nproblem\nproblem" or "sentinel: problem".
func details(err, sentinel error) []string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, sentinel.Error()+":\n"); ok {
		return strings.Split(rest, "\n")
	}
	if rest, ok := strings.CutPrefix(msg, sentinel.Error()+": "); ok {
		return []string{rest}
	}
	return []string{msg}
}

// unjoin returns the errors that errors.Join joined into err, or err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

// routed answers the requests the mux has no handler for (404, 405) with
// problems, and passes the others to it.
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r) // which sets the path's values
			return
		}
		// The mux's own answer says which: 405 with Allow, or 404.
		rec := &statusRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeProblem(w, rec.status, codeMethodNotAllowed, fmt.Sprintf("%s takes %s, not %s", r.URL.Path, rec.header.Get("Allow"), r.Method))
		case http.StatusNotFound, 0:
			writeProblem(w, http.StatusNotFound, codeNotFound, fmt.Sprintf("no route %s %s", r.Method, r.URL.Path))
		default: // a redirect to a cleaned path
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
		}
	})
}

// statusRecorder keeps the status and headers a handler writes, and drops
// its body.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header         { return s.header }
func (s *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
