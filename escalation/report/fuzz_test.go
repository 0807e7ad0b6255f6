package report_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/report"
	"github.com/ladder-go/ladder/sla"
)

// whats are the entry kinds a fuzzed history draws from.
var whats = []escalation.What{
	escalation.WhatOpened, escalation.WhatStarted, escalation.WhatEscalated, escalation.WhatDeEscalated,
	escalation.WhatHandedOff, escalation.WhatSkipped, escalation.WhatAgentReplied, escalation.WhatCustomerReplied,
	escalation.WhatStatusChanged, escalation.WhatResolved, escalation.WhatReopened, escalation.WhatClosed,
	escalation.WhatPriorityChanged, escalation.WhatMigrated, escalation.WhatRuleFired, escalation.WhatRuleFailed,
	escalation.WhatSLAStarted, escalation.WhatSLABreached, escalation.WhatSLAMet, escalation.WhatSLAMetLate,
	escalation.WhatSLAReopened, escalation.WhatSLAPaused,
}

var places = []string{"", "tier:frontline", "tier:engineering team:b", "team:a", "tier:nowhere", "tier:", "team:", "P1", "v1"}

var fields = []string{"", "resolution", "first_response", "resolution:breach", "pending_customer", "open", "vip", "matrix:P1[0]"}

// FuzzFacts reads arbitrary histories, the bytes choosing each entry's
// kind, instant and fields: the report never panics, and what it counts
// stays consistent (no share above 1, every ticket in each grouping once).
func FuzzFacts(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 2, 5, 1, 0, 9, 10, 0, 3})
	f.Add([]byte{0, 0, 0, 0, 17, 3, 0, 3, 19, 9, 0, 1, 10, 1, 1, 1, 20, 2, 0, 1})
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := report.New(optsFor("priority", "week", "customer.vip"))
		if err != nil {
			t.Fatal(err)
		}
		var hs []escalation.History
		for len(data) >= 4 {
			n := int(data[0]%12) + 1
			data = data[1:]
			st := &escalation.State{ID: "F", Policy: "v1", Priority: "P1", Attrs: map[string]any{"customer": map[string]any{"vip": len(data)%2 == 0}, "feedback": float64(len(data) % 7)}}
			var es []escalation.Entry
			at := t0
			for i := 0; i < n && len(data) >= 4; i++ {
				b := data[:4]
				data = data[4:]
				at = at.Add(time.Duration(b[1]) * time.Minute)
				e := escalation.Entry{At: at, What: whats[int(b[0])%len(whats)], Policy: "v1",
					To: places[int(b[2])%len(places)], From: places[int(b[3])%len(places)],
					Trigger: fields[int(b[2])%len(fields)], Status: fields[int(b[3])%len(fields)], Rule: fields[int(b[1])%len(fields)]}
				if i == 0 && b[3]%5 != 0 {
					e.What = escalation.WhatOpened
				}
				switch e.What {
				case escalation.WhatSLAMet, escalation.WhatSLAMetLate:
					e.To = fields[1+int(b[2])%2]
					if b[3]%3 != 0 {
						e.Cycle = &sla.Cycle{Start: t0, End: at, Goal: time.Duration(b[2]) * time.Minute, Elapsed: time.Duration(b[3]) * time.Minute}
					}
				case escalation.WhatEscalated, escalation.WhatDeEscalated, escalation.WhatHandedOff:
					e.By = []escalation.By{escalation.ByPerson, escalation.ByRule, escalation.ByMatrix}[int(b[1])%3]
				}
				es = append(es, e)
			}
			hs = append(hs, escalation.History{State: st, Entries: es})
		}
		added := 0
		for _, h := range hs {
			if _, err := a.Facts(h); err != nil {
				continue
			}
			if err := a.Add(h); err != nil {
				t.Fatalf("Facts took a history Add refused: %v", err)
			}
			added++
		}
		r := a.Report()
		per := map[string]int{}
		for _, g := range r.Groups {
			per[g.By] += g.Tickets
			for _, v := range []float64{g.OnlyStartTier, g.Escalated, g.DeEscalated, g.OverEscalated, g.UnderEscalated, g.Waited, g.Reopened, g.CSAT} {
				if v < 0 || v > 1 {
					t.Fatalf("group %s %q: a share of %v", g.By, g.Key, v)
				}
			}
			if g.Resolved > g.Tickets || g.Backlog > g.Tickets {
				t.Fatalf("group %s %q: %d resolved, %d backlog of %d", g.By, g.Key, g.Resolved, g.Backlog, g.Tickets)
			}
		}
		for by, n := range per {
			if n != added {
				t.Fatalf("grouping %s counts %d tickets, want %d", by, n, added)
			}
		}
		var b bytes.Buffer
		if err := r.WriteJSON(&b); err != nil || !json.Valid(b.Bytes()) {
			t.Fatalf("JSON: %v", err)
		}
		for _, h := range hs {
			if err := report.Review(&b, h, optsFor()); err != nil {
				continue
			}
		}
	})
}
