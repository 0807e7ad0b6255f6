package rules

import (
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker/nature"
)

// rewrite prepares a checked syntax tree for the VM. Reads of the environment
// become loads that neither reflect nor box what is already boxed, calls
// receive the evaluation's frame, calls with constant arguments fold, and
// whatever costs in proportion to its data is charged to the budgets: each
// iteration of a predicate, each comparison or search over a list, a map or a
// text, each text built by +. Types stay as the checker computed them.
func (c *builder) rewrite(slot *ast.Node) *problem {
	switch n := (*slot).(type) {
	case *ast.IdentifierNode:
		if r, ok := roots[n.Value]; ok {
			replace(slot, direct(loader(&path{text: n.Value, root: r}), frameNode()))
		}
		return nil
	case *ast.MemberNode:
		return c.member(slot, n)
	case *ast.CallNode:
		return c.call(slot, n)
	}
	for _, child := range children(*slot) {
		if p := c.rewrite(child); p != nil {
			return p
		}
	}
	switch n := (*slot).(type) {
	case *ast.BuiltinNode:
		builtin(n)
	case *ast.BinaryNode:
		return c.binary(slot, n)
	case *ast.UnaryNode:
		return negation(slot, n)
	}
	return nil
}

// member rewrites n.Node.Property: a path of the environment becomes one
// load, any other field or item a checked read.
func (c *builder) member(slot *ast.Node, n *ast.MemberNode) *problem {
	if p := c.envPath(n); p != nil {
		replace(slot, direct(loader(p), frameNode()))
		return nil
	}
	switch n.Node.Type().Kind() {
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Interface:
	default:
		// A method of a time or a duration: the checker knows them,
		// rules do not.
		return problemf(n.Location().From, "unknown field %s", n.Property)
	}
	if p := c.rewrite(&n.Node); p != nil {
		return p
	}
	if p := c.rewrite(&n.Property); p != nil {
		return p
	}
	replace(slot, direct(read, n.Node, n.Property))
	return nil
}

// envPath returns the path that n reads when it is a chain of constant
// names below ticket or sla, nil otherwise.
func (c *builder) envPath(n *ast.MemberNode) *path {
	var keys []string // from the last to the first
	var node ast.Node = n
	for {
		m, ok := node.(*ast.MemberNode)
		if !ok {
			break
		}
		s, ok := m.Property.(*ast.StringNode)
		if !ok {
			return nil
		}
		keys = append(keys, s.Value)
		node = m.Node
	}
	slices.Reverse(keys)
	id, ok := node.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	r, ok := roots[id.Value]
	if !ok {
		return nil
	}
	p := &path{text: id.Value + "." + strings.Join(keys, "."), root: r, keys: keys}
	switch {
	case r == rootTicket:
		p.typ, _ = c.schema.field(keys)
	case r == rootSLA && len(keys) == 1:
	case r == rootSLA && len(keys) == 2:
		p.keys, p.field = keys[:1], slaFields[keys[1]]
	default:
		return nil
	}
	return p
}

// call gives a function call the frame, or folds it when it is pure and its
// arguments are constants.
func (c *builder) call(slot *ast.Node, n *ast.CallNode) *problem {
	for i := range n.Arguments {
		if p := c.rewrite(&n.Arguments[i]); p != nil {
			return p
		}
	}
	name := n.Callee.(*ast.IdentifierNode).Value
	fn := functions[name]
	if fn.fold {
		if args, ok := constants(n.Arguments); ok {
			v, err := fn.call(nil, args)
			if err != nil {
				return problemf(n.Arguments[0].Location().From, "%v", err)
			}
			replace(slot, &ast.ConstantNode{Value: v})
			return nil
		}
	}
	n.Arguments = append([]ast.Node{frameNode()}, n.Arguments...)
	// The checker's signature no longer matches the arguments; without
	// one the compiler passes them as they are.
	n.Callee.SetNature(nature.Nature{})
	return nil
}

// constants returns the values of nodes when all are string literals.
func constants(nodes []ast.Node) ([]any, bool) {
	values := make([]any, len(nodes))
	for i, n := range nodes {
		s, ok := n.(*ast.StringNode)
		if !ok {
			return nil, false
		}
		values[i] = s.Value
	}
	return values, true
}

// builtin charges each iteration of a predicate the size of its body, and a
// count without predicate the size of its list.
func builtin(n *ast.BuiltinNode) {
	if len(n.Arguments) == 2 {
		if pred, ok := n.Arguments[1].(*ast.PredicateNode); ok {
			body := &pred.Node
			replace(body, direct(stepper(countNodes(*body)), frameNode(), *body))
			return
		}
	}
	if n.Name == "count" {
		charge(&n.Arguments[0])
	}
}

