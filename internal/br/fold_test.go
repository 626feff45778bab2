package br

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestFold: the case- and accent-insensitive comparison of SPEC C-E5 (Omie tags) and state names.
func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"SÃO  PAULO": "sao paulo", "Ação": "acao", "Nº 5": "no 5", "  Cliente\t": "cliente",
		"a\u0301gua": "agua", "ÇÉÍÕÜ": "ceiou", "Fornecedor": "fornecedor", "": "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLookupUF: the 27 UFs, by abbreviation or name, in any case, with or without accents.
func TestLookupUF(t *testing.T) {
	t.Parallel()
	if n := len(States()); n != 27 {
		t.Fatalf("%d states", n)
	}
	for _, st := range States() {
		for _, in := range []string{st.UF, Fold(st.UF), st.Name, Fold(st.Name), " " + st.Name + " "} {
			if got, ok := LookupUF(in); !ok || got != st.UF {
				t.Errorf("LookupUF(%q) = %q, %v; want %s", in, got, ok, st.UF)
			}
		}
		if StateName(st.UF) != st.Name {
			t.Errorf("StateName(%s)", st.UF)
		}
	}
	for _, in := range []string{"", "XX", "São", "Brasil", "S P"} {
		if got, ok := LookupUF(in); ok {
			t.Errorf("LookupUF(%q) = %q", in, got)
		}
	}
}

// TestFoldLatin1Table checks the fast table against Unicode's decomposition for every letter of
// À…ÿ that has an accent.
func TestFoldLatin1Table(t *testing.T) {
	t.Parallel()
	for r := 'À'; r <= 'ÿ'; r++ {
		base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
		if base == r {
			continue // no accent to strip (Æ, Ø, ß, ×…)
		}
		if got, want := Fold(string(r)), string(unicode.ToLower(base)); got != want {
			t.Errorf("Fold(%q) = %q, want %q", r, got, want)
		}
	}
}
