package br

import (
	"errors"
	"reflect"
	"testing"
)

// TestParsePhones: Brazilian phones split into DDD + number for Omie (telefone1_ddd,
// telefone1_numero) and joined digits-only for Auvo (phoneNumber).
func TestParsePhones(t *testing.T) {
	t.Parallel()
	p := func(ddd, n string) Phone { return Phone{DDD: ddd, Number: n} }
	cases := []struct {
		in   string
		want []Phone
		bad  []string
	}{
		{"", nil, nil},
		{"(11) 98765-4321", []Phone{p("11", "987654321")}, nil},
		{"+55 11 98765-4321", []Phone{p("11", "987654321")}, nil},
		{"+55(11)98765.4321", []Phone{p("11", "987654321")}, nil},
		{"5511987654321", []Phone{p("11", "987654321")}, nil},
		{"11987654321", []Phone{p("11", "987654321")}, nil},
		{"(11) 3333-4444", []Phone{p("11", "33334444")}, nil},
		{"69 3535-0000", []Phone{p("69", "35350000")}, nil},
		{"(51) 9999-8888", []Phone{p("51", "999998888")}, nil}, // mobile written before the ninth digit gets it
		{"011 3333-4444", []Phone{p("11", "33334444")}, nil},
		{"(011) 98765-4321", []Phone{p("11", "987654321")}, nil},
		{"0xx11 3333-4444", []Phone{p("11", "33334444")}, nil},
		{"(0XX21) 2222-3333", []Phone{p("21", "22223333")}, nil},
		{"0 15 11 98765-4321", []Phone{p("11", "987654321")}, nil}, // carrier code
		{"0800 123 4567", []Phone{p("", "08001234567")}, nil},
		{"0300-789-0000", []Phone{p("", "03007890000")}, nil},
		{"4004-0001", []Phone{p("", "40040001")}, nil},
		{"(11) 3333-4444 / 98765-4321", []Phone{p("11", "33334444"), p("11", "987654321")}, nil},
		{"11 3333-4444; 21 2222-3333", []Phone{p("11", "33334444"), p("21", "22223333")}, nil},
		{"(11) 3333-4444 e (11) 98765-4321", []Phone{p("11", "33334444"), p("11", "987654321")}, nil},
		{"(11) 3333-4444, (48) 99999-0000", []Phone{p("11", "33334444"), p("48", "999990000")}, nil},
		{"(11) 3333-4444 ramal 201", []Phone{{DDD: "11", Number: "33334444", Extension: "201"}}, nil},
		{"(11) 3333-4444 r. 12", []Phone{{DDD: "11", Number: "33334444", Extension: "12"}}, nil},
		{"Cel: (11) 98765-4321 / Tel. (11) 3333-4444", []Phone{p("11", "987654321"), p("11", "33334444")}, nil},
		{"WhatsApp 11 98765-4321", []Phone{p("11", "987654321")}, nil},
		{"123", nil, []string{"123"}},
		{"Casa: (11) 3333-4444", []Phone{p("11", "33334444")}, nil},
		{"Casa (11) 3333-4444", nil, []string{"Casa (11) 3333-4444"}},
		{"(20) 3333-4444", nil, []string{"(20) 3333-4444"}},
		{"(11) 8765-432", nil, []string{"(11) 8765-432"}},
		{"(11) 88765-4321", nil, []string{"(11) 88765-4321"}},
		{"+1 415 555 1234", nil, []string{"+1 415 555 1234"}},
		{"98765-4321", nil, []string{"98765-4321"}}, // no DDD anywhere
		{"(11) 3333-4444 / ligar à tarde", []Phone{p("11", "33334444")}, []string{"ligar à tarde"}},
	}
	for _, c := range cases {
		got, err := ParsePhones(c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q = %+v, want %+v", c.in, got, c.want)
		}
		var pe *PhoneError
		switch {
		case c.bad == nil && err != nil:
			t.Errorf("%q: unexpected %v", c.in, err)
		case c.bad != nil && (!errors.As(err, &pe) || !reflect.DeepEqual(pe.Parts, c.bad)):
			t.Errorf("%q: err = %v, want parts %q", c.in, err, c.bad)
		}
	}
}

func TestPhoneFromPartsAndFormats(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ ddd, num, want string }{
		{"69", "35350000", "6935350000"},
		{"(069)", "3535-0000", "6935350000"},
		{"", "69 3535-0000", "6935350000"},
		{"11", "9 8765 4321", "11987654321"},
	} {
		ph, err := PhoneFromParts(c.ddd, c.num)
		if err != nil || ph.Digits() != c.want {
			t.Errorf("PhoneFromParts(%q, %q) = %+v, %v", c.ddd, c.num, ph, err)
		}
	}
	if _, err := PhoneFromParts("", "3535-0000"); err == nil {
		t.Error("accepted a number without DDD")
	}
	ps, _ := ParsePhones("(11) 98765-4321 / 0800 123 4567 / (11) 3333-4444 ramal 7")
	if got := PhoneDigits(ps); !reflect.DeepEqual(got, []string{"11987654321", "08001234567", "1133334444"}) {
		t.Errorf("PhoneDigits = %q", got)
	}
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	if want := []string{"(11) 98765-4321", "0800 123 4567", "(11) 3333-4444 ramal 7"}; !reflect.DeepEqual(s, want) {
		t.Errorf("String = %q, want %q", s, want)
	}
}

// FuzzParsePhones: never panics; every phone returned is digits only and reads back the same
// from the way it is printed.
func FuzzParsePhones(f *testing.F) {
	for _, s := range []string{"(11) 98765-4321 / 3333-4444", "+55 11 3333-4444 ramal 2", "0800 123 4567", "0xx11 3333-4444", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParsePhones(s)
		if crashOnly() {
			return
		}
		if err != nil {
			var pe *PhoneError
			if !errors.As(err, &pe) || len(pe.Parts) == 0 {
				t.Fatalf("%q: %v", s, err)
			}
		}
		for _, p := range ps {
			if !allDigits(p.Digits()) || p.Extension != "" && !allDigits(p.Extension) {
				t.Fatalf("%q gave %+v", s, p)
			}
			again, err := ParsePhones(p.String())
			if err != nil || len(again) != 1 || again[0] != p {
				t.Fatalf("%q gave %+v, printed %q, read back %+v, %v", s, p, p.String(), again, err)
			}
		}
	})
}
