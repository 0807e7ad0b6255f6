package rules

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/types"
)

// builtins are the expression library's own functions that rules may call;
// every other one is disabled.
var builtins = map[string]bool{
	"all": true, "any": true, "none": true, "one": true,
	"filter": true, "map": true, "count": true, "len": true,
}

// builder compiles rules with the settings of one Compile or CompileSet
// call. It is not safe for concurrent use.
type builder struct {
	settings
	config *conf.Config
}

func newBuilder(opts []Option) *builder {
	c := &builder{settings: newSettings(opts)}
	c.config = conf.CreateNew()
	options := append(functionOptions(),
		expr.Env(c.envType()),
		expr.MaxNodes(uint(c.maxNodes)),
		expr.DisableAllBuiltins(),
	)
	for name := range builtins {
		options = append(options, expr.EnableBuiltin(name))
	}
	for _, opt := range options {
		opt(c.config)
	}
	for name := range c.config.Disabled {
		delete(c.config.Builtins, name)
	}
	return c
}

// envType returns the types of the names rules can read.
func (c *builder) envType() types.Map {
	duration := types.TypeOf(time.Duration(0))
	instant := types.TypeOf(time.Time{})
	status := types.Map{
		"elapsed":   duration,
		"remaining": duration,
		"percent":   types.Float64,
		"due":       instant,
		"paused":    types.Bool,
		"breached":  types.Bool,
		"met":       types.Bool,
	}
	sla := types.Map{}
	for _, m := range defaultMetrics {
		sla[m] = status
	}
	for _, m := range c.metrics {
		sla[m] = status
	}
	var ticket types.Type = types.TypeOf(map[string]any{})
	if c.schema != nil {
		ticket = c.schema.exprType()
	}
	return types.Map{
		"ticket":       ticket,
		"priority":     types.String,
		"impact":       types.String,
		"urgency":      types.String,
		"tier":         types.Int,
		"team":         types.String,
		"status":       types.String,
		"event":        types.String,
		"manual":       types.Bool,
		"escalations":  types.Int,
		"time_in_tier": duration,
		"idle":         duration,
		"now":          instant,
		"sla":          sla,
	}
}

// rule compiles the condition src of the rule name at index (-1 alone).
func (c *builder) rule(name string, index int, src string) (*Rule, *Error) {
	r, p := c.build(src)
	if p != nil {
		return nil, p.bind(name, index, src)
	}
	r.name, r.index, r.source = name, index, src
	return r, nil
}

// build runs the pipeline: bounds, parse, validate, type-check, rewrite,
// optimize and compile to bytecode.
func (c *builder) build(src string) (r *Rule, p *problem) {
	defer func() {
		if v := recover(); v != nil {
			r, p = nil, problemf(-1, "cannot compile the condition: %v", v)
		}
	}()
	if len(src) > c.maxSourceLen {
		return nil, limitf(-1, "MaxSourceLen", "the condition is %d bytes long, the limit is %d", len(src), c.maxSourceLen)
	}
	if strings.TrimSpace(src) == "" {
		return nil, problemf(-1, "the condition is empty")
	}
	if p := checkDepth(src, c.maxDepth); p != nil {
		return nil, p
	}
	tree, err := parser.ParseWithConfig(src, c.config)
	if err != nil {
		return nil, c.exprProblem(err)
	}
	if p := validate(&tree.Node); p != nil {
		return nil, p
	}
	if p := c.patterns(tree.Node); p != nil {
		return nil, p
	}
	if _, err := checker.Check(tree, c.config); err != nil {
		return nil, c.exprProblem(err)
	}
	if t := tree.Node.Type(); t.Kind() != reflect.Bool && t.Kind() != reflect.Interface {
		return nil, problemf(0, "the condition is %s, not bool", typeName(t))
	}
	slots, texts := split(src, &tree.Node)
	reads := readsOf(&tree.Node)
	if p := c.rewrite(&tree.Node); p != nil {
		return nil, p
	}
	r = &Rule{limits: limits{memoryBudget: c.memoryBudget, maxSteps: c.maxSteps}, reads: reads}
	if len(slots) > 1 {
		for i, slot := range slots {
			// Optimised in place: the whole condition's optimisation
			// below then finds its clauses done.
			if err := optimizer.Optimize(slot, c.config); err != nil {
				return nil, c.exprProblem(err)
			}
			program, err := compiler.Compile(&parser.Tree{Node: *slot, Source: tree.Source}, c.config)
			if err != nil {
				return nil, c.exprProblem(err)
			}
			r.clauses = append(r.clauses, clause{text: texts[i], program: program})
		}
	}
	if err := optimizer.Optimize(&tree.Node, c.config); err != nil {
		return nil, c.exprProblem(err)
	}
	if r.program, err = compiler.Compile(tree, c.config); err != nil {
		return nil, c.exprProblem(err)
	}
	if len(slots) == 1 {
		r.clauses = []clause{{text: texts[0], program: r.program}}
	}
	return r, nil
}

