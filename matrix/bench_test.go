package matrix_test

import (
	"testing"
	"time"

	"github.com/ladder-go/ladder/matrix"
)

func BenchmarkLevel(b *testing.B) {
	m := classic(b)
	p := matrix.Progress{SinceOpen: 45 * time.Minute, Percent: map[string]float64{"first_response": 100, "resolution": 60}}
	b.ReportAllocs()
	for b.Loop() {
		if st, _ := m.Level("P1", p); st.Next != 3 {
			b.Fatalf("Level = %+v", st)
		}
	}
}

func BenchmarkPriority(b *testing.B) {
	m, err := matrix.New(matrix.ITIL5x5(), []string{"frontline"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if p, _ := m.Priority("Moderate", "Very low"); p != "P4" {
			b.Fatalf("Priority = %q", p)
		}
	}
}
