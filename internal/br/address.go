package br

import (
	"fmt"
	"strings"
)

// Address is a Brazilian address split into the fields every ERP has: Omie (endereco,
// endereco_numero, complemento, bairro, cidade, estado, cep), Conta Azul (logradouro, numero,
// complemento, bairro, cidade, estado, cep, pais) and Bling (endereco, numero, complemento,
// bairro, municipio, uf, cep). JSON names are the Portuguese ones support people read.
type Address struct {
	Street     string `json:"logradouro"`
	Number     string `json:"numero"` // "S/N" when the address says so; "" when it has no number part
	Complement string `json:"complemento"`
	District   string `json:"bairro"`
	City       string `json:"cidade"`
	State      string `json:"uf"`  // two upper-case letters
	CEP        string `json:"cep"` // 01234-567
	Country    string `json:"pais"`
}

// ERP names a target system; the accepted address patterns differ per ERP (SPEC C-A5). The
// values match partner.Error.Partner.
type ERP string

// The ERPs Ponte integrates with Auvo. AnyERP accepts what any of them accepts.
const (
	AnyERP    ERP = ""
	Omie      ERP = "omie"
	ContaAzul ERP = "contaazul"
	Bling     ERP = "bling"
)

// ParseERP reads an ERP name as written on the command line or in configuration.
func ParseERP(s string) (ERP, bool) {
	switch Fold(s) {
	case "omie":
		return Omie, true
	case "contaazul", "conta azul", "conta-azul", "ca":
		return ContaAzul, true
	case "bling":
		return Bling, true
	case "", "any", "todos":
		return AnyERP, true
	}
	return AnyERP, false
}

// String returns the ERP's name as users know it.
func (e ERP) String() string {
	switch e {
	case Omie:
		return "Omie"
	case ContaAzul:
		return "Conta Azul"
	case Bling:
		return "Bling"
	}
	return "qualquer ERP"
}

// Pattern names the layout an address was written in: one of the catalogued patterns of SPEC
// C-A5 (AD-O1…AD-O4, AD-C1…AD-C9) or PatternGeocoder for the other layouts the parser reads.
type Pattern string

// The address patterns of SPEC C-A5, plus the uncatalogued ones.
const (
	PatternO1 Pattern = "AD-O1"
	PatternO2 Pattern = "AD-O2"
	PatternO3 Pattern = "AD-O3"
	PatternO4 Pattern = "AD-O4"
	PatternC1 Pattern = "AD-C1"
	PatternC2 Pattern = "AD-C2"
	PatternC3 Pattern = "AD-C3"
	PatternC4 Pattern = "AD-C4"
	PatternC5 Pattern = "AD-C5"
	PatternC6 Pattern = "AD-C6"
	PatternC7 Pattern = "AD-C7"
	PatternC8 Pattern = "AD-C8"
	PatternC9 Pattern = "AD-C9"
	// PatternGeocoder is every layout outside the catalogue that still splits without doubt,
	// such as what Auvo's geocoder (HERE) and CNPJ look-ups write:
	// "Rua X, 123 - Bairro, Cidade - UF, 01234-567, Brasil".
	PatternGeocoder Pattern = "geocoder"
)

// patternSpec describes a catalogued pattern. shape is the sequence of parts the parser found,
// with the separators between them: L logradouro, N número, N+ número with complemento glued on,
// N_ número and complemento separated by a space, K complemento, B bairro, C cidade, U UF,
// P CEP, X país.
type patternSpec struct {
	id     Pattern
	erp    ERP
	shape  string
	layout string
}

var patternCatalog = [...]patternSpec{
	{PatternO1, Omie, "L,N,B-C-U", "Logradouro, Número, Bairro - Cidade - Estado"},
	{PatternO2, Omie, "L,N,B,C,U", "Logradouro, Número, Bairro, Cidade, Estado"},
	{PatternO3, Omie, "L,N,B-C-U,P", "Logradouro, Número, Bairro - Cidade - Estado, CEP"},
	{PatternO4, Omie, "L,N,B,C,U,P", "Logradouro, Número, Bairro, Cidade, Estado, CEP"},
	{PatternC1, ContaAzul, "L,N,K,B,U,P", "Logradouro, Número, Complemento, Bairro, Estado, CEP"},
	{PatternC2, ContaAzul, "L,N+,B,C,U,P", "Logradouro, Número+Complemento (juntos), Bairro, Cidade, Estado, CEP"},
	{PatternC3, ContaAzul, "L,N,K,B-U,P", "Logradouro, Número, Complemento, Bairro - Estado, CEP"},
	{PatternC4, ContaAzul, "L,N_,B,C,U,P", "Logradouro, Número Complemento, Bairro, Cidade, Estado, CEP"},
	{PatternC5, ContaAzul, "L,N,K,B,U", "Logradouro, Número, Complemento, Bairro, Estado"},
	{PatternC6, ContaAzul, "L,N,B,U,P", "Logradouro, Número, Bairro, Estado, CEP"},
	{PatternC7, ContaAzul, "L-N-K-B-U-P", "Logradouro - Número - Complemento - Bairro - Estado - CEP"},
	{PatternC8, ContaAzul, "L,K,B,C-U,P,X", "Logradouro, Complemento, Bairro, Cidade - Estado, CEP, País"},
	{PatternC9, ContaAzul, "L,B,C-U,P,X", "Logradouro, Bairro, Cidade-Estado, CEP, País"},
}

// geocoderLayout is shown to users next to the catalogued patterns.
const geocoderLayout = "Logradouro, Número - Bairro, Cidade - UF, CEP, Brasil (formato do Here e da consulta de CNPJ)"

