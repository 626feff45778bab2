package br

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case without accents and with runs of spaces collapsed, for comparing
// names the way people write them: "SÃO  PAULO", "Sao Paulo" and "são paulo" all fold to
// "sao paulo". The Omie tag rule (SPEC C-E5) and state names need exactly this comparison.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = foldRune(r)
			if r == 0 {
				continue
			}
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// latin1Base maps À…ÿ to their letters without accent ('.' where there is none), which covers
// every accent written in Portuguese without the cost of a Unicode decomposition.
const latin1Base = "AAAAAAACEEEEIIII" + "DNOOOOO.OUUUUY.." + "aaaaaaaceeeeiiii" + ".nooooo.ouuuuy.y"

// foldRune strips the accent from a non-ASCII rune: its canonical decomposition without the
// combining marks. It returns 0 for a lone combining mark.
func foldRune(r rune) rune {
	if unicode.Is(unicode.Mn, r) {
		return 0
	}
	switch r {
	case 'º', '°':
		return 'o'
	case 'ª':
		return 'a'
	case '\u00a0':
		return ' '
	}
	if r >= 'À' && r <= 'ÿ' {
		if b := latin1Base[r-'À']; b != '.' {
			return rune(b)
		}
		return r
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Bytes(buf[:n])
	base, _ := utf8.DecodeRune(d)
	return base
}
