package br

import (
	"regexp"
	"strings"
)

var (
	// hyphenNumber finds the billing form's número after a hyphen glued to the street:
	// "RUA DAS PALMEIRAS-120 APTO 32", "AV BRASIL-1500", "RUA DAS FLORES-S/N" (SPEC AD-R2).
	hyphenNumber = regexp.MustCompile(`^(.*?)(\pL+)-(\d{1,6}[A-Za-z]?|(?i:s\s*/\s*n[º°o]?\.?))(?:$|[\s-]+(.*)$)`)
	// hyphenDigits is a hyphen with a word before it and digits after: what is left of a
	// número the parser could not read ("PALMEIRAS-120APTO").
	hyphenDigits = regexp.MustCompile(`\pL{2}-\d`)
	// roadPrefix is the letters before a hyphen, as in a road code (BR-116).
	roadPrefix = regexp.MustCompile(`(\pL+)-`)
	// oneLetterHyphen is a street name ending in one letter, a hyphen and digits: Goiânia's
	// "Av. T-63" is a name, but the billing form writes "RUA X-255" for Rua X, número 255.
	oneLetterHyphen = regexp.MustCompile(`^(.*\s)(\pL)-(\d{1,6}[A-Za-z]?)$`)
)

// markStreetAndNumber gives the first free part the logradouro role and reads the número, written
// in the next part or inside the logradouro (nº 123, KM 12, the billing form's "-120"). A
// logradouro that still holds a número or a complemento the parser cannot place is refused
// (SPEC AD-R1).
func markStreetAndNumber(segs []segment) ([]segment, error) {
	free := freeSegments(segs)
	if len(free) == 0 {
		return nil, problem(false, "Falta o logradouro.")
	}
	st := free[0]
	segs[st].role = "L"
	segs, hasNumber, err := splitStreetTail(segs, st)
	if err != nil {
		return nil, err
	}
	street := segs[st].text
	if !hasWord(street) && !streetLike(street) || complementLike(street) {
		return nil, problem(true, "O endereço deve começar pelo logradouro (rua, avenida…), mas começa por %q.", street)
	}
	if err := gluedComplement(street); err != nil {
		return nil, err
	}
	if hyphenDigits.MatchString(street) && !highwayCode(street) {
		return nil, problem(true, "Não dá para separar o número do logradouro em %q. Escreva o número depois de uma vírgula (Rua X, 120).", street)
	}
	next := -1
	for i := st + 1; i < len(segs); i++ {
		if segs[i].role == "" {
			next = i
			break
		}
	}
	if next >= 0 {
		if n, ok := parseNumber(segs[next].text); ok {
			if hasNumber {
				return nil, problem(true, "O endereço tem dois números do imóvel (no logradouro e em %q). Deixe só um.", segs[next].text)
			}
			n.sep = segs[next].sep
			segs[next] = n
			return segs, nil
		}
	}
	if hasNumber {
		return segs, nil
	}
	if m := oneLetterHyphen.FindStringSubmatch(street); m != nil {
		// Without another número nothing tells the two readings apart, and a wrong one puts the
		// wrong número in the ERP: say both and let the person choose (SPEC AD-R1).
		e := problem(true, "Não dá para saber se %q é o nome da rua (sem número) ou a rua %q com o número %s. Escreva %q se o número for %s, ou %q se a rua se chama assim e não tem número.",
			street, strings.TrimSpace(m[1])+" "+m[2], m[3], strings.TrimSpace(m[1])+" "+m[2]+", "+m[3], m[3], street+", S/N").(*AddressError)
		e.twoReadings = true
		return nil, e
	}
	if w := strings.Fields(street); len(w) >= 3 && streetLike(street) && isNumberWord(w[len(w)-1]) &&
		!unitWords[Fold(w[len(w)-2])] && !complementWords[Fold(w[len(w)-2])] {
		return nil, problem(true, "Não dá para saber se %q no fim de %q é o número do imóvel ou parte do nome da rua. Separe o número com vírgula (%s, %s) ou, se não houver número, escreva S/N (%s, S/N).",
			w[len(w)-1], street, strings.Join(w[:len(w)-1], " "), w[len(w)-1], street)
	}
	return segs, nil
}

