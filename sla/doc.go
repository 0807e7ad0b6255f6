// Package sla keeps time the way service-level agreements count it: on
// business calendars.
//
// A [Calendar] is a weekly schedule of local wall-clock windows in an IANA
// time zone, with holidays and per-date overrides. It answers four questions
// exactly, on every daylight-saving day of every zone:
//
//   - [Calendar.IsOpen]: is this instant business time?
//   - [Calendar.NextOpen]: when does business time next begin?
//   - [Calendar.Between]: how much business time lies between two instants?
//   - [Calendar.Add]: when will this much business time have passed?
//
// # Semantics
//
// A window "HH:MM-HH:MM" is half-open local wall time; "24:00" is a valid
// end, and a window whose end is not after its start runs overnight into the
// next day. A window belongs to the date it starts on: a holiday on that date
// closes it, and an override for that date replaces the date's windows.
// An instant is open iff the local wall clock at that instant lies inside a
// window of a date that is not closed; overlapping windows are a union.
//
// Durations are real elapsed time while open. A 09:00-17:00 day is 8h on a
// DST day too; a 00:00-24:00 day is 23h or 25h on one; an open 01:00-02:00 on
// a fall-back night is 2h of real time, and wall times in a spring-forward gap
// never occur and count nothing. On a calendar open around the clock,
// Add(t, d) is t.Add(d) in any zone.
//
// # Speed
//
// A calendar computes the open intervals of a year, in instants, the first
// time it needs them, with their running sums, and keeps them. Every
// question is then a binary search: Add and Between cost tens of
// nanoseconds and allocate nothing, however long the span.
package sla
