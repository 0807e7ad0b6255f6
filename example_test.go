package ladder_test

import (
	"fmt"
	"time"

	"github.com/ladder-go/ladder/sla"
)

// A ticket opened late on a Friday with a four-business-hour response goal
// is due on Monday, not the same evening.
func Example() {
	office, err := sla.NewCalendar(sla.CalendarSpec{
		Location: "Europe/London",
		Week:     map[string][]string{"mon-fri": {"09:00-17:30"}},
		Holidays: []string{"2026-12-25", "2026-12-28"},
	})
	if err != nil {
		panic(err)
	}
	opened := time.Date(2026, 12, 24, 16, 0, 0, 0, office.Location())
	due := office.Add(opened, 4*time.Hour)
	fmt.Println("due:", due.Format("Mon 2 Jan 15:04"))
	fmt.Println("left on Dec 29 at 10:00:", 4*time.Hour-office.Between(opened, time.Date(2026, 12, 29, 10, 0, 0, 0, office.Location())))
	// Output:
	// due: Tue 29 Dec 11:30
	// left on Dec 29 at 10:00: 1h30m0s
}