// splitStreetTail takes out of the logradouro segs[st] a número written inside it (after a
// marker, as a KM, after a hyphen) or a complemento written after it without a comma ("Rua das
// Acácias Qd 3 Lt 5"), as parts of their own right after it. It reports whether a número was
// found.
func splitStreetTail(segs []segment, st int) ([]segment, bool, error) {
	t := segs[st].text
	if m := inlineNumber.FindStringSubmatch(t); m != nil && (countDigits(t) > 0 || withoutNumber.MatchString(m[2])) {
		if n, ok := parseNumber(m[2]); ok {
			segs[st].text = m[1]
			n.sep = ' '
			return insertSegment(segs, st+1, n), true, nil
		}
	}
	if m := hyphenNumber.FindStringSubmatch(t); m != nil {
		letters := m[2]
		switch {
		case len([]rune(letters)) == 1 || highwayCode(letters+"-"):
			// "Av. T-63", "Rua C-255" (Goiânia) and "BR-153" are names, not a número
		case len([]rune(letters)) <= 3:
			return nil, false, problem(true, "Não dá para saber se %q é o nome da rua ou a rua e o número. Escreva o número depois de uma vírgula: %s, %s.",
				t, strings.TrimSpace(m[1]+letters), m[3])
		default:
			rest := strings.TrimSpace(m[4])
			if rest != "" && !complementLike(rest) {
				return nil, false, problem(true, "Depois do número %s em %q vem %q, que não é um complemento conhecido (Apto, Sala, Casa…). Separe as partes com vírgulas.", m[3], t, rest)
			}
			n, ok := parseNumber(m[3])
			if !ok {
				return segs, false, nil
			}
			n.sep = '-'
			if rest != "" {
				n.comp, n.role = rest, "N_"
			}
			segs[st].text = strings.TrimSpace(m[1] + letters)
			return insertSegment(segs, st+1, n), true, nil
		}
	}
	if !streetLike(t) {
		return segs, false, nil // Brasília's "SQN 104 Bloco A Apto 302" is one logradouro
	}
	w := strings.Fields(t)
	for i := 2; i < len(w); i++ {
		head := strings.Trim(Fold(w[i]), ".:")
		unit := (complementWords[head] || unitWords[head]) && i+1 < len(w) && isIdentifier(strings.Trim(Fold(w[i+1]), ".:"))
		if unit || gluedUnit(head) {
			segs[st].text = strings.Join(w[:i], " ")
			return insertSegment(segs, st+1, segment{text: strings.Join(w[i:], " "), sep: ' ', role: "K"}), false, nil
		}
	}
	return segs, false, nil
}

// highwayCode reports whether s holds a road code before its hyphen: BR-116, SP-340, ERS-122,
// RSC-287, GO-060.
func highwayCode(s string) bool {
	for _, m := range roadPrefix.FindAllStringSubmatch(s, -1) {
		c := strings.ToUpper(m[1])
		if c == "BR" {
			return true
		}
		if _, ok := LookupUF(c); ok && len(c) == 2 {
			return true
		}
		if len(c) == 3 {
			if _, ok := LookupUF(c[1:]); ok && c[0] == 'E' {
				return true
			}
			if _, ok := LookupUF(c[:2]); ok && (c[2] == 'C' || c[2] == 'T') {
				return true
			}
		}
	}
	return false
}

// ufBefore reports whether what shares a part with the CEP is the UF ("SP 01310-100",
// "Campinas SP 13010000", "São Paulo"): anything else would be a field glued to the CEP.
func ufBefore(s string) bool {
	if _, ok := LookupUF(s); ok {
		return true
	}
	for _, re := range []*regexp.Regexp{ufSuffix, ufSpaced} {
		if m := re.FindStringSubmatch(s); m != nil {
			if _, ok := LookupUF(m[2]); ok {
				return true
			}
		}
	}
	return false
}

// gluedComplement refuses a logradouro that still holds a número followed by a complemento
// ("SQS 308 Bloco C Apto 301", "Rua das Palmeiras 120 Apto 32"): both would stay glued to the
// street (AD-R1).
func gluedComplement(street string) error {
	w := strings.Fields(street)
	if n := len(w); n > 1 && withoutNumber.MatchString(strings.TrimLeft(w[n-1][strings.LastIndexByte(w[n-1], '-')+1:], " ")) && strings.Contains(w[n-1], "-") {
		return problem(true, "O S/N está junto do logradouro em %q. Escreva: %s, S/N.", street, strings.TrimSpace(street[:strings.LastIndexByte(street, '-')]))
	}
	for i := 1; i < len(w)-1; i++ {
		if isNumberWord(w[i]) && complementLike(strings.Join(w[i+1:], " ")) {
			return problem(true, "O número e o complemento estão junto do logradouro em %q. Separe com vírgulas: %s, %s, %s.",
				street, strings.Join(w[:i], " "), w[i], strings.Join(w[i+1:], " "))
		}
	}
	return nil
}
