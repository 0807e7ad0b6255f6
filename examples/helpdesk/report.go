package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
)

// atRiskID is the path segment of GET /tickets/at-risk, which no ticket
// may use as its id.
const atRiskID = "at-risk"

// defaultWithin and maxWithin bound the window of GET /tickets/at-risk.
const (
	defaultWithin = time.Hour
	maxWithin     = 30 * 24 * time.Hour
)

// atRisk answers GET /tickets/at-risk?within=2h: the open tickets whose
// next breach falls within the window from now, soonest first.
func (s *server) atRisk(w http.ResponseWriter, r *http.Request) {
	within := defaultWithin
	if q := r.URL.Query().Get("within"); q != "" {
		d, err := time.ParseDuration(q)
		var problem string
		switch {
		case err != nil:
			problem = fmt.Sprintf("%q is not a duration such as 90m or 2h", q)
		case d <= 0:
			problem = fmt.Sprintf("%q is not positive", q)
		case d > maxWithin:
			problem = fmt.Sprintf("%q is more than %s", q, maxWithin)
		}
		if problem != "" {
			writeProblem(w, http.StatusBadRequest, codeInvalid, "the query has parameters at fault: see errors", fieldError{"within", problem})
			return
		}
		within = d
	}
	risks, err := s.engine.AtRisk(r.Context(), within)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if risks == nil {
		risks = []escalation.Risk{} // [], not null
	}
	writeJSON(w, http.StatusOK, risks)
}

// A reportFormat is a way to write a report: its name in the format
// parameter, its media type in Accept, the Content-Type it is served as.
type reportFormat struct {
	name, mediaType, contentType string
}

// reportFormats are the report's formats, JSON first: the default.
var reportFormats = []reportFormat{
	{"json", "application/json", "application/json"},
	{"markdown", "text/markdown", "text/markdown; charset=utf-8"},
	{"csv", "text/csv", "text/csv"},
	{"svg", "image/svg+xml", "image/svg+xml"},
}

// A chart is an SVG chart of a report: its name in the chart parameter,
// the grouping it needs ("" for none), how to draw it.
type chart struct {
	name, needs string
	draw        func(*report.Report, io.Writer) error
}

// charts are the SVG charts, the default first.
var charts = []chart{
	{"attainment", "priority", (*report.Report).AttainmentChart},
	{"flow", "", (*report.Report).FlowChart},
	{"resolution", "", (*report.Report).ResolutionChart},
	{"trend", "week", (*report.Report).TrendChart},
}

// figures answers GET /report: the figures of the tickets opened in
// [from, to) (either bound may be left out), grouped by each by, written
// as the format parameter or else the Accept header asks.
func (s *server) figures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var bad []fieldError
	from := instant(q, "from", &bad)
	to := instant(q, "to", &bad)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		bad = append(bad, fieldError{"to", fmt.Sprintf("%s is before from %s", to.Format(time.RFC3339), from.Format(time.RFC3339))})
	}
	format := reportFormats[0]
	if name := q.Get("format"); name != "" {
		i := slices.IndexFunc(reportFormats, func(f reportFormat) bool { return f.name == name })
		if i < 0 {
			bad = append(bad, fieldError{"format", fmt.Sprintf("unknown %q (one of json, markdown, csv, svg)", name)})
		} else {
			format = reportFormats[i]
		}
	} else {
		format = negotiate(r.Header.Get("Accept"))
	}
	drawing := charts[0]
	if name := q.Get("chart"); name != "" {
		i := slices.IndexFunc(charts, func(c chart) bool { return c.name == name })
		if i < 0 {
			bad = append(bad, fieldError{"chart", fmt.Sprintf("unknown %q (one of attainment, flow, resolution, trend)", name)})
		} else {
			drawing = charts[i]
		}
	}
	var by []string
	for _, v := range q["by"] {
		for b := range strings.SplitSeq(v, ",") {
			if b = strings.TrimSpace(b); b != "" {
				by = append(by, b)
			}
		}
	}
	if format.name == "svg" && drawing.needs != "" && !slices.Contains(by, drawing.needs) {
		by = append(by, drawing.needs) // the chart draws it
	}
	opts := report.Options{Policies: []*escalation.Policy{s.policy}, By: by, From: from, To: to, End: s.clock.Now()}
	if _, err := report.New(opts); err != nil {
		for _, e := range unjoin(err) {
			bad = append(bad, fieldError{"by", e.Error()})
		}
	}
	if len(bad) > 0 {
		writeProblem(w, http.StatusBadRequest, codeInvalid, "the query has parameters at fault: see errors", bad...)
		return
	}

	rep, err := report.Collect(r.Context(), s.store.Histories(r.Context(), from, to), opts)
	if rep == nil {
		s.internal(w, r, err)
		return
	}
	var skipped *report.SkippedError
	if errors.As(err, &skipped) { // histories it could not read: the report leaves them out
		for _, p := range skipped.Errs {
			s.log.Warn("helpdesk: the report leaves out a history it cannot read", "err", p)
		}
		if more := skipped.Tickets - len(skipped.Errs); more > 0 {
			s.log.Warn("helpdesk: the report leaves out more histories it cannot read", "more", more)
		}
		w.Header().Set("X-Report-Problems", strconv.Itoa(skipped.Tickets))
	}

	var body bytes.Buffer
	switch format.name {
	case "json":
		err = rep.WriteJSON(&body)
	case "markdown":
		err = rep.WriteMarkdown(&body)
	case "csv":
		err = rep.WriteCSV(&body)
	case "svg":
		err = drawing.draw(rep, &body)
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", format.contentType)
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(http.StatusOK)
	w.Write(body.Bytes()) // an error here is the client's connection: nobody to tell
}

