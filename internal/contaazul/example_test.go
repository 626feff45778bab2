package contaazul_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
)

// lost returns the paths of original's values that are missing or different in decoded: every
// field of the partner's JSON must survive a decode into our types and an encode back. Extra
// fields in decoded (zero values of fields the answer did not carry) are fine.
func lost(path string, original, decoded any) []string {
	switch o := original.(type) {
	case map[string]any:
		d, ok := decoded.(map[string]any)
		if !ok {
			return []string{path}
		}
		var out []string
		for k, v := range o {
			out = append(out, lost(path+"."+k, v, d[k])...)
		}
		return out
	case []any:
		d, ok := decoded.([]any)
		if !ok || len(d) != len(o) {
			return []string{path}
		}
		var out []string
		for i := range o {
			out = append(out, lost(path+"[]", o[i], d[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(original, decoded) {
		return []string{path}
	}
	return nil
}

// roundTrip decodes raw into a value of type T, encodes it again and reports what was lost.
func roundTrip[T any](t *testing.T, raw []byte) []string {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &b); err != nil {
		t.Fatal(err)
	}
	return lost("$", a, b)
}

// TestExamplesDecodeWithoutLoss: the payloads of api/examples (copied to testdata) decode into
// Pessoa and PessoaPage with nothing dropped.
func TestExamplesDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	pessoa, err := os.ReadFile("testdata/contaazul-pessoa.json")
	if err != nil {
		t.Fatal(err)
	}
	if l := roundTrip[contaazul.Pessoa](t, pessoa); len(l) > 0 {
		t.Errorf("contaazul-pessoa.json lost %v", l)
	}
	list, err := os.ReadFile("testdata/contaazul-pessoas-list.json")
	if err != nil {
		t.Fatal(err)
	}
	if l := roundTrip[contaazul.PessoaPage](t, list); len(l) > 0 {
		t.Errorf("contaazul-pessoas-list.json lost %v", l)
	}
	var p contaazul.Pessoa
	if err := json.Unmarshal(pessoa, &p); err != nil {
		t.Fatal(err)
	}
	if p.IDLegado.String() != "123456789" || !p.HasProfile(contaazul.PerfilCliente) || p.Enderecos[0].Estado != "SP" {
		t.Fatalf("decoded %+v", p)
	}
}

// TestSandboxAnswersDecodeWithoutLoss keeps the simulator and the client honest with each other:
// what the sandbox answers for a seeded demo person decodes without loss, in detail and list form.
func TestSandboxAnswersDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.acc = contaazulsandbox.Account{ID: contaazulsandbox.DemoAccountID}
	e.connect(t)
	token, err := e.mgr.AccessToken(context.Background(), e.key)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) []byte {
		e.clk.Advance(200 * time.Millisecond) // stay under 10/s
		req, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return b
	}
	list := get("/v1/pessoas?tamanho_pagina=100&com_endereco=true")
	if l := roundTrip[contaazul.PessoaPage](t, list); len(l) > 0 {
		t.Errorf("list lost %v", l)
	}
	for _, p := range e.sb.Pessoas(contaazulsandbox.DemoAccountID) {
		if l := roundTrip[contaazul.Pessoa](t, get("/v1/pessoas/"+p.ID)); len(l) > 0 {
			t.Errorf("pessoa %s lost %v", p.ID, l)
		}
	}
}
