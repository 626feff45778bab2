package br

// findCEP finds a CEP written inside t: its digits as written and the match's bounds (m[0]:m[1]
// with the "CEP" label), or a nil m.
func findCEP(t string) (raw string, m []int) {
	m = cepInText.FindStringSubmatchIndex(t)
	if m == nil {
		return "", nil
	}
	g := 2 // the first alternative that matched
	for m[g] < 0 {
		g += 2
	}
	return t[m[g]:m[g+1]], m
}

// markCEP finds the CEP, alone or inside a part, and returns it normalised.
func markCEP(segs []segment) ([]segment, string, error) {
	cep := ""
	take := func(c string) error {
		if cep != "" && cep != c {
			return problem(true, "O endereço tem dois CEPs (%s e %s). Deixe só o correto.", cep, c)
		}
		cep = c
		return nil
	}
	for i := 0; i < len(segs); i++ {
		if segs[i].role != "" {
			continue
		}
		if c, ok := NormalizeCEP(segs[i].text); ok {
			segs[i].role = "P"
			if err := take(c); err != nil {
				return nil, "", err
			}
			continue
		}
		if countDigits(segs[i].text) < 8 {
			continue // too short to hold a CEP: spares the regular expression
		}
		raw, m := findCEP(segs[i].text)
		if m == nil {
			continue
		}
		c, ok := NormalizeCEP(raw)
		if !ok {
			return nil, "", problem(false, "O CEP %q não é válido. Um CEP tem 8 números, como 01234-567.", raw)
		}
		if err := take(c); err != nil {
			return nil, "", err
		}
		if err := checkCEPPlace(segs[i].text, trimPart(segs[i].text[:m[0]]), trimPart(segs[i].text[m[1]:]), c, i == 0); err != nil {
			return nil, "", err
		}
		rest := trimPart(segs[i].text[:m[0]] + " " + segs[i].text[m[1]:])
		if rest == "" {
			segs[i].role = "P"
			continue
		}
		segs[i].text = rest
		segs = insertSegment(segs, i+1, segment{text: c, sep: ' ', role: "P"})
		i++
	}
	return segs, cep, nil
}

// markCountryBeforeCEP marks the country written before the CEP at the end of the line
// ("…, SP, Brasil, 13010-000"), as HERE and some forms write it (SPEC AD-R2).
func markCountryBeforeCEP(segs []segment) error {
	countries := 0
	for i := len(segs) - 1; i > 0; i-- {
		switch {
		case segs[i].role == "X":
			countries++
		case segs[i].role == "P":
		case segs[i].role == "" && isCountry(segs[i].text):
			segs[i].role = "X"
			countries++
		default:
			i = 0
		}
	}
	if countries > 1 {
		return problem(false, "O país aparece mais de uma vez. Escreva-o uma vez só, no fim.")
	}
	return nil
}

// checkCEPPlace refuses a CEP written inside a part where it would leave that part in doubt:
// between two words ("Centro 13010-000 Campinas"), next to a bare number, or glued to the end of
// the logradouro (SPEC AD-R1). first says whether the part is the first of the line.
func checkCEPPlace(text, before, after, cep string, first bool) error {
	switch {
	case before != "" && after != "",
		isNumberWord(before) || isNumberWord(after),
		first && before != "",
		before != "" && !ufBefore(before), // "Centro 13010-000": the CEP is glued to the bairro (AD-R1)
		after != "" && !isCountry(after) && !ufBefore(after):
		return problem(true, "O CEP %s está dentro de outra parte (%q). Escreva o CEP separado por vírgula, no fim.", cep, text)
	}
	return nil
}
