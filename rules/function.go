package rules

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/expr-lang/expr"
)

// function is a function rules can call. Every call receives the evaluation's
// frame first: the compiler adds it to the arguments the rule wrote.
type function struct {
	types []any                                   // signatures the checker accepts
	fold  bool                                    // calls with constant arguments run at compile time
	call  func(f *frame, args []any) (any, error) // f is nil when the call is folded
}

// functions are the functions rules can call by name.
var functions = map[string]function{
	"duration": {
		types: []any{new(func(string) time.Duration)},
		fold:  true,
		call:  parseDuration,
	},
	"date": {
		types: []any{new(func(string) time.Time)},
		fold:  true,
		call:  parseDate,
	},
	"is_open": {
		types: []any{new(func() bool), new(func(time.Time) bool)},
		call:  isOpen,
	},
	"business_between": {
		types: []any{new(func(time.Time, time.Time) time.Duration)},
		call:  businessBetween,
	},
	"lower": {
		types: []any{new(func(string) string)},
		call:  mapText("lower", strings.ToLower),
	},
	"upper": {
		types: []any{new(func(string) string)},
		call:  mapText("upper", strings.ToUpper),
	},
	"trim": {
		types: []any{new(func(string) string)},
		call: func(_ *frame, args []any) (any, error) {
			s, err := arg[string]("trim", args, 0)
			return strings.TrimSpace(s), err
		},
	},
}

// The compiler's own functions take one or two arguments and return one
// value, so the VM calls them directly, without reflection and without
// allocating their arguments. They report a failure by panicking with an
// error, which the VM returns.

// loader returns the function that reads p: load(frame).
func loader(p *path) func(any) any {
	return func(f any) any {
		return must(p.load(f.(*frame).env))
	}
}

// stepper returns the function that charges one iteration of a predicate
// whose body has cost nodes: step(frame, body).
func stepper(cost int) func(any, any) any {
	return func(f, v any) any {
		check(f.(*frame).step(cost))
		return v
	}
}

// read returns a field or an item of a value: read(value, key).
func read(v, key any) any {
	return must(member(v, key))
}

// meter returns the function that charges a value about to be compared or
// searched, one step per perStep bytes of text: measure(frame, value).
func meter(perStep int) func(any, any) any {
	return func(f, v any) any {
		fr := f.(*frame)
		check(fr.step(size(v, perStep, fr.steps)))
		return v
	}
}

// Comparing and searching text costs a step per 256 bytes.
var measure = meter(256)

// matchWork is the work of one step of matching: a byte of text against
// that many instructions of a pattern.
const matchWork = 6

// matcher returns the function that charges a text about to be matched
// against a pattern of size instructions: a step per matchWork of bytes
// times instructions, so a pattern of 3 costs a step per 2 bytes.
func matcher(size int) func(any, any) any {
	size = max(size, 1)
	return func(f, v any) any {
		fr := f.(*frame)
		if s, ok := v.(string); ok {
			check(fr.step(1 + int(min(int64(len(s))*int64(size)/matchWork, math.MaxInt32))))
		} else {
			check(fr.step(1))
		}
		return v
	}
}

// reserve charges a text about to be copied into a new one: reserve(frame, value).
func reserve(f, v any) any {
	if s, ok := v.(string); ok {
		check(f.(*frame).alloc(len(s)))
	}
	return v
}

// must returns v, or panics with err for the VM to return.
func must(v any, err error) any {
	check(err)
	return v
}

// check panics with err, if any, for the VM to return.
func check(err error) {
	if err != nil {
		panic(err)
	}
}

// functionOptions returns the options that declare the functions to the
// expression compiler.
func functionOptions() []expr.Option {
	opts := make([]expr.Option, 0, len(functions))
	for name, fn := range functions {
		opts = append(opts, expr.Function(name, withFrame(fn.call), fn.types...))
	}
	return opts
}

// withFrame adapts a function to the calling convention of the VM.
func withFrame(call func(*frame, []any) (any, error)) func(...any) (any, error) {
	return func(args ...any) (any, error) {
		return call(args[0].(*frame), args[1:])
	}
}

func parseDuration(_ *frame, args []any) (any, error) {
	s, err := arg[string]("duration", args, 0)
	if err != nil {
		return nil, err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return nil, fmt.Errorf("duration: %q is not a duration like \"30m\" or \"1h30m\"", clip(s))
	}
	return d, nil
}

func parseDate(_ *frame, args []any) (any, error) {
	s, err := arg[string]("date", args, 0)
	if err != nil {
		return nil, err
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return nil, fmt.Errorf("date: %q is not a date like \"2026-03-08\" or \"2026-03-08T09:00:00Z\"", clip(s))
}

func isOpen(f *frame, args []any) (any, error) {
	t := f.env.Now
	if len(args) == 1 {
		var err error
		if t, err = arg[time.Time]("is_open", args, 0); err != nil {
			return nil, err
		}
	}
	if f.env.Calendar == nil {
		return true, nil
	}
	return f.env.Calendar.IsOpen(t), nil
}

func businessBetween(f *frame, args []any) (any, error) {
	from, err := arg[time.Time]("business_between", args, 0)
	if err != nil {
		return nil, err
	}
	to, err := arg[time.Time]("business_between", args, 1)
	if err != nil {
		return nil, err
	}
	// A step per 12 hours spanned: the calendar's work grows with the
	// span, and the step budget bounds it (the default's 10,000 steps span
	// about 13 years). A span too long for a Duration costs the whole
	// budget.
	halfDays := to.Sub(from) / (12 * time.Hour)
	if err := f.step(1 + int(min(max(halfDays, -halfDays), math.MaxInt32))); err != nil {
		return nil, err
	}
	if f.env.Calendar == nil {
		return to.Sub(from), nil
	}
	return f.env.Calendar.Between(from, to), nil
}

// mapText returns a function that builds a new text from its argument.
func mapText(name string, fn func(string) string) func(*frame, []any) (any, error) {
	return func(f *frame, args []any) (any, error) {
		s, err := arg[string](name, args, 0)
		if err != nil {
			return nil, err
		}
		if err := f.alloc(len(s)); err != nil {
			return nil, err
		}
		return fn(s), nil
	}
}

// arg returns argument i of a call to name as a T.
func arg[T any](name string, args []any, i int) (T, error) {
	v, ok := args[i].(T)
	if !ok {
		return v, fmt.Errorf("%s: argument %d is %T, not %T", name, i+1, args[i], v)
	}
	return v, nil
}