// binary charges the operands of n whose cost grows with their size, and
// the texts that a + copies; it joins constant texts, bounds the size of a
// pattern, and makes integer arithmetic fail on overflow.
func (c *builder) binary(slot *ast.Node, n *ast.BinaryNode) *problem {
	if integer(n.Left) && integer(n.Right) {
		if op, ok := arithmetic[n.Operator]; ok {
			return checked(slot, n, op)
		}
	}
	switch n.Operator {
	case "+":
		left, lok := n.Left.(*ast.StringNode)
		right, rok := n.Right.(*ast.StringNode)
		if lok && rok {
			replace(slot, &ast.StringNode{Value: left.Value + right.Value})
			return nil
		}
		for _, operand := range []*ast.Node{&n.Left, &n.Right} {
			if k := (*operand).Type().Kind(); k == reflect.String || k == reflect.Interface {
				replace(operand, direct(reserve, frameNode(), *operand))
			}
		}
	case "==", "!=", "<", ">", "<=", ">=", "startsWith", "endsWith":
		if !literal(n.Left) && !literal(n.Right) {
			charge(&n.Left)
			charge(&n.Right)
		}
	case "contains":
		if !literal(n.Left) {
			charge(&n.Left)
		}
	case "in":
		// A list written out, a map and a range with constant bounds (the
		// optimizer turns x in 1..9 into two comparisons) cost no more
		// than their source.
		_, array := n.Right.(*ast.ArrayNode)
		if !array && n.Right.Type().Kind() != reflect.Map && !constantRange(n) {
			charge(&n.Right)
		}
	case "matches":
		pattern, ok := n.Right.(*ast.StringNode)
		if !ok {
			return problemf(n.Right.Location().From, "the pattern of matches must be a constant string")
		}
		chargeWith(matcher(regexSize(pattern.Value, c.maxRegexSize)), &n.Left) // within the limit: see patterns
	}
	return nil
}

// integer reports whether n is an integer: an int or a duration.
func integer(n ast.Node) bool {
	k := n.Type().Kind()
	return k == reflect.Int || k == reflect.Int64
}

// checked replaces the integer arithmetic n by a call that fails on
// overflow, or by its value when both operands are constants.
func checked(slot *ast.Node, n *ast.BinaryNode, op arith) *problem {
	left, lok := n.Left.(*ast.IntegerNode)
	right, rok := n.Right.(*ast.IntegerNode)
	if lok && rok {
		v, ok := op.apply(int64(left.Value), int64(right.Value))
		if !ok {
			return problemf(n.Location().From, "integer overflow: %d %s %d", left.Value, n.Operator, right.Value)
		}
		replace(slot, &ast.IntegerNode{Value: int(v)})
		return nil
	}
	fn := op.ints
	if n.Type() == durationType {
		fn = op.durations
	}
	replace(slot, direct(fn, n.Left, n.Right))
	return nil
}

// negation makes -x of an int x fail on overflow.
func negation(slot *ast.Node, n *ast.UnaryNode) *problem {
	if n.Operator != "-" || !integer(n.Node) {
		return nil
	}
	if _, ok := n.Node.(*ast.IntegerNode); ok {
		return nil // the smallest int cannot be written: -x never overflows
	}
	replace(slot, direct(negate, n.Node)) // the checker refuses -d of a duration d
	return nil
}

// constantRange reports whether n is int in a..b with constant a and b.
func constantRange(n *ast.BinaryNode) bool {
	r, ok := n.Right.(*ast.BinaryNode)
	if !ok || r.Operator != ".." || n.Left.Type().Kind() != reflect.Int {
		return false
	}
	_, from := r.Left.(*ast.IntegerNode)
	_, to := r.Right.(*ast.IntegerNode)
	return from && to
}

// charge wraps the operand at slot in a call that charges its size, unless
// its type has a size that does not grow.
func charge(slot *ast.Node) {
	chargeWith(measure, slot)
}

func chargeWith(meter func(any, any) any, slot *ast.Node) {
	switch (*slot).Type().Kind() {
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map, reflect.Interface:
		replace(slot, direct(meter, frameNode(), *slot))
	}
}

// literal reports whether n is written as a constant in the source.
func literal(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode:
		return true
	}
	return false
}

// countNodes returns the size of the tree n.
func countNodes(n ast.Node) int {
	count := 1
	for _, child := range children(n) {
		count += countNodes(*child)
	}
	return count
}

// direct returns a call of fn, one of the compiler's own functions, with
// args. Its type lets the VM call it without reflection.
func direct(fn any, args ...ast.Node) *ast.CallNode {
	callee := &ast.ConstantNode{Value: fn}
	callee.SetType(reflect.TypeOf(fn))
	return &ast.CallNode{Callee: callee, Arguments: args}
}

// frameNode returns a node that evaluates to the evaluation's frame.
func frameNode() ast.Node {
	return &ast.IdentifierNode{Value: "$env"}
}

// replace puts n at slot in place of the node there, keeping its position
// in the source and its type.
func replace(slot *ast.Node, n ast.Node) {
	old := *slot
	n.SetLocation(old.Location())
	n.SetNature(*old.Nature())
	*slot = n
}
