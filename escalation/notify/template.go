package notify

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/sla"
)

// Template renders a notification as a subject and a body for mail or
// chat, with text/template. Both templates read the escalation.Notification
// as dot, and these functions besides text/template's own:
//
//	join   list sep        strings.Join: {{join .To ", "}}
//	dur    duration        "1h30m", "-30m", "0s": no zero units
//	when   time            "Mon 2 Nov 10:00 EST", in the time's location
//	last   n entries       the last n of a slice of history entries
//	line   entry           one history entry: "Mon 2 Nov 10:00 escalated
//	                       matrix:P1[0] (in_tier:30m) tier:frontline -> tier:specialists"
//	clock  sla status      an SLA clock in words: "2h left of 8h (75% used),
//	                       due Mon 2 Nov 18:00 EST", "breached, 30m over the
//	                       goal of 1h, due ...", "paused, 1h left of 4h",
//	                       "met in 45m of 1h", "met late, 5m over the goal of 1h"
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	subject, body *template.Template
}

// DefaultTemplate is a subject and a body a person reads in chat or mail:
// the ticket, its priority and status, where it is and where it came from,
// the rule and trigger that decided and the values of the rule's clauses,
// each SLA clock's remaining time, and the last five history entries.
var DefaultTemplate = mustTemplate(defaultSubject, defaultBody)

const defaultSubject = `[{{.Priority}}] {{.Ticket}} on {{.ToTier}}{{with .ToTeam}}/{{.}}{{end}}: {{.Rule}}`

const defaultBody = `Ticket {{.Ticket}}, priority {{.Priority}}{{with .Status}}, status {{.}}{{end}}.
Now on tier {{.ToTier}}{{with .ToTeam}}, team {{.}}{{end}}
{{- if .FromTier}}; before on tier {{.FromTier}}{{with .FromTeam}}, team {{.}}{{end}}{{end}}.
Why: {{.Rule}}{{with .Trigger}} on {{.}}{{end}}, {{when .At}}.
{{- range .Why}}
  {{.Text}}: {{.Value}}{{with .Error}} ({{.}}){{end}}
{{- end}}
{{- with .SLA}}

SLA:
{{- range .}}
  {{.Metric}}: {{clock .}}
{{- end}}
{{- end}}
{{- with last 5 .History}}

History{{if gt $.HistoryTotal (len .)}} (last {{len .}} of {{$.HistoryTotal}}){{end}}:
{{- range .}}
  {{line .}}
{{- end}}
{{- end}}
`

func mustTemplate(subject, body string) *Template {
	t, err := NewTemplate(subject, body)
	if err != nil {
		panic(err)
	}
	return t
}

// NewTemplate parses a subject and a body template, named "subject" and
// "body" in errors, which give the line where parsing failed:
// `notify: template: body:3: function "nope" not defined`.
func NewTemplate(subject, body string) (*Template, error) {
	s, err := template.New("subject").Funcs(funcs).Parse(subject)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	b, err := template.New("body").Funcs(funcs).Parse(body)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return &Template{subject: s, body: b}, nil
}

// Render returns the subject and the body of n. The subject is one line:
// its line breaks become spaces, and it is trimmed. An error names the
// template, its line and column, and what failed there.
func (t *Template) Render(n escalation.Notification) (subject, body string, err error) {
	var sb, bb strings.Builder
	if err := t.subject.Execute(&sb, n); err != nil {
		return "", "", fmt.Errorf("notify: %w", err)
	}
	if err := t.body.Execute(&bb, n); err != nil {
		return "", "", fmt.Errorf("notify: %w", err)
	}
	subject = strings.Join(strings.Fields(sb.String()), " ")
	return subject, bb.String(), nil
}

var funcs = template.FuncMap{
	"join":  strings.Join,
	"dur":   dur,
	"when":  when,
	"last":  last,
	"line":  line,
	"clock": slaClock,
}

// dur writes d as Go does, without zero units: "1h", "1h30m", "-30m", "0s".
func dur(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func when(t time.Time) string { return t.Format("Mon 2 Jan 15:04 MST") }

func last(n int, entries []escalation.Entry) []escalation.Entry {
	if n >= 0 && len(entries) > n {
		return entries[len(entries)-n:]
	}
	return entries
}

func line(e escalation.Entry) string {
	parts := []string{e.At.Format("Mon 2 Jan 15:04"), string(e.What)}
	if e.Rule != "" {
		parts = append(parts, e.Rule)
	}
	if e.Trigger != "" {
		parts = append(parts, "("+e.Trigger+")")
	}
	switch {
	case e.From != "" && e.To != "":
		parts = append(parts, e.From+" -> "+e.To)
	case e.From != "":
		parts = append(parts, e.From+" -> -")
	case e.To != "":
		parts = append(parts, e.To)
	}
	if e.Actor != "" {
		parts = append(parts, "by "+e.Actor)
	}
	if e.Note != "" {
		parts = append(parts, strconv.Quote(e.Note))
	}
	return strings.Join(parts, " ")
}

func slaClock(s sla.Status) string {
	switch {
	case s.State == sla.NotStarted:
		return "not started"
	case s.State == sla.Met && s.Breached:
		return fmt.Sprintf("met late, %s over the goal of %s", dur(-s.Remaining), dur(s.Goal))
	case s.State == sla.Met:
		return fmt.Sprintf("met in %s of %s", dur(s.Elapsed), dur(s.Goal))
	case s.State == sla.Paused && s.Breached:
		return fmt.Sprintf("paused, %s over the goal of %s", dur(-s.Remaining), dur(s.Goal))
	case s.State == sla.Paused:
		return fmt.Sprintf("paused, %s left of %s", dur(s.Remaining), dur(s.Goal))
	case s.Breached:
		return fmt.Sprintf("breached, %s over the goal of %s, due %s", dur(-s.Remaining), dur(s.Goal), when(s.Due))
	}
	return fmt.Sprintf("%s left of %s (%d%% used), due %s", dur(s.Remaining), dur(s.Goal), int(s.Percent), when(s.Due))
}
