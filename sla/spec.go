package sla

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// CalendarSpec is the plain-data description of a business calendar, as a
// host stores it or reads it from a policy file. NewCalendar checks and
// compiles it.
//
// The zero value is not a usable calendar: a calendar must be open at some
// time of its week, so Week must name at least one window.
type CalendarSpec struct {
	// Location is the IANA time zone name ("Europe/London"); "" means UTC.
	// "Local" is refused: a calendar must not depend on the machine.
	Location string `json:"location"`
	// Week maps days to windows. Keys are "mon".."sun" or inclusive ranges
	// such as "mon-fri" or "sun-thu" (a range may wrap past Sunday); a day
	// may appear under one key only. Windows are "HH:MM-HH:MM" in local wall
	// time, half-open; "24:00" is a valid end, and a window whose end is not
	// after its start ends on the next day ("22:00-06:00").
	Week map[string][]string `json:"week"`
	// Holidays are dates ("2026-12-25") or inclusive ranges
	// ("2026-12-24..2026-12-26"). A holiday closes every window that starts
	// on it; a window that started the day before still runs to its end.
	Holidays []string `json:"holidays"`
	// Overrides replace the windows of single dates: "2026-12-24":
	// ["09:00-13:00"]. An empty list closes the date. An override is the
	// most specific statement about a date and wins over a holiday.
	Overrides map[string][]string `json:"overrides"`
}

// FieldError is one problem in a CalendarSpec: the field it sits in (a
// path such as "week.mon-fri[0]" or "holidays[2]"), the offending value as
// written, and what is wrong with it.
type FieldError struct {
	Field string
	Value string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %q: %s", e.Field, e.Value, e.Msg)
}

// SpecError lists every problem NewCalendar found in a CalendarSpec, in a
// stable order: location, week (by key), holidays (by index), overrides (by
// date). errors.As reaches each *FieldError through Unwrap.
type SpecError struct {
	Problems []*FieldError
}

