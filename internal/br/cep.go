package br

import "strings"

// NormalizeCEP returns a CEP as 01234-567. It accepts 01234567, 01234-567, 01.234-567 and an
// optional "CEP" label; a CEP that lost its leading zero (1234-567) is refused rather than padded,
// because the missing digit could be anywhere.
func NormalizeCEP(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "cep") {
		s = strings.TrimLeft(s[3:], " :.\t")
	}
	var d [8]byte
	n, lastSep := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == 8 {
				return "", false
			}
			d[n] = c
			n++
		case (c == '-' || c == ' ') && n == 5 && lastSep != 5, c == '.' && n == 2 && lastSep != 2:
			lastSep = n
		default:
			return "", false
		}
	}
	if n != 8 || string(d[:5]) < "01000" {
		return "", false
	}
	return string(d[:5]) + "-" + string(d[5:]), true
}
