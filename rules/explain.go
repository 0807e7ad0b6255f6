package rules

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Clause is one top-level clause of a condition and its value on one
// environment: what an audit trail records to say why a rule did or did not
// fire. It is plain data.
type Clause struct {
	Text  string `json:"text"`            // the clause as the rule writes it
	Value bool   `json:"value"`           // its value, false when it failed
	Error string `json:"error,omitempty"` // why it failed, "" when it did not
}

// clause is a compiled top-level clause.
type clause struct {
	text    string
	program *vm.Program
}

// Explain evaluates each top-level clause of the condition on env: the
// operands of its outermost chain of && (or of ||), or else the whole
// condition. Every clause is evaluated, also those that the condition itself
// would skip, and each has its own budgets.
func (r *Rule) Explain(env *Env) []Clause {
	e := evaluators.Get().(*evaluator)
	out := make([]Clause, len(r.clauses))
	for i, c := range r.clauses {
		ok, err := e.eval(r, c.program, env)
		out[i] = Clause{Text: c.text, Value: ok}
		if err != nil {
			out[i].Error = err.Msg
		}
	}
	evaluators.Put(e)
	return out
}

// split returns the places of the top-level clauses of the condition at root
// and the text of each in src.
func split(src string, root *ast.Node) ([]*ast.Node, []string) {
	bin, ok := (*root).(*ast.BinaryNode)
	group := logical(bin)
	if !ok || group == "" {
		return []*ast.Node{root}, []string{trimClause(src)}
	}
	var slots []*ast.Node
	var ops []file.Location
	var walk func(slot *ast.Node)
	walk = func(slot *ast.Node) {
		if b, ok := (*slot).(*ast.BinaryNode); ok && logical(b) == group {
			walk(&b.Left)
			ops = append(ops, b.Location())
			walk(&b.Right)
			return
		}
		slots = append(slots, slot)
	}
	walk(root)

	// Offsets in locations count characters; map them to bytes.
	offsets := make([]int, 0, len(src)+1)
	for i := range src {
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(src))
	texts := make([]string, len(slots))
	for i := range slots {
		from, to := 0, len(src)
		if i > 0 {
			from = offsets[ops[i-1].To]
		}
		if i < len(ops) {
			to = offsets[ops[i].From]
		}
		texts[i] = trimClause(src[from:to])
	}
	return slots, texts
}

// logical returns the group of a logical operator: "and", "or", or "".
func logical(b *ast.BinaryNode) string {
	if b == nil {
		return ""
	}
	switch b.Operator {
	case "&&", "and":
		return "and"
	case "||", "or":
		return "or"
	}
	return ""
}

// trimClause trims spaces and the parentheses that open before the clause
// or close after it: those of a group the clause is only part of.
func trimClause(s string) string {
	var open []int    // offsets of unmatched '('
	var closing []int // offsets of unmatched ')'
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			open = append(open, i)
		case ')':
			if len(open) > 0 {
				open = open[:len(open)-1]
			} else {
				closing = append(closing, i)
			}
		case '"', '\'', '`':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' && c != '`' {
					i++
				}
			}
		}
	}
	from, to := 0, len(s)
	if len(open) > 0 {
		from = open[len(open)-1] + 1
	}
	if len(closing) > 0 {
		to = closing[0]
	}
	if from > to {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(s[from:to])
}
