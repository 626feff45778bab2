package br

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestFormatParseStable: for every address the parser accepts, format(parse(x)) reads back to the
// same fields and formats to the same line (ERP → Auvo → ERP loses nothing, SPEC C-A8/C-E9).
func TestFormatParseStable(t *testing.T) {
	t.Parallel()
	for _, c := range append(append([]addressCase{}, catalogueCases...), geocoderCases...) {
		a, _, err := ParseAddress(c.in, AnyERP)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		checkStable(t, a, a)
	}
}

// checkStable checks that FormatAddress(a) parses to want and formats again to the same line.
func checkStable(t *testing.T, a, want Address) {
	t.Helper()
	line := FormatAddress(a)
	b, _, err := ParseAddress(line, AnyERP)
	if err != nil {
		t.Fatalf("FormatAddress(%+v) = %q, which does not parse: %v", a, line, err)
	}
	if b != want {
		t.Fatalf("FormatAddress(%+v) = %q, which parses to %+v", a, line, b)
	}
	if again := FormatAddress(b); again != line {
		t.Fatalf("format is not stable: %q then %q", line, again)
	}
}

// TestFormatAddressFromERPFields: the ERP → Auvo line from fields as the ERPs return them (Omie's
// "ARIQUEMES (RO)" and bare CEP, a state name, no bairro, no número).
func TestFormatAddressFromERPFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   Address
		want string
	}{
		{Address{Street: "AVENIDA JAMARI", Number: "3105", District: "SETOR 01", City: "ARIQUEMES (RO)", State: "RO", CEP: "76870175"},
			"AVENIDA JAMARI, 3105, SETOR 01, ARIQUEMES - RO, 76870-175, Brasil"},
		{Address{Street: "Rua das Flores", Number: "100", Complement: "Apto 2", District: "Centro", City: "São Paulo", State: "sp"},
			"Rua das Flores, 100 Apto 2, Centro, São Paulo - SP, Brasil"},
		{Address{Street: "Rua das Flores", City: "Campinas", State: "São Paulo", CEP: "13010-000"},
			"Rua das Flores, Campinas - SP, 13010-000, Brasil"},
		{Address{Street: "Rua Vergueiro", Number: "3185", Complement: "Galeria Central", District: "Vila Mariana", State: "SP", CEP: "04101-300"},
			"Rua Vergueiro, 3185, Compl. Galeria Central, Vila Mariana, SP, 04101-300, Brasil"},
		{Address{Street: "Estrada Velha", District: "Km 18", City: "Osasco", State: "SP"},
			"Estrada Velha, S/N, Km 18, Osasco - SP, Brasil"},
	}
	for _, c := range cases {
		if got := FormatAddress(c.in); got != c.want {
			t.Errorf("FormatAddress(%+v)\n got %q\nwant %q", c.in, got, c.want)
		}
		if _, _, err := ParseAddress(c.want, Bling); err != nil {
			t.Errorf("%q does not parse: %v", c.want, err)
		}
	}
}

// TestParseFormatRoundTrip: parse(format(fields)) == fields for a generated corpus of ERP records
// (every combination of empty and filled número, complemento, bairro and CEP).
func TestParseFormatRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a := randomAddress(r)
		want := a
		if a.Number == "" && a.Complement == "" && (a.District == "Km 18" || a.District == "" && a.City == "Km 18") {
			want.Number = "S/N" // documented exception of FormatAddress
		}
		checkStable(t, a, want)
	}
}

var (
	corpusStreets = []string{"Rua das Flores", "Av. Paulista", "R. Olavo Bilac", "RUA SAO BENTO",
		"Rua 25 de Março", "Avenida 9 de Julho", "Rodovia BR-116", "Travessa 3", "Alameda Santos",
		"Estrada Velha de Itu", "Praça da Sé", "rua são joão", "Rua Projetada 5"}
	corpusNumbers = []string{"", "1", "123", "1.500", "45A", "7-B", "S/N", "KM 12", "KM 12,5"}
	corpusComps   = []string{"", "", "Apto 12", "Bloco B Apto 3", "Fundos", "Sala 1203", "Casa 2",
		"Próximo ao mercado", "Loja 1", "2º andar", "Galpão 3", "A", "Galeria Central", "201"}
	corpusDistricts = []string{"", "Centro", "Jardim das Flores", "Casa Verde", "SETOR 01",
		"Conjunto Habitacional Padre Manoel", "Vila Mariana", "Bairro Alto", "Torre", "Km 18"}
	corpusCities = []string{"", "São Paulo", "Campinas", "ARIQUEMES", "Embu-Guaçu",
		"Rio de Janeiro", "Mogi das Cruzes", "Bento Gonçalves", "Goiás", "Vila Velha"}
)

// randomAddress returns fields an ERP could hold: always a street and a UF, a city or a bairro,
// and without a city a CEP or complemento to tell the bairro by (as ParseAddress requires).
func randomAddress(r *rand.Rand) Address {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for {
		st := states[r.IntN(len(states))]
		a := Address{Street: pick(corpusStreets), Number: pick(corpusNumbers), Complement: pick(corpusComps),
			District: pick(corpusDistricts), City: pick(corpusCities), State: st.UF, Country: "Brasil"}
		if r.IntN(3) > 0 {
			a.CEP = randomCEP(r, st.UF)
		}
		if a.Number == "" && a.Street == "Rua Projetada 5" {
			continue // refused on purpose: is 5 the number? (TestParseAddressRejects)
		}
		if a.City == "" && (a.District == "" || a.CEP == "" && a.Complement == "") {
			continue
		}
		return a
	}
}

func randomCEP(r *rand.Rand, uf string) string {
	var own []cepRange
	for _, c := range cepRanges {
		if c.uf == uf {
			own = append(own, c)
		}
	}
	c := own[r.IntN(len(own))]
	return fmt.Sprintf("%05d-%03d", c.from+r.IntN(c.to-c.from+1), r.IntN(1000))
}

// FuzzParseAddress: the parser never panics, and whatever it accepts is well-formed and formats
// to a line it reads back unchanged.
func FuzzParseAddress(f *testing.F) {
	for _, c := range append(append([]addressCase{}, catalogueCases...), geocoderCases...) {
		f.Add(c.in)
	}
	for _, c := range loadCorpus(f) {
		f.Add(c.in)
	}
	f.Add("Rua X, 100, Centro, SP")
	f.Add("Rua das Flores 123, Centro, São Paulo - SP")
	f.Fuzz(func(t *testing.T, s string) {
		a, pat, err := ParseAddress(s, AnyERP)
		if crashOnly() {
			return
		}
		if err != nil {
			if _, ok := err.(*AddressError); !ok {
				t.Fatalf("error is %T", err)
			}
			return
		}
		if pat == "" || a.Street == "" || a.Country != "Brasil" || a.District == "" && a.City == "" {
			t.Fatalf("accepted incomplete %+v (%s)", a, pat)
		}
		if uf, ok := LookupUF(a.State); !ok || uf != a.State {
			t.Fatalf("bad UF in %+v", a)
		}
		if c, ok := NormalizeCEP(a.CEP); a.CEP != "" && (!ok || c != a.CEP) {
			t.Fatalf("bad CEP in %+v", a)
		}
		checkStable(t, a, a)
	})
}
