package rules

// Source is one rule as a policy writes it. It is plain data.
type Source struct {
	Name string `json:"name,omitempty"` // the rule's name, optional; its errors carry it in Error.Rule
	When string `json:"when"`           // the condition
}

// Set is a list of compiled rules. It is immutable and safe for concurrent
// use.
type Set struct {
	rules []*Rule
}

// CompileSet compiles every rule of srcs with the same options (see Compile
// for the defaults). When any rule is wrong it returns no set and an Errors
// listing every bad rule, each with its path (rules[2].when) and position.
func CompileSet(srcs []Source, opts ...Option) (*Set, error) {
	c := newBuilder(opts)
	s := &Set{rules: make([]*Rule, len(srcs))}
	var errs Errors
	for i, src := range srcs {
		r, err := c.rule(src.Name, i, src.When)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.rules[i] = r
	}
	if errs != nil {
		return nil, errs
	}
	return s, nil
}

// Len returns the number of rules.
func (s *Set) Len() int { return len(s.rules) }

// Rule returns the rule at index i, in the order of the sources.
func (s *Set) Rule(i int) *Rule { return s.rules[i] }

// Eval evaluates every rule on env, in order, and appends to dst whether
// each holds. A rule whose evaluation fails reads false, and the error is
// then an Errors listing every failure.
func (s *Set) Eval(env *Env, dst []bool) ([]bool, error) {
	e := evaluators.Get().(*evaluator)
	var errs Errors
	for _, r := range s.rules {
		ok, err := e.eval(r, r.program, env)
		if err != nil {
			errs = append(errs, err)
		}
		dst = append(dst, ok)
	}
	evaluators.Put(e)
	if errs != nil {
		return dst, errs
	}
	return dst, nil
}
