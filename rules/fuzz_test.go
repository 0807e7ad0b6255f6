package rules_test

import (
	"errors"
	"testing"

	"github.com/ladder-go/ladder/rules"
)

// FuzzCompile checks that no source makes Compile, Eval or Explain panic or
// run unbounded, and that every failure is an *Error.
func FuzzCompile(f *testing.F) {
	for _, tt := range evalTests {
		f.Add(tt.src)
	}
	for _, tt := range compileErrors {
		f.Add(tt.src)
	}
	for _, tt := range hostile {
		f.Add(tt.src)
	}
	for _, src := range setSources {
		f.Add(src)
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, src string) {
		var e *rules.Error
		r, err := rules.Compile(src)
		if err != nil {
			if !errors.As(err, &e) {
				t.Fatalf("Compile(%q) error %v is not an *Error", src, err)
			}
			return
		}
		if _, err := r.Eval(env); err != nil && !errors.As(err, &e) {
			t.Fatalf("Eval(%q) error %v is not an *Error", src, err)
		}
		r.Explain(env)
	})
}
