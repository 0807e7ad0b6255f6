// Package calbench measures ladder's business calendar side by side with
// github.com/rickar/cal/v2 on the same fixture, and records where the two
// answer differently. It is a module of its own so that ladder itself does
// not depend on the calendar it is compared with; run it with
//
//	cd internal/calbench && go test -run XXX -bench . -count 5
package calbench
