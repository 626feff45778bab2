package br

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// segment is one part of an address line, with the separator written before it and the role the
// parser gave it: L logradouro, N/N+/N_ número (alone, with a glued or a spaced complemento),
// K complemento, B bairro, C cidade, U UF, P CEP, X país (see patternSpec).
type segment struct {
	text string
	sep  byte // 0 before the first part, then ',', '-' or ' '
	role string
	comp string // complemento written with the número (roles N+ and N_)
}

var (
	// cepInText finds a CEP written inside a part: "SP 01310-100", "CEP: 01310100", or eight
	// digits ending the part ("SP 01310100"), which no número is.
	cepInText = regexp.MustCompile(`(?i)(?:\bc\.?e\.?p\.?\s*[:.]?\s*)?\b(\d{2}\.?\d{3}-\d{3})\b|\bc\.?e\.?p\.?\s*[:.]?\s*(\d{8})\b|\s(\d{8})$`)
	// ufSuffix finds a UF glued to the end of a part: "Campinas-SP", "Campinas/SP", "ARIQUEMES (RO)".
	ufSuffix = regexp.MustCompile(`^(.*[^\s\-/(])\s*(?:-|/|\()\s*([A-Za-z]{2})\s*\)?$`)
	// ufSpaced finds an upper-case UF after a space: "Campinas SP".
	ufSpaced = regexp.MustCompile(`^(.*\S)\s+([A-Z]{2})$`)
	// numberMarker is what people write before a número: nº, n°, No., n., nr, num., número.
	numberMarker = regexp.MustCompile(`^(?i:n\.?[º°o]?\.?|nr\.?|num\.?|n[uú]mero:?)\s*(\d|[sS]\s*/)`)
	// inlineNumber finds a número written inside the logradouro after a marker or as a KM.
	inlineNumber = regexp.MustCompile(`^(.*?\S)\s+((?i:n\.?[º°o]\.?|n\.|nr\.?|num\.?|n[uú]mero:?)\s*(?:\d|[sS]\s*/).*|(?i:km)\.?\s*\d+(?:[.,]\d+)?(?:\s.*)?|(?i:s\s*/\s*n[º°o]?\.?)(?:\s.*)?)$`)
	// withoutNumber is every way of writing "sem número", followed by the end or a separator.
	withoutNumber = regexp.MustCompile(`^(?i:s\s*/\s*n(?:[º°o]|\.)?|s\.\s*n\.?|sn|sem\s+n[uú]mero|sem\s+n[º°o]\.?)(?:$|[\s\-/,])`)
	kmNumber      = regexp.MustCompile(`^(?i:km)\.?\s*(\d+(?:[.,]\d+)?)`)
	kmTail        = regexp.MustCompile(`(?i:\bkm)\.?\s*\d+$`)
	digitNumber   = regexp.MustCompile(`^\d{1,6}(?:\.\d{3})?`)
	verb          = regexp.MustCompile(`%[qsd]`)
	complementTag = regexp.MustCompile(`^(?i:compl(?:emento)?)(?:[.:]+\s*|\s+|$)`)
)

// ParseAddress splits Auvo's one-line address into fields (SPEC C-A5). One parser serves every
// ERP: erp only decides which patterns the error lists and which fields are required (Omie needs
// the city). It reads the catalogued patterns AD-O1…AD-O4 and AD-C1…AD-C9 and the layouts
// geocoders and CNPJ look-ups write, with or without accents, in any case, with nº/S/N/KM
// numbers, CEP with or without hyphen, UF as abbreviation or state name, and "Cidade/UF".
//
// It never guesses: when the parts could be read more than one way (only commas and one part
// missing, a number glued to the street, a bairro in the city's place) it returns an
// *AddressError with Ambiguous set. Values are kept as written; only the número ("S/N", "KM 12"),
// UF and CEP are normalised, and the country is always "Brasil".
func ParseAddress(s string, erp ERP) (Address, Pattern, error) {
	a, pat, err := parseAddress(s)
	if err == nil {
		err = checkRequired(a, erp)
	}
	if err != nil {
		e, ok := err.(*AddressError)
		if !ok {
			e = &AddressError{Problem: err.Error(), Kind: err.Error()}
		}
		e.Input, e.ERP = s, erp
		if !e.twoReadings {
			e.Suggestion, e.filled, e.Missing = suggest(s, erp)
		}
		return Address{}, "", e
	}
	return a, pat, nil
}