func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString("sla: invalid calendar:")
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.As can reach a *FieldError.
func (e *SpecError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// window is an open span of local wall time, in seconds from the local
// midnight of the date it belongs to. end may reach 48h for overnight
// windows that start late and end after the next midnight.
type window struct{ start, end int64 }

// dayRange is an inclusive range of days (days since 1970-01-01).
type dayRange struct{ from, to int64 }

// parsed is a checked spec in the form the calendar computes with.
type parsed struct {
	loc       *time.Location
	week      [7][]window // by time.Weekday
	holidays  []dayRange  // sorted, disjoint, not adjacent
	overrides map[int64][]window
	minDay    int64 // the first and last day named by a holiday or override
	maxDay    int64
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// parseSpec checks a spec and reports every problem it has.
func parseSpec(spec CalendarSpec) (*parsed, error) {
	var probs []*FieldError
	bad := func(field, value, format string, args ...any) {
		probs = append(probs, &FieldError{Field: field, Value: value, Msg: fmt.Sprintf(format, args...)})
	}
	p := &parsed{overrides: map[int64][]window{}, minDay: maxDay, maxDay: minDay}

	switch spec.Location {
	case "", "UTC":
		p.loc = time.UTC
	case "Local":
		bad("location", spec.Location, "name an IANA time zone; Local depends on the machine")
	default:
		loc, err := time.LoadLocation(spec.Location)
		if err != nil {
			bad("location", spec.Location, "unknown time zone")
		}
		p.loc = loc
	}

	weekProblems := len(probs)
	keys := slices.Sorted(maps.Keys(spec.Week))
	givenBy := [7]string{}
	open := false
	for _, key := range keys {
		days, ok := parseDayKey(key)
		if !ok {
			bad("week", key, `unknown day: want "mon".."sun" or a range such as "mon-fri"`)
			continue
		}
		ws := parseWindows(spec.Week[key], "week."+key, bad)
		var twice []string // "mon (also in "mon-fri")"
		for _, d := range days {
			if givenBy[d] != "" {
				twice = append(twice, fmt.Sprintf("%s (also in %q)", dayNames[d], givenBy[d]))
				continue
			}
			givenBy[d] = key
			p.week[d] = ws
			open = open || len(ws) > 0
		}
		if len(twice) > 0 {
			bad("week", key, "a day may have one key only: %s", strings.Join(twice, ", "))
		}
	}
	if !open && len(probs) == weekProblems {
		bad("week", "", "the calendar is never open: no day of the week has a window")
	}

	for i, h := range spec.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		from, to, isRange := strings.Cut(h, "..")
		if !isRange {
			to = from
		}
		d1, err1 := parseDate(from)
		d2, err2 := parseDate(to)
		switch {
		case err1 != nil:
			bad(field, h, "%v", err1)
		case err2 != nil:
			bad(field, h, "%v", err2)
		case d2 < d1:
			bad(field, h, "range ends before it starts")
		default:
			p.holidays = append(p.holidays, dayRange{d1, d2})
			p.minDay, p.maxDay = min(p.minDay, d1), max(p.maxDay, d2)
		}
	}
	p.holidays = mergeRanges(p.holidays)

	for _, key := range slices.Sorted(maps.Keys(spec.Overrides)) {
		field := "overrides." + key
		d, err := parseDate(key)
		if err != nil {
			bad("overrides", key, "%v", err)
			continue
		}
		p.overrides[d] = parseWindows(spec.Overrides[key], field, bad)
		p.minDay, p.maxDay = min(p.minDay, d), max(p.maxDay, d)
	}

	if len(probs) > 0 {
		return nil, &SpecError{Problems: probs}
	}
	return p, nil
}

// parseDayKey reads "mon" or a range "mon-fri" (wrapping past Sunday when
// the range's end comes before its start in the week).
func parseDayKey(key string) ([]time.Weekday, bool) {
	from, to, isRange := strings.Cut(key, "-")
	if !isRange {
		to = from
	}
	d1, d2 := slices.Index(dayNames[:], from), slices.Index(dayNames[:], to)
	if d1 < 0 || d2 < 0 {
		return nil, false
	}
	var days []time.Weekday
	for d := d1; ; d = (d + 1) % 7 {
		days = append(days, time.Weekday(d))
		if d == d2 {
			return days, true
		}
	}
}

// parseWindows reads a list of "HH:MM-HH:MM" windows, reporting each bad
// one under field[i].
func parseWindows(list []string, field string, bad func(field, value, format string, args ...any)) []window {
	ws := make([]window, 0, len(list))
	for i, s := range list {
		w, err := parseWindow(s)
		if err != nil {
			bad(fmt.Sprintf("%s[%d]", field, i), s, "%v", err)
			continue
		}
		ws = append(ws, w)
	}
	return ws
}

func parseWindow(s string) (window, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok || len(from) != 5 || len(to) != 5 {
		return window{}, errors.New(`malformed window: want "HH:MM-HH:MM"`)
	}
	start, err := parseClock(from, false)
	if err != nil {
		return window{}, err
	}
	end, err := parseClock(to, true)
	if err != nil {
		return window{}, err
	}
	if end <= start {
		end += 24 * 3600
	}
	return window{start, end}, nil
}

// parseClock reads "HH:MM" as seconds after midnight; "24:00" only as an end.
func parseClock(s string, isEnd bool) (int64, error) {
	if s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, errors.New(`malformed window: want "HH:MM-HH:MM"`)
	}
	h := int64(s[0]-'0')*10 + int64(s[1]-'0')
	m := int64(s[3]-'0')*10 + int64(s[4]-'0')
	switch {
	case m > 59:
		return 0, fmt.Errorf("minute %02d out of range in %q", m, s)
	case h == 24 && m == 0 && isEnd:
	case h == 24 && m == 0:
		return 0, fmt.Errorf("24:00 can only end a window")
	case h >= 24:
		return 0, fmt.Errorf("hour out of range in %q: want 00-23, or 24:00 as an end", s)
	}
	return h*3600 + m*60, nil
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseDate reads "YYYY-MM-DD" (years 0001-9999) as days since 1970-01-01.
func parseDate(s string) (int64, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return 0, errors.New(`malformed date: want "YYYY-MM-DD"`)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1 {
		return 0, errors.New("no such date")
	}
	return floorDiv(t.Unix(), secondsPerDay), nil
}

// mergeRanges sorts day ranges and joins those that overlap or touch.
func mergeRanges(rs []dayRange) []dayRange {
	slices.SortFunc(rs, func(a, b dayRange) int { return cmp.Compare(a.from, b.from) })
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r.from <= out[n-1].to+1 {
			out[n-1].to = max(out[n-1].to, r.to)
			continue
		}
		out = append(out, r)
	}
	return out
}
