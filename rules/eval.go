package rules

import (
	"errors"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// limits are the run-time bounds of a compiled rule.
type limits struct {
	memoryBudget int
	maxSteps     int
}

// frame is the state of one evaluation that functions see.
type frame struct {
	env    *Env
	steps  int // steps left
	memory int // bytes of text left to build
}

var (
	errSteps  = errors.New("step budget exceeded")
	errMemory = errors.New("memory budget exceeded")
)

// step spends n steps of the budget.
func (f *frame) step(n int) error {
	f.steps -= n
	if f.steps < 0 {
		return errSteps
	}
	return nil
}

// alloc spends n bytes of the memory budget.
func (f *frame) alloc(n int) error {
	f.memory -= n
	if f.memory < 0 {
		return errMemory
	}
	return nil
}

// evaluator is a VM and a frame, reused across evaluations through a pool
// so that evaluating allocates nothing of its own.
type evaluator struct {
	vm    vm.VM
	frame frame
}

var evaluators = sync.Pool{New: func() any { return new(evaluator) }}

// zeroEnv is what a nil *Env reads as.
var zeroEnv Env

// run runs program on env within lim and returns its result.
func (e *evaluator) run(program *vm.Program, env *Env, lim limits) (any, error) {
	if env == nil {
		env = &zeroEnv
	}
	e.frame = frame{env: env, steps: lim.maxSteps, memory: lim.memoryBudget}
	e.vm.MemoryBudget = uint(lim.memoryBudget)
	out, err := e.vm.Run(program, &e.frame)
	e.frame.env = nil
	return out, err
}