// problem builds the part of an *AddressError that parsing knows about.
func problem(ambiguous bool, format string, args ...any) error {
	return &AddressError{Problem: fmt.Sprintf(format, args...), Kind: problemKind(format), Ambiguous: ambiguous}
}

// problemKind is the first sentence of a problem's template with its values left out, so that
// refusals can be counted by reason: "Não dá para saber se … é o bairro ou a cidade".
func problemKind(format string) string {
	k := verb.ReplaceAllString(format, "…")
	if i := strings.Index(k, ". "); i > 0 {
		k = k[:i]
	}
	return strings.TrimSuffix(k, ".")
}

func parseAddress(s string) (Address, Pattern, error) {
	segs := splitAddress(cleanAddress(s))
	if len(segs) == 0 {
		return Address{}, "", problem(false, "Endereço não informado.")
	}
	if isCountry(segs[len(segs)-1].text) && len(segs) > 1 {
		segs[len(segs)-1].role = "X"
	}
	segs, cep, err := markCEP(segs)
	if err != nil {
		return Address{}, "", err
	}
	if err := markCountryBeforeCEP(segs); err != nil {
		return Address{}, "", err
	}
	segs, uf, err := markUF(segs)
	if err != nil {
		return Address{}, "", err
	}
	segs, err = markStreetAndNumber(segs)
	if err != nil {
		return Address{}, "", err
	}
	if err := markMiddle(segs, cep != ""); err != nil {
		return Address{}, "", err
	}
	a := Address{State: uf, CEP: cep, Country: "Brasil"}
	var comps []string
	var shape strings.Builder
	for i, sg := range segs {
		if i > 0 {
			shape.WriteByte(sg.sep)
		}
		shape.WriteString(sg.role)
		switch sg.role {
		case "L":
			a.Street = sg.text
		case "N", "N+", "N_":
			a.Number = sg.text
			if c := cleanComplement(sg.comp); c != "" {
				comps = append(comps, c)
			}
		case "K":
			if c := cleanComplement(sg.text); c != "" {
				comps = append(comps, c)
			}
		case "B":
			a.District = sg.text
		case "C":
			a.City = sg.text
		}
	}
	a.Complement = strings.Join(comps, ", ")
	for _, p := range []string{a.District, a.City} {
		if p != "" && !hasWord(p) {
			return Address{}, "", problem(false, "%q não é um nome de bairro ou cidade.", p)
		}
	}
	if a.District == "" && a.City == "" {
		return Address{}, "", problem(false, "Faltam o bairro e a cidade. Separe as partes do endereço com vírgulas.")
	}
	if want, ok := UFOfCEP(cep); ok && want != uf {
		return Address{}, "", problem(false, "O CEP %s é de %s, mas o estado informado é %s. Corrija o CEP ou o estado.", cep, want, uf)
	}
	return a, patternOfShape(shape.String()), nil
}

// cleanComplement drops a "Compl." label and what follows it may start with the separator people
// type after it ("Compl.-fundos"), so the formatter's "Compl. fundos" reads back the same.
func cleanComplement(t string) string {
	c := strings.Trim(complementTag.ReplaceAllString(t, ""), " -–—,;:/")
	if c == "" {
		c = strings.Trim(t, " -–—,;:/") // the complemento is the word itself ("Compl")
	}
	return c
}

// cleanAddress unifies spaces and dashes, turns line breaks into commas and drops punctuation
// left at either end.
func cleanAddress(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u2013', '\u2014', '\u2212':
			return '-'
		case '\n', '\r':
			return ',' // an address pasted over several lines
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " ,;:-|.\"'")
}

