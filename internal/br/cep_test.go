package br

import "testing"

func TestNormalizeCEP(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"01234-567": "01234-567", "01234567": "01234-567", "01.234-567": "01234-567",
		"CEP 01234-567": "01234-567", "cep: 01234567": "01234-567", " 95702 000 ": "95702-000",
	} {
		if got, ok := NormalizeCEP(in); !ok || got != want {
			t.Errorf("NormalizeCEP(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1234-567", "1234567", "012345678", "00999-999", "01234-56a", "0123-4567", "01234--567"} {
		if got, ok := NormalizeCEP(in); ok {
			t.Errorf("NormalizeCEP(%q) accepted as %q", in, got)
		}
	}
}

// TestUFOfCEP checks the Correios ranges at their edges, including the split ones (DF/GO, AM/RR).
func TestUFOfCEP(t *testing.T) {
	t.Parallel()
	for cep, want := range map[string]string{
		"01310-100": "SP", "19999-999": "SP", "20000-000": "RJ", "29000-000": "ES", "30000-000": "MG",
		"49000-000": "SE", "57000-000": "AL", "64000-000": "PI", "68900-000": "AP", "69000-000": "AM",
		"69300-000": "RR", "69400-000": "AM", "69900-000": "AC", "70040-010": "DF", "72800-000": "GO",
		"73000-000": "DF", "73700-000": "GO", "76870-175": "RO", "77000-000": "TO", "78000-000": "MT",
		"79000-000": "MS", "80000-000": "PR", "88000-000": "SC", "95702-000": "RS",
	} {
		if got, ok := UFOfCEP(cep); !ok || got != want {
			t.Errorf("UFOfCEP(%s) = %q, want %s", cep, got, want)
		}
	}
	for _, cep := range []string{"00999-999", "78900-000", "", "abcde"} {
		if got, ok := UFOfCEP(cep); ok {
			t.Errorf("UFOfCEP(%q) = %s, want unknown", cep, got)
		}
	}
}
