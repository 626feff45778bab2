package br

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// refusal parses a line that must be refused and returns the *AddressError.
func refusal(t *testing.T, in string, erp ERP) *AddressError {
	t.Helper()
	_, _, err := ParseAddress(in, erp)
	var e *AddressError
	if !errors.As(err, &e) {
		t.Fatalf("%q for %s: want *AddressError, got %v", in, erp, err)
	}
	return e
}

// TestAddressSuggestionIsAccepted is SPEC AD-R3: for every line of the corpus and of the
// rejection cases that a given ERP refuses, the suggestion shown with the reason is accepted by
// the parser for that ERP when it has no missing part, and once its placeholders are filled in
// when it has some.
func TestAddressSuggestionIsAccepted(t *testing.T) {
	t.Parallel()
	var lines []string
	for _, c := range loadCorpus(t) {
		lines = append(lines, c.in)
	}
	refused, suggested := 0, 0
	for _, erp := range []ERP{AnyERP, Omie, ContaAzul, Bling} {
		for _, in := range lines {
			_, _, err := ParseAddress(in, erp)
			if err == nil {
				continue
			}
			refused++
			e := err.(*AddressError)
			if e.Suggestion == "" {
				continue
			}
			suggested++
			if !strings.Contains(e.Reason(), "Escreva assim: `"+e.Suggestion+"`") {
				t.Errorf("%q: the reason does not show the suggestion: %s", in, e.Reason())
			}
			line := e.Suggestion
			if len(e.Missing) > 0 {
				if !strings.Contains(e.Reason(), "falta: "+strings.Join(e.Missing, ", ")) {
					t.Errorf("%q: the reason does not name the missing %v", in, e.Missing)
				}
				line = e.filled
			} else if e.filled != line {
				t.Errorf("%q: checked %q, shows %q", in, e.filled, line)
			}
			if _, _, err := ParseAddress(line, erp); err != nil {
				t.Errorf("%s: %q suggests %q (missing %v), which is refused: %v", erp, in, e.Suggestion, e.Missing, err.(*AddressError).Problem)
			}
		}
	}
	t.Logf("%d refusals, %d with a suggestion", refused, suggested)
	if suggested*2 < refused {
		t.Errorf("only %d of %d refusals suggest a line", suggested, refused)
	}
}

// TestAddressSuggestionExamples pins what the suggestion says for lines the issue names (SPEC
// AD-R3) and the missing field for each ERP (SPEC AD-R4).
func TestAddressSuggestionExamples(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		erp     ERP
		want    string
		missing []string
	}{
		{"Rua das Flores 123, Centro, São Paulo - SP", AnyERP, "Rua das Flores, 123, Centro, São Paulo - SP", nil},
		{"Rua X, 100, Centro, SP", AnyERP, "Rua X, 100, Centro, Cidade - SP", []string{"cidade"}},
		{"Rua X, 100, Campinas - SP, 13010-000", AnyERP, "Rua X, 100, Bairro, Campinas - SP, 13010-000", []string{"bairro"}},
		{"Rua X, 100, Centro, Campinas", AnyERP, "Rua X, 100, Centro, Campinas - UF", []string{"UF"}},
		{"Rua X, Centro, Campinas - SP", AnyERP, "", nil}, // accepted: no suggestion needed
		{"Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300", Omie, "Rua Vergueiro, 3185, Vila Mariana, Cidade - SP, 04101-300", []string{"cidade"}},
		{"Rua Principal, 10, Nova Esperança - PR, 87600-000, Brasil", ContaAzul, "Rua Principal, 10, Bairro, Nova Esperança - PR, 87600-000", []string{"bairro"}},
		{"Rua X, 100, Centro, Rio de Janeiro - RJ, 01001-000", AnyERP, "Rua X, 100, Centro, Rio de Janeiro - RJ", nil},
	}
	for _, c := range cases {
		_, _, err := ParseAddress(c.in, c.erp)
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.in, err)
			}
			continue
		}
		e := refusal(t, c.in, c.erp)
		if e.Suggestion != c.want || !slices.Equal(e.Missing, c.missing) {
			t.Errorf("%q for %s: suggestion %q missing %v, want %q missing %v", c.in, c.erp, e.Suggestion, e.Missing, c.want, c.missing)
		}
	}
}

// FuzzAddressSuggestion is SPEC AD-R3 as a property: whenever a line is refused with a
// suggestion, the suggestion (with sample values for its placeholders, when it has some) is accepted for the
// same ERP, and what it splits into re-assembles in the canonical pattern to the same fields. The
// accepted side (re-assembling an accepted line's fields gives them back) is FuzzParseAddress.
func FuzzAddressSuggestion(f *testing.F) {
	for _, c := range loadCorpus(f) {
		f.Add(c.in, uint8(0))
	}
	erps := []ERP{AnyERP, Omie, ContaAzul, Bling}
	f.Fuzz(func(t *testing.T, s string, e uint8) {
		erp := erps[int(e)%len(erps)]
		_, _, err := ParseAddress(s, erp)
		if crashOnly() || err == nil {
			return
		}
		ae := err.(*AddressError)
		if ae.Suggestion == "" {
			return
		}
		line := ae.Suggestion
		if len(ae.Missing) > 0 {
			line = ae.filled // the suggestion with sample values for its placeholders
		}
		a, _, err := ParseAddress(line, erp)
		if err != nil {
			t.Fatalf("%s: %q suggests %q (missing %v), which is refused: %v", erp, s, ae.Suggestion, ae.Missing, err.(*AddressError).Problem)
		}
		checkStable(t, a, a)
	})
}
