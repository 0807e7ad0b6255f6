package sla_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// office is a New York office calendar, made anew on each call so that no
// two calls share a map.
func office(holidays ...string) sla.CalendarSpec {
	return sla.CalendarSpec{
		Location: "America/New_York",
		Week:     map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}},
		Holidays: holidays,
	}
}

func TestNewCalendarShares(t *testing.T) {
	thursday := time.Date(2026, 12, 24, 16, 0, 0, 0, time.UTC) // 11:00 in New York
	a, b := mustCalendar(t, office("2026-12-25")), mustCalendar(t, office("2026-12-25"))
	if a != b {
		t.Error("two equal specs gave two calendars")
	}
	c := mustCalendar(t, office())
	if c == a {
		t.Fatal("specs with different holidays gave one calendar")
	}
	// The 25th is a holiday of a, not of c: 5h on the 24th, then 3h on
	// the 25th or the 28th.
	if got, want := a.Add(thursday, 8*time.Hour), time.Date(2026, 12, 28, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("with the holiday: %v, want %v", got, want)
	}
	if got, want := c.Add(thursday, 8*time.Hour), time.Date(2026, 12, 25, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("without it: %v, want %v", got, want)
	}

	// Specs that differ only in how their lists are cut are different.
	split := sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}}}
	whole := sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-fri": {"09:00-17:00"}}}
	if mustCalendar(t, split) == mustCalendar(t, whole) {
		t.Error("09:00-12:00 and 13:00-17:00 shared a calendar with 09:00-17:00")
	}

	// Changing a spec after NewCalendar changes neither the calendar nor
	// what an equal spec gets.
	spec := office("2026-12-25")
	d := mustCalendar(t, spec)
	spec.Week["mon-fri"][0] = "08:00-12:00"
	spec.Holidays[0] = "2026-12-28"
	if e := mustCalendar(t, spec); e == d {
		t.Error("the changed spec got the calendar of the spec before the change")
	}
	if got := d.Spec(); got.Week["mon-fri"][0] != "09:00-12:00" || got.Holidays[0] != "2026-12-25" {
		t.Errorf("the shared calendar's spec changed with the caller's: %+v", got)
	}
	if mustCalendar(t, office("2026-12-25")) != a {
		t.Error("the spec of a lost its calendar")
	}
	runtime.KeepAlive(a)
}

func TestNewCalendarRefusesAfterSharing(t *testing.T) {
	good := mustCalendar(t, office())
	bad := office()
	bad.Week["mon-fri"] = append(bad.Week["mon-fri"], "25:00-26:00")
	if _, err := sla.NewCalendar(bad); err == nil {
		t.Error("a spec with a bad window was accepted while a good one was shared")
	}
	runtime.KeepAlive(good)
}

func TestNewCalendarSharesConcurrently(t *testing.T) {
	monday := time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)
	const n = 8
	cals := make([]*sla.Calendar, n)
	ends := make([]time.Time, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := sla.NewCalendar(office("2026-03-04"))
			if err != nil {
				t.Error(err)
				return
			}
			cals[i], ends[i] = c, c.Add(monday, 40*time.Hour)
		})
	}
	wg.Wait()
	for i := range n {
		if cals[i] != cals[0] {
			t.Errorf("goroutine %d got a calendar of its own", i)
		}
		if !ends[i].Equal(ends[0]) {
			t.Errorf("goroutine %d: %v, goroutine 0: %v", i, ends[i], ends[0])
		}
	}
}

func TestSharedCalendarIsLetGo(t *testing.T) {
	spec := office("2031-07-04") // a spec no other test uses
	c := mustCalendar(t, spec)
	if !sla.Shared(spec) {
		t.Fatal("a calendar in use is not shared")
	}
	runtime.KeepAlive(c)
	c = nil
	// The calendar's cleanup runs after a collection finds it unreachable,
	// on the runtime's cleanup goroutine.
	for i := 0; i < 1000 && sla.Shared(spec); i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if sla.Shared(spec) {
		t.Error("a calendar nothing holds is still kept for sharing")
	}
}
