package escalation

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ladder-go/ladder/rules"
)

// Problem is one mistake in a policy. A Problem is a plain value, safe to
// copy and to read concurrently.
type Problem struct {
	// Path locates the mistake with the policy's JSON names, such as
	// "rules[2].when" or "calendars.office.week.mon[0]"; it is "" for the
	// document as a whole (a JSON syntax error).
	Path string
	// Msg says what is wrong, quoting the offending value. For a rule's
	// condition it starts with the line and column: "1:14: unknown name".
	Msg string
	// Snippet, for a rule's condition, is the line of the condition at
	// fault and a caret under the column, on two lines; "" otherwise.
	Snippet string
	// Err is the error of the package that found the mistake: an
	// *sla.FieldError for a calendar, an *rules.Error for a condition, the
	// *matrix.Error holding it for the matrix and the tiers, the error of
	// rules.Type for an attribute type of the schema, a *json.SyntaxError
	// for JSON syntax. It is nil for the policy's own checks.
	Err error
}

// PolicyError lists every problem of a policy. ParsePolicy, Validate and
// New return it.
//
// Problems are in the order of the policy's fields: name, version,
// calendars, calendar, tiers, teams, default_team, schema, matrix, targets,
// pause, rules, then unknown fields of the document. Within one field,
// ParsePolicy's problems of reading the JSON (an unknown field, a value of
// the wrong type, a duration that is not one) come first, then the checks:
// entries of a map by key, items of a list by index, and the fields of an
// item in the order they are declared. A check is not reported where
// reading already found a problem on the same path, above it or below it.
//
// A *PolicyError is not modified after it is returned and is safe for
// concurrent reads.
type PolicyError struct {
	Problems []Problem
}

// Error returns "escalation: invalid policy:" and one problem per line,
// each "path: msg", indented by a tab; the snippet of a condition follows
// its problem, on lines indented the same way.
func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString("escalation: invalid policy:")
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		if p.Path != "" {
			b.WriteString(p.Path)
			b.WriteString(": ")
		}
		b.WriteString(p.Msg)
		for line := range strings.Lines(p.Snippet) {
			b.WriteString("\n\t")
			b.WriteString(strings.TrimSuffix(line, "\n"))
		}
	}
	return b.String()
}

// Unwrap returns the errors of the packages that found problems (see
// Problem.Err), so errors.As reaches an *sla.FieldError, an *rules.Error or
// the *matrix.Error. Problems that share one error give it once.
func (e *PolicyError) Unwrap() []error {
	var errs []error
	for _, p := range e.Problems {
		if p.Err == nil || reflect.TypeOf(p.Err).Comparable() && slices.Contains(errs, p.Err) {
			continue
		}
		errs = append(errs, p.Err)
	}
	return errs
}

// sections are the policy's JSON field names, in the order problems are
// reported.
var sections = jsonNames(reflect.TypeFor[Policy]())

// jsonNames returns the JSON names of the fields of the struct type t.
func jsonNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = jsonName(t.Field(i))
	}
	return names
}

// jsonName returns the name under which encoding/json reads field f.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// section returns the rank of the policy field a path lies in: -1 for the
// document as a whole, len(sections) for an unknown field.
func section(path string) int {
	if path == "" {
		return -1
	}
	head := path[:strings.IndexAny(path+".", ".[")]
	if i := slices.Index(sections, head); i >= 0 {
		return i
	}
	return len(sections)
}

// policyError returns the problems as a *PolicyError in the order of the
// policy's fields, keeping their order within a field; nil when there are
// none.
func policyError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return section(a.Path) - section(b.Path) })
	return &PolicyError{Problems: problems}
}

// conditionProblem returns a problem of a rule's condition at path.
func conditionProblem(path string, e *rules.Error) Problem {
	msg := e.Msg
	if e.Line > 0 {
		msg = strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": " + msg
	}
	return Problem{Path: path, Msg: msg, Snippet: e.Snippet, Err: e}
}

// member returns the path of the field or map entry name under path:
// path.name, or path["name"] when name is not plain (see plain).
func member(path, name string) string {
	switch {
	case !plain(name):
		return path + "[" + strconv.Quote(name) + "]"
	case path == "":
		return name
	}
	return path + "." + name
}

// quoteOdd returns name, quoted when it is not plain, for a message.
func quoteOdd(name string) string {
	if plain(name) {
		return name
	}
	return strconv.Quote(name)
}

// plain reports whether name can stand in a path as it is: it is not
// empty, and has no space, control character or any of . [ ] ".
func plain(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || !unicode.IsPrint(r) || strings.ContainsRune(`.[]"`, r)
	})
}
