package bling_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pontehub/ponte/internal/bling"
)

// examplesDir holds copies of the Bling payloads collected for api/bling.md (api/examples/).
const examplesDir = "testdata"

// TestExamplesDecodeWithoutLoss: each saved Bling payload decodes into our types and encodes
// back to the same JSON, so no field Bling sends is dropped or renamed by a wrong tag.
func TestExamplesDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		into func() any
	}{
		{"bling-contact.json", func() any {
			return new(struct {
				Data bling.Contact `json:"data"`
			})
		}},
		{"bling-contacts-list.json", func() any {
			return new(struct {
				Data []bling.Contact `json:"data"`
			})
		}},
		{"bling-error.json", func() any { return new(bling.ErrorResponse) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(examplesDir, tc.file))
			if err != nil {
				t.Fatalf("example missing: %v", err)
			}
			v := tc.into()
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatal(err)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(again, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the payload\nwant %s\ngot  %s", raw, again)
			}
		})
	}
}
