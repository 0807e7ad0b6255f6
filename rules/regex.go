package rules

import (
	"regexp/syntax"
)

// regexSize estimates the instructions of the program a pattern compiles
// to, without compiling it: a repetition x{n,m} counts as max(n, m) copies
// of x (the compiler writes them out), a character class as one
// instruction per four of its ranges (its ranges are kept and searched).
// It stops counting past limit, so that a pattern written to be huge costs
// no more than one within the limit. A pattern that does not parse has
// size 0: the compiler reports it.
func regexSize(pattern string, limit int) int {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0
	}
	return sizeOf(re, limit+1)
}

// sizeOf is regexSize of a parsed pattern, at most limit.
func sizeOf(re *syntax.Regexp, limit int) int {
	sum := func(subs []*syntax.Regexp, n int) int {
		for _, sub := range subs {
			n += sizeOf(sub, limit)
			if n >= limit {
				return limit
			}
		}
		return n
	}
	n := 1
	switch re.Op {
	case syntax.OpLiteral:
		n = len(re.Rune)
	case syntax.OpCharClass:
		n = 1 + len(re.Rune)/8 // pairs of bounds: a range is two runes
	case syntax.OpConcat, syntax.OpAlternate:
		n = sum(re.Sub, len(re.Sub))
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		n = sum(re.Sub, 2)
	case syntax.OpRepeat:
		copies := max(re.Min, re.Max, 1)
		one := sum(re.Sub, 0)
		if one >= limit || copies >= limit/max(one, 1) {
			return limit
		}
		n = 1 + one*copies
	}
	return min(n, limit)
}
