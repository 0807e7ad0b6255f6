package sla

// NewUnsharedCalendar is NewCalendar without sharing: a calendar that
// has computed nothing yet, whatever else is in use.
var NewUnsharedCalendar = compile

// Shared reports whether a calendar of spec is held for NewCalendar to
// share.
func Shared(spec CalendarSpec) bool {
	made.Lock()
	defer made.Unlock()
	_, ok := made.m[specKey(spec)]
	return ok
}
