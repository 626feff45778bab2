package br

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// TestParseDocument proves SPEC C-A2: a document is accepted only with valid check digits, and a
// rejection says whether it was missing, malformed or had wrong check digits.
func TestParseDocument(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in        string
		kind      DocKind
		digits    string
		formatted string
	}{
		{"529.982.247-25", CPF, "52998224725", "529.982.247-25"},
		{"52998224725", CPF, "52998224725", "529.982.247-25"},
		{" 111 444 777 35 ", CPF, "11144477735", "111.444.777-35"},
		{"11.222.333/0001-81", CNPJ, "11222333000181", "11.222.333/0001-81"},
		{"11222333000181", CNPJ, "11222333000181", "11.222.333/0001-81"},
		{"00.000.000/0001-91", CNPJ, "00000000000191", "00.000.000/0001-91"},
		// alphanumeric CNPJ, Receita Federal's own example (from July 2026)
		{"12.ABC.345/01DE-35", CNPJ, "12ABC34501DE35", "12.ABC.345/01DE-35"},
		{"12abc34501de35", CNPJ, "12ABC34501DE35", "12.ABC.345/01DE-35"},
		{"CPF 529.982.247-25", CPF, "52998224725", "529.982.247-25"},
		{"CNPJ: 11.222.333/0001-81", CNPJ, "11222333000181", "11.222.333/0001-81"},
	}
	for _, c := range valid {
		d, err := ParseDocument(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if d.Kind != c.kind || d.Digits != c.digits || d.Formatted() != c.formatted {
			t.Errorf("%q = %v %q %q, want %v %q %q", c.in, d.Kind, d.Digits, d.Formatted(), c.kind, c.digits, c.formatted)
		}
	}
	rejected := []struct {
		in   string
		want error
	}{
		{"", ErrDocMissing},
		{"   ", ErrDocMissing},
		{"./-", ErrDocMissing},
		{"529.982.247-24", ErrDocCheckDigits},
		{"111.111.111-11", ErrDocCheckDigits},
		{"11.222.333/0001-82", ErrDocCheckDigits},
		{"00.000.000/0000-00", ErrDocCheckDigits},
		{"12.ABC.345/01DE-36", ErrDocCheckDigits},
		{"1234", ErrDocMalformed},
		{"5299822472", ErrDocMalformed}, // a CPF that lost a leading zero is not padded
		{"529.982.247-2X", ErrDocMalformed},
		{"12ABC34501DEA5", ErrDocMalformed},
		{"529#982#247#25", ErrDocMalformed},
		{"CPF: 529.982.247", ErrDocMalformed},
		{"CPFX52998224725", ErrDocMalformed},
	}
	for _, c := range rejected {
		_, err := ParseDocument(c.in)
		var de *DocError
		if !errors.Is(err, c.want) || !errors.As(err, &de) || de.Input != c.in || de.Reason == "" {
			t.Errorf("%q: err = %v, want %v", c.in, err, c.want)
		}
	}
}

func TestDocumentHelpers(t *testing.T) {
	t.Parallel()
	if !ValidCPF("529.982.247-25") || ValidCPF("11.222.333/0001-81") || ValidCPF("529.982.247-24") {
		t.Error("ValidCPF")
	}
	if !ValidCNPJ("11.222.333/0001-81") || !ValidCNPJ("12.ABC.345/01DE-35") || ValidCNPJ("529.982.247-25") {
		t.Error("ValidCNPJ")
	}
	d, _ := ParseDocument("12.ABC.345/01DE-35")
	n, _ := ParseDocument("11.222.333/0001-81")
	if !d.IsAlphanumeric() || n.IsAlphanumeric() {
		t.Error("IsAlphanumeric")
	}
	if CPF.String() != "CPF" || CNPJ.String() != "CNPJ" {
		t.Error("DocKind.String")
	}
}

// TestGenerators: the documents the sandboxes seed pass the production validation.
func TestGenerators(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		for _, g := range []struct {
			kind  DocKind
			alnum bool
			s     string
		}{{CPF, false, GenerateCPF(r)}, {CNPJ, false, GenerateCNPJ(r)}, {CNPJ, true, GenerateAlphanumericCNPJ(r)}} {
			d, err := ParseDocument(g.s)
			if err != nil || d.Kind != g.kind || d.Digits != g.s || d.IsAlphanumeric() != g.alnum {
				t.Fatalf("generated %q: %+v, %v", g.s, d, err)
			}
			if !g.alnum && !allDigits(g.s) {
				t.Fatalf("generated %q is not digits only", g.s)
			}
		}
	}
}

// FuzzParseDocument: never panics; a rejection is one of the three kinds; an accepted document
// reads back the same from its formatted form, and changing a check digit makes it fail.
func FuzzParseDocument(f *testing.F) {
	for _, s := range []string{"529.982.247-25", "11.222.333/0001-81", "12.ABC.345/01DE-35", "", "123", "111.111.111-11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDocument(s)
		if crashOnly() {
			return
		}
		if err != nil {
			if !errors.Is(err, ErrDocMissing) && !errors.Is(err, ErrDocMalformed) && !errors.Is(err, ErrDocCheckDigits) {
				t.Fatalf("%q: uncategorised error %v", s, err)
			}
			return
		}
		if again, err := ParseDocument(d.Formatted()); err != nil || again != d {
			t.Fatalf("%q: formatted %q reads as %+v, %v", s, d.Formatted(), again, err)
		}
		b := []byte(d.Digits)
		b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
		if _, err := ParseDocument(string(b)); !errors.Is(err, ErrDocCheckDigits) {
			t.Fatalf("%q with a wrong check digit: %v", b, err)
		}
	})
}
