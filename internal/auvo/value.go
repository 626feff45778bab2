package auvo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Brasilia is the zone of every Auvo timestamp: the API sends naive local times in Brasília
// (UTC-3, no daylight saving since 2019), API doc §8.1.
var Brasilia = time.FixedZone("BRT", -3*3600)

// TimeLayout is how Auvo writes record timestamps and how it wants filter values.
const TimeLayout = "2006-01-02T15:04:05"

// loginLayout is the login answer's variant, with a space instead of the T (API doc §1).
const loginLayout = "2006-01-02 15:04:05"

// Time is an Auvo timestamp: naive Brasília time on the wire, an absolute instant in Go. The
// zero Time is what Auvo writes as "" or "0001-01-01T00:00:00".
type Time struct {
	time.Time
}

// NewTime returns t as an Auvo Time, truncated to the second as Auvo stores it.
func NewTime(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	return Time{t.Truncate(time.Second).In(Brasilia)}
}

// ParseTime reads an Auvo timestamp in either of its layouts, with optional fractional seconds.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0001-01-01") {
		return Time{}, nil
	}
	for _, layout := range []string{TimeLayout, loginLayout, TimeLayout + ".999999999", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, s, Brasilia); err == nil {
			return Time{t.In(Brasilia)}, nil
		}
	}
	return Time{}, fmt.Errorf("auvo: unreadable timestamp %q", s)
}

// String renders t as Auvo writes it, "" for the zero Time.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.In(Brasilia).Format(TimeLayout)
}

// MarshalJSON writes the naive Brasília form.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.String())
}

// UnmarshalJSON accepts both Auvo layouts, "", null and the .NET zero date.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("auvo: timestamp %s is not a string", b)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// decimalScale is the fixed-point scale of Decimal: six places keep quantities and unit prices
// exact without a big-number type.
const decimalScale = 1_000_000

// DecimalStyle is how a Decimal is written back on the wire, so a value decoded from Auvo is
// re-encoded in the same shape (API doc §8.4: money is a number, a pt-BR string or "$0.00").
type DecimalStyle uint8

// The wire shapes Auvo uses for numbers.
const (
	StyleNumber DecimalStyle = iota // 12.5
	StyleString                     // "12.50" (numbers as strings: "descount", "durationDecimal")
	StylePtBR                       // "12,50" or "2.500.000,00" (task "expense", doc product prices)
	StyleDollar                     // "$12.50" (live product prices, S3)
)

// Decimal is a lenient decimal for Auvo's inconsistent numbers and money.
type Decimal struct {
	micro int64 // value × 10^6
	Style DecimalStyle
}

// DecimalFromCents returns c/100 as a JSON number.
func DecimalFromCents(c int64) Decimal { return Decimal{micro: c * (decimalScale / 100)} }

// DecimalFromFloat returns f rounded to six places, as a JSON number.
func DecimalFromFloat(f float64) Decimal {
	if f < 0 {
		return Decimal{micro: int64(f*decimalScale - 0.5)}
	}
	return Decimal{micro: int64(f*decimalScale + 0.5)}
}

// Cents returns the value in hundredths, rounded half away from zero.
func (d Decimal) Cents() int64 {
	const unit = decimalScale / 100
	if d.micro < 0 {
		return (d.micro - unit/2) / unit
	}
	return (d.micro + unit/2) / unit
}

// Micro returns the value in millionths, exactly: quantities and money computed from it need no
// float.
func (d Decimal) Micro() int64 { return d.micro }

// Float64 returns the value as a float, for quantities and display.
func (d Decimal) Float64() float64 { return float64(d.micro) / decimalScale }

// IsZero reports whether the value is zero.
func (d Decimal) IsZero() bool { return d.micro == 0 }

// Equal compares values, ignoring the wire style.
func (d Decimal) Equal(o Decimal) bool { return d.micro == o.micro }

// String renders the value in plain notation with at least two decimal places ("1234.50").
func (d Decimal) String() string {
	neg := d.micro < 0
	m := d.micro
	if neg {
		m = -m
	}
	frac := strings.TrimRight(fmt.Sprintf("%06d", m%decimalScale), "0")
	for len(frac) < 2 {
		frac += "0"
	}
	s := strconv.FormatInt(m/decimalScale, 10) + "." + frac
	if neg {
		s = "-" + s
	}
	return s
}

// ptBR renders the value with a decimal comma and dot thousands ("2.500.000,00").
func (d Decimal) ptBR() string {
	s := d.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "," + frac
}

