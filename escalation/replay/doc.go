// Package replay runs a real ticket log through a policy at full speed: it
// reads the log (ladder's canonical CSV, or a published format such as
// BPIC 2013), reports its events to a real escalation.Engine on a
// simulated clock that stops at every event and every due instant
// between them, and hands the histories to package report. Run it on two
// policies to see what a change would have done to last quarter's
// tickets.
package replay
