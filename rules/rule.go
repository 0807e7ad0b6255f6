package rules

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"strings"
)

// Rule is a compiled condition. It is immutable and safe for concurrent use:
// evaluations reuse pooled VMs and take no lock.
type Rule struct {
	name    string
	index   int
	source  string
	program *vm.Program
	limits  limits
	clauses []clause
	reads   uint32 // the roots the condition names, a bit each
}

// Compile compiles one condition. It must be a bool expression over the
// names of Env, with the functions and operators the package documentation
// lists.
//
// The defaults: no schema (ticket attributes are dynamic), the metrics
// first_response, next_response and resolution, sources of at most 4096
// bytes nested at most 32 deep with at most 1000 syntax nodes, and per
// evaluation a memory budget of 50000 and at most 10000 steps.
//
// A failure is an *Error with the position of the problem.
func Compile(src string, opts ...Option) (*Rule, error) {
	r, err := newBuilder(opts).rule("", -1, src)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Name returns the rule's name in its set, "" if it has none.
func (r *Rule) Name() string { return r.name }

// String returns the rule's source.
func (r *Rule) String() string { return r.source }

// Eval reports whether the condition holds on env; a nil env reads as the
// zero Env. An evaluation that fails (an attribute of the wrong type, a
// budget exceeded, a panic in the host's calendar) returns false and an
// *Error pointing at the part of the condition that failed.
func (r *Rule) Eval(env *Env) (bool, error) {
	e := evaluators.Get().(*evaluator)
	ok, err := e.eval(r, r.program, env)
	evaluators.Put(e)
	if err != nil {
		return false, err
	}
	return ok, nil
}

// eval runs program, the condition of r or one of its clauses, on env.
func (e *evaluator) eval(r *Rule, program *vm.Program, env *Env) (bool, *Error) {
	out, err := e.run(program, env, r.limits)
	if err != nil {
		p := fromExpr(err)
		switch {
		case strings.Contains(p.msg, errSteps.Error()):
			p.limit = "MaxSteps"
		case strings.Contains(p.msg, errMemory.Error()):
			p.limit = "MemoryBudget"
		}
		return false, p.bind(r.name, r.index, r.source)
	}
	switch v := out.(type) {
	case bool:
		return v, nil
	case nil:
		return false, nil
	}
	return false, problemf(-1, "the condition is %T, not bool", out).bind(r.name, r.index, r.source)
}

// Reads reports whether the condition reads name, one of the names of Env
// the package documentation lists ("ticket", "sla", "idle", ...), so that a
// host building an Env for it may leave out what it does not read.
func (r *Rule) Reads(name string) bool {
	root, ok := roots[name]
	return ok && r.reads&(1<<root) != 0
}

// readsOf returns the roots of the environment that the checked tree
// names, a bit each.
func readsOf(node *ast.Node) uint32 {
	var v rootsVisitor
	ast.Walk(node, &v)
	return uint32(v)
}

// rootsVisitor collects the roots an expression names.
type rootsVisitor uint32

func (v *rootsVisitor) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok {
		if root, ok := roots[id.Value]; ok {
			*v |= 1 << root
		}
	}
}
