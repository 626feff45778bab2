package auvosandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
)

// Record is a stored entity with the deletion state the real API hides: deleted records answer
// 404 and leave every list, but the admin API and the Go helpers still show them.
type Record[T any] struct {
	Value     T
	Deleted   bool
	DeletedAt time.Time
}

// MarshalJSON writes the entity's own fields plus "deleted" and "deletedAt" (naive Brasília
// time, like the API).
func (r Record[T]) MarshalJSON() ([]byte, error) {
	m, err := toMap(r.Value)
	if err != nil {
		return nil, err
	}
	m["deleted"], _ = json.Marshal(r.Deleted)
	at := ""
	if r.Deleted {
		at = auvo.NewTime(r.DeletedAt).String()
	}
	m["deletedAt"], _ = json.Marshal(at)
	return json.Marshal(m)
}

// table holds one resource of one account, in creation order (the API's ascending order).
type table[T any] struct {
	rows []*Record[T]
}

func (t *table[T]) add(v T) *Record[T] {
	r := &Record[T]{Value: v}
	t.rows = append(t.rows, r)
	return r
}

// live returns the records the API can see.
func (t *table[T]) live() []*Record[T] {
	out := make([]*Record[T], 0, len(t.rows))
	for _, r := range t.rows {
		if !r.Deleted {
			out = append(out, r)
		}
	}
	return out
}

func (t *table[T]) find(match func(*T) bool) *Record[T] {
	for _, r := range t.rows {
		if !r.Deleted && match(&r.Value) {
			return r
		}
	}
	return nil
}

func (t *table[T]) snapshot() []Record[T] {
	out := make([]Record[T], len(t.rows))
	for i, r := range t.rows {
		out[i] = *r
	}
	return out
}

// fieldIndex maps lower-case JSON names of a struct type to their exact spelling, so request
// keys bind case-insensitively as they do in ASP.NET (API doc §3.2).
type fieldIndex map[string]string

func fieldsOf(v any) fieldIndex {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fi := fieldIndex{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fi[strings.ToLower(name)] = name
		}
	}
	return fi
}

func toMap(v any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	return m, json.Unmarshal(b, &m)
}

// badField is a value that does not fit its field; the API answers it with ASP.NET's
// model-state error (API doc §6 shape 1).
type badField struct {
	Field string
	Value string
}

func (e *badField) Error() string {
	return fmt.Sprintf("%s: the value '%s' is not valid", e.Field, e.Value)
}

// overlay sets the fields named in body on *dst, matching names case-insensitively and through
// aliases (lower-case alternative name → JSON name). Unknown names are ignored, as Auvo ignores
// them (API doc §8.2 [I]). It reports the fields it set.
func overlay[T any](dst *T, body map[string]json.RawMessage, aliases map[string]string) ([]string, error) {
	fi := fieldsOf(dst)
	cur, err := toMap(*dst)
	if err != nil {
		return nil, err
	}
	var set []string
	for k, v := range body {
		name, ok := fi[strings.ToLower(k)]
		if !ok {
			if name, ok = aliases[strings.ToLower(k)]; !ok {
				continue
			}
		}
		cur[name] = v
		set = append(set, name)
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return nil, err
	}
	var next T
	if err := json.Unmarshal(b, &next); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &badField{Field: te.Field, Value: string(body[te.Field])}
		}
		return nil, &badField{Field: "body", Value: err.Error()}
	}
	*dst = next
	return set, nil
}

// patchOp is one JSON Patch operation as Auvo takes it.
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

// applyPatch applies replace/add/remove operations to top-level fields. Paths work with or
// without the leading slash (API doc §8.2).
func applyPatch[T any](dst *T, ops []patchOp, aliases map[string]string) error {
	fi := fieldsOf(dst)
	var zero T
	zm, err := toMap(zero)
	if err != nil {
		return err
	}
	body := map[string]json.RawMessage{}
	for _, op := range ops {
		field := strings.Trim(op.Path, "/")
		name, ok := fi[strings.ToLower(field)]
		if !ok {
			name, ok = aliases[strings.ToLower(field)]
		}
		if !ok {
			return fmt.Errorf("The path '%s' is not valid.", op.Path)
		}
		switch strings.ToLower(op.Op) {
		case "replace", "add":
			body[name] = op.Value
		case "remove":
			if z, ok := zm[name]; ok {
				body[name] = z
			} else {
				body[name] = json.RawMessage(`null`)
			}
		default:
			return fmt.Errorf("The operation '%s' is not supported.", op.Op)
		}
	}
	_, err = overlay(dst, body, nil)
	return err
}
