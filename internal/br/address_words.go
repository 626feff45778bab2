package br

import "strings"

// The word lists below are what tells a complemento from a bairro when the commas alone cannot.
// They hold folded words (see Fold) and are only read.

// complementWords start a complemento whatever follows them: no bairro or city starts this way.
var complementWords = map[string]bool{
	"apto": true, "apt": true, "ap": true, "apartamento": true, "sala": true, "sl": true,
	"salas": true, "bloco": true, "bl": true, "blc": true, "loja": true, "lj": true, "lojas": true,
	"box": true, "andar": true, "unidade": true, "unid": true, "galpao": true, "pavimento": true,
	"pav": true, "kitnet": true, "edificio": true, "edif": true, "ed": true, "edf": true,
	"condominio": true, "cond": true, "fundos": true, "frente": true, "terreo": true,
	"sobreloja": true, "subsolo": true, "anexo": true, "compl": true, "complemento": true,
	"proximo": true, "prox": true, "perto": true, "ref": true, "referencia": true,
	"cobertura": true, "esquina": true, "deposito": true,
}

// unitWords start a complemento only when an identifier follows ("Casa 2", "Torre B"), because
// "Casa Verde", "Torre" and "Conjunto Habitacional …" are bairros.
var unitWords = map[string]bool{
	"casa": true, "cs": true, "lote": true, "lt": true, "quadra": true, "qd": true, "qda": true,
	"qdr": true, "conjunto": true, "conj": true, "cj": true, "cjto": true, "torre": true,
	"modulo": true, "mod": true, "vaga": true, "kit": true,
}

// complementAnywhere marks a complemento wherever it appears ("2º andar", "casa dos fundos").
var complementAnywhere = map[string]bool{
	"fundos": true, "terreo": true, "sobreloja": true, "subsolo": true, "andar": true,
}

// districtWords start names that are bairros and never cities, so a part in the city position
// that starts with one means a part is missing.
var districtWords = map[string]bool{
	"centro": true, "setor": true, "bairro": true, "residencial": true, "conjunto": true,
	"loteamento": true, "jd": true, "pq": true, "vl": true, "res": true, "cj": true, "lot": true,
	"conj": true, "nucleo": true, "chacaras": true, "zona": true, "parque": true, "distrito": true,
	"jardim": true,
}

// citiesLikeDistricts are the municipalities whose names start with a word of districtWords.
var citiesLikeDistricts = map[string]bool{
	"jardim": true, "jardim alegre": true, "jardim de piranhas": true, "jardim do serido": true,
	"jardim olinda": true,
}

// streetWords start a logradouro.
var streetWords = map[string]bool{
	"rua": true, "r": true, "av": true, "avenida": true, "avda": true, "travessa": true,
	"tv": true, "trav": true, "alameda": true, "al": true, "estrada": true, "est": true,
	"estr": true, "rodovia": true, "rod": true, "praca": true, "pca": true, "pc": true,
	"largo": true, "lgo": true, "beco": true, "viela": true, "ladeira": true, "servidao": true,
	"marginal": true, "acesso": true,
}

// words splits a part into folded words without punctuation.
func words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '(' || r == ')'
	})
}

// complementLike reports whether a part reads as a complemento: "Apto 12", "Bloco B",
// "Casa 2", "2º andar", "Fundos", "Ed. Aurora", "ap12", "Próximo ao mercado".
func complementLike(s string) bool {
	w := words(s)
	if len(w) == 0 {
		return false
	}
	if complementWords[w[0]] || unitWords[w[0]] && len(w) > 1 && isIdentifier(w[1]) {
		return true
	}
	if len(w) > 1 && (w[0] == "ao" && w[1] == "lado" || w[0] == "em" && w[1] == "frente") {
		return true
	}
	for _, x := range w {
		if complementAnywhere[x] {
			return true
		}
	}
	return gluedUnit(w[0])
}

// gluedUnit reports whether a word is a unit written together with its identifier: ap12, sl3.
func gluedUnit(w string) bool {
	i := strings.IndexAny(w, "0123456789")
	if i <= 0 {
		return false
	}
	head := w[:i]
	return (complementWords[head] || unitWords[head]) && isIdentifier(w[i:])
}

// isIdentifier reports whether a word identifies a unit: "12", "B", "12B", "A1", "IV".
func isIdentifier(w string) bool {
	if w == "" || len(w) > 6 {
		return false
	}
	if len(w) == 1 {
		return true
	}
	switch w {
	case "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii":
		return true
	}
	return strings.ContainsAny(w, "0123456789")
}

// districtLike reports whether a part is surely a bairro name (and so not a city).
func districtLike(s string) bool {
	w := words(s)
	return len(w) > 0 && districtWords[w[0]] && !citiesLikeDistricts[strings.Join(w, " ")]
}

// streetLike reports whether a part starts like a logradouro ("Rua …", "Av. …").
func streetLike(s string) bool {
	w := words(s)
	return len(w) > 0 && streetWords[w[0]]
}
