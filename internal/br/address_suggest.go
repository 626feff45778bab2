package br

import "strings"

// The placeholders a suggestion shows where the line lacks a field (SPEC AD-R3).
const (
	placeholderStreet   = "Logradouro"
	placeholderNumber   = "Número"
	placeholderDistrict = "Bairro"
	placeholderCity     = "Cidade"
	placeholderState    = "UF"
)

// requiredFields names the fields an ERP needs beyond the logradouro, the UF and a bairro or a
// cidade: each field that every one of the ERP's patterns has (SPEC C-A5). Omie's patterns all
// have the city and Conta Azul's all have the bairro, so a line lacking it is refused naming the
// field instead of being sent with it empty (SPEC AD-R4). Bling accepts the union of both
// catalogues, so it needs nothing more.
func requiredFields(erp ERP) []string {
	switch erp {
	case Omie:
		return []string{"cidade"}
	case ContaAzul:
		return []string{"bairro"}
	}
	return nil
}

// checkRequired refuses an accepted split that lacks a field the ERP needs (SPEC AD-R4).
func checkRequired(a Address, erp ERP) error {
	for _, f := range requiredFields(erp) {
		switch {
		case f == "cidade" && a.City == "":
			return problem(false, "Falta a cidade, que o %s exige.", erp)
		case f == "bairro" && a.District == "":
			return problem(false, "Falta o bairro, que o %s exige.", erp)
		}
	}
	return nil
}

// suggest reads a refused line leniently, keeping what it recognises, and writes it in the
// canonical pattern "Logradouro, Número, Bairro, Cidade - UF, CEP" with a placeholder for each
// missing field (SPEC AD-R3). It returns "" when it recognises too little to help, or when the
// line it would show, once the placeholders are filled in, would still be refused: a suggestion
// the parser does not accept is never shown.
// filled is the suggestion with its placeholders replaced by sample values, as the parser was
// given it.
func suggest(s string, erp ERP) (line, filled string, missing []string) {
	a := recognize(s)
	if a.Street == "" && a.Number == "" && a.District == "" && a.City == "" {
		return "", "", nil
	}
	shown, check := a, a
	fill := func(field *string, checkField *string, placeholder, name string) {
		if *field == "" {
			*field, *checkField = placeholder, placeholder
			missing = append(missing, name)
		}
	}
	fill(&shown.Street, &check.Street, placeholderStreet, "logradouro")
	if shown.Number == "" {
		shown.Number, check.Number = placeholderNumber, "S/N"
		missing = append(missing, "número")
	}
	fill(&shown.District, &check.District, placeholderDistrict, "bairro")
	fill(&shown.City, &check.City, placeholderCity, "cidade")
	fill(&shown.State, &check.State, placeholderState, "UF")
	if check.State == placeholderState {
		check.State = "SP"
	}
	filled = suggestionLine(check)
	if _, _, err := parseChecked(filled, erp); err != nil {
		return "", "", nil
	}
	return suggestionLine(shown), filled, missing
}

// parseChecked is ParseAddress without the suggestion, so that suggest does not recurse.
func parseChecked(s string, erp ERP) (Address, Pattern, error) {
	a, pat, err := parseAddress(s)
	if err == nil {
		err = checkRequired(a, erp)
	}
	return a, pat, err
}

// suggestionLine writes the fields as FormatAddress does, without the country.
func suggestionLine(a Address) string {
	state := a.State
	a.State = "" // FormatAddress would normalise it; the placeholder must stay as it is
	a.Country = "-"
	line := strings.TrimSuffix(FormatAddress(a), ", -")
	if a.City != "" {
		return strings.Replace(line, a.City, a.City+" - "+state, 1)
	}
	return line + ", " + state
}

// recognize reads the fields it can tell apart in a line the parser refused: the CEP (when there
// is exactly one that matches the UF), the UF at the end, the logradouro first and its número,
// the complementos by their words, then the bairro and the cidade.
func recognize(s string) Address {
	var a Address
	var parts []string
	var seps []byte
	ceps := map[string]bool{}
	for _, sg := range splitAddress(cleanAddress(s)) {
		t := sg.text
		if c, ok := NormalizeCEP(t); ok {
			ceps[c] = true
			continue
		}
		if raw, m := findCEP(t); m != nil {
			if c, ok := NormalizeCEP(raw); ok {
				ceps[c] = true
			}
			t = trimPart(t[:m[0]] + " " + t[m[1]:])
		}
		if t != "" && !isCountry(t) {
			parts, seps = append(parts, t), append(seps, sg.sep)
		}
	}
	ufDash := false // "Cidade - UF": the part before the UF is the city, as the parser reads it
	if n := len(parts); n > 1 {
		if uf, ok := LookupUF(parts[n-1]); ok {
			a.State, parts, ufDash = uf, parts[:n-1], seps[n-1] == '-'
		} else if m := ufSuffix.FindStringSubmatch(parts[n-1]); m != nil {
			if uf, ok := LookupUF(m[2]); ok {
				a.State, parts[n-1], ufDash = uf, trimPart(m[1]), true
			}
		}
	}
	if len(ceps) == 1 {
		for c := range ceps {
			if want, ok := UFOfCEP(c); !ok || want == a.State || a.State == "" {
				a.CEP = c
			}
		}
	}
	if len(parts) == 0 {
		return a
	}
	var comps []string
	street := parts[0]
	parts = parts[1:]
	if m := inlineNumber.FindStringSubmatch(street); m != nil {
		if n, ok := parseNumber(m[2]); ok {
			street, a.Number = m[1], n.text
			comps = appendComp(comps, n.comp)
		}
	} else if m := hyphenNumber.FindStringSubmatch(street); m != nil && len([]rune(m[2])) > 3 {
		if n, ok := parseNumber(m[3]); ok {
			street, a.Number = strings.TrimSpace(m[1]+m[2]), n.text
			comps = appendComp(comps, m[4])
		}
	} else if w := strings.Fields(street); len(w) >= 3 && streetLike(street) && isNumberWord(w[len(w)-1]) {
		street, a.Number = strings.Join(w[:len(w)-1], " "), w[len(w)-1]
	}
	if !hasWord(street) && !streetLike(street) || complementLike(street) {
		return Address{State: a.State, CEP: a.CEP} // the line does not start with a logradouro
	}
	a.Street = street
	if len(parts) > 0 && a.Number == "" {
		if n, ok := parseNumber(parts[0]); ok {
			a.Number = n.text
			comps = appendComp(comps, n.comp)
			parts = parts[1:]
		}
	}
	var names []string
	for _, p := range parts {
		switch {
		case complementLike(p) || isNumberWord(p):
			comps = appendComp(comps, p)
		case streetLike(p) || !hasWord(p):
			return Address{State: a.State, CEP: a.CEP, Street: a.Street, Number: a.Number}
		default:
			names = append(names, p)
		}
	}
	switch n := len(names); {
	case n == 1 && districtLike(names[0]):
		a.District = names[0]
	case n == 1 && ufDash:
		a.City = names[0]
	case n == 1:
		a.District = names[0]
	case n >= 2:
		comps = append(comps, names[:n-2]...)
		a.District, a.City = names[n-2], names[n-1]
		if districtLike(a.City) {
			a.City = "" // "…, Galeria, Jardim América, SP": the city is what is missing
			a.District = names[n-1]
			comps = append(comps, names[n-2])
		}
	}
	a.Complement = strings.Join(comps, ", ")
	return a
}

func appendComp(comps []string, c string) []string {
	if c = cleanComplement(strings.TrimSpace(c)); c != "" {
		comps = append(comps, c)
	}
	return comps
}
