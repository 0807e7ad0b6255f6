package sla_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ladder-go/ladder/sla"
)

// TestStatusJSONGolden checks the JSON a status writes: durations as Go
// duration strings without zero units, everything else as before.
func TestStatusJSONGolden(t *testing.T) {
	cal, ny := timerCal(t)
	at := func(s string) time.Time { return wall(t, ny, s) }
	tm := mustTimer(t, sla.Target{Metric: "resolution", Goal: 16 * time.Hour, Calendar: "office"}, cal)
	for _, e := range []struct{ op, at string }{{"start", "2026-03-02 09:00"}, {"pause", "2026-03-02 11:00"}, {"resume", "2026-03-02 14:00"}, {"stop", "2026-03-02 16:00"}, {"reopen", "2026-03-03 10:00"}, {"pause", "2026-03-03 11:00"}} {
		must(t, timerEvent(tm, e.op, at(e.at)))
	}
	fresh := mustTimer(t, sla.Target{Metric: "first_response", Goal: 4 * time.Hour, Calendar: "office"}, cal)
	tests := []struct {
		name string
		st   sla.Status
		want string
	}{
		{
			name: "paused after a reopen",
			st:   tm.Status(at("2026-03-03 12:15")),
			want: `{"metric":"resolution","state":"paused","cycle":1,"goal":"16h","elapsed":"5h","remaining":"11h","paused_for":"4h15m","resolved_for":"2h","percent":31.25,"due":"2026-03-04T15:15:00-05:00","breached":false}`,
		},
		{
			name: "not started",
			st:   fresh.Status(at("2026-03-03 12:15")),
			want: `{"metric":"first_response","state":"not_started","cycle":0,"goal":"4h","elapsed":"0s","remaining":"4h","paused_for":"0s","resolved_for":"0s","percent":0,"due":"0001-01-01T00:00:00Z","breached":false}`,
		},
		{
			name: "breached, with fractions of a second",
			st: sla.Status{Metric: "first_response", State: sla.Breached, Cycle: 2, Goal: 4 * time.Hour, Elapsed: 5*time.Hour + 30*time.Minute + 500*time.Millisecond,
				Remaining: -90*time.Minute - 500*time.Millisecond, PausedFor: 1500 * time.Millisecond, ResolvedFor: 26 * time.Hour, Percent: 137.5,
				Due: time.Date(2026, 3, 3, 12, 30, 0, 0, time.UTC), Breached: true},
			want: `{"metric":"first_response","state":"breached","cycle":2,"goal":"4h","elapsed":"5h30m0.5s","remaining":"-1h30m0.5s","paused_for":"1.5s","resolved_for":"26h","percent":137.5,"due":"2026-03-03T12:30:00Z","breached":true}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.st)
			if err != nil || string(got) != tt.want {
				t.Fatalf("json.Marshal = %s, %v\nwant %s", got, err, tt.want)
			}
			if byPointer, _ := json.Marshal(&tt.st); string(byPointer) != tt.want {
				t.Errorf("json.Marshal(&status) = %s", byPointer)
			}
			var back sla.Status
			must(t, json.Unmarshal(got, &back))
			if diff := cmp.Diff(tt.st, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatusJSONRoundTrip checks that every duration, down to the
// nanosecond and out to the extremes, reads back as written.
func TestStatusJSONRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, 1, -1, time.Second, -time.Minute, 90 * time.Minute, 1500 * time.Millisecond, time.Hour + time.Nanosecond, math.MaxInt64, math.MinInt64} {
		st := sla.Status{Metric: "m", State: sla.Met, Cycle: 3, Goal: d, Elapsed: -d, Remaining: d / 3, PausedFor: d / 7, ResolvedFor: d, Percent: -0.1, Due: time.Date(2026, 3, 8, 3, 0, 0, 1, mustZone(t, "America/New_York")), Breached: true}
		data, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var back sla.Status
		if err := json.Unmarshal(data, &back); err != nil {
			t.Errorf("%s: %v", data, err)
		}
		if diff := cmp.Diff(st, back); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", data, diff)
		}
	}
}

// TestStatusJSONOld reads statuses as versions before duration strings
// wrote them (integer nanoseconds, no paused_for or resolved_for), as a
// saved notification holds them, and a mix of both forms.
func TestStatusJSONOld(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name, json string
		want       sla.Status
	}{
		{
			name: "integer nanoseconds",
			json: `{"metric":"first_response","state":"breached","cycle":1,"goal":14400000000000,"elapsed":19800000000000,"remaining":-5400000000000,"percent":137.5,"due":"2026-03-03T12:30:00-05:00","breached":true}`,
			want: sla.Status{Metric: "first_response", State: sla.Breached, Cycle: 1, Goal: 4 * time.Hour, Elapsed: 5*time.Hour + 30*time.Minute, Remaining: -90 * time.Minute, Percent: 137.5, Due: time.Date(2026, 3, 3, 12, 30, 0, 0, ny), Breached: true},
		},
		{
			name: "both forms, spaces, null",
			json: ` { "goal" : "4h" , "elapsed" : 1 , "remaining" : "3h59m59.999999999s", "paused_for": -0, "resolved_for": null, "state": "running" } `,
			want: sla.Status{State: sla.Running, Goal: 4 * time.Hour, Elapsed: 1, Remaining: 4*time.Hour - 1},
		},
		{
			name: "a duration without a unit",
			json: `{"goal":"0","elapsed":"+1h","remaining":"-.5h"}`,
			want: sla.Status{Goal: 0, Elapsed: time.Hour, Remaining: -30 * time.Minute},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sla.Status
			must(t, json.Unmarshal([]byte(tt.json), &got))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// A notification saved by an earlier version, its statuses inside.
	var saved struct {
		SLA []sla.Status `json:"sla"`
	}
	must(t, json.Unmarshal([]byte(`{"sla":[{"metric":"resolution","state":"paused","cycle":1,"goal":86400000000000,"elapsed":3600000000000,"remaining":82800000000000,"percent":4.166666666666666,"due":"2026-03-06T10:00:00-05:00","breached":false},null]}`), &saved))
	want := []sla.Status{{Metric: "resolution", State: sla.Paused, Cycle: 1, Goal: 24 * time.Hour, Elapsed: time.Hour, Remaining: 23 * time.Hour, Percent: 4.166666666666666, Due: time.Date(2026, 3, 6, 10, 0, 0, 0, ny)}, {}}
	if diff := cmp.Diff(want, saved.SLA); diff != "" {
		t.Errorf("saved notification (-want +got):\n%s", diff)
	}
}

// TestStatusJSONMerge checks that UnmarshalJSON behaves as encoding/json
// does for fields it does not see: absent or null, they keep their values.
func TestStatusJSONMerge(t *testing.T) {
	st := sla.Status{Metric: "m", State: sla.Paused, Goal: time.Hour, Elapsed: time.Minute, PausedFor: time.Second}
	must(t, json.Unmarshal([]byte(`{"elapsed":"2m","paused_for":null}`), &st))
	want := sla.Status{Metric: "m", State: sla.Paused, Goal: time.Hour, Elapsed: 2 * time.Minute, PausedFor: time.Second}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	must(t, json.Unmarshal([]byte(`null`), &st))
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("null changed the status (-want +got):\n%s", diff)
	}
}

// TestStatusJSONErrors is the golden table of rejected values: each error
// names the field, and a failed read leaves the status unchanged.
func TestStatusJSONErrors(t *testing.T) {
	tests := []struct{ json, err string }{
		{`{"goal":"4 hours"}`, `sla: status field "goal": "4 hours" is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"goal":""}`, `sla: status field "goal": "" is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"elapsed":1.5}`, `sla: status field "elapsed": 1.5 is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"elapsed":1e9}`, `sla: status field "elapsed": 1e9 is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"remaining":9223372036854775808}`, `sla: status field "remaining": 9223372036854775808 is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"remaining":"2562048h"}`, `sla: status field "remaining": "2562048h" is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"paused_for":true}`, `sla: status field "paused_for": true is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"resolved_for":["1h"]}`, `sla: status field "resolved_for": an array is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"resolved_for":{"h":1}}`, `sla: status field "resolved_for": an object is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"goal":"1h","elapsed":"1 h"}`, `sla: status field "elapsed": "1 h" is not a duration: want a Go duration string such as "1h30m" or integer nanoseconds`},
		{`{"state":"nonsense"}`, `sla: unknown timer state "nonsense"`},
		{`{"cycle":"1"}`, `json: cannot unmarshal string into Go struct field Status.cycle of type int`},
		{`{"due":12}`, `Time.UnmarshalJSON: input is not a JSON string`},
		{`[1]`, `json: cannot unmarshal array into Go value of type sla.Status`},
		{`{"goal":"1h"`, `unexpected end of JSON input`},
	}
	for _, tt := range tests {
		before := sla.Status{Metric: "m", State: sla.Met, Goal: time.Hour}
		st := before
		err := json.Unmarshal([]byte(tt.json), &st)
		if err == nil || err.Error() != tt.err {
			t.Errorf("Unmarshal(%s): error\n%v\nwant\n%s", tt.json, err, tt.err)
		}
		if diff := cmp.Diff(before, st); diff != "" {
			t.Errorf("Unmarshal(%s) failed and changed the status (-before +after):\n%s", tt.json, diff)
		}
	}
}

// FuzzStatusJSON reads arbitrary bytes as a status: nothing may panic, and
// whatever reads must write and read back to the same status, and write
// the same bytes again.
func FuzzStatusJSON(f *testing.F) {
	for _, seed := range []string{
		`{"metric":"resolution","state":"paused","cycle":1,"goal":"16h","elapsed":"5h","remaining":"11h","paused_for":"4h15m","resolved_for":"2h","percent":31.25,"due":"2026-03-04T15:15:00-05:00","breached":false}`,
		`{"metric":"first_response","state":"breached","cycle":1,"goal":14400000000000,"elapsed":19800000000000,"remaining":-5400000000000,"percent":137.5,"due":"2026-03-03T12:30:00-05:00","breached":true}`,
		`{"goal":"-2562047h47m16.854775808s","elapsed":-9223372036854775808,"remaining":"1.5µs","paused_for":null,"resolved_for":"0"}`,
		`{"goal":"4 hours","elapsed":1e9,"remaining":true,"paused_for":[],"resolved_for":{}}`,
		`{"due":"0000-01-01T00:00:00+01:00","percent":-0,"state":"met","GOAL":"1h","Goal":2}`,
		`null`, `{}`, `[]`, `"1h"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var st sla.Status
		if json.Unmarshal(data, &st) != nil {
			return
		}
		out, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("%+v read from %q does not write: %v", st, data, err)
		}
		var back sla.Status
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s does not read back: %v", out, err)
		}
		if diff := cmp.Diff(st, back); diff != "" {
			t.Fatalf("%s read back differently (-first +back):\n%s", out, diff)
		}
		if again, _ := json.Marshal(back); string(again) != string(out) {
			t.Fatalf("written again differently:\n%s\n%s", out, again)
		}
	})
}
