package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runCheck(t *testing.T, args ...string) (int, map[string]any, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errOut, LookupEnv: func(string) (string, bool) { return "", false }})
	var rep map[string]any
	if out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
	}
	return code, rep, errOut.String()
}

// TestCheckAddress: `ponte check-address` prints the split fields and the SPEC C-A5 pattern, or
// the reason with the ERP's accepted patterns and exit code 1.
func TestCheckAddress(t *testing.T) {
	t.Parallel()
	code, rep, _ := runCheck(t, "check-address", "--erp", "omie", "Avenida Jamari, 3105, Setor 01 - Ariquemes - RO, 76870-175")
	fields, _ := rep["fields"].(map[string]any)
	if code != 0 || rep["ok"] != true || rep["pattern"] != "AD-O3" || fields["cidade"] != "Ariquemes" || fields["cep"] != "76870-175" {
		t.Errorf("accepted address: code %d, %v", code, rep)
	}
	if rep["canonical"] != "Avenida Jamari, 3105, Setor 01, Ariquemes - RO, 76870-175, Brasil" {
		t.Errorf("canonical = %v", rep["canonical"])
	}

	// flags may follow the address; Omie refuses an address without a city (AD-C6)
	code, rep, _ = runCheck(t, "check-address", "Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300", "--erp", "omie")
	reason, _ := rep["reason"].(string)
	if code != 1 || rep["ok"] != false || !strings.Contains(reason, "Falta a cidade") || !strings.Contains(reason, "AD-O4") {
		t.Errorf("refused address: code %d, %v", code, rep)
	}

	code, rep, _ = runCheck(t, "check-address", "Rua X, 100, Centro, SP")
	if code != 1 || rep["ambiguous"] != true {
		t.Errorf("ambiguous address: code %d, %v", code, rep)
	}
}

func TestCheckAddressUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"check-address"},
		{"check-address", "a", "b"},
		{"check-address", "--erp", "sap", "Rua X, 1, Centro, Itu - SP"},
		{"check-address", "--bogus", "x"},
	} {
		if code, _, stderr := runCheck(t, args...); code != 2 || stderr == "" {
			t.Errorf("%q: code %d, stderr %q", args, code, stderr)
		}
	}
}

// TestCheckDocument: `ponte check-document` tells valid, missing, malformed and wrong check digits
// apart (SPEC C-A2).
func TestCheckDocument(t *testing.T) {
	t.Parallel()
	code, rep, _ := runCheck(t, "check-document", "12.abc.345/01de-35")
	if code != 0 || rep["kind"] != "CNPJ" || rep["digits"] != "12ABC34501DE35" || rep["formatted"] != "12.ABC.345/01DE-35" || rep["alphanumeric"] != true {
		t.Errorf("valid CNPJ: code %d, %v", code, rep)
	}
	for doc, want := range map[string]string{"": "missing", "123": "malformed", "529.982.247-24": "check_digits"} {
		code, rep, _ := runCheck(t, "check-document", doc)
		if code != 1 || rep["ok"] != false || rep["error"] != want || rep["reason"] == "" {
			t.Errorf("%q: code %d, %v; want error %s", doc, code, rep, want)
		}
	}
	if code, _, _ := runCheck(t, "check-document"); code != 2 {
		t.Errorf("no argument: code %d", code)
	}
	// Issue 18 item 10: a negative number is a value, not a flag, without "--" before it.
	for _, args := range [][]string{{"-1"}, {"-12.345"}, {"--", "-1"}} {
		code, rep, stderr := runCheck(t, append([]string{"check-document"}, args...)...)
		if code != 1 || rep["input"] != args[len(args)-1] || rep["error"] != "malformed" {
			t.Errorf("%q: code %d, %v, stderr %q; want a malformed document report", args, code, rep, stderr)
		}
	}
}

// TestCheckAddressStdin: without an address, `ponte check-address` reads one per line from
// standard input, prints one JSON object per line (with the suggestion of SPEC AD-R3 for the
// refused ones) and a summary counting the refusals by reason; blank lines are skipped.
func TestCheckAddressStdin(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		"RUA DAS PALMEIRAS-120 APTO 32 - CENTRO - CAMPINAS - SP",
		"",
		"Rua X, 10 - Centro, Campinas - SP, Brasil, 13010-000",
		"Rua Vergueiro, 3185, Vila Mariana, SP, 04101-300",
		"Rua da Bahia, 1148, Lourdes, MG, 30160-011",
		"Rua das Flores 123, Centro, São Paulo - SP",
	}, "\n")
	var out, errOut bytes.Buffer
	code := Run([]string{"check-address", "--erp", "omie"}, Env{Stdin: strings.NewReader(in), Stdout: &out, Stderr: &errOut,
		LookupEnv: func(string) (string, bool) { return "", false }})
	if code != 1 {
		t.Errorf("exit code %d, want 1 (some refused); stderr %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d output lines, want 5 reports and a summary:\n%s", len(lines), out.String())
	}
	var reps []addressReport
	for _, l := range lines[:5] {
		var r addressReport
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		reps = append(reps, r)
	}
	if !reps[0].OK || reps[0].Line != 1 || reps[0].Fields.Street != "RUA DAS PALMEIRAS" || reps[0].Fields.Number != "120" || reps[0].Fields.Complement != "APTO 32" {
		t.Errorf("billing form: %+v", reps[0])
	}
	if !reps[1].OK || reps[1].Line != 3 || reps[1].Fields.CEP != "13010-000" {
		t.Errorf("country before the CEP: %+v", reps[1])
	}
	if reps[2].OK || reps[2].Suggestion != "Rua Vergueiro, 3185, Vila Mariana, Cidade - SP, 04101-300" || len(reps[2].Missing) != 1 || reps[2].Missing[0] != "cidade" {
		t.Errorf("no city for Omie: %+v", reps[2])
	}
	if reps[4].OK || reps[4].Suggestion != "Rua das Flores, 123, Centro, São Paulo - SP" || !strings.Contains(reps[4].Reason, "Escreva assim: `Rua das Flores, 123, Centro, São Paulo - SP`") {
		t.Errorf("number glued to the street: %+v", reps[4])
	}
	var sum addressSummary
	if err := json.Unmarshal([]byte(lines[5]), &sum); err != nil {
		t.Fatal(err)
	}
	s := sum.Summary
	if s.Lines != 5 || s.Accepted != 2 || s.Refused != 3 || s.ByReason["Falta a cidade, que o … exige"] != 2 || len(s.ByReason) != 2 {
		t.Errorf("summary = %+v", s)
	}
}

// TestCheckAddressStdinAllAccepted: exit code 0 when every line is accepted.
func TestCheckAddressStdinAllAccepted(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code := Run([]string{"check-address"}, Env{Stdin: strings.NewReader("Rua X, 10, Centro, Itu - SP\r\n\ufeffRua Y, 2, Centro, Itu - SP\n"), Stdout: &out, Stderr: &out,
		LookupEnv: func(string) (string, bool) { return "", false }})
	if code != 0 || !strings.Contains(out.String(), `"summary":{"lines":2,"accepted":2,"refused":0`) {
		t.Errorf("code %d:\n%s", code, out.String())
	}
}
