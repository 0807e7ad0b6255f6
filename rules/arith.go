package rules

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

var durationType = reflect.TypeOf(time.Duration(0))

// arith is one operator of integer arithmetic: apply computes it and says
// whether the result fits, ints and durations are the calls that replace
// it in a rule, for an int and a duration result.
type arith struct {
	apply     func(x, y int64) (int64, bool)
	ints      func(x, y any) any
	durations func(x, y any) any
}

// arithmetic are the operators of integer arithmetic that can overflow
// (/ gives a float, % cannot overflow).
var arithmetic = map[string]arith{
	"+": newArith("+", func(x, y int64) (int64, bool) {
		r := x + y // overflows when x and y have one sign and r the other
		return r, (x >= 0) != (y >= 0) || (r >= 0) == (x >= 0)
	}),
	"-": newArith("-", func(x, y int64) (int64, bool) {
		r := x - y // overflows when x and y have different signs, and r not x's
		return r, (x >= 0) == (y >= 0) || (r >= 0) == (x >= 0)
	}),
	"*": newArith("*", func(x, y int64) (int64, bool) {
		if x == 0 || y == 0 {
			return 0, true
		}
		r := x * y
		return r, r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64)
	}),
}

// newArith returns the operator op computed by apply.
func newArith(op string, apply func(x, y int64) (int64, bool)) arith {
	call := func(x, y any) int64 {
		v, ok := apply(toInt64(x), toInt64(y))
		if !ok {
			check(fmt.Errorf("integer overflow: %v %s %v", x, op, y))
		}
		return v
	}
	return arith{
		apply:     apply,
		ints:      func(x, y any) any { return int(call(x, y)) },
		durations: func(x, y any) any { return time.Duration(call(x, y)) },
	}
}

// toInt64 returns an int or a duration as an int64.
func toInt64(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case time.Duration:
		return int64(x)
	case int64:
		return x
	}
	check(fmt.Errorf("%T is not an integer", v))
	return 0
}

// negate is -x of an int x.
func negate(x any) any {
	v := toInt64(x)
	if v == math.MinInt64 {
		check(fmt.Errorf("integer overflow: -(%v)", x))
	}
	return int(-v)
}
