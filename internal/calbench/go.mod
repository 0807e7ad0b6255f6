module github.com/ladder-go/ladder/internal/calbench

go 1.26.0

require (
	github.com/ladder-go/ladder v0.0.0
	github.com/rickar/cal/v2 v2.1.26
)

replace github.com/ladder-go/ladder => ../..
