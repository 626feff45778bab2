package web

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fieldErrors maps a form field to its message, shown next to the field (SPEC S12).
type fieldErrors map[string]string

func (e fieldErrors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// cleanText trims a typed value and refuses what must never be stored: invalid UTF-8, control
// characters, and more than max characters. It returns the message to show.
func cleanText(s string, max int) (string, string) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", "O texto tem caracteres inválidos; digite-o novamente."
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", "O texto tem caracteres de controle; digite-o novamente."
	}
	if n := utf8.RuneCountInString(s); n > max {
		return s, "Use no máximo " + strconv.Itoa(max) + " caracteres."
	}
	return s, ""
}

// cleanEmail accepts a bare address (no display name), at most 254 characters.
func cleanEmail(s string) (string, string) {
	s, msg := cleanText(s, 254)
	if msg != "" {
		return s, msg
	}
	if s == "" {
		return s, "Informe o e-mail."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return s, "Informe um e-mail válido, como nome@empresa.com.br."
	}
	return s, ""
}
