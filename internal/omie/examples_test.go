package omie_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/pontehub/ponte/internal/omie"
)

// The real payloads in api/examples decode into the client's types without losing anything:
// decoding refuses unknown keys, and every non-empty value survives a re-encode.
func TestExamplesDecodeWithoutLoss(t *testing.T) {
	tests := []struct {
		file  string
		param bool // a request: the object is param[0]
		into  func() any
	}{
		{"omie-listarclientes-response.json", false, func() any { return new(omie.ListarClientesResponse) }},
		{"omie-listarprodutos-response.json", false, func() any { return new(omie.ListarProdutosResponse) }},
		{"omie-incluiros-request.json", true, func() any { return new(omie.OS) }},
		{"omie-incluirpedido-request.json", true, func() any { return new(omie.Pedido) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if tt.param {
				var env struct {
					Param []json.RawMessage `json:"param"`
				}
				if err := json.Unmarshal(raw, &env); err != nil || len(env.Param) != 1 {
					t.Fatalf("envelope: %v", err)
				}
				raw = env.Param[0]
			}
			v := tt.into()
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(v); err != nil {
				t.Fatalf("decode: %v", err)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var orig, back any
			_ = json.Unmarshal(raw, &orig)
			_ = json.Unmarshal(again, &back)
			for _, loss := range lost("", orig, back) {
				t.Error(loss)
			}
		})
	}
}

// lost lists the values of orig missing or different in back. Empty values ("", 0, {}, []) may
// be left out: Omie treats an empty field as absent.
func lost(path string, orig, back any) []string {
	switch o := orig.(type) {
	case map[string]any:
		b, _ := back.(map[string]any)
		var out []string
		for k, v := range o {
			out = append(out, lost(path+"."+k, v, b[k])...)
		}
		return out
	case []any:
		b, _ := back.([]any)
		if len(o) == 0 {
			return nil
		}
		if len(b) != len(o) {
			return []string{fmt.Sprintf("%s: %d items, re-encoded %d", path, len(o), len(b))}
		}
		var out []string
		for i := range o {
			out = append(out, lost(fmt.Sprintf("%s[%d]", path, i), o[i], b[i])...)
		}
		return out
	}
	if back == nil && (orig == "" || orig == 0.0 || orig == nil) {
		return nil
	}
	if !reflect.DeepEqual(orig, back) {
		return []string{fmt.Sprintf("%s: %v, re-encoded %v", path, orig, back)}
	}
	return nil
}
