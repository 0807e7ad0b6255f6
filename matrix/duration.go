package matrix

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"github.com/ladder-go/ladder/internal/duration"
)

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string: "30m", "4h", "1h30m", "90s". Numbers are not accepted. It prints
// without zero units ("1h30m", not "1h30m0s"); a duration with a fraction of
// a second prints as time.Duration does. The zero Duration is "0s".
// A Duration is a plain value, safe to copy and to read concurrently.
type Duration time.Duration

// String formats d as a Go duration string that time.ParseDuration reads
// back to the same value.
func (d Duration) String() string { return duration.Format(time.Duration(d)) }

// MarshalJSON writes d as a JSON string, see String.
func (d Duration) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, d.String()), nil
}

// UnmarshalJSON reads a JSON string holding a Go duration. JSON null leaves
// d unchanged. Anything else fails with a *json.UnmarshalTypeError that
// quotes the value; json.Unmarshal adds the field's path to it.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[Duration]()}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[Duration]()}
	}
	*d = Duration(v)
	return nil
}

// jsonKind names the kind of the JSON value b for an error message.
func jsonKind(b []byte) string {
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	default:
		return "number " + string(b)
	}
}
