package escalation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladder-go/ladder/rules"
)

// ParsePolicy reads a policy from the JSON document data, which holds one
// JSON object with the fields of Policy (the matrix in the shape package
// matrix documents), and checks it as Validate does. It returns the policy,
// or nil and a *PolicyError listing every problem with its path.
//
// Reading is strict: an unknown field (field names are case-sensitive), a
// value of the wrong JSON type, a number out of range, a duration that is
// not a duration string ("4 hours", 3600) or an unknown attribute type in
// the schema is a problem at its path, reported with those of the checks.
// A JSON null leaves a field at its zero value. A document that is not
// JSON fails with that one problem, with its line and column.
func ParsePolicy(data []byte) (*Policy, error) {
	doc, syntax := decodeDocument(data)
	if syntax != nil {
		return nil, &PolicyError{Problems: []Problem{*syntax}}
	}
	var p Policy
	r := &reader{}
	r.read("", doc, reflect.ValueOf(&p).Elem())
	problems := r.problems
	var checks *PolicyError
	if _, err := compile(&p); errors.As(err, &checks) {
		for _, check := range checks.Problems {
			if !r.near(check.Path) {
				problems = append(problems, check)
			}
		}
	}
	if err := policyError(problems); err != nil {
		return nil, err
	}
	return &p, nil
}

// decodeDocument decodes data, with numbers as json.Number, or returns the
// problem of a document that is not JSON.
func decodeDocument(data []byte) (any, *Problem) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Problem{Msg: "empty document"}
	}
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		p := &Problem{Msg: err.Error(), Err: err}
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			line, col := position(data, syntax.Offset)
			p.Msg = fmt.Sprintf("line %d, column %d: %v", line, col, err)
		}
		return nil, p
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	dec.Decode(&doc) // raw is one valid JSON value
	return doc, nil
}

// position returns the 1-based line and column (in bytes) of the byte at
// fault in a syntax error that encoding/json reports after reading off
// bytes: the last of them.
func position(data []byte, off int64) (line, col int) {
	before := data[:max(min(int(off), len(data))-1, 0)]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// reader decodes a JSON document, as decodeDocument returns it, into a
// Policy, collecting every problem instead of stopping at the first. A
// value with a problem is left at its zero value.
type reader struct {
	problems []Problem
}

var (
	durationType  = reflect.TypeFor[Duration]()
	attributeType = reflect.TypeFor[rules.Type]()
)

// near reports whether path is, or lies above or below, the path of a
// problem the reader found; a check there would only repeat that problem.
func (r *reader) near(path string) bool {
	for _, p := range r.problems {
		if path == p.Path || within(path, p.Path) || within(p.Path, path) {
			return true
		}
	}
	return false
}

// within reports whether path lies below parent; "" is the whole document.
func within(path, parent string) bool {
	if parent == "" {
		return true
	}
	rest, ok := strings.CutPrefix(path, parent)
	return ok && rest != "" && (rest[0] == '.' || rest[0] == '[')
}

// add records a problem at path; msg is formatted with args as by
// fmt.Sprintf.
func (r *reader) add(path, msg string, args ...any) {
	r.problems = append(r.problems, Problem{Path: path, Msg: fmt.Sprintf(msg, args...)})
}

// want records that the value v at path is not what reading wants.
func (r *reader) want(path, want string, v any) {
	r.add(path, "want %s, got %s", want, describe(v))
}

// describe names a decoded JSON value for a message.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default: // a json.Number or a bool
		return fmt.Sprint(v)
	}
}

// read stores the decoded JSON value v, found at path, in dst, which holds
// the zero value of its type. null leaves dst as it is.
func (r *reader) read(path string, v any, dst reflect.Value) {
	t := dst.Type()
	switch {
	case v == nil:
	case t == durationType:
		r.duration(path, v, dst)
	case t == attributeType:
		r.attribute(path, v, dst)
	case t.Kind() == reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			r.want(path, "an object", v)
			return
		}
		r.fields(path, obj, dst)
	case t.Kind() == reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			r.want(path, "an object", v)
			return
		}
		m := reflect.MakeMapWithSize(t, len(obj))
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			elem := reflect.New(t.Elem()).Elem()
			r.read(member(path, key), obj[key], elem)
			m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
		}
		dst.Set(m)
	case t.Kind() == reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			r.want(path, "an array", v)
			return
		}
		s := reflect.MakeSlice(t, len(list), len(list))
		for i, item := range list {
			r.read(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i))
		}
		dst.Set(s)
	case t.Kind() == reflect.String:
		s, ok := v.(string)
		if !ok {
			r.want(path, "a string", v)
			return
		}
		dst.SetString(s)
	case t.Kind() == reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			r.want(path, "true or false", v)
			return
		}
		dst.SetBool(b)
	case t.Kind() == reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			r.want(path, "a number", v)
			return
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			r.add(path, "number %s is out of range", n)
			return
		}
		dst.SetFloat(f)
	}
}

// fields stores the fields of the JSON object obj in the struct dst, and
// records the fields that dst does not have.
func (r *reader) fields(path string, obj map[string]any, dst reflect.Value) {
	names := jsonNames(dst.Type())
	for i, name := range names {
		if v, ok := obj[name]; ok {
			r.read(member(path, name), v, dst.Field(i))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		if !slices.Contains(names, key) {
			r.add(member(path, key), "unknown field; want one of %s", strings.Join(names, ", "))
		}
	}
}

// duration stores a duration string in dst, as matrix.Duration reads it.
func (r *reader) duration(path string, v any, dst reflect.Value) {
	s, ok := v.(string)
	d, err := time.ParseDuration(s)
	if !ok || err != nil {
		r.add(path, `%s is not a duration (a string such as "30m", "4h" or "1h30m")`, describe(v))
		return
	}
	dst.SetInt(int64(d))
}

// attribute stores the type of a schema's attribute in dst: a type name,
// or an object of attributes.
func (r *reader) attribute(path string, v any, dst reflect.Value) {
	switch v := v.(type) {
	case map[string]any:
		var fields rules.Schema
		r.read(path, v, reflect.ValueOf(&fields).Elem())
		dst.Set(reflect.ValueOf(rules.Object(fields)))
	case string:
		name, _ := json.Marshal(v)
		if err := dst.Addr().Interface().(*rules.Type).UnmarshalJSON(name); err != nil {
			r.problems = append(r.problems, Problem{Path: path, Msg: strings.TrimPrefix(err.Error(), "rules: "), Err: err})
		}
	default:
		r.want(path, "a type name or an object", v)
	}
}