// ParseDecimal reads a number as Auvo writes it: "12.5", "12,50", "2.500.000,00", "$1,234.50",
// "R$ 10,00" or "" (zero).
func ParseDecimal(s string) (Decimal, error) {
	raw := s
	s = strings.TrimSpace(s)
	style := StyleString
	switch {
	case strings.HasPrefix(s, "R$"):
		s, style = strings.TrimSpace(s[2:]), StylePtBR
	case strings.HasPrefix(s, "$"):
		s, style = strings.TrimSpace(s[1:]), StyleDollar
	case strings.HasPrefix(s, "-$"):
		s, style = "-"+strings.TrimSpace(s[2:]), StyleDollar
	}
	if s == "" {
		return Decimal{Style: style}, nil
	}
	comma, dot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	switch {
	case comma >= 0 && comma > dot: // pt-BR: dots group thousands, the comma is the decimal mark
		s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
		if style == StyleString {
			style = StylePtBR
		}
	case comma >= 0: // en-US: commas group thousands
		s = strings.ReplaceAll(s, ",", "")
	case dot >= 0 && strings.Count(s, ".") > 1: // "2.500.000": pt-BR thousands, no decimals
		s = strings.ReplaceAll(s, ".", "")
		style = StylePtBR
	}
	d, err := parsePlain(s)
	if err != nil {
		return Decimal{}, fmt.Errorf("auvo: unreadable number %q", raw)
	}
	d.Style = style
	return d, nil
}

// parsePlain reads "-123.456" exactly, rounding beyond six places.
func parsePlain(s string) (Decimal, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.ContainsAny(frac, "+-") {
		return Decimal{}, fmt.Errorf("bad number")
	}
	roundUp := len(frac) > 6 && frac[6] >= '5'
	if len(frac) > 6 {
		frac = frac[:6]
	}
	frac += strings.Repeat("0", 6-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return Decimal{}, fmt.Errorf("bad number")
	}
	m := w*decimalScale + f
	if roundUp {
		m++
	}
	if neg {
		m = -m
	}
	return Decimal{micro: m}, nil
}

// MarshalJSON writes the value in its Style.
func (d Decimal) MarshalJSON() ([]byte, error) {
	switch d.Style {
	case StyleString:
		return json.Marshal(d.String())
	case StylePtBR:
		return json.Marshal(d.ptBR())
	case StyleDollar:
		s := d.String()
		if strings.HasPrefix(s, "-") {
			return json.Marshal("-$" + s[1:])
		}
		return json.Marshal("$" + s)
	}
	return []byte(strings.TrimSuffix(strings.TrimRight(d.String(), "0"), ".")), nil
}

// UnmarshalJSON accepts a JSON number, any string ParseDecimal reads, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	text, quoted, err := unquote(b)
	switch {
	case err != nil:
		return err
	case quoted:
		v, err := ParseDecimal(text)
		if err != nil {
			return err
		}
		*d = v
		return nil
	case text == "null":
		*d = Decimal{}
		return nil
	case strings.ContainsAny(text, "eE"): // exponent form: go through float, precision is moot there
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return fmt.Errorf("auvo: unreadable number %s", text)
		}
		*d = DecimalFromFloat(f)
		return nil
	}
	v, err := parsePlain(text)
	if err != nil {
		return fmt.Errorf("auvo: unreadable number %s", text)
	}
	*d = v
	return nil
}

// Int is an integer Auvo may send as a number, a numeric string ("1"), or an object with an id
// ({"id": 1, "description": "…"}), as the task status and priority are (API doc §3.3). It is
// always written back as a number.
type Int int64

// UnmarshalJSON accepts the three shapes, "" and null as 0.
func (n *Int) UnmarshalJSON(b []byte) error {
	text, quoted, err := unquote(b)
	if err != nil {
		return err
	}
	if !quoted && strings.HasPrefix(text, "{") {
		var o struct {
			ID Int `json:"id"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*n = o.ID
		return nil
	}
	if text = strings.TrimSpace(text); text == "" || (!quoted && text == "null") {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("auvo: %s is not an integer", text)
		}
		v = int64(f)
	}
	*n = Int(v)
	return nil
}

// Float is a float Auvo documents as a string on input and sends as a number on output
// (customer latitude and longitude, API doc §2.2).
type Float float64

// UnmarshalJSON accepts a number, a numeric string, "" and null.
func (f *Float) UnmarshalJSON(b []byte) error {
	text, quoted, err := unquote(b)
	if err != nil {
		return err
	}
	if text = strings.ReplaceAll(strings.TrimSpace(text), ",", "."); text == "" || (!quoted && text == "null") {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("auvo: %s is not a number", text)
	}
	*f = Float(v)
	return nil
}

// Ref is an identifier Auvo sends as a number in one place and a string in another (quotation
// product ids, contact phone numbers). It keeps the text; a value of digits only is written back
// as a JSON number, anything else (a GUID) as a string.
type Ref string

// UnmarshalJSON accepts a number or a string.
func (r *Ref) UnmarshalJSON(b []byte) error {
	text, quoted, err := unquote(b)
	switch {
	case err != nil:
		return err
	case quoted:
		*r = Ref(text)
	case text == "null":
		*r = ""
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("auvo: identifier %s is neither a number nor a string", text)
		}
		*r = Ref(n.String())
	}
	return nil
}

// unquote returns the text of a JSON string (quoted true), or else the raw token.
func unquote(b []byte) (text string, quoted bool, err error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		return s, true, err
	}
	return string(b), false, nil
}

// MarshalJSON writes digits as a number and anything else as a string.
func (r Ref) MarshalJSON() ([]byte, error) {
	s := string(r)
	if s != "" && strings.Trim(s, "0123456789") == "" && (s == "0" || s[0] != '0') && len(s) < 19 {
		return []byte(s), nil
	}
	return json.Marshal(s)
}