// instant reads query parameter name: an RFC 3339 instant, or a date
// (2026-11-02), which means midnight UTC. Absent or empty, it is zero, an
// open bound. A problem is appended to bad.
func instant(q url.Values, name string, bad *[]fieldError) time.Time {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return time.Time{}
	}
	v := vs[0]
	// An unescaped "+" in a query is a space: "10:00:00+01:00" arrives as
	// "10:00:00 01:00".
	for _, v := range []string{v, strings.Replace(v, " ", "+", 1)} {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t
		}
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t
		}
	}
	*bad = append(*bad, fieldError{name, fmt.Sprintf("%q is neither an RFC 3339 instant nor a date such as 2026-11-02", v)})
	return time.Time{}
}

// negotiate returns the report format accept prefers: the one whose media
// type it gives the highest quality, a type named exactly winning over a
// wildcard; JSON when it is empty or names none of them.
func negotiate(accept string) reportFormat {
	best, bestQ, bestExact := reportFormats[0], 0.0, 0
	for _, f := range reportFormats {
		q, exact := quality(accept, f.mediaType)
		if q > bestQ || (q == bestQ && exact > bestExact) {
			best, bestQ, bestExact = f, q, exact
		}
	}
	return best
}

// quality returns the quality accept gives mediaType and how specifically:
// 2 when a range names it, 1 for type/*, 0 for */* or no range (q is 0).
// The most specific range that matches counts.
func quality(accept, mediaType string) (q float64, exact int) {
	typ, _, _ := strings.Cut(mediaType, "/")
	exact = -1
	for rng := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(rng)
		if err != nil {
			continue
		}
		e := -1
		switch mt {
		case mediaType:
			e = 2
		case typ + "/*":
			e = 1
		case "*/*":
			e = 0
		}
		if e <= exact {
			continue
		}
		rq := 1.0
		if v, ok := params["q"]; ok {
			if rq, err = strconv.ParseFloat(v, 64); err != nil || rq < 0 || rq > 1 {
				continue
			}
		}
		q, exact = rq, e
	}
	return q, max(exact, 0)
}

// internal answers 500 for an error that is not the request's fault, and
// logs it, unless the client went away.
func (s *server) internal(w http.ResponseWriter, r *http.Request, err error) {
	if !(errors.Is(err, context.Canceled) && r.Context().Err() != nil) {
		s.log.Error("helpdesk", "request", r.Method+" "+r.URL.Path, "err", err)
	}
	writeProblem(w, http.StatusInternalServerError, codeInternal, "an internal error: the server's log says more")
}
