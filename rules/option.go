package rules

// Option configures Compile and CompileSet. Options are plain values, safe
// to reuse and to share between goroutines.
type Option func(*settings)

// settings are the options of one Compile or CompileSet call.
type settings struct {
	schema       Schema
	metrics      []string
	maxSourceLen int
	maxDepth     int
	maxNodes     int
	memoryBudget int
	maxSteps     int
	maxRegexSize int
}

func newSettings(opts []Option) settings {
	s := settings{
		maxSourceLen: 4096,
		maxDepth:     32,
		maxNodes:     1000,
		memoryBudget: 50_000,
		maxSteps:     10_000,
		maxRegexSize: 1000,
	}
	for _, opt := range opts {
		opt(&s)
	}
	return s
}

// WithSchema type-checks ticket attributes against schema: a rule that reads
// an undeclared attribute, or uses one with the wrong type, does not compile.
// Without it every ticket attribute is dynamic.
func WithSchema(schema Schema) Option {
	return func(s *settings) { s.schema = schema }
}

// WithMetrics declares custom SLA metrics that rules may read as
// sla.<name>.<field>, besides first_response, next_response and resolution.
// Reading an undeclared metric is a compile error.
func WithMetrics(names ...string) Option {
	return func(s *settings) { s.metrics = append(s.metrics, names...) }
}

// WithMaxSourceLen bounds the length of a rule's source in bytes (default
// 4096). n <= 0 keeps the default.
func WithMaxSourceLen(n int) Option {
	return positive(n, func(s *settings) { s.maxSourceLen = n })
}

// WithMaxDepth bounds how deeply a rule may nest parentheses, brackets and
// braces (default 32). It is checked before the rule is parsed. n <= 0 keeps
// the default.
func WithMaxDepth(n int) Option {
	return positive(n, func(s *settings) { s.maxDepth = n })
}

// WithMaxNodes bounds the size of a rule's syntax tree (default 1000 nodes).
// n <= 0 keeps the default.
func WithMaxNodes(n int) Option {
	return positive(n, func(s *settings) { s.maxNodes = n })
}

// WithMemoryBudget bounds what one evaluation may build: at most n list and
// map elements (ranges, literals, filter and map results) and at most n bytes
// of text (+, lower, upper). An evaluation that needs more stops with an
// error. The default is 50000. n <= 0 keeps the default.
func WithMemoryBudget(n int) Option {
	return positive(n, func(s *settings) { s.memoryBudget = n })
}

// WithMaxSteps bounds the work of one evaluation: each iteration of a
// predicate (all, any, none, one, filter, map, count) costs the size of its
// body in syntax nodes; comparing or searching a list or an object (==, in,
// count) costs one step per item, nested ones included; comparing or searching
// a text costs one step per 256 bytes, and matching it against a regular
// expression one step per 2 bytes. An evaluation that needs more stops with
// an error. The default is 10000. n <= 0 keeps the default.
func WithMaxSteps(n int) Option {
	return positive(n, func(s *settings) { s.maxSteps = n })
}

// WithMaxRegexSize bounds the size of the pattern of each matches
// (default 1000): the instructions of its compiled program, counting a
// repetition x{n} as n copies of x and a character class by its ranges.
// Compiling a pattern, and matching it, cost in proportion to its size;
// matching charges the step budget for the text's length times the
// pattern's size. n <= 0 keeps the default.
func WithMaxRegexSize(n int) Option {
	return positive(n, func(s *settings) { s.maxRegexSize = n })
}

func positive(n int, set func(*settings)) Option {
	if n <= 0 {
		return func(*settings) {}
	}
	return set
}
