package calbench_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/ladder-go/ladder/sla"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

func newYork(tb testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// ladderCalendar is the fixture of ladder's performance goals: New York,
// Monday to Friday 09:00-17:00, the US federal holidays of 2026-2027 as
// observed.
func ladderCalendar(tb testing.TB) *sla.Calendar {
	data, err := os.ReadFile("../../sla/testdata/newyork-office.json")
	if err != nil {
		tb.Fatal(err)
	}
	var spec sla.CalendarSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		tb.Fatal(err)
	}
	c, err := sla.NewCalendar(spec)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func rickarCalendar(workStart, workEnd time.Duration, days ...time.Weekday) *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.Cacheable = true
	for d := time.Sunday; d <= time.Saturday; d++ {
		c.SetWorkday(d, false)
	}
	for _, d := range days {
		c.SetWorkday(d, true)
	}
	c.SetWorkHours(workStart, workEnd)
	c.AddHoliday(us.NewYear, us.MlkDay, us.PresidentsDay, us.MemorialDay, us.Juneteenth, us.IndependenceDay,
		us.LaborDay, us.ColumbusDay, us.VeteransDay, us.ThanksgivingDay, us.ChristmasDay)
	return c
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// TestSameHolidays checks that both calendars close the same days of
// 2026-2027, so the benchmarks compare the same work.
func TestSameHolidays(t *testing.T) {
	ny := newYork(t)
	l, r := ladderCalendar(t), rickarCalendar(9*time.Hour, 17*time.Hour, weekdays...)
	for d := time.Date(2026, 1, 1, 12, 0, 0, 0, ny); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		if got, want := l.IsOpen(d), r.IsWorkday(d); got != want {
			t.Errorf("%s: ladder open at noon %v, rickar/cal workday %v", d.Format("Mon 2006-01-02"), got, want)
		}
	}
}

// TestAgreementOnTheFixture: on the fixture no workday holds a clock change,
// so both calendars must give the same answers for instants in New York.
func TestAgreementOnTheFixture(t *testing.T) {
	ny := newYork(t)
	l, r := ladderCalendar(t), rickarCalendar(9*time.Hour, 17*time.Hour, weekdays...)
	rng := rand.New(rand.NewPCG(3, 2))
	base := time.Date(2026, 1, 5, 0, 0, 0, 0, ny)
	for range 2000 {
		t0 := base.Add(time.Duration(rng.IntN(600*24*60)) * time.Minute)
		d := time.Duration(1+rng.IntN(400*60)) * time.Minute
		if got, want := l.Add(t0, d), r.AddWorkHours(t0, d); !got.Equal(want) {
			t.Fatalf("Add(%v, %v): ladder %v, rickar/cal %v", t0, d, got, want)
		}
		t1 := t0.Add(time.Duration(rng.IntN(60*24*60)) * time.Minute)
		if got, want := l.Between(t0, t1), r.WorkHoursInRange(t0, t1); got != want {
			t.Fatalf("Between(%v, %v): ladder %v, rickar/cal %v", t0, t1, got, want)
		}
	}
}

// TestWhereAnswersDiffer records the cases where rickar/cal's answers are
// wrong, each checked against ladder's exact semantics: its day bounds are
// midnight plus a fixed duration in the location of the argument.
func TestWhereAnswersDiffer(t *testing.T) {
	ny := newYork(t)
	every := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	roundTheClock, err := sla.NewCalendar(sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-sun": {"00:00-24:00"}}, Holidays: []string{"2026-12-25"}})
	if err != nil {
		t.Fatal(err)
	}
	nights, err := sla.NewCalendar(sla.CalendarSpec{Location: "America/New_York", Week: map[string][]string{"mon-sun": {"00:00-06:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name          string
		ladder        time.Duration
		rickar        time.Duration
		ladderWant    time.Duration
		whyRickarDiff string
	}{
		{
			"00:00-24:00 on the fall-back day",
			roundTheClock.Between(time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 0, 0, 0, 0, ny)),
			rickarCalendar(0, 24*time.Hour, every...).WorkHoursInRange(time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 0, 0, 0, 0, ny)),
			25 * time.Hour,
			"the day is 25h long",
		},
		{
			"00:00-06:00 on the spring-forward night",
			nights.Between(time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 8, 12, 0, 0, 0, ny)),
			rickarCalendar(0, 6*time.Hour, every...).WorkHoursInRange(time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 8, 12, 0, 0, 0, ny)),
			5 * time.Hour,
			"02:00-03:00 does not occur; midnight+6h is 07:00 EDT",
		},
		{
			"office hours asked in UTC",
			ladderCalendar(t).Between(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)),
			rickarCalendar(9*time.Hour, 17*time.Hour, weekdays...).WorkHoursInRange(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)),
			8 * time.Hour,
			"09:00-17:00 New York is 14:00-22:00 UTC; rickar/cal reads the hours in the argument's zone",
		},
	}
	for _, tc := range cases {
		if tc.ladder != tc.ladderWant {
			t.Errorf("%s: ladder says %v, want %v", tc.name, tc.ladder, tc.ladderWant)
		}
		if tc.rickar == tc.ladderWant {
			t.Errorf("%s: rickar/cal now agrees (%v); update the README", tc.name, tc.rickar)
		}
		t.Logf("%-42s ladder %-6v rickar/cal %-6v (%s)", tc.name, tc.ladder, tc.rickar, tc.whyRickarDiff)
	}
}

var (
	sinkTime     time.Time
	sinkDuration time.Duration
)

func BenchmarkAdd40h(b *testing.B)   { benchmarkAdd(b, 40*time.Hour) }
func BenchmarkAdd2000h(b *testing.B) { benchmarkAdd(b, 2000*time.Hour) }

func benchmarkAdd(b *testing.B, d time.Duration) {
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, newYork(b))
	b.Run("impl=ladder", func(b *testing.B) {
		c := ladderCalendar(b)
		c.Add(start, 4000*time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			sinkTime = c.Add(start, d)
		}
	})
	b.Run("impl=rickar", func(b *testing.B) {
		c := rickarCalendar(9*time.Hour, 17*time.Hour, weekdays...)
		c.AddWorkHours(start, 4000*time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			sinkTime = c.AddWorkHours(start, d)
		}
	})
}

func BenchmarkBetweenMonth(b *testing.B) {
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, newYork(b))
	end := start.AddDate(0, 1, 0)
	b.Run("impl=ladder", func(b *testing.B) {
		c := ladderCalendar(b)
		c.Add(start, 4000*time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			sinkDuration = c.Between(start, end)
		}
	})
	b.Run("impl=rickar", func(b *testing.B) {
		c := rickarCalendar(9*time.Hour, 17*time.Hour, weekdays...)
		c.WorkHoursInRange(start, end)
		b.ReportAllocs()
		for b.Loop() {
			sinkDuration = c.WorkHoursInRange(start, end)
		}
	})
}