// splitAddress cuts the line at commas, semicolons and dashes or slashes with a space beside
// them. A dash inside a word (Embu-Guaçu, BR-116, 123-A) or a comma inside "KM 12,5" does not cut.
func splitAddress(s string) []segment {
	var segs []segment
	start, sep := 0, byte(0)
	cut := func(end int, next byte, skip int) {
		if t := trimPart(s[start:end]); strings.ContainsFunc(t, isAlnum) {
			segs = append(segs, segment{text: t, sep: sep})
			sep = next
		} else if sep == 0 || next == ',' {
			sep = next
		}
		if len(segs) == 0 {
			sep = 0
		}
		start = end + skip
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		spaced := i > 0 && s[i-1] == ' ' || i+1 < len(s) && s[i+1] == ' '
		switch {
		case c == ',' && kmDecimal(s[start:i], s[i+1:]):
		case c == ',' || c == ';' || c == '|':
			cut(i, ',', 1)
		case (c == '-' || c == '/') && spaced:
			cut(i, '-', 1)
		}
	}
	cut(len(s), 0, 0)
	return segs
}

// trimPart drops the separators and spaces left at the ends of a part.
func trimPart(s string) string { return strings.Trim(s, " ,;:-/") }

// kmDecimal reports whether a comma is the decimal comma of a kilometre ("KM 12,5").
func kmDecimal(before, after string) bool {
	if after == "" || after[0] < '0' || after[0] > '9' {
		return false
	}
	return kmTail.MatchString(before)
}

func isCountry(s string) bool {
	switch Fold(s) {
	case "brasil", "brazil", "br":
		return true
	}
	return false
}

// markUF finds the UF in the last part that is not the CEP or the country.
func markUF(segs []segment) ([]segment, string, error) {
	last := -1
	for i := range segs {
		if segs[i].role == "" {
			last = i
		}
	}
	if last < 0 {
		return nil, "", problem(false, "Falta o logradouro.")
	}
	t := segs[last].text
	if uf, ok := LookupUF(t); ok {
		if last == 0 {
			return nil, "", problem(false, "Falta o logradouro.")
		}
		segs[last].role = "U"
		return segs, uf, nil
	}
	for _, re := range []*regexp.Regexp{ufSuffix, ufSpaced} {
		m := re.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		if uf, ok := LookupUF(m[2]); ok {
			segs[last].text = trimPart(m[1])
			return insertSegment(segs, last+1, segment{text: uf, sep: '-', role: "U"}), uf, nil
		}
	}
	return nil, "", problem(false, "Não encontrei o estado (UF) no fim do endereço: %q não é uma UF nem o nome de um estado.", t)
}

// parseNumber reads a número part: "123", "123A", "1.234", "nº 45", "S/N", "KM 12,5", possibly
// followed by a complemento ("123 Apto 4" is role N_, "123/201" or "123-fundos" is N+).
func parseNumber(t string) (segment, bool) {
	if m := numberMarker.FindStringSubmatchIndex(t); m != nil {
		t = t[m[2]:]
	}
	var num, rest string
	if m := withoutNumber.FindString(t); m != "" {
		num, rest = "S/N", t[len(strings.TrimRight(m, " -/,")):]
	} else if m := kmNumber.FindStringSubmatch(t); m != nil {
		num, rest = "KM "+m[1], t[len(m[0]):]
	} else if m := digitNumber.FindString(t); m != "" {
		num, rest = m, t[len(m):]
		switch {
		case rest != "" && (rest[0] >= '0' && rest[0] <= '9' || strings.HasPrefix(rest, "º") ||
			strings.HasPrefix(rest, "ª") || strings.HasPrefix(rest, "°")):
			return segment{}, false // too long to be a número, or an ordinal (2º andar)
		case len(rest) >= 1 && isASCIILetter(rest[0]) && (len(rest) == 1 || !isAlnumStart(rest[1:])):
			num, rest = num+rest[:1], rest[1:]
		case len(rest) >= 2 && rest[0] == '-' && isASCIILetter(rest[1]) && (len(rest) == 2 || !isAlnumStart(rest[2:])):
			num, rest = num+rest[:2], rest[2:]
		}
	} else {
		return segment{}, false
	}
	sg := segment{text: num, role: "N"}
	if comp := trimPart(rest); strings.ContainsFunc(comp, isAlnum) {
		sg.comp = comp
		sg.role = "N+"
		if rest[0] == ' ' {
			sg.role = "N_"
		}
	}
	return sg, true
}

