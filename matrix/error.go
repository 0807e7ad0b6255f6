package matrix

import (
	"fmt"
	"strings"
)

// Problem is one mistake found in a Spec or in the tier set given with it.
// A Problem is a plain value, safe to copy and to read concurrently.
type Problem struct {
	// Path locates the mistake, e.g. "priorities[0].levels[1].after" or
	// "tiers[2]".
	Path string
	// Msg says what is wrong, quoting the offending value.
	Msg string
}

// String returns "path: msg".
func (p Problem) String() string {
	return p.Path + ": " + p.Msg
}

// Error lists every problem New or Parse found, in the order of the
// document: tiers first, then impacts, urgencies, the default impact and
// urgency, grid and priorities. Its text has one line per problem, each
// "matrix: path: msg".
// An *Error is not modified after it is returned and is safe for concurrent
// reads.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("matrix: ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects the mistakes of one check.
type problems []Problem

// add records a problem at path; msg is formatted with args as by fmt.Sprintf.
func (ps *problems) add(path, msg string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Msg: fmt.Sprintf(msg, args...)})
}

// err returns the collected problems as an *Error, or nil when there are none.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}
