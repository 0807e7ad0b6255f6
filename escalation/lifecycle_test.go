package escalation_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
	"github.com/ladder-go/ladder/matrix"
	"github.com/ladder-go/ladder/sla"
)

// inOrder fails the test unless the ticket's history is in time order.
func inOrder(t *testing.T, h *escalationtest.Harness, id string) {
	t.Helper()
	hist, err := h.Engine.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(hist); i++ {
		if hist[i].At.Before(hist[i-1].At) {
			t.Errorf("%s: entry %d (%s at %v) is before entry %d (%s at %v)", id, i, hist[i].What, hist[i].At, i-1, hist[i-1].What, hist[i-1].At)
		}
	}
}

// TestResolvedTicketNeverEscalates: between resolved and reopened or
// closed, no time point fires: a P1 resolved at 09:05 is not moved by its
// 30-minute level at 09:30, nor by anything later.
func TestResolvedTicketNeverEscalates(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	h.Open("L-8", nil, "high", "high") // P1: the 30-minute level would move it at 09:30
	h.Advance(5 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-8", Kind: escalation.Resolved, Status: "resolved"})
	before := h.Timeline("L-8", ny)
	h.Advance(15 * 24 * time.Hour)
	if after := h.Timeline("L-8", ny); len(after) != len(before) {
		t.Errorf("the resolved ticket's history grew: %q", after[len(before):])
	}
	if got := h.Notes.Summary(ny); len(got) != 0 {
		t.Errorf("a resolved ticket notified: %q", got)
	}
	st, err := h.Engine.Status(context.Background(), "L-8")
	if err != nil {
		t.Fatal(err)
	}
	if st.Tier != "frontline" || st.HasNext {
		t.Errorf("the resolved ticket stands on %s, next %+v", st.Tier, st.Next)
	}
	if next, _ := h.Engine.Next(context.Background()); !next.IsZero() {
		t.Errorf("a resolved ticket is due at %v", next)
	}
}

// TestReopenNeverBackDates: time points that fell while a ticket was
// resolved or closed never fire, and the history stays in time order.
func TestReopenNeverBackDates(t *testing.T) {
	for _, done := range []escalation.EventKind{escalation.Resolved, escalation.Closed} {
		t.Run(string(done), func(t *testing.T) {
			ny := newYork(t)
			h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
			h.Open("L-9", nil, "high", "high") // P1, 24x7: the 30-minute level falls at 09:30
			h.Advance(10 * time.Minute)
			h.Report(escalation.Event{Ticket: "L-9", Kind: escalation.AgentReplied})
			h.Advance(10 * time.Minute)
			h.Report(escalation.Event{Ticket: "L-9", Kind: done})
			h.Advance(15 * 24 * time.Hour) // two weeks and a day: Tuesday 09:20
			reopened := h.Now()
			h.Report(escalation.Event{Ticket: "L-9", Kind: escalation.Reopened})
			h.Advance(6 * time.Hour)
			inOrder(t, h, "L-9")
			hist, _ := h.Engine.History(context.Background(), "L-9")
			for _, e := range hist {
				if (e.What == "escalated" || e.What == "notified") && e.At.Before(reopened) {
					t.Errorf("%s at %v fired for the time the ticket was %s", e.What, e.At.In(ny), done)
				}
			}
			// The resolution clock had used 20m of 4h; it continues at the
			// reopen: its 75% level falls 2h40m later, the 30-minute level
			// of the first stay never.
			var got []string
			for _, n := range h.Notes.Delivered() {
				got = append(got, n.At.In(ny).Format("Mon 2 15:04")+" "+n.Rule)
			}
			want := []string{reopened.Add(160*time.Minute).In(ny).Format("Mon 2 15:04") + " matrix:P1[1]"}
			if !slices.Equal(got, want) {
				t.Errorf("notified %q, want %q", got, want)
			}
		})
	}
}

// TestReopenIntoWaiting: a reopen straight into a waiting status leaves
// the resolution clock paused from the reopen instant.
func TestReopenIntoWaiting(t *testing.T) {
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	h.Open("L-10", nil, "low", "low") // P3, office hours
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-10", Kind: escalation.AgentReplied})
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-10", Kind: escalation.Resolved, Status: "resolved"}) // 1h used
	h.AdvanceTo(monday(t, 10, 0).AddDate(0, 0, 1))                                            // Tuesday 10:00
	h.Report(escalation.Event{Ticket: "L-10", Kind: escalation.Reopened, Status: "pending_customer"})
	h.AdvanceTo(monday(t, 10, 0).AddDate(0, 0, 2)) // Wednesday 10:00
	st, err := h.Engine.Status(context.Background(), "L-10")
	if err != nil {
		t.Fatal(err)
	}
	res := slaOf(t, st, "resolution")
	if res.State != sla.Paused || res.Elapsed != time.Hour {
		t.Errorf("resolution after a reopen into pending_customer: %s, %v used; want paused, 1h used", res.State, res.Elapsed)
	}
	// Resolved from Monday 10:00 to Tuesday 10:00: 8 business hours, which
	// are not pause; paused from then to Wednesday 10:00: 8 more.
	if res.ResolvedFor != 8*time.Hour || res.PausedFor != 8*time.Hour {
		t.Errorf("resolution resolved for %v and paused for %v; want 8h each", res.ResolvedFor, res.PausedFor)
	}
}

// TestLevelsOnTheirOwnClocks: each matrix level falls when its own clock
// reaches its threshold. A P2 answered in time never reaches its
// first-response level, and still reaches its resolution level.
func TestLevelsOnTheirOwnClocks(t *testing.T) {
	ny := newYork(t)
	p := testPolicy()
	p.Matrix.Priorities[1].Levels = []matrix.Level{
		{Clock: matrix.ClockPercent, Metric: "first_response", Percent: 100, Tier: "specialists", Notify: []string{"team_lead"}},
		{Clock: matrix.ClockPercent, Metric: "resolution", Percent: 75, Tier: "engineering", Notify: []string{"duty_manager"}},
	}
	h := escalationtest.New(t, p, monday(t, 9, 0))
	h.Open("L-11", nil, "high", "low") // P2: first response 4h, resolution 16h of office hours
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-11", Kind: escalation.AgentReplied}) // in time
	h.AdvanceTo(monday(t, 9, 0).AddDate(0, 0, 3))
	// 75% of 16h is 12 business hours: Monday 8h and Tuesday until 13:00.
	want := "Tue 13:00 escalated matrix:P2[1] (resolution:75%) tier:frontline -> tier:engineering"
	if tl := h.Timeline("L-11", ny); !slices.Contains(tl, want) {
		t.Errorf("timeline lacks %q:\n%q", want, tl)
	}
	if got := h.Notes.Summary(ny); !slices.Equal(got, []string{"Tue 13:00 L-11 matrix:P2[1] -> duty_manager"}) {
		t.Errorf("notified %q", got)
	}
}

// TestShorterGoalBreaches: a priority raise that leaves a metric past its
// new goal records the breach at that instant and fires the breach's
// rules, like any other breach.
func TestShorterGoalBreaches(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	h.Open("L-12", nil, "low", "low") // P3: first response 8h of office hours
	h.Advance(2 * time.Hour)
	h.Report(escalation.Event{Ticket: "L-12", Kind: escalation.FieldsChanged, Priority: "P1"}) // first response 1h: 2h used
	h.Advance(45 * time.Minute)
	inOrder(t, h, "L-12")
	tl := h.Timeline("L-12", ny)
	for _, want := range []string{
		"Mon 11:00 sla_breached (first_response:breach)",
		"Mon 11:00 rule_fired first-response-breached (first_response:breach)",
		"Mon 11:30 rule_fired first-response-breached (first_response:breach (repeat))",
	} {
		if !slices.Contains(tl, want) {
			t.Errorf("timeline lacks %q:\n%q", want, tl)
		}
	}
	var duty []string
	for _, n := range h.Notes.Delivered() {
		if n.Rule == "first-response-breached" {
			duty = append(duty, n.At.In(ny).Format("15:04"))
		}
	}
	if !slices.Equal(duty, []string{"11:00", "11:30"}) {
		t.Errorf("duty manager notified at %q, want 11:00 and 11:30", duty)
	}
}

// TestFinalClose: under final_close a closed ticket takes no event, not
// even a reopen; without it, a reopen is the one event it takes.
func TestFinalClose(t *testing.T) {
	for _, final := range []bool{false, true} {
		p := testPolicy()
		p.FinalClose = final
		h := escalationtest.New(t, p, monday(t, 10, 0))
		h.Open("F-1", nil, "low", "low")
		h.Report(escalation.Event{Ticket: "F-1", Kind: escalation.Closed})
		ctx := context.Background()
		if err := h.Engine.Report(ctx, escalation.Event{Ticket: "F-1", Kind: escalation.AgentReplied, At: h.Now()}); !errors.Is(err, escalation.ErrClosed) {
			t.Errorf("final_close %v: a reply to a closed ticket: %v, want ErrClosed", final, err)
		}
		err := h.Engine.Report(ctx, escalation.Event{Ticket: "F-1", Kind: escalation.Reopened, At: h.Now()})
		if final && !errors.Is(err, escalation.ErrClosed) {
			t.Errorf("final_close: a reopen: %v, want ErrClosed", err)
		}
		if !final && err != nil {
			t.Errorf("a reopen of a closed ticket: %v", err)
		}
	}
}

// TestShorterGoalWhileResolved: a priority raised while the ticket is
// resolved breaches nothing then (its clocks are stopped); when it is
// reopened, past its new goal, the breach is recorded at the reopen and
// its rules fire.
func TestShorterGoalWhileResolved(t *testing.T) {
	ny := newYork(t)
	p := testPolicy()
	p.Rules = append(p.Rules, escalation.Rule{Name: "resolution-breached", On: escalation.Trigger{Metric: "resolution", Breach: true},
		Do: []escalation.Action{{Notify: []string{"duty_manager"}}}})
	h := escalationtest.New(t, p, monday(t, 9, 0))
	h.Open("L-13", nil, "low", "low") // P3: resolution 40 business hours
	h.Advance(30 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-13", Kind: escalation.AgentReplied})
	h.AdvanceTo(monday(t, 15, 0))
	h.Report(escalation.Event{Ticket: "L-13", Kind: escalation.Resolved}) // 6h used
	h.Advance(time.Hour)
	h.Report(escalation.Event{Ticket: "L-13", Kind: escalation.FieldsChanged, Priority: "P1"}) // resolution 4h, 24x7
	h.Advance(time.Hour)
	h.Report(escalation.Event{Ticket: "L-13", Kind: escalation.Reopened})
	inOrder(t, h, "L-13")
	tl := h.Timeline("L-13", ny)
	var after []string
	for i, l := range tl {
		if l == "Mon 17:00 reopened" {
			after = tl[i:]
		}
	}
	want := []string{
		"Mon 17:00 reopened",
		"Mon 17:00 sla_reopened resolution",
		"Mon 17:00 sla_breached (resolution:breach)",
		"Mon 17:00 rule_fired resolution-breached (resolution:breach)",
		"Mon 17:00 notified resolution-breached (resolution:breach) duty_manager",
		// P1's 75% level is behind the clock too; its 30-minute level
		// fell (09:30, on P1's ladder) before the reopen, and is passed.
		"Mon 17:00 escalated matrix:P1[1] (resolution:75%) tier:frontline -> tier:engineering",
		"Mon 17:00 notified matrix:P1[1] (resolution:75%) duty_manager",
	}
	if !slices.Equal(after, want) {
		t.Errorf("after the reopen %q, want %q", after, want)
	}
}

// TestCustomerReplyWhileResolved: a customer's message to a resolved
// ticket starts no next-response cycle: its clocks stand still until it
// is reopened, and nothing breaches meanwhile or at the reopen.
func TestCustomerReplyWhileResolved(t *testing.T) {
	ny := newYork(t)
	h := escalationtest.New(t, testPolicy(), monday(t, 9, 0))
	h.Open("L-14", nil, "high", "high") // P1: next response 1h, 24x7
	h.Advance(10 * time.Minute)
	h.Report(escalation.Event{Ticket: "L-14", Kind: escalation.AgentReplied})
	h.Report(escalation.Event{Ticket: "L-14", Kind: escalation.Resolved})
	h.Advance(time.Hour)
	h.Report(escalation.Event{Ticket: "L-14", Kind: escalation.CustomerReplied}) // "thanks!"
	h.Advance(24 * time.Hour)
	h.Report(escalation.Event{Ticket: "L-14", Kind: escalation.Reopened})
	for _, l := range h.Timeline("L-14", ny) {
		if strings.Contains(l, "next_response") {
			t.Errorf("the next response clock ran for a resolved ticket: %s", l)
		}
	}
}
