package sla_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/sla"
)

func TestSpecErrors(t *testing.T) {
	cases := []struct {
		name string
		spec sla.CalendarSpec
		want []string // one line per problem, in order
	}{
		{"unknown zone", sla.CalendarSpec{Location: "Mars/Olympus", Week: officeHours},
			[]string{`location: "Mars/Olympus": unknown time zone`}},
		{"local zone", sla.CalendarSpec{Location: "Local", Week: officeHours},
			[]string{`location: "Local": name an IANA time zone; Local depends on the machine`}},
		{"malformed windows", sla.CalendarSpec{Week: map[string][]string{"mon": {"9-5", "09:00-17", "09.00-17.00", "", "09:00-17:00"}}},
			[]string{
				`week.mon[0]: "9-5": malformed window: want "HH:MM-HH:MM"`,
				`week.mon[1]: "09:00-17": malformed window: want "HH:MM-HH:MM"`,
				`week.mon[2]: "09.00-17.00": malformed window: want "HH:MM-HH:MM"`,
				`week.mon[3]: malformed window: want "HH:MM-HH:MM"`,
			}},
		{"hours out of range", sla.CalendarSpec{Week: map[string][]string{"tue": {"09:00-24:30", "25:00-26:00", "24:00-06:00", "09:60-10:00", "10:00-17:00"}}},
			[]string{
				`week.tue[0]: "09:00-24:30": hour out of range in "24:30": want 00-23, or 24:00 as an end`,
				`week.tue[1]: "25:00-26:00": hour out of range in "25:00": want 00-23, or 24:00 as an end`,
				`week.tue[2]: "24:00-06:00": 24:00 can only end a window`,
				`week.tue[3]: "09:60-10:00": minute 60 out of range in "09:60"`,
			}},
		{"day keys", sla.CalendarSpec{Week: map[string][]string{"monday": {"09:00-17:00"}, "mon-fri": {"09:00-17:00"}, "thu-sat": {"10:00-12:00"}, "Tue": nil}},
			[]string{
				`week: "Tue": unknown day: want "mon".."sun" or a range such as "mon-fri"`,
				`week: "monday": unknown day: want "mon".."sun" or a range such as "mon-fri"`,
				`week: "thu-sat": a day may have one key only: thu (also in "mon-fri"), fri (also in "mon-fri")`,
			}},
		{"never open", sla.CalendarSpec{Week: map[string][]string{"sat-sun": {}}},
			[]string{`week: the calendar is never open: no day of the week has a window`}},
		{"no week at all", sla.CalendarSpec{},
			[]string{`week: the calendar is never open: no day of the week has a window`}},
		{"dates", sla.CalendarSpec{Week: officeHours,
			Holidays:  []string{"2026-02-30", "2026-12-26..2026-12-24", "2026-1-5", "2026-12-24..", "2027-02-28..2027-02-29", "2026-12-25"},
			Overrides: map[string][]string{"2026-13-01": nil, "2026-12-24": {"9-13"}}},
			[]string{
				`holidays[0]: "2026-02-30": no such date`,
				`holidays[1]: "2026-12-26..2026-12-24": range ends before it starts`,
				`holidays[2]: "2026-1-5": malformed date: want "YYYY-MM-DD"`,
				`holidays[3]: "2026-12-24..": malformed date: want "YYYY-MM-DD"`,
				`holidays[4]: "2027-02-28..2027-02-29": no such date`,
				`overrides.2026-12-24[0]: "9-13": malformed window: want "HH:MM-HH:MM"`,
				`overrides: "2026-13-01": no such date`,
			}},
		{"everything at once", sla.CalendarSpec{Location: "Nowhere", Week: map[string][]string{"xyz": {"9-5"}}, Holidays: []string{"0000-01-01"}},
			[]string{
				`location: "Nowhere": unknown time zone`,
				`week: "xyz": unknown day: want "mon".."sun" or a range such as "mon-fri"`,
				`holidays[0]: "0000-01-01": no such date`,
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sla.NewCalendar(tc.spec)
			if err == nil {
				t.Fatalf("NewCalendar accepted the spec: %v", c)
			}
			want := "sla: invalid calendar:\n\t" + strings.Join(tc.want, "\n\t")
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("error text (-want +got):\n%s", diff)
			}
			var se *sla.SpecError
			if !errors.As(err, &se) || len(se.Problems) != len(tc.want) {
				t.Fatalf("errors.As(*SpecError) failed or has the wrong count: %v", err)
			}
			var fe *sla.FieldError
			if !errors.As(err, &fe) || fe != se.Problems[0] {
				t.Errorf("errors.As(*FieldError) does not reach the first problem")
			}
		})
	}
}

func TestSpecJSONRoundTrip(t *testing.T) {
	const doc = `{
  "location": "Europe/London",
  "week": {"mon-fri": ["09:00-12:30", "13:30-17:00"], "sat": ["22:00-06:00"]},
  "holidays": ["2026-12-25", "2026-12-28..2026-12-31"],
  "overrides": {"2026-12-24": ["09:00-13:00"], "2026-12-27": []}
}`
	var spec sla.CalendarSpec
	if err := json.Unmarshal([]byte(doc), &spec); err != nil {
		t.Fatal(err)
	}
	c := mustCalendar(t, spec)
	out, err := json.Marshal(c.Spec())
	if err != nil {
		t.Fatal(err)
	}
	var back sla.CalendarSpec
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(spec, back); diff != "" {
		t.Errorf("round trip changed the spec (-before +after):\n%s", diff)
	}
	// The calendar keeps its own copy: changing the caller's spec changes nothing.
	spec.Week["mon-fri"][0] = "00:00-24:00"
	if got := c.Spec().Week["mon-fri"][0]; got != "09:00-12:30" {
		t.Errorf("calendar spec changed with the caller's map: %q", got)
	}
}
