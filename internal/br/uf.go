package br

import "strings"

// State is one of the 27 federative units.
type State struct {
	UF   string // two upper-case letters
	Name string // with accents, as written by the IBGE
}

// States lists the 26 states and the Distrito Federal.
func States() []State {
	s := make([]State, len(states))
	copy(s, states[:])
	return s
}

var states = [...]State{
	{"AC", "Acre"}, {"AL", "Alagoas"}, {"AP", "Amapá"}, {"AM", "Amazonas"}, {"BA", "Bahia"},
	{"CE", "Ceará"}, {"DF", "Distrito Federal"}, {"ES", "Espírito Santo"}, {"GO", "Goiás"},
	{"MA", "Maranhão"}, {"MT", "Mato Grosso"}, {"MS", "Mato Grosso do Sul"}, {"MG", "Minas Gerais"},
	{"PA", "Pará"}, {"PB", "Paraíba"}, {"PR", "Paraná"}, {"PE", "Pernambuco"}, {"PI", "Piauí"},
	{"RJ", "Rio de Janeiro"}, {"RN", "Rio Grande do Norte"}, {"RS", "Rio Grande do Sul"},
	{"RO", "Rondônia"}, {"RR", "Roraima"}, {"SC", "Santa Catarina"}, {"SP", "São Paulo"},
	{"SE", "Sergipe"}, {"TO", "Tocantins"},
}

// LookupUF returns the UF for an abbreviation or a state name, in any case, with or without
// accents: "sp", "São Paulo" and "SAO PAULO" all give "SP".
func LookupUF(s string) (string, bool) {
	f := Fold(strings.TrimSpace(s))
	if len(f) == 2 {
		u := strings.ToUpper(f)
		for _, st := range states {
			if st.UF == u {
				return u, true
			}
		}
		return "", false
	}
	for i, n := range foldedStateNames {
		if n == f {
			return states[i].UF, true
		}
	}
	return "", false
}

// foldedStateNames holds Fold(states[i].Name); it is computed once and only read.
var foldedStateNames = func() (out [len(states)]string) {
	for i, st := range states {
		out[i] = Fold(st.Name)
	}
	return out
}()

// StateName returns the full name of a UF, or "" if uf is not one.
func StateName(uf string) string {
	for _, st := range states {
		if st.UF == uf {
			return st.Name
		}
	}
	return ""
}

// cepRange is a span of CEP prefixes (first five digits) that belongs to one UF.
type cepRange struct {
	from, to int
	uf       string
}

// cepRanges is the Correios allocation of CEPs to states. A CEP inside another UF's range means the
// CEP or the state was typed wrong, and the ERP would reject the invoice later. 78900-78999 (old
// Rondônia CEPs, moved to 768xx-769xx in 2008) is left out on purpose: such a CEP is not checked.
var cepRanges = [...]cepRange{
	{1000, 19999, "SP"}, {20000, 28999, "RJ"}, {29000, 29999, "ES"}, {30000, 39999, "MG"},
	{40000, 48999, "BA"}, {49000, 49999, "SE"}, {50000, 56999, "PE"}, {57000, 57999, "AL"},
	{58000, 58999, "PB"}, {59000, 59999, "RN"}, {60000, 63999, "CE"}, {64000, 64999, "PI"},
	{65000, 65999, "MA"}, {66000, 68899, "PA"}, {68900, 68999, "AP"}, {69000, 69299, "AM"},
	{69300, 69399, "RR"}, {69400, 69899, "AM"}, {69900, 69999, "AC"}, {70000, 72799, "DF"},
	{72800, 72999, "GO"}, {73000, 73699, "DF"}, {73700, 76799, "GO"}, {76800, 76999, "RO"},
	{77000, 77999, "TO"}, {78000, 78899, "MT"}, {79000, 79999, "MS"},
	{80000, 87999, "PR"}, {88000, 89999, "SC"}, {90000, 99999, "RS"},
}

// UFOfCEP returns the UF a normalised CEP (01234-567) belongs to.
func UFOfCEP(cep string) (string, bool) {
	if len(cep) < 5 {
		return "", false
	}
	p := 0
	for i := 0; i < 5; i++ {
		c := cep[i]
		if c < '0' || c > '9' {
			return "", false
		}
		p = p*10 + int(c-'0')
	}
	for _, r := range cepRanges {
		if p >= r.from && p <= r.to {
			return r.uf, true
		}
	}
	return "", false
}
