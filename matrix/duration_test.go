package matrix_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/ladder-go/ladder/matrix"
)

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{30 * time.Minute, "30m"},
		{4 * time.Hour, "4h"},
		{90 * time.Minute, "1h30m"},
		{time.Hour + time.Second, "1h1s"},
		{100*time.Hour + 59*time.Minute + 59*time.Second, "100h59m59s"},
		{-45 * time.Second, "-45s"},
		{1500 * time.Millisecond, "1.5s"},
		{time.Nanosecond, "1ns"},
		{math.MaxInt64, "2562047h47m16.854775807s"},
		{math.MinInt64, "-2562047h47m16.854775808s"},
	}
	for _, tt := range tests {
		d := matrix.Duration(tt.d)
		if got := d.String(); got != tt.want {
			t.Errorf("Duration(%d).String() = %q, want %q", tt.d, got, tt.want)
		}
		if back, err := time.ParseDuration(d.String()); err != nil || back != tt.d {
			t.Errorf("time.ParseDuration(%q) = %v, %v; want %d", d.String(), back, err, tt.d)
		}
		data, err := json.Marshal(d)
		if err != nil || string(data) != `"`+tt.want+`"` {
			t.Errorf("json.Marshal(Duration(%d)) = %s, %v", tt.d, data, err)
		}
	}
}

func TestDurationUnmarshalJSON(t *testing.T) {
	tests := []struct {
		json    string
		want    time.Duration
		wantErr string
	}{
		{json: `"30m"`, want: 30 * time.Minute},
		{json: `"1h30m"`, want: 90 * time.Minute},
		{json: `"-5m"`, want: -5 * time.Minute},
		{json: `"0"`, want: 0},
		{json: `null`, want: 7}, // unchanged
		{json: `"4 hours"`, wantErr: `json: cannot unmarshal string "4 hours" into Go value of type matrix.Duration`},
		{json: `""`, wantErr: `json: cannot unmarshal string "" into Go value of type matrix.Duration`},
		{json: `3600`, wantErr: `json: cannot unmarshal number 3600 into Go value of type matrix.Duration`},
		{json: `true`, wantErr: `json: cannot unmarshal bool into Go value of type matrix.Duration`},
		{json: `["1h"]`, wantErr: `json: cannot unmarshal array into Go value of type matrix.Duration`},
		{json: `{"h": 1}`, wantErr: `json: cannot unmarshal object into Go value of type matrix.Duration`},
	}
	for _, tt := range tests {
		d := matrix.Duration(7)
		err := json.Unmarshal([]byte(tt.json), &d)
		switch {
		case tt.wantErr != "":
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Unmarshal(%s): error %v, want %s", tt.json, err, tt.wantErr)
			}
		case err != nil || time.Duration(d) != tt.want:
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", tt.json, time.Duration(d), err, tt.want)
		}
	}
}