// Layout returns how the pattern is written, in Portuguese, for messages and the user guide.
func (p Pattern) Layout() string {
	for _, s := range patternCatalog {
		if s.id == p {
			return s.layout
		}
	}
	if p == PatternGeocoder {
		return geocoderLayout
	}
	return ""
}

// AcceptedPatterns returns the catalogued patterns the ERP's users were told about, followed by
// PatternGeocoder. Bling and AnyERP accept the union of Omie's and Conta Azul's.
func AcceptedPatterns(erp ERP) []Pattern {
	var out []Pattern
	for _, s := range patternCatalog {
		if erp == Bling || erp == AnyERP || s.erp == erp {
			out = append(out, s.id)
		}
	}
	return append(out, PatternGeocoder)
}

// patternOfShape names the catalogued pattern with exactly this shape, or PatternGeocoder.
func patternOfShape(shape string) Pattern {
	for _, s := range patternCatalog {
		if s.shape == shape {
			return s.id
		}
	}
	return PatternGeocoder
}

// AddressError explains why an address could not be split. Reason is meant for the run log and
// the person who fixes the customer in Auvo.
type AddressError struct {
	Input string
	ERP   ERP
	// Problem says what is wrong with this address, in Portuguese.
	Problem string
	// Kind is the problem without this address's values, to count refusals by reason.
	Kind string
	// Ambiguous is true when the address could be read in more than one way; the parser never
	// picks one silently.
	Ambiguous bool
	// Suggestion is the line rewritten in the canonical pattern with what was recognised, for the
	// user to check and paste into Auvo (SPEC AD-R3); "" when too little was recognised. Missing
	// fields show as placeholders (Bairro, Cidade…) and are named in Missing.
	Suggestion string
	Missing    []string
	filled     string // Suggestion with sample values for the placeholders, as it was checked
	// twoReadings is set when the address reads two ways with equal right: no suggestion is
	// offered, since offering one would pick a reading for the person.
	twoReadings bool
}

// Error returns the Reason.
func (e *AddressError) Error() string { return e.Reason() }

// Reason returns the problem followed by the layouts accepted for the ERP and an example, so the
// reader knows how to rewrite the address.
func (e *AddressError) Reason() string {
	var b strings.Builder
	b.WriteString(e.Problem)
	if e.Suggestion != "" {
		fmt.Fprintf(&b, " Escreva assim: `%s`", e.Suggestion)
		if len(e.Missing) > 0 {
			fmt.Fprintf(&b, " (falta: %s)", strings.Join(e.Missing, ", "))
		}
		b.WriteString(".")
	}
	fmt.Fprintf(&b, " Padrões aceitos para %s: ", e.ERP)
	for i, p := range AcceptedPatterns(e.ERP) {
		if i > 0 {
			b.WriteString("; ")
		}
		if p == PatternGeocoder {
			b.WriteString("ou " + geocoderLayout)
			continue
		}
		fmt.Fprintf(&b, "%s: %s", p, p.Layout())
	}
	b.WriteString(". Exemplo: Rua das Flores, 100, Centro, São Paulo - SP, 01001-000.")
	return b.String()
}

// FormatAddress writes an ERP's address fields as the one line Auvo stores (ERP → Auvo):
// "Rua X, 100 Apto 2, Centro, São Paulo - SP, 01001-000, Brasil". ParseAddress reads the line back
// into the same fields whenever it has a street, a UF and a city (or, without a city, a bairro
// and a CEP or complemento), the same conditions under which ParseAddress itself succeeds; the
// one exception is an empty número before a part that reads as one ("Km 18"), written "S/N". The
// country is always written: every address Ponte handles is Brazilian, and "Cidade - UF, …,
// Brasil" tells the parser that the part before the UF is the city even when the bairro is empty.
func FormatAddress(a Address) string {
	if uf, ok := LookupUF(a.State); ok {
		a.State = uf // ERPs may hold "sp" or "São Paulo"
	}
	if cep, ok := NormalizeCEP(a.CEP); ok {
		a.CEP = cep // Omie answers "76870175"
	}
	parts := make([]string, 0, 7)
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	add(a.Street)
	if a.Number != "" && a.Complement != "" && a.City != "" && !strings.Contains(a.Complement, ", ") {
		add(a.Number + " " + a.Complement) // AD-C4 style: keeps bairro and cidade in their places
	} else {
		// Otherwise each piece of the complemento gets a part of its own, labelled when its words
		// do not say it is one, so that it is not taken for the bairro.
		add(a.Number)
		for _, c := range strings.Split(a.Complement, ", ") {
			if c = strings.TrimSpace(c); c != "" && !complementLike(c) {
				c = "Compl. " + c
			}
			add(c)
		}
	}
	add(a.District)
	// Omie writes cidade as "ARIQUEMES (RO)"; the UF follows anyway.
	a.City = strings.TrimSpace(strings.TrimSuffix(a.City, "("+a.State+")"))
	switch {
	case a.City != "" && a.State != "":
		add(a.City + " - " + a.State)
	default:
		add(a.City)
		add(a.State)
	}
	add(a.CEP)
	country := a.Country
	if country == "" {
		country = "Brasil"
	}
	add(country)
	if a.Number == "" && len(parts) > 1 {
		if _, ok := parseNumber(parts[1]); ok {
			// A bairro such as "Km 18" right after the street would be read as the número.
			parts = append(parts[:1], append([]string{"S/N"}, parts[1:]...)...)
		}
	}
	return strings.Join(parts, ", ")
}
