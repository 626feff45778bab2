package auvo

import (
	"encoding/json"
	"testing"
	"time"
)

// API doc §8.4: money arrives as a number, a pt-BR string or a formatted "$0.00" string.
func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		cents int64
		style DecimalStyle
		bad   bool
	}{
		{"0,00", 0, StylePtBR, false},
		{"12,00", 1200, StylePtBR, false},
		{"2.500.000,00", 250000000, StylePtBR, false},
		{"2.500.000", 250000000, StylePtBR, false},
		{"$0.00", 0, StyleDollar, false},
		{"$1,234.50", 123450, StyleDollar, false},
		{"-$3.10", -310, StyleDollar, false},
		{"R$ 10,50", 1050, StylePtBR, false},
		{"12.00", 1200, StyleString, false},
		{"30", 3000, StyleString, false},
		{"-7,5", -750, StylePtBR, false},
		{"", 0, StyleString, false},
		{"0.0119444444444444", 1, StyleString, false},
		{"doze", 0, 0, true},
		{"1,2,3x", 0, 0, true},
	}
	for _, tt := range tests {
		d, err := ParseDecimal(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseDecimal(%q) = %v, want an error", tt.in, d)
			}
			continue
		}
		if err != nil || d.Cents() != tt.cents || d.Style != tt.style {
			t.Errorf("ParseDecimal(%q) = %d cents style %d, %v; want %d cents style %d", tt.in, d.Cents(), d.Style, err, tt.cents, tt.style)
		}
	}
}

// Decoding and re-encoding keeps the wire shape, so nothing is lost on a round trip.
func TestDecimalJSONKeepsShape(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`44`, `44.5`, `-0.25`, `"12,00"`, `"2.500.000,00"`, `"$0.00"`, `"$12.50"`, `"12.00"`, `"0.011944"`} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("Unmarshal(%s): %v", in, err)
		}
		out, _ := json.Marshal(d)
		if string(out) != in {
			t.Errorf("round trip of %s gave %s", in, out)
		}
	}
	var d Decimal
	if err := json.Unmarshal([]byte(`1e3`), &d); err != nil || d.Cents() != 100000 {
		t.Errorf("1e3 = %v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`true`), &d); err == nil {
		t.Error("a boolean decoded as a number")
	}
}

// API doc §3.3: taskStatus and priority come as a number, a numeric string or {"id": n}.
func TestIntLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Int
		bad  bool
	}{
		{`5`, 5, false}, {`"5"`, 5, false}, {`{"id": 5, "description": "Finished"}`, 5, false},
		{`""`, 0, false}, {`null`, 0, false}, {`3.0`, 3, false}, {`"x"`, 0, true}, {`3.5`, 0, true},
	}
	for _, tt := range tests {
		var n Int
		err := json.Unmarshal([]byte(tt.in), &n)
		if (err != nil) != tt.bad || n != tt.want {
			t.Errorf("Int(%s) = %d, %v; want %d, error %v", tt.in, n, err, tt.want, tt.bad)
		}
	}
}

// API doc §8.1: timestamps are naive Brasília time (UTC-3), with a space in the login answer.
func TestTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"2025-11-24T07:31:47", time.Date(2025, 11, 24, 10, 31, 47, 0, time.UTC), false},
		{"2019-05-08 16:15:59", time.Date(2019, 5, 8, 19, 15, 59, 0, time.UTC), false},
		{"2025-11-24T07:31:47.123", time.Date(2025, 11, 24, 10, 31, 47, 123e6, time.UTC), false},
		{"", time.Time{}, false},
		{"0001-01-01T00:00:00", time.Time{}, false},
		{"24/11/2025", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if (err != nil) != tt.bad || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// The 2019 login example: JWT iat 1557342959 is "created": "2019-05-08 16:15:59".
	if got := NewTime(time.Unix(1557342959, 0)).String(); got != "2019-05-08T16:15:59" {
		t.Errorf("NewTime(iat) = %s", got)
	}
	b, _ := json.Marshal(Time{})
	if string(b) != `""` {
		t.Errorf("zero Time encodes as %s, want \"\"", b)
	}
}

func TestRefAndFloat(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`1`: `1`, `"419384ad-705c"`: `"419384ad-705c"`, `11987654321`: `11987654321`, `"0123"`: `"0123"`} {
		var r Ref
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			t.Fatal(err)
		}
		if out, _ := json.Marshal(r); string(out) != want {
			t.Errorf("Ref %s re-encodes as %s, want %s", in, out, want)
		}
	}
	for in, want := range map[string]Float{`-23.55`: -23.55, `"-23.55"`: -23.55, `"-23,55"`: -23.55, `""`: 0} {
		var f Float
		if err := json.Unmarshal([]byte(in), &f); err != nil || f != want {
			t.Errorf("Float(%s) = %v, %v", in, f, err)
		}
	}
}

// API doc §6: three error shapes (plus S2's capitalised Message) all give a message and code.
func TestErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, msg, code string }{
		{`{"message": "Start date and end date are required when customerId is not provided", "target": null, "errorCode": 168, "errors": null}`,
			"Start date and end date are required when customerId is not provided", "168"},
		{`{"error": "Rate limit temporarily exceeded"}`, "Rate limit temporarily exceeded", ""},
		{`{"id": ["The value 'x' is not valid."]}`, "id: The value 'x' is not valid.", ""},
		{`{"Message": "An error has occurred."}`, "An error has occurred.", ""},
		{`<html>Bad Gateway</html>`, "", ""},
		{``, "", ""},
	}
	for _, tt := range tests {
		msg, code := errorMessage([]byte(tt.body))
		if msg != tt.msg || code != tt.code {
			t.Errorf("errorMessage(%s) = %q, %q; want %q, %q", tt.body, msg, code, tt.msg, tt.code)
		}
	}
}
