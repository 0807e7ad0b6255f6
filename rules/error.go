package rules

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
)

// Error is one problem with one rule: a compile error, or an evaluation that
// failed. Compile and CompileSet return it (CompileSet inside Errors), so
// errors.As reaches it from either.
//
// An Error is a plain value, safe to share between goroutines.
type Error struct {
	Rule    string `json:"rule,omitempty"`    // the rule's name, "" if it has none
	Index   int    `json:"index"`             // the rule's position in its set, -1 for a rule compiled alone
	Field   string `json:"field,omitempty"`   // the field holding the expression: "when" in a set, "" alone
	Line    int    `json:"line,omitempty"`    // 1-based line of the problem, 0 when it has no position
	Column  int    `json:"column,omitempty"`  // 1-based column, in characters
	Msg     string `json:"msg"`               // what is wrong
	Limit   string `json:"limit,omitempty"`   // the limit passed, when that is what is wrong: "MaxNodes", "MaxSteps", ...
	Snippet string `json:"snippet,omitempty"` // the source line and a caret under Column
}

// ErrLimit is what errors.Is finds in an *Error whose rule is over one of
// the limits: a compile limit (WithMaxSourceLen, WithMaxDepth,
// WithMaxNodes, WithMaxRegexSize) or an evaluation budget (WithMaxSteps,
// WithMemoryBudget). The Error's Limit names it.
var ErrLimit = errors.New("rules: over a limit")

// Is reports whether target is ErrLimit and e is over a limit.
func (e *Error) Is(target error) bool { return target == ErrLimit && e.Limit != "" }

// Path returns where the problem is, as a policy spells it: "rules[2].when",
// or "" for a rule compiled alone.
func (e *Error) Path() string {
	if e.Index < 0 {
		return e.Field
	}
	return fmt.Sprintf("rules[%d].%s", e.Index, e.Field)
}

// Error returns "rules: <path>: <line>:<column>: <msg>" and the snippet on
// the lines below.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rules: ")
	if p := e.Path(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	}
	b.WriteString(e.Msg)
	if e.Snippet != "" {
		b.WriteString("\n")
		b.WriteString(e.Snippet)
	}
	return b.String()
}

// Errors lists every problem of a rule set, in the order of the rules. It is
// a plain value, safe to share between goroutines.
type Errors []*Error

// Error returns the problems, one after another.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so errors.As reaches each *Error.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// problem is an error at a position of a rule's source, before it is bound to
// the rule. Offsets count characters from 0; from < 0 means no position.
type problem struct {
	from  int
	msg   string
	limit string // the limit passed, if any: a name of Error.Limit
}

func problemf(from int, format string, args ...any) *problem {
	return &problem{from: from, msg: fmt.Sprintf(format, args...)}
}

// limitf is problemf for a rule over limit.
func limitf(from int, limit, format string, args ...any) *problem {
	return &problem{from: from, msg: fmt.Sprintf(format, args...), limit: limit}
}

// fromExpr turns an error of the expression library into a problem, with a
// message in ladder's words.
func fromExpr(err error) *problem {
	var fe *file.Error
	if !errors.As(err, &fe) {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return &problem{from: -1, msg: msg}
	}
	msg := strings.TrimSpace(fe.Message)
	for _, r := range messages {
		if rest, ok := strings.CutPrefix(msg, r.prefix); ok {
			msg = fmt.Sprintf(r.format, rest)
			break
		}
	}
	return &problem{from: fe.From, msg: msg}
}

// messages rewords the expression library's messages.
var messages = []struct{ prefix, format string }{
	{"unknown name ", "unknown name %q"},
	{"unknown field ", "unknown field %q"},
	{"unexpected token EOF", "unexpected end of the condition%s"},
}

// bind returns p as an Error of the rule at index (-1 alone) with source src.
func (p *problem) bind(name string, index int, src string) *Error {
	e := &Error{Rule: name, Index: index, Msg: p.msg, Limit: p.limit}
	if index >= 0 {
		e.Field = "when"
	}
	if p.from >= 0 {
		e.Line, e.Column, e.Snippet = position(src, p.from)
	}
	return e
}

// position returns the 1-based line and column of the character at offset
// from in src, and a snippet: the line and a caret under the character.
func position(src string, from int) (line, column int, snippet string) {
	line, start := 1, 0
	n := 0
	end := len(src)
	for i, r := range src {
		if n == from {
			end = i
			break
		}
		n++
		if r == '\n' {
			line++
			start = i + 1
		}
	}
	text := src[start:]
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	before := src[start:end]
	column = utf8.RuneCountInString(before) + 1
	caret := strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return ' '
	}, before)
	return line, column, " | " + text + "\n | " + caret + "^"
}
