package duration_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ladder-go/ladder/internal/duration"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{time.Second, "1s"},
		{15 * time.Minute, "15m"},
		{4 * time.Hour, "4h"},
		{90 * time.Minute, "1h30m"},
		{-90 * time.Minute, "-1h30m"},
		{time.Hour + time.Second, "1h1s"},
		{100*time.Hour + 59*time.Minute + 59*time.Second, "100h59m59s"},
		{-45 * time.Second, "-45s"},
		{-(2562047*time.Hour + 47*time.Minute + 16*time.Second), "-2562047h47m16s"},
		{1500 * time.Millisecond, "1.5s"},
		{time.Hour + 500*time.Millisecond, "1h0m0.5s"},
		{-time.Millisecond, "-1ms"},
		{time.Nanosecond, "1ns"},
		{math.MaxInt64, "2562047h47m16.854775807s"},
		{math.MinInt64, "-2562047h47m16.854775808s"},
	}
	for _, tt := range tests {
		got := duration.Format(tt.d)
		if got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.d, got, tt.want)
		}
		if back, err := time.ParseDuration(got); err != nil || back != tt.d {
			t.Errorf("time.ParseDuration(%q) = %v, %v; want %d", got, back, err, tt.d)
		}
	}
}

// FuzzFormat checks that time.ParseDuration reads every Format back.
func FuzzFormat(f *testing.F) {
	for _, d := range []int64{0, 1, -1, int64(time.Hour), int64(90 * time.Minute), 1_500_000_000, math.MaxInt64, math.MinInt64} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		s := duration.Format(time.Duration(n))
		if back, err := time.ParseDuration(s); err != nil || back != time.Duration(n) {
			t.Fatalf("time.ParseDuration(Format(%d) = %q) = %v, %v", n, s, back, err)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = duration.Format(26*time.Hour + 15*time.Minute)
	}
}

func ExampleFormat() {
	fmt.Println(duration.Format(0))
	fmt.Println(duration.Format(90 * time.Minute))
	fmt.Println(duration.Format(-15 * time.Minute))
	fmt.Println(duration.Format(1500 * time.Millisecond))
	// Output:
	// 0s
	// 1h30m
	// -15m
	// 1.5s
}
