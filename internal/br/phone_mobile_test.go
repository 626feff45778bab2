package br

import (
	"errors"
	"strings"
	"testing"
)

// TestEightDigitMobileGetsItsNine: a mobile number written in the 8-digit form of before 2016
// is stored with its ninth digit, the one it really has (as the Guia do usuário, §9, says), on
// both sides: read from Auvo's free text and from an ERP's DDD and number fields. Landlines
// (2–5) keep their 8 digits.
func TestEightDigitMobileGetsItsNine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, ddd, number string }{
		{"(11) 9000-0000", "11", "990000000"},
		{"11 8765-4321", "11", "987654321"},
		{"(21) 7123-4567", "21", "971234567"},
		{"+55 61 6123-4567", "61", "961234567"},
		{"(11) 3333-4444", "11", "33334444"},
		{"(11) 2345-6789", "11", "23456789"},
		{"(11) 99000-0000", "11", "990000000"},
	} {
		ps, err := ParsePhones(c.in)
		if err != nil || len(ps) != 1 || ps[0].DDD != c.ddd || ps[0].Number != c.number {
			t.Errorf("ParsePhones(%q) = %+v, %v; want (%s) %s", c.in, ps, err, c.ddd, c.number)
		}
		p, err := PhoneFromParts(c.ddd, c.in[len(c.in)-9:])
		if err != nil || p.Number != c.number {
			t.Errorf("PhoneFromParts(%q, %q) = %+v, %v; want %s", c.ddd, c.in[len(c.in)-9:], p, err, c.number)
		}
	}
	if got, _ := ParsePhones("(11) 9000-0000"); len(got) != 1 || got[0].String() != "(11) 99000-0000" {
		t.Errorf("formatted: %v", got)
	}
}

// TestDocumentStrayCharacters: what may stand around a CPF or CNPJ is the same everywhere a
// document is read (C-A2, the flows, `ponte check-document`): the punctuation people and input
// masks leave (. - / space _) is ignored, wherever it stands; any other character is refused
// with a reason that names it, and so is a stray letter typed after the number.
func TestDocumentStrayCharacters(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"529.982.247-25_", "_529.982.247-25", "529_982_247_25", "52998224725__",
		"529.982.247-25 ", "11.222.333/0001-81_", "11222333000181_"} {
		if d, err := ParseDocument(in); err != nil || (d.Digits != "52998224725" && d.Digits != "11222333000181") {
			t.Errorf("%q: %+v, %v; want it read with the punctuation dropped", in, d, err)
		}
	}
	for _, c := range []struct{ in, named string }{
		{"52998224725x", `"X"`},
		{"529.982.247-25x", `"X"`},
		{"11222333000181x", `"X"`},
		{"529.982.247-25*", `'*'`},
		{"529.982.247-25,", `','`},
		{"529.982.247-25;", `';'`},
	} {
		_, err := ParseDocument(c.in)
		var de *DocError
		if !errors.Is(err, ErrDocMalformed) || !errors.As(err, &de) || !strings.Contains(de.Reason, c.named) {
			t.Errorf("%q: %v; want malformed naming %s", c.in, err, c.named)
		}
	}
	// A mask that was not filled in leaves a digit out: refused as too short, not guessed.
	if _, err := ParseDocument("529.982.247-2_"); !errors.Is(err, ErrDocMalformed) {
		t.Errorf("unfilled mask: %v", err)
	}
}
