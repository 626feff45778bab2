// Package br holds the Brazilian data rules every flow shares: CPF/CNPJ documents, phones, CEPs
// and the one-line address that Auvo stores and the ERPs want split into fields.
package br

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

// DocKind tells a CPF (person) from a CNPJ (company).
type DocKind int

// The document kinds. The zero value is deliberately not a kind, so a forgotten Kind shows up.
const (
	CPF DocKind = iota + 1
	CNPJ
)

// String returns "CPF" or "CNPJ".
func (k DocKind) String() string {
	switch k {
	case CPF:
		return "CPF"
	case CNPJ:
		return "CNPJ"
	}
	return fmt.Sprintf("DocKind(%d)", int(k))
}

// MarshalText makes a DocKind read as "CPF"/"CNPJ" in JSON.
func (k DocKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// The three ways a document can be rejected. The run log (SPEC C-A2) must say which one it was,
// so callers test with errors.Is rather than comparing messages.
var (
	ErrDocMissing     = errors.New("documento ausente")
	ErrDocMalformed   = errors.New("documento mal formado")
	ErrDocCheckDigits = errors.New("dígitos verificadores do documento não conferem")
)

// DocError explains why a document was rejected. It unwraps to ErrDocMissing, ErrDocMalformed or
// ErrDocCheckDigits.
type DocError struct {
	Input  string // what was given, unchanged
	Reason string // Portuguese, says how to fix it
	Err    error  // one of the ErrDoc… values
}

// Error returns the Portuguese reason.
func (e *DocError) Error() string { return e.Reason }

// Unwrap returns the ErrDoc… category.
func (e *DocError) Unwrap() error { return e.Err }

// Document is a valid CPF or CNPJ.
type Document struct {
	Kind DocKind `json:"kind"`
	// Digits is the document without punctuation. An alphanumeric CNPJ (Receita Federal, from
	// July 2026) keeps its letters, upper-cased.
	Digits string `json:"digits"`
}

// Formatted returns the document with the usual punctuation: 123.456.789-09 or
// 12.ABC.345/01DE-35.
func (d Document) Formatted() string {
	s := d.Digits
	switch {
	case d.Kind == CPF && len(s) == 11:
		return s[0:3] + "." + s[3:6] + "." + s[6:9] + "-" + s[9:11]
	case d.Kind == CNPJ && len(s) == 14:
		return s[0:2] + "." + s[2:5] + "." + s[5:8] + "/" + s[8:12] + "-" + s[12:14]
	}
	return s
}

// IsAlphanumeric reports whether the document is a CNPJ with letters, which some ERPs may not
// accept yet.
func (d Document) IsAlphanumeric() bool {
	return strings.IndexFunc(d.Digits, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
}

// ParseDocument reads a CPF or CNPJ written with or without punctuation (and an optional "CPF:"
// or "CNPJ:" label) and checks its check digits. The kind is decided by length: 11 characters is a CPF, 14 a CNPJ. A number that lost its
// leading zeros (a spreadsheet cell) is rejected, not padded: padding would be a guess.
func ParseDocument(s string) (Document, error) {
	fail := func(err error, format string, args ...any) (Document, error) {
		return Document{}, &DocError{Input: s, Reason: fmt.Sprintf(format, args...), Err: err}
	}
	var b strings.Builder
	for _, r := range stripDocLabel(s) {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r == '.' || r == '-' || r == '/' || r == ' ' || r == '\t' || r == '_' || r == '\u00a0':
			// punctuation people and systems put in documents; '_' is what an input mask leaves
			// in its unfilled places ("529.982.247-25_"), so it is dropped like the others and a
			// missing digit still shows as a wrong length
		default:
			return fail(ErrDocMalformed, "Documento %q tem o caractere %q, que não pode estar em um CPF ou CNPJ. Use só números (e letras, no CNPJ alfanumérico).", s, r)
		}
	}
	v := b.String()
	if v == "" {
		return fail(ErrDocMissing, "Documento não informado. Preencha o CPF ou o CNPJ do cliente.")
	}
	kind, base, checkDigits := CPF, 9, cpfCheckDigits
	switch len(v) {
	case 11:
		if !allDigits(v) {
			return fail(ErrDocMalformed, "CPF %q deve ter só números.", s)
		}
	case 14:
		kind, base, checkDigits = CNPJ, 12, cnpjCheckDigits
		if !allDigits(v[12:]) {
			return fail(ErrDocMalformed, "CNPJ %q deve terminar com dois números (os dígitos verificadores).", s)
		}
	default:
		if n := len(v) - 1; (n == 11 || n == 14) && allDigits(v[:n]) && !allDigits(v[n:]) {
			// "52998224725x": a valid-looking number with one stray letter typed after it. The
			// letter could be a mistyped digit, so it is refused, with the letter named.
			return fail(ErrDocMalformed, "Documento %q tem um caractere a mais no fim (%q). Apague-o e confira o número com o cliente.", s, v[n:])
		}
		return fail(ErrDocMalformed, "Documento %q tem %d caracteres; um CPF tem 11 números e um CNPJ tem 14. Confira se não faltam zeros à esquerda.", s, len(v))
	}
	if allSame(v) {
		return fail(ErrDocCheckDigits, "%s %q não é válido (todos os dígitos iguais). Confira o número com o cliente.", kind, s)
	}
	if checkDigits(v[:base]) != v[base:] {
		return fail(ErrDocCheckDigits, "%s %q não é válido: os dígitos verificadores não conferem. Confira o número com o cliente.", kind, s)
	}
	return Document{Kind: kind, Digits: v}, nil
}

// stripDocLabel drops a "CPF", "CNPJ" or "CPF/CNPJ" label written before the number.
func stripDocLabel(s string) string {
	s = strings.TrimSpace(s)
	for _, label := range []string{"CPF/CNPJ", "CNPJ", "CPF"} {
		if len(s) > len(label) && strings.EqualFold(s[:len(label)], label) &&
			strings.ContainsRune(" :.-\t", rune(s[len(label)])) {
			return strings.TrimLeft(s[len(label):], " :.-\t")
		}
	}
	return s
}

// ValidCPF reports whether s is a valid CPF, with or without punctuation.
func ValidCPF(s string) bool {
	d, err := ParseDocument(s)
	return err == nil && d.Kind == CPF
}

// ValidCNPJ reports whether s is a valid CNPJ (numeric or alphanumeric), with or without
// punctuation.
func ValidCNPJ(s string) bool {
	d, err := ParseDocument(s)
	return err == nil && d.Kind == CNPJ
}

// GenerateCPF returns a random valid CPF, digits only. Sandboxes and tests use it to seed data
// that passes the same validation as production data.
func GenerateCPF(r *rand.Rand) string {
	for {
		base := randomDigits(r, 9)
		if !allSame(base) {
			return base + cpfCheckDigits(base)
		}
	}
}

// GenerateCNPJ returns a random valid numeric CNPJ of a head office (branch 0001), digits only.
func GenerateCNPJ(r *rand.Rand) string {
	base := randomDigits(r, 8) + "0001"
	return base + cnpjCheckDigits(base)
}

// GenerateAlphanumericCNPJ returns a random valid CNPJ in the format the Receita Federal
// introduces in July 2026: letters and digits in the first 12 positions.
func GenerateAlphanumericCNPJ(r *rand.Rand) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [12]byte
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	b[r.IntN(8)] = byte('A' + r.IntN(26)) // at least one letter, or it is just a numeric CNPJ
	return string(b[:]) + cnpjCheckDigits(string(b[:]))
}

// cpfCheckDigits computes the two check digits of a 9-digit CPF base (modulo 11, weights 10…2
// then 11…2).
func cpfCheckDigits(base string) string {
	d1 := mod11(base, 10)
	d2 := mod11(base+string(rune('0'+d1)), 11)
	return string([]byte{byte('0' + d1), byte('0' + d2)})
}

// cnpjCheckDigits computes the two check digits of a 12-character CNPJ base. Each character is
// worth its code minus 48, which keeps digits as they were and lets letters in (A=17 … Z=42), as
// the Receita Federal defines the alphanumeric CNPJ. Weights cycle 2…9 from the right.
func cnpjCheckDigits(base string) string {
	d1 := cnpjDigit(base)
	d2 := cnpjDigit(base + string(rune('0'+d1)))
	return string([]byte{byte('0' + d1), byte('0' + d2)})
}

func cnpjDigit(s string) int {
	sum, w := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		if w++; w > 9 {
			w = 2
		}
	}
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// mod11 is the CPF digit: weights start at first and fall by one per digit.
func mod11(s string, first int) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i]-'0') * (first - i)
	}
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

func randomDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allSame(s string) bool {
	return s != "" && strings.Count(s, s[:1]) == len(s)
}
