package rules

import (
	"fmt"
	"reflect"
	"strings"
)

// path is a read of the environment resolved when the rule compiles: a name
// (priority), a ticket attribute (ticket.customer.vip), an SLA metric
// (sla.resolution) or one of its fields (sla.resolution.due).
type path struct {
	text  string   // as the rule spells it, for errors
	root  root     // the name the path starts with
	keys  []string // the attribute names below ticket, or the SLA metric
	field slaField // the SLA field, 0 for a whole metric
	typ   Type     // the declared type of a ticket attribute
}

// load reads the path from env.
func (p *path) load(env *Env) (any, error) {
	switch {
	case p.root == rootTicket && len(p.keys) > 0:
		return p.attribute(env.Ticket)
	case p.root == rootSLA && len(p.keys) > 0:
		s := env.SLA[p.keys[0]]
		if p.field == 0 {
			return s, nil
		}
		return s.get(p.field), nil
	default:
		return p.root.value(env), nil
	}
}

// attribute reads the attribute at p.keys in the ticket's attributes.
func (p *path) attribute(attrs map[string]any) (any, error) {
	var v any = attrs
	for i, key := range p.keys {
		switch obj := v.(type) {
		case map[string]any:
			v = obj[key]
		case nil:
			return p.typ.zero(), nil
		default:
			name := "ticket." + strings.Join(p.keys[:i], ".")
			if _, err := dynamic(v); err != nil {
				return nil, fmt.Errorf("%s %w", name, err)
			}
			return nil, fmt.Errorf("%s is %T, not an object", name, v)
		}
	}
	v, err := p.typ.convert(v)
	if err != nil {
		return nil, fmt.Errorf("%s %w", p.text, err)
	}
	return v, nil
}

// member returns the field key of an object or an SLA status, or the item at
// index key of a list (negative indexes count from the end). Anything read
// from nil is nil.
func member(v, key any) (any, error) {
	switch obj := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		name, err := fieldName(key)
		if err != nil {
			return nil, err
		}
		field, err := dynamic(obj[name])
		if err != nil {
			return nil, fmt.Errorf("field %q %w", name, err)
		}
		return field, nil
	case map[string]SLA:
		name, err := fieldName(key)
		if err != nil {
			return nil, err
		}
		return obj[name], nil
	case SLA:
		name, err := fieldName(key)
		if err != nil {
			return nil, err
		}
		f, ok := slaFields[name]
		if !ok {
			return nil, fmt.Errorf("an SLA has no field %q", clip(name))
		}
		return obj.get(f), nil
	}
	list := reflect.ValueOf(v)
	if list.Kind() != reflect.Slice {
		return nil, fmt.Errorf("cannot read a field or an item of %T", v)
	}
	i, ok := key.(int)
	if !ok {
		return nil, fmt.Errorf("a list index must be an int, not %T", key)
	}
	n := list.Len()
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("index %d is out of range for a list of %d", key, n)
	}
	item, err := dynamic(list.Index(i).Interface())
	if err != nil {
		return nil, fmt.Errorf("item %d %w", i, err)
	}
	return item, nil
}

// fieldName returns key as the name of a field.
func fieldName(key any) (string, error) {
	name, ok := key.(string)
	if !ok {
		return "", fmt.Errorf("a field name must be a string, not %T", key)
	}
	return name, nil
}

// size returns what comparing or searching v costs, in steps: one per item
// of a list or a map, nested ones included, and one per perStep bytes of
// text. It stops counting once the count passes limit.
func size(v any, perStep, limit int) int {
	n := 1
	switch x := v.(type) {
	case string:
		return n + len(x)/perStep
	case []string:
		return n + len(x)
	case []any:
		for _, item := range x {
			if n > limit {
				break
			}
			n += size(item, perStep, limit-n)
		}
		return n
	case map[string]any:
		for _, item := range x {
			if n > limit {
				break
			}
			n += size(item, perStep, limit-n)
		}
		return n
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map {
		return n + rv.Len()
	}
	return n
}