// exprProblem turns an error of the expression library into a problem.
func (c *builder) exprProblem(err error) *problem {
	if strings.Contains(err.Error(), "exceeds maximum allowed nodes") {
		return limitf(-1, "MaxNodes", "the condition has more than %d nodes", c.maxNodes)
	}
	return fromExpr(err)
}

// checkDepth reports where the source nests deeper than max, before the
// parser (which recurses once per level) sees it. A level is a parenthesis,
// bracket or brace, or a unary operator (!, not, -, +) applied to another.
// Strings and comments are skipped as the parser reads them.
func checkDepth(src string, max int) *problem {
	rs := []rune(src)
	depth := 0      // open brackets
	unary := 0      // unary operators in a row
	operand := true // whether an operand comes next
	deeper := func(i int, level int) *problem {
		if level > max {
			return limitf(i, "MaxDepth", "the condition nests deeper than %d", max)
		}
		return nil
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '(' || r == '[' || r == '{':
			depth++
			if p := deeper(i, depth); p != nil {
				return p
			}
			operand, unary = true, 0
		case r == ')' || r == ']' || r == '}':
			depth--
			operand, unary = false, 0
		case r == '"' || r == '\'':
			for i++; i < len(rs) && rs[i] != r && rs[i] != '\n'; i++ {
				if rs[i] == '\\' {
					i++
				}
			}
			operand, unary = false, 0
		case r == '`':
			for i++; i < len(rs) && rs[i] != '`'; i++ {
			}
			operand, unary = false, 0
		case r == '/' && i+1 < len(rs) && rs[i+1] == '/':
			for i += 2; i < len(rs) && rs[i] != '\n'; i++ {
			}
		case r == '/' && i+1 < len(rs) && rs[i+1] == '*':
			for i += 2; i+1 < len(rs) && !(rs[i] == '*' && rs[i+1] == '/'); i++ {
			}
			i++
		case (r == '!' || r == '-' || r == '+') && operand && (i+1 == len(rs) || rs[i+1] != '='):
			unary++
			if p := deeper(i, unary); p != nil {
				return p
			}
		case r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r):
			start := i
			for i+1 < len(rs) && (rs[i+1] == '_' || rs[i+1] == '$' || unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
				i++
			}
			switch word := string(rs[start : i+1]); word {
			case "not":
				if operand {
					unary++
					if p := deeper(start, unary); p != nil {
						return p
					}
				}
				operand = true
			case "in", "and", "or", "matches", "contains", "startsWith", "endsWith", "let", "if", "else":
				operand, unary = true, 0
			default:
				operand, unary = false, 0
			}
		case r == '#':
			operand, unary = false, 0
		default:
			operand, unary = true, 0
		}
	}
	return nil
}

