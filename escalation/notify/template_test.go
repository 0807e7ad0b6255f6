package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/escalation/notify"
	"github.com/ladder-go/ladder/sla"
)

func TestTemplateErrors(t *testing.T) {
	cases := []struct {
		name          string
		subject, body string
		want          string
	}{
		{"subject parse", "{{.Ticket", "", `notify: template: subject:1: unclosed action`},
		{"body parse", "x", "line 1\nline 2\n{{nope .Ticket}}", `notify: template: body:3: function "nope" not defined`},
		{"body end", "x", "{{if .Ticket}}", `notify: template: body:1: unexpected EOF`},
	}
	for _, tc := range cases {
		_, err := notify.NewTemplate(tc.subject, tc.body)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	tmpl, err := notify.NewTemplate("{{.Ticket}}", "ok\n  {{.Nope}}")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = tmpl.Render(notification())
	want := `notify: template: body:2:4: executing "body" at <.Nope>: can't evaluate field Nope in type escalation.Notification`
	if err == nil || err.Error() != want {
		t.Errorf("Render: %v\nwant %s", err, want)
	}
}

// TestTemplateFuncs renders each function of the template language.
func TestTemplateFuncs(t *testing.T) {
	n := notification()
	n.SLA = slaStatuses()
	for i := range 8 {
		n.History = append(n.History, escalation.Entry{At: monday.Add(time.Duration(i) * time.Minute), What: escalation.WhatCustomerReplied, Actor: "c"})
	}
	n.HistoryTotal = 30
	cases := []struct{ body, want string }{
		{`{{join .To " & "}}`, "lead & pager"},
		{`{{when .At}}`, "Mon 2 Nov 11:00 UTC"},
		{`{{range last 2 .History}}{{line .}};{{end}}`, "Mon 2 Nov 10:06 customer_replied by c;Mon 2 Nov 10:07 customer_replied by c;"},
		{`{{len (last 20 .History)}}`, "8"},
		{`{{range .SLA}}{{dur .Remaining}} {{dur .Goal}};{{end}}`, "-30m 30m;3h 4h;"},
		{`{{line (index .History 0)}}`, "Mon 2 Nov 10:00 customer_replied by c"},
	}
	for _, tc := range cases {
		tmpl, err := notify.NewTemplate("s", tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		if _, got, err := tmpl.Render(n); err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.body, got, err, tc.want)
		}
	}
}

func TestTemplateDurationsAndClocks(t *testing.T) {
	tmpl, err := notify.NewTemplate("s", `{{range .SLA}}{{clock .}}|{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	due := monday.Add(8 * time.Hour)
	cases := []struct {
		st   sla.Status
		want string
	}{
		{sla.Status{State: sla.NotStarted}, "not started"},
		{sla.Status{State: sla.Running, Goal: 8 * time.Hour, Remaining: 2*time.Hour + 90*time.Second, Percent: 74.9, Due: due}, "2h1m30s left of 8h (74% used), due Mon 2 Nov 18:00 UTC"},
		{sla.Status{State: sla.Breached, Breached: true, Goal: time.Hour, Remaining: -time.Hour - time.Minute, Due: due}, "breached, 1h1m over the goal of 1h, due Mon 2 Nov 18:00 UTC"},
		{sla.Status{State: sla.Paused, Goal: 4 * time.Hour, Remaining: time.Hour}, "paused, 1h left of 4h"},
		{sla.Status{State: sla.Paused, Breached: true, Goal: 4 * time.Hour, Remaining: -10 * time.Minute}, "paused, 10m over the goal of 4h"},
		{sla.Status{State: sla.Met, Goal: time.Hour, Elapsed: 45 * time.Minute, Remaining: 15 * time.Minute}, "met in 45m of 1h"},
		{sla.Status{State: sla.Met, Breached: true, Goal: time.Hour, Elapsed: 65 * time.Minute, Remaining: -5 * time.Minute}, "met late, 5m over the goal of 1h"},
		{sla.Status{State: sla.Running, Goal: 24 * time.Hour, Remaining: 0, Percent: 100, Due: due}, "0s left of 24h (100% used), due Mon 2 Nov 18:00 UTC"},
	}
	for _, tc := range cases {
		_, got, err := tmpl.Render(escalation.Notification{SLA: []sla.Status{tc.st}})
		if got = strings.TrimSuffix(got, "|"); err != nil || got != tc.want {
			t.Errorf("%+v: %q, %v; want %q", tc.st, got, err, tc.want)
		}
	}
}

// TestDefaultTemplateLongHistory: the default body shows the last five
// entries and says how many there are; the subject is one line.
func TestDefaultTemplateLongHistory(t *testing.T) {
	n := notification()
	n.ToTeam = "net\nwork"
	for i := range 20 {
		n.History = append(n.History, escalation.Entry{At: monday.Add(time.Duration(i) * time.Minute), What: escalation.WhatFieldsChanged, Note: fmt.Sprint("change ", i)})
	}
	n.HistoryTotal = 42
	subject, body, err := notify.DefaultTemplate.Render(n)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "[P1] T-1 on l2/net work: matrix:P1[0]" {
		t.Errorf("subject %q", subject)
	}
	wantTail := `History (last 5 of 42):
  Mon 2 Nov 10:15 fields_changed "change 15"
  Mon 2 Nov 10:16 fields_changed "change 16"
  Mon 2 Nov 10:17 fields_changed "change 17"
  Mon 2 Nov 10:18 fields_changed "change 18"
  Mon 2 Nov 10:19 fields_changed "change 19"
`
	if !strings.HasSuffix(body, wantTail) {
		t.Errorf("body:\n%s\nwant it to end with:\n%s", body, wantTail)
	}
	if strings.Contains(body, "SLA:") {
		t.Errorf("body has an SLA section without clocks:\n%s", body)
	}
}

// TestDefaultTemplateFromEngine renders a notification the engine made.
func TestDefaultTemplateFromEngine(t *testing.T) {
	var got []string
	rendered := escalation.NotifierFunc(func(_ context.Context, n escalation.Notification) error {
		subject, body, err := notify.DefaultTemplate.Render(n)
		got = append(got, subject+"\n"+body)
		return err
	})
	h := escalationtest.New(t, policy("ops"), monday, escalation.WithNotifier(rendered))
	h.Open("T-1", nil, "any", "any")
	h.Advance(time.Hour)
	if len(got) != 2 {
		t.Fatalf("%d notifications rendered, want 2", len(got))
	}
	want := `[P1] T-1 on l2: matrix:P1[0]
Ticket T-1, priority P1.
Now on tier l2; before on tier l1.
Why: matrix:P1[0] on since_open:1h, Mon 2 Nov 11:00 UTC.

SLA:
  resolution: 3h left of 4h (25% used), due Mon 2 Nov 14:00 UTC

History (last 5 of 6):
  Mon 2 Nov 10:00 rule_fired page (event:opened)
  Mon 2 Nov 10:00 notified page (event:opened) ops
  Mon 2 Nov 10:00 delivered page (event:opened) ops
  Mon 2 Nov 11:00 escalated matrix:P1[0] (since_open:1h) tier:l1 -> tier:l2
  Mon 2 Nov 11:00 notified matrix:P1[0] (since_open:1h) lead
`
	if got[1] != want {
		t.Errorf("rendered:\n%s\nwant:\n%s", got[1], want)
	}
}
