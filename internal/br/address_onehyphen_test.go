package br

import (
	"errors"
	"strings"
	"testing"
)

// AD-R1: a street ending in one letter, a hyphen and digits, with no other número, reads two
// ways (Goiânia's "Av. T-63" is a name; the billing form's "RUA X-255" is Rua X, número 255).
// Ponte refuses it, spells out both readings and offers no suggestion that would pick one; with a
// número elsewhere, or S/N, the name is kept whole.
func TestOneLetterHyphenNeedsANumber(t *testing.T) {
	for _, in := range []string{
		"RUA X-255 APTO 4 - CENTRO - CAMPINAS - SP",
		"Av. T-63 - Setor Bueno - Goiânia - GO",
	} {
		_, _, err := ParseAddress(in, Omie)
		var ae *AddressError
		if !errors.As(err, &ae) {
			t.Fatalf("%q: want an AddressError, got %v", in, err)
		}
		if !ae.Ambiguous || ae.Suggestion != "" {
			t.Errorf("%q: ambiguous=%v suggestion=%q, want ambiguous with no suggestion", in, ae.Ambiguous, ae.Suggestion)
		}
		if !strings.Contains(ae.Problem, "sem número") || !strings.Contains(ae.Problem, "com o número") {
			t.Errorf("%q: the problem does not spell out both readings: %s", in, ae.Problem)
		}
	}
	for in, want := range map[string][2]string{
		"Av. T-63, 1200 - Setor Bueno - Goiânia - GO": {"Av. T-63", "1200"},
		"Av. T-63, S/N - Setor Bueno - Goiânia - GO":  {"Av. T-63", "S/N"},
		"RUA X, 255 APTO 4 - CENTRO - CAMPINAS - SP":  {"RUA X", "255"},
	} {
		a, _, err := ParseAddress(in, Omie)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if a.Street != want[0] || a.Number != want[1] {
			t.Errorf("%q: street %q número %q, want %q %q", in, a.Street, a.Number, want[0], want[1])
		}
	}
}