// validate rejects what the checker would accept but rules must not do:
// reserved names, builtins outside the language, functions used as values and
// calls of anything but a function. It also reads now() as now.
func validate(slot *ast.Node) *problem {
	switch n := (*slot).(type) {
	case *ast.IdentifierNode:
		if strings.HasPrefix(n.Value, "$") {
			return problemf(n.Location().From, "unknown name %q", n.Value)
		}
		if _, ok := functions[n.Value]; ok {
			return problemf(n.Location().From, "%s is a function: call it as %s(...)", n.Value, n.Value)
		}
	case *ast.VariableDeclaratorNode:
		if strings.HasPrefix(n.Name, "$") {
			return problemf(n.Location().From, "%q: names starting with $ are reserved", n.Name)
		}
	case *ast.BuiltinNode:
		if !builtins[n.Name] {
			return problemf(n.Location().From, "unknown name %q", n.Name)
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "now" {
			if len(n.Arguments) > 0 {
				return problemf(n.Location().From, "now() takes no arguments")
			}
			*slot = id
			return nil
		}
		if _, ok := n.Callee.(*ast.IdentifierNode); !ok {
			if m, ok := n.Callee.(*ast.MemberNode); ok {
				if s, ok := m.Property.(*ast.StringNode); ok {
					return problemf(n.Location().From, "unknown function %q", s.Value)
				}
			}
			return problemf(n.Location().From, "only functions can be called")
		}
		for i := range n.Arguments {
			if p := validate(&n.Arguments[i]); p != nil {
				return p
			}
		}
		return nil
	}
	for _, child := range children(*slot) {
		if p := validate(child); p != nil {
			return p
		}
	}
	return nil
}

// patterns refuses a constant pattern of matches larger than the limit,
// before the checker compiles it.
func (c *builder) patterns(n ast.Node) *problem {
	if b, ok := n.(*ast.BinaryNode); ok && b.Operator == "matches" {
		if s, ok := b.Right.(*ast.StringNode); ok && regexSize(s.Value, c.maxRegexSize) > c.maxRegexSize {
			return limitf(s.Location().From, "MaxRegexSize", "the pattern is larger than %d instructions", c.maxRegexSize)
		}
	}
	for _, child := range children(n) {
		if p := c.patterns(*child); p != nil {
			return p
		}
	}
	return nil
}

// children returns the places of the direct children of n.
func children(n ast.Node) []*ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []*ast.Node{&n.Node}
	case *ast.BinaryNode:
		return []*ast.Node{&n.Left, &n.Right}
	case *ast.ChainNode:
		return []*ast.Node{&n.Node}
	case *ast.MemberNode:
		return []*ast.Node{&n.Node, &n.Property}
	case *ast.SliceNode:
		s := []*ast.Node{&n.Node}
		if n.From != nil {
			s = append(s, &n.From)
		}
		if n.To != nil {
			s = append(s, &n.To)
		}
		return s
	case *ast.CallNode:
		return append([]*ast.Node{&n.Callee}, places(n.Arguments)...)
	case *ast.BuiltinNode:
		return places(n.Arguments)
	case *ast.PredicateNode:
		return []*ast.Node{&n.Node}
	case *ast.VariableDeclaratorNode:
		return []*ast.Node{&n.Value, &n.Expr}
	case *ast.SequenceNode:
		return places(n.Nodes)
	case *ast.ConditionalNode:
		return []*ast.Node{&n.Cond, &n.Exp1, &n.Exp2}
	case *ast.ArrayNode:
		return places(n.Nodes)
	case *ast.MapNode:
		return places(n.Pairs)
	case *ast.PairNode:
		return []*ast.Node{&n.Key, &n.Value}
	}
	return nil
}

func places(nodes []ast.Node) []*ast.Node {
	s := make([]*ast.Node, len(nodes))
	for i := range nodes {
		s[i] = &nodes[i]
	}
	return s
}

// typeName names a type the way the rule language documents it.
func typeName(t reflect.Type) string {
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return "time"
	case t == reflect.TypeOf(time.Duration(0)):
		return "duration"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map:
		return "object"
	}
	return fmt.Sprint(t)
}
