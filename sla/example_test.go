package sla_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ladder-go/ladder/sla"
)

func ExampleNewCalendar() {
	_, err := sla.NewCalendar(sla.CalendarSpec{
		Location: "Europe/Lodnon",
		Week:     map[string][]string{"mon-fri": {"9-5"}, "sat": {"10:00-25:00"}},
		Holidays: []string{"2026-12-25", "2026-02-30"},
	})
	fmt.Println(err)
	var problems *sla.SpecError
	if errors.As(err, &problems) {
		fmt.Println(len(problems.Problems), "problems; the first is in", problems.Problems[0].Field)
	}
	// Output:
	// sla: invalid calendar:
	// 	location: "Europe/Lodnon": unknown time zone
	// 	week.mon-fri[0]: "9-5": malformed window: want "HH:MM-HH:MM"
	// 	week.sat[0]: "10:00-25:00": hour out of range in "25:00": want 00-23, or 24:00 as an end
	// 	holidays[1]: "2026-02-30": no such date
	// 4 problems; the first is in location
}

func ExampleCalendar_Add() {
	office, _ := sla.NewCalendar(sla.CalendarSpec{
		Location: "America/New_York",
		Week:     map[string][]string{"mon-fri": {"09:00-12:00", "13:00-17:00"}},
	})
	friday := time.Date(2026, 3, 6, 16, 0, 0, 0, office.Location())
	fmt.Println(office.Add(friday, time.Hour).Format(time.DateTime + " MST"))   // lands on closing time
	fmt.Println(office.Add(friday, 5*time.Hour).Format(time.DateTime + " MST")) // over a weekend with a DST change and a lunch break
	fmt.Println(office.Add(friday, -2*time.Hour).Format(time.DateTime + " MST"))
	// Output:
	// 2026-03-06 17:00:00 EST
	// 2026-03-09 14:00:00 EDT
	// 2026-03-06 14:00:00 EST
}

func ExampleCalendar_Between() {
	roundTheClock, _ := sla.NewCalendar(sla.CalendarSpec{
		Location: "Europe/London",
		Week:     map[string][]string{"mon-sun": {"00:00-24:00"}},
		Holidays: []string{"2026-12-25"},
	})
	loc := roundTheClock.Location()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, loc) }
	fmt.Println("spring forward:", roundTheClock.Between(day(3, 29), day(3, 30)))
	fmt.Println("fall back:     ", roundTheClock.Between(day(10, 25), day(10, 26)))
	fmt.Println("Christmas week:", roundTheClock.Between(day(12, 21), day(12, 28)))
	// Output:
	// spring forward: 23h0m0s
	// fall back:      25h0m0s
	// Christmas week: 144h0m0s
}

func ExampleCalendar_Intervals() {
	support, _ := sla.NewCalendar(sla.CalendarSpec{
		Location:  "Asia/Tokyo",
		Week:      map[string][]string{"mon-fri": {"09:00-18:00"}, "sat": {"10:00-14:00"}},
		Overrides: map[string][]string{"2026-12-31": {"09:00-12:00"}},
		Holidays:  []string{"2027-01-01..2027-01-03"},
	})
	from := time.Date(2026, 12, 30, 0, 0, 0, 0, support.Location())
	for start, end := range support.Intervals(from, from.AddDate(0, 0, 7)) {
		fmt.Println(start.Format("Mon Jan 2 15:04"), "-", end.Format("15:04"))
	}
	// Output:
	// Wed Dec 30 09:00 - 18:00
	// Thu Dec 31 09:00 - 12:00
	// Mon Jan 4 09:00 - 18:00
	// Tue Jan 5 09:00 - 18:00
}