// markMiddle gives roles to the parts between the número and the UF: complementos first, then
// bairro and cidade (SPEC C-A5).
func markMiddle(segs []segment, hasCEP bool) error {
	var mid []int
	ufSep, ufText, country := byte(0), "", false
	for i, sg := range segs {
		switch sg.role {
		case "":
			mid = append(mid, i)
		case "U":
			ufSep, ufText = sg.sep, sg.text
		case "X":
			country = true
		}
	}
	for _, i := range mid {
		if t := segs[i].text; isNumberWord(t) {
			return problem(true, "A parte %q é só um número e está fora do lugar do número do imóvel: não dá para saber se é o número, o apartamento ou um CEP incompleto. Escreva o número logo depois do logradouro e o complemento com o tipo (Apto 201).", t)
		}
	}
	k := 0
	for k < len(mid)-1 && complementLike(segs[mid[k]].text) {
		k++
	}
	rest := mid[k:]
	if len(rest) > 2 {
		k += len(rest) - 2
		rest = rest[len(rest)-2:]
	}
	for _, i := range mid[:k] {
		segs[i].role = "K"
		if t := segs[i].text; streetLike(t) {
			return problem(true, "%q parece um segundo logradouro, mas está no lugar do complemento. Deixe só um logradouro no começo.", t)
		}
	}
	switch len(rest) {
	case 0:
		return nil
	case 2:
		segs[rest[0]].role, segs[rest[1]].role = "B", "C"
		if t := segs[rest[0]].text; complementLike(t) {
			return problem(true, "%q parece um complemento, mas está no lugar do bairro. Confira a ordem: Logradouro, Número, Complemento, Bairro, Cidade - UF.", t)
		}
		return checkCity(segs[rest[1]].text)
	}
	x := &segs[rest[0]]
	switch {
	case complementLike(x.text):
		x.role = "K"
	case country && ufSep == '-':
		x.role = "C" // "Cidade - UF, CEP, Brasil": AD-C8, AD-C9 and the geocoder
		return checkCity(x.text)
	case k > 0:
		x.role = "B" // complemento then bairro: AD-C1, AD-C3, AD-C5, AD-C7
	case ufSep == ',' && hasCEP:
		x.role = "B" // AD-C6
	default:
		note := ""
		if len(ufText) > 2 {
			note = fmt.Sprintf(" (%q foi lido como o estado.)", ufText)
		}
		return problem(true, "Não dá para saber se %q é o bairro ou a cidade. Escreva os dois: …, %s, Cidade - UF.%s", x.text, x.text, note)
	}
	return nil
}

// checkCity refuses a part in the city's place that cannot be a city.
func checkCity(t string) error {
	switch {
	case complementLike(t):
		return problem(true, "%q parece um complemento, mas está no lugar da cidade. Confira a ordem: Logradouro, Número, Complemento, Bairro, Cidade - UF.", t)
	case districtLike(t):
		return problem(true, "%q parece um bairro, mas está no lugar da cidade: falta a cidade ou o complemento não foi reconhecido. Escreva: Logradouro, Número, Complemento, Bairro, Cidade - UF.", t)
	case streetLike(t):
		return problem(true, "%q parece um logradouro, mas está no lugar da cidade.", t)
	}
	return nil
}

func freeSegments(segs []segment) []int {
	var out []int
	for i, sg := range segs {
		if sg.role == "" {
			out = append(out, i)
		}
	}
	return out
}

func insertSegment(segs []segment, i int, sg segment) []segment {
	segs = append(segs, segment{})
	copy(segs[i+1:], segs[i:])
	segs[i] = sg
	return segs
}

// isNumberWord reports whether a word is a bare número: digits, maybe one letter ("123", "12B").
func isNumberWord(w string) bool {
	w = strings.TrimSuffix(w, ".")
	if n := len(w); n > 1 && isASCIILetter(w[n-1]) {
		w = strings.TrimSuffix(w[:n-1], "-")
	}
	return allDigits(strings.ReplaceAll(w, ".", ""))
}

// hasWord reports whether s has two letters in a row, as every name of a street, bairro or
// city has ("Rua 7", "SETOR 01"), so "00000A" or "/" cannot pass for one.
func hasWord(s string) bool {
	prev := false
	for _, r := range s {
		l := unicode.IsLetter(r)
		if l && prev {
			return true
		}
		prev = l
	}
	return false
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isAlnumStart reports whether s starts with a letter (accented ones included) or a digit.
func isAlnumStart(s string) bool {
	for _, r := range s {
		return isAlnum(r)
	}
	return false
}
