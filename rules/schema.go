package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/types"
)

// Schema declares the host's ticket attributes, name by name, so that rules
// are type-checked when they compile: with a schema, ticket.priorty is a
// compile error instead of a rule that silently never matches. Without a
// schema (a nil Schema) every attribute is dynamic.
//
// In JSON a schema is an object whose values are type names or nested
// objects: {"region": "string", "tags": "strings", "customer": {"vip": "bool"}}.
//
// A Schema is plain data. Compiling only reads it, so one schema can serve
// concurrent compilations; the host must not modify it meanwhile.
type Schema map[string]Type

// Type is the type of one attribute. The zero Type is Any. A Type is an
// immutable value, safe for concurrent use.
type Type struct {
	kind   kind
	fields Schema
}

type kind uint8

const (
	kindAny kind = iota
	kindString
	kindInt
	kindFloat
	kindBool
	kindTime
	kindDuration
	kindStrings
	kindList
	kindObject
)

// The attribute types. A value of the host that does not have its declared
// type is converted when the conversion loses nothing, and is an evaluation
// error otherwise. An absent (or nil) attribute reads as the zero value of its
// type: "", 0, false, the zero time, no list, or an object without attributes.
var (
	Any      = Type{kind: kindAny}      // any: one of the other types, checked when the rule runs
	String   = Type{kind: kindString}   // string
	Int      = Type{kind: kindInt}      // int: any Go integer, or a float64 with no fraction (JSON)
	Float    = Type{kind: kindFloat}    // float: any Go number
	Bool     = Type{kind: kindBool}     // bool
	Time     = Type{kind: kindTime}     // time: time.Time, or an RFC 3339 string
	Duration = Type{kind: kindDuration} // duration: time.Duration, or a string like "90m"
	Strings  = Type{kind: kindStrings}  // strings: []string, or []any holding only strings
	List     = Type{kind: kindList}     // list: []any or []string of any values
)

// Object is the type of a nested object whose attributes fields declares,
// read as ticket.<name>.<field>. Object(nil) declares no attributes.
func Object(fields Schema) Type {
	return Type{kind: kindObject, fields: fields}
}

var kindNames = [...]string{
	kindAny:      "any",
	kindString:   "string",
	kindInt:      "int",
	kindFloat:    "float",
	kindBool:     "bool",
	kindTime:     "time",
	kindDuration: "duration",
	kindStrings:  "strings",
	kindList:     "list",
	kindObject:   "object",
}

// String returns the type's name as the JSON form spells it.
func (t Type) String() string {
	return kindNames[t.kind]
}

// MarshalJSON writes a type name, or the fields of an object.
func (t Type) MarshalJSON() ([]byte, error) {
	if t.kind == kindObject {
		if t.fields == nil {
			return []byte("{}"), nil
		}
		return json.Marshal(t.fields)
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON reads a type name or an object of fields.
func (t *Type) UnmarshalJSON(data []byte) error {
	var name string
	if err := json.Unmarshal(data, &name); err == nil {
		for k, n := range kindNames {
			if n == name && kind(k) != kindObject {
				*t = Type{kind: kind(k)}
				return nil
			}
		}
		return fmt.Errorf("rules: unknown attribute type %q (want one of any, string, int, float, bool, time, duration, strings, list or an object)", name)
	}
	var fields Schema
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("rules: an attribute type is a name or an object: %w", err)
	}
	*t = Object(fields)
	return nil
}

// exprType returns the type the rule checker uses for t.
func (t Type) exprType() types.Type {
	switch t.kind {
	case kindString:
		return types.String
	case kindInt:
		return types.Int
	case kindFloat:
		return types.Float64
	case kindBool:
		return types.Bool
	case kindTime:
		return types.TypeOf(time.Time{})
	case kindDuration:
		return types.TypeOf(time.Duration(0))
	case kindStrings:
		return types.Array(types.String)
	case kindList:
		return types.Array(types.Any)
	case kindObject:
		return t.fields.exprType()
	default:
		return types.Any
	}
}

// exprType returns the checker's type for an object with the attributes of s.
func (s Schema) exprType() types.Map {
	m := make(types.Map, len(s))
	for name, t := range s {
		m[name] = t.exprType()
	}
	return m
}

// field returns the type of the attribute at path, and whether the schema
// declares it; a nil schema declares every path as Any.
func (s Schema) field(path []string) (Type, bool) {
	if s == nil {
		return Any, true
	}
	t := Object(s)
	for _, name := range path {
		if t.kind != kindObject {
			return Any, t.kind == kindAny
		}
		var ok bool
		if t, ok = t.fields[name]; !ok {
			return Any, false
		}
	}
	return t, true
}

// zero returns the value an absent attribute of type t reads as.
func (t Type) zero() any {
	switch t.kind {
	case kindString:
		return ""
	case kindInt:
		return 0
	case kindFloat:
		return 0.0
	case kindBool:
		return false
	case kindTime:
		return time.Time{}
	case kindDuration:
		return time.Duration(0)
	case kindStrings:
		return []string(nil)
	case kindList:
		return []any(nil)
	case kindObject:
		return map[string]any(nil)
	default:
		return nil
	}
}

// convert returns the host value v as a value of type t.
func (t Type) convert(v any) (any, error) {
	if v == nil {
		return t.zero(), nil
	}
	switch t.kind {
	case kindString:
		if _, ok := v.(string); ok {
			return v, nil
		}
	case kindInt:
		if _, ok := v.(int); ok {
			return v, nil
		}
		if i, ok := toInt(v); ok {
			return i, nil
		}
	case kindFloat:
		if _, ok := v.(float64); ok {
			return v, nil
		}
		if f, ok := toFloat(v); ok {
			return f, nil
		}
	case kindBool:
		if _, ok := v.(bool); ok {
			return v, nil
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return v, nil
		case string:
			tm, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return nil, fmt.Errorf("is the string %q, not an RFC 3339 time", clip(x))
			}
			return tm, nil
		}
	case kindDuration:
		switch x := v.(type) {
		case time.Duration:
			return v, nil
		case string:
			d, err := time.ParseDuration(x)
			if err != nil {
				return nil, fmt.Errorf("is the string %q, not a duration", clip(x))
			}
			return d, nil
		}
	case kindStrings:
		switch x := v.(type) {
		case []string:
			return v, nil
		case []any:
			for i, e := range x {
				if _, ok := e.(string); !ok {
					return nil, fmt.Errorf("is a list whose item %d is %T, the schema says strings", i, e)
				}
			}
			return v, nil
		}
	case kindList:
		switch v.(type) {
		case []any, []string:
			return v, nil
		}
	case kindObject:
		if _, ok := v.(map[string]any); ok {
			return v, nil
		}
	default:
		return dynamic(v)
	}
	return nil, fmt.Errorf("is %s, the schema says %s", quoteValue(v), t)
}

