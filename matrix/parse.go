package matrix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// Parse reads a Spec from the JSON document data, which must hold exactly
// one JSON object with no unknown fields, and builds a Matrix from it as New
// does. A document that is not valid JSON, that has an unknown field, or
// that has a value of the wrong JSON type other than a duration, fails with
// that one error, with the line and column when encoding/json reports them,
// wrapping its error. A document that decodes fails as New does, with an
// *Error listing every problem; a duration that is not a duration string
// ("4 hours", 3600) is one of these problems, at its path.
func Parse(data []byte, tiers []string) (*Matrix, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, decodeError(data, err)
	}
	rest := data[dec.InputOffset():]
	if extra := bytes.TrimLeft(rest, " \t\r\n"); len(extra) > 0 {
		line, col := position(data, int64(len(data)-len(extra)))
		return nil, fmt.Errorf("matrix: line %d, column %d: unexpected data after the document", line, col)
	}
	spec, bad := doc.spec()
	return build(spec, tiers, bad)
}

// document is the JSON document that Parse decodes: a Spec whose durations
// stay raw JSON until the checks read them, so that a duration that is not
// one is reported with every other problem instead of stopping the
// decoding. Each type of document embeds the exported type it stands for,
// as its first field; its own fields hide those of the same JSON name, and
// every other field (default_impact, start_tier, ...) decodes into the
// embedded type, so that DisallowUnknownFields knows it.
type document struct {
	Spec
	Priorities []priorityDoc `json:"priorities"`
}

type priorityDoc struct {
	PrioritySpec
	Goals  []goalDoc  `json:"goals"`
	Levels []levelDoc `json:"levels"`
}

type goalDoc struct {
	Goal
	Target json.RawMessage `json:"target"`
}

type levelDoc struct {
	Level
	After json.RawMessage `json:"after"`
}

// documentTypes are the types of document, each standing for the exported
// type it embeds.
var documentTypes = []reflect.Type{
	reflect.TypeFor[document](),
	reflect.TypeFor[priorityDoc](),
	reflect.TypeFor[goalDoc](),
	reflect.TypeFor[levelDoc](),
}

// spec returns the Spec that doc holds and, by the paths that check
// reports, the raw JSON of each duration that is not a duration string; such
// a duration is zero in the Spec. An absent or null duration is zero too.
func (doc document) spec() (Spec, map[string]json.RawMessage) {
	bad := make(map[string]json.RawMessage)
	duration := func(path string, raw json.RawMessage) Duration {
		var d Duration
		if raw != nil && d.UnmarshalJSON(raw) != nil {
			bad[path] = raw
		}
		return d
	}
	spec := doc.Spec
	spec.Priorities = convert(doc.Priorities, func(i int, p priorityDoc) PrioritySpec {
		p.PrioritySpec.Goals = convert(p.Goals, func(j int, g goalDoc) Goal {
			g.Goal.Target = duration(fmt.Sprintf("priorities[%d].goals[%d].target", i, j), g.Target)
			return g.Goal
		})
		p.PrioritySpec.Levels = convert(p.Levels, func(j int, l levelDoc) Level {
			l.Level.After = duration(fmt.Sprintf("priorities[%d].levels[%d].after", i, j), l.After)
			return l.Level
		})
		return p.PrioritySpec
	})
	return spec, bad
}

// convert returns f(i, s[i]) for each item of s, and nil when s is nil, so
// that an absent list stays absent and an empty one empty.
func convert[T, U any](s []T, f func(int, T) U) []U {
	if s == nil {
		return nil
	}
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(i, v)
	}
	return out
}

// decodeError returns the error of a failed decode of data, with the line
// and column of the failure when encoding/json gives its offset: the
// offset counts the bytes read, the last of which is at fault.
func decodeError(data []byte, err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("matrix: empty document")
	}
	var off int64
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		asSpecError(typ)
	}
	if off <= 0 {
		return fmt.Errorf("matrix: %w", err)
	}
	line, col := position(data, off-1)
	return fmt.Errorf("matrix: line %d, column %d: %w", line, col, err)
}

// asSpecError rewrites e, an error of decoding a document, to read as the
// error of decoding a Spec: each type of document gives way to the type it
// embeds, whose name encoding/json puts in the field path.
func asSpecError(e *json.UnmarshalTypeError) {
	path := strings.Split(e.Field, ".")
	for _, t := range documentTypes {
		embedded := t.Field(0)
		if e.Struct == t.Name() {
			e.Struct = embedded.Name
		}
		switch e.Type {
		case t:
			e.Type = embedded.Type
		case reflect.SliceOf(t):
			e.Type = reflect.SliceOf(embedded.Type)
		}
		path = slices.DeleteFunc(path, func(name string) bool { return name == embedded.Name })
	}
	e.Field = strings.Join(path, ".")
}

// position returns the 1-based line and column (in bytes) of offset off in
// data.
func position(data []byte, off int64) (line, col int) {
	before := data[:min(int(off), len(data))]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}
