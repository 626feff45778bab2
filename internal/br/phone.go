package br

import (
	"fmt"
	"strings"
	"unicode"
)

// Phone is a Brazilian phone split the way Omie stores it (telefone1_ddd, telefone1_numero).
// Numbers without an area code (0800 …, 4004-…) have an empty DDD.
type Phone struct {
	DDD       string `json:"ddd,omitempty"`
	Number    string `json:"numero"`
	Extension string `json:"ramal,omitempty"`
}

// Digits returns the phone as Auvo stores it: DDD and number, digits only, no country code.
func (p Phone) Digits() string { return p.DDD + p.Number }

// String returns the phone as people write it: (11) 98765-4321, 0800 123 4567.
func (p Phone) String() string {
	n := p.Number
	var s string
	switch {
	case len(n) == 11 && n[0] == '0':
		s = n[:4] + " " + n[4:7] + " " + n[7:]
	case len(n) >= 8:
		s = n[:len(n)-4] + "-" + n[len(n)-4:]
	default:
		s = n
	}
	if p.DDD != "" {
		s = "(" + p.DDD + ") " + s
	}
	if p.Extension != "" {
		s += " ramal " + p.Extension
	}
	return s
}

// PhoneError lists the parts of a phone field that could not be read as a Brazilian phone.
type PhoneError struct {
	Input string
	Parts []string // the unreadable parts, as written
}

// Error returns a Portuguese explanation that names the unreadable parts.
func (e *PhoneError) Error() string {
	return fmt.Sprintf("Telefone %q: não consegui ler %s como telefone brasileiro. Use o formato (DDD) número, por exemplo (11) 98765-4321.", e.Input, quoteList(e.Parts))
}

// ParsePhones reads every phone in a free-text field: "+55 (11) 98765-4321 / 3333-4444",
// "11 3333-4444; 11 98888-7777", "0800 123 4567". A number written without DDD after one with
// a DDD takes that DDD, which is how people write a second number of the same place. It returns
// every phone it could read; when some part could not be read, err is a *PhoneError naming it,
// so the caller decides whether a partial result is good enough. An empty field gives no phones
// and no error.
func ParsePhones(s string) ([]Phone, error) {
	var phones []Phone
	var bad []string
	lastDDD := ""
	for _, part := range splitPhones(s) {
		p, ok := parsePhone(part, lastDDD)
		if !ok {
			bad = append(bad, strings.TrimSpace(part))
			continue
		}
		if p.DDD != "" {
			lastDDD = p.DDD
		}
		phones = append(phones, p)
	}
	if len(bad) > 0 {
		return phones, &PhoneError{Input: s, Parts: bad}
	}
	return phones, nil
}

// PhoneFromParts builds a phone from an ERP's separate DDD and number fields, which may carry
// punctuation, a leading zero on the DDD, or the whole number in the number field.
func PhoneFromParts(ddd, number string) (Phone, error) {
	in := strings.TrimSpace(ddd + " " + number)
	p, ok := parsePhone(in, "")
	if !ok {
		return Phone{}, &PhoneError{Input: in, Parts: []string{in}}
	}
	return p, nil
}

// PhoneDigits returns each phone as Auvo's phoneNumber array wants it: digits only.
func PhoneDigits(ps []Phone) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Digits())
	}
	return out
}

