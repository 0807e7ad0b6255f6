module github.com/ladder-go/ladder

go 1.26

require (
	github.com/benbjohnson/clock v1.3.5
	github.com/expr-lang/expr v1.17.8
	github.com/google/go-cmp v0.7.0
)
