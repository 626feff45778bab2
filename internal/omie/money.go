package omie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in centavos. On the wire it is a JSON number with a decimal point
// ("12.34", api/omie.md §6); in Go it is an integer, so sums and splits are exact and no float
// ever carries money.
type Money int64

// Quantity is a quantity in millionths (six decimal places, more than Omie's four), written as a
// plain JSON number ("1.5").
type Quantity int64

// QuantityScale is how many Quantity units make one.
const QuantityScale = 1_000_000

// String renders m as Omie writes money: "1234.50", "-0.05".
func (m Money) String() string { return formatFixed(int64(m), 100, 2) }

// MarshalJSON writes m as a JSON number with two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number (or a numeric string), rounding half away from zero to the
// centavo.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(b, 2)
	*m = Money(v)
	return err
}

// String renders q in plain notation without trailing zeros ("1.5", "2").
func (q Quantity) String() string {
	s := formatFixed(int64(q), QuantityScale, 6)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// MarshalJSON writes q as a JSON number.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalJSON reads a JSON number (or a numeric string) to six decimal places.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(b, 6)
	*q = Quantity(v)
	return err
}

func formatFixed(v, scale int64, places int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%0*d", sign, v/scale, places, v%scale)
}

// parseFixed reads a decimal JSON value into an integer with the given decimal places, exactly
// (no float on the way), rounding half away from zero beyond them. null and "" are zero.
func parseFixed(b []byte, places int) (int64, error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return 0, nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return 0, fmt.Errorf("omie: número %q inválido", string(b))
		}
		mant, exp = s[:i], e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	point := len(whole) + exp // position of the decimal point in digits
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, fmt.Errorf("omie: número %q inválido", string(b))
	}
	for point < 0 {
		digits, point = "0"+digits, point+1
	}
	for len(digits) < point+places+1 {
		digits += "0"
	}
	keep, next := digits[:point+places], digits[point+places]
	n, err := strconv.ParseInt("0"+keep, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("omie: número %q fora da faixa", string(b))
	}
	if next >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n, nil
}
