package br

import "testing"

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