// quoteValue names a host value in an error message: its Go type and, for
// a string or a number, the value itself (clipped): `string "yes"`,
// `float64 1.5`.
func quoteValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("string %q", clip(x))
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprintf("%T %v", x, x)
	}
	return fmt.Sprintf("%T", v)
}

// dynamic checks that a host value without a declared type is of a type
// rules can read.
func dynamic(v any) (any, error) {
	switch v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Time, time.Duration, []string, []any, map[string]any:
		return v, nil
	}
	return nil, fmt.Errorf("is %T, which rules cannot read", v)
}

// toInt converts an integer or a float without fraction to int.
func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int8:
		return int(x), true
	case int16:
		return int(x), true
	case int32:
		return int(x), true
	case int64:
		return int(x), true
	case uint:
		return int(x), x <= math.MaxInt
	case uint8:
		return int(x), true
	case uint16:
		return int(x), true
	case uint32:
		return int(x), true
	case uint64:
		return int(x), x <= math.MaxInt
	case float32:
		return toInt(float64(x))
	case float64:
		if x != math.Trunc(x) || x < math.MinInt || x >= math.MaxInt {
			return 0, false
		}
		return int(x), true
	}
	return 0, false
}

// toFloat converts any Go number to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	if i, ok := toInt(v); ok {
		return float64(i), true
	}
	return 0, false
}

// clip shortens a host string quoted in an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Check reports every attribute in attrs that does not have the type the
// schema declares (after the lossless conversions rules make), each with
// its path ("ticket.customer.vip: is string, the schema says bool"), joined
// in one error in path order; nil when all fit. Attributes the schema does
// not declare are allowed: no rule can read them. A nil schema accepts any
// value rules can read.
func (s Schema) Check(attrs map[string]any) error {
	var errs []fieldError
	var path [8]string // deeper objects grow it
	s.check(path[:0], attrs, &errs)
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b fieldError) int { return strings.Compare(a.path, b.path) })
	joined := make([]error, len(errs))
	for i, e := range errs {
		joined[i] = fmt.Errorf("ticket.%s: %v", e.path, e.err)
	}
	return errors.Join(joined...)
}

// fieldError is one attribute that does not fit the schema.
type fieldError struct {
	path string // below ticket., e.g. "customer.vip"
	err  error
}

// check walks m, the object at path (nil at the top), in no particular
// order; Check sorts what it finds. A fitting attribute costs no allocation.
func (s Schema) check(path []string, m map[string]any, errs *[]fieldError) {
	for name, v := range m {
		t, declared := s[name]
		if s == nil {
			t, declared = Any, true
		}
		if !declared {
			continue
		}
		v, err := t.convert(v)
		if err != nil {
			*errs = append(*errs, fieldError{strings.Join(append(path, name), "."), err})
			continue
		}
		if obj, ok := v.(map[string]any); ok && t.kind == kindObject {
			t.fields.check(append(path, name), obj, errs)
		}
	}
}