// splitPhones cuts a field holding several numbers at the separators people use between them.
func splitPhones(s string) []string {
	f := strings.NewReplacer(" e ", ";", " E ", ";", " ou ", ";", " OU ", ";", "/", ";", ",", ";",
		"|", ";", "\n", ";", "\r", ";", "\t", " ").Replace(s)
	var out []string
	for _, p := range strings.Split(f, ";") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// parsePhone reads one number. defaultDDD is used for an 8- or 9-digit number written alone.
func parsePhone(s, defaultDDD string) (Phone, bool) {
	s, ext := cutExtension(cutPhoneLabel(s))
	digits := make([]byte, 0, 16)
	plus, xx := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && len(digits) == 0:
			plus = true
		case c == 'x' || c == 'X':
			// "0xx11": the carrier placeholder of a long-distance prefix
			switch {
			case len(digits) == 1 && digits[0] == '0' && !xx:
				digits, xx = digits[:0], true
			case len(digits) == 0 && xx:
			default:
				return Phone{}, false
			}
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return Phone{}, false
		}
	}
	d := string(digits)
	switch {
	case plus && !strings.HasPrefix(d, "55"):
		return Phone{}, false // a foreign number: nowhere to put its country code
	case plus || (strings.HasPrefix(d, "55") && (len(d) == 12 || len(d) == 13)):
		d = d[2:]
	}
	switch {
	case len(d) == 11 && (strings.HasPrefix(d, "0800") || strings.HasPrefix(d, "0300") ||
		strings.HasPrefix(d, "0500") || strings.HasPrefix(d, "0900")):
		return Phone{Number: d, Extension: ext}, true
	case len(d) == 8 && (strings.HasPrefix(d, "300") || strings.HasPrefix(d, "400")):
		return Phone{Number: d, Extension: ext}, true // national numbers without DDD (4004-…)
	case (len(d) == 11 || len(d) == 12) && d[0] == '0':
		d = d[1:] // 0 + DDD + number
	case (len(d) == 13 || len(d) == 14) && d[0] == '0':
		d = d[3:] // 0 + carrier code + DDD + number
	}
	var ddd, num string
	switch len(d) {
	case 10, 11:
		ddd, num = d[:2], d[2:]
	case 8, 9:
		ddd, num = defaultDDD, d
	default:
		return Phone{}, false
	}
	if len(num) == 8 && num[0] >= '6' {
		// An 8-digit mobile written before the ninth digit (2012–2016): landlines start with 2–5,
		// and every mobile gained a leading 9, so "(11) 9000-0000" is (11) 99000-0000 and
		// nothing else.
		num = "9" + num
	}
	if !validDDD(ddd) || !validLocal(num) {
		return Phone{}, false
	}
	return Phone{DDD: ddd, Number: num, Extension: ext}, true
}

// phoneLabels are the words people write before a number ("Cel: 11 98765-4321"), folded.
var phoneLabels = map[string]bool{
	"tel": true, "telefone": true, "fone": true, "cel": true, "celular": true, "fax": true,
	"whatsapp": true, "whats": true, "wpp": true, "zap": true, "comercial": true,
	"residencial": true, "contato": true, "fixo": true,
}

// cutPhoneLabel removes a leading label: a known word ("Cel.", "WhatsApp") or any word followed
// by a colon ("Casa:").
func cutPhoneLabel(s string) string {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	if i <= 0 || !phoneLabels[Fold(t[:i])] && t[i] != ':' {
		return s
	}
	return strings.TrimLeft(t[i:], " .:")
}

// cutExtension removes a trailing "ramal 123" / "r. 123" / "ext 123".
func cutExtension(s string) (string, string) {
	f := []byte(s) // lower-cased byte by byte so that indexes stay those of s
	for i, c := range f {
		if c >= 'A' && c <= 'Z' {
			f[i] = c + 'a' - 'A'
		}
	}
	for _, label := range []string{"ramal", "ext.", "ext", "r."} {
		i := strings.LastIndex(string(f), label)
		if i <= 0 {
			continue
		}
		ext := strings.Trim(s[i+len(label):], " :.")
		if ext != "" && allDigits(ext) && len(ext) <= 6 {
			return s[:i], ext
		}
	}
	return s, ""
}

func validLocal(n string) bool {
	switch len(n) {
	case 9:
		return n[0] == '9' // mobile numbers gained a leading 9 everywhere by 2016
	case 8:
		return n[0] >= '2' && n[0] <= '5' // landlines; old 8-digit mobiles were given their 9 first
	}
	return false
}

// validDDD reports whether d is one of the 67 area codes in use.
func validDDD(d string) bool {
	if len(d) != 2 || d[0] < '1' || d[0] > '9' || d[1] < '1' || d[1] > '9' {
		return false
	}
	switch d {
	case "23", "25", "26", "29", "36", "39", "52", "56", "57", "58", "59", "72", "76", "78":
		return false
	}
	return true
}

func quoteList(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = fmt.Sprintf("%q", p)
	}
	return strings.Join(q, ", ")
}
