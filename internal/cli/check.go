package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pontehub/ponte/internal/br"
)

// addressReport is what check-address prints: the fields and pattern, or why it was refused.
type addressReport struct {
	OK        bool        `json:"ok"`
	Input     string      `json:"input"`
	ERP       string      `json:"erp,omitempty"`
	Pattern   br.Pattern  `json:"pattern,omitempty"`
	Layout    string      `json:"layout,omitempty"`
	Fields    *br.Address `json:"fields,omitempty"`
	Canonical string      `json:"canonical,omitempty"` // what Ponte writes back to Auvo
	Ambiguous bool        `json:"ambiguous,omitempty"`
	Reason    string      `json:"reason,omitempty"`
}

// documentReport is what check-document prints.
type documentReport struct {
	OK           bool       `json:"ok"`
	Input        string     `json:"input"`
	Kind         br.DocKind `json:"kind,omitempty"`
	Digits       string     `json:"digits,omitempty"`
	Formatted    string     `json:"formatted,omitempty"`
	Alphanumeric bool       `json:"alphanumeric,omitempty"`
	Error        string     `json:"error,omitempty"` // missing, malformed or check_digits
	Reason       string     `json:"reason,omitempty"`
}

// runCheckAddress splits an address as the customer flows would (SPEC C-A5), so support can tell a
// user why a customer was not integrated. It exits 1 when the address is refused.
func runCheckAddress(_ context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("check-address", flag.ContinueOnError)
	erpName := fs.String("erp", "", "target ERP: omie, contaazul or bling (default: any)")
	pos, code := parseCheckArgs(fs, env.Stderr, args, `ponte check-address [--erp omie|contaazul|bling] "<address>"`)
	if code >= 0 {
		return code
	}
	erp, ok := br.ParseERP(*erpName)
	if !ok {
		fmt.Fprintf(env.Stderr, "ponte check-address: unknown ERP %q; use omie, contaazul or bling\n", *erpName)
		return 2
	}
	rep := addressReport{Input: pos, ERP: string(erp)}
	a, pat, err := br.ParseAddress(pos, erp)
	var ae *br.AddressError
	switch {
	case errors.As(err, &ae):
		rep.Reason, rep.Ambiguous = ae.Reason(), ae.Ambiguous
	case err != nil:
		rep.Reason = err.Error()
	default:
		rep.OK, rep.Pattern, rep.Layout, rep.Fields, rep.Canonical = true, pat, pat.Layout(), &a, br.FormatAddress(a)
	}
	return printReport(env, rep, rep.OK)
}

// runCheckDocument validates a CPF or CNPJ as SPEC C-A2 does. It exits 1 when the document is
// refused.
func runCheckDocument(_ context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("check-document", flag.ContinueOnError)
	pos, code := parseCheckArgs(fs, env.Stderr, args, `ponte check-document "<CPF or CNPJ>"`)
	if code >= 0 {
		return code
	}
	rep := documentReport{Input: pos}
	d, err := br.ParseDocument(pos)
	if err != nil {
		rep.Reason = err.Error()
		switch {
		case errors.Is(err, br.ErrDocMissing):
			rep.Error = "missing"
		case errors.Is(err, br.ErrDocMalformed):
			rep.Error = "malformed"
		case errors.Is(err, br.ErrDocCheckDigits):
			rep.Error = "check_digits"
		}
	} else {
		rep.OK, rep.Kind, rep.Digits, rep.Formatted, rep.Alphanumeric = true, d.Kind, d.Digits, d.Formatted(), d.IsAlphanumeric()
	}
	return printReport(env, rep, rep.OK)
}

// parseCheckArgs parses flags written before or after the one positional argument. It returns the
// argument and -1, or the exit code to return at once.
func parseCheckArgs(fs *flag.FlagSet, stderr io.Writer, args []string, usage string) (string, int) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage:", usage)
		fs.PrintDefaults()
	}
	var pos []string
	for {
		// A negative number ("-1") is a value to check, not a flag: people paste whatever the
		// ERP shows, and making them write "--" first is a trap.
		if len(args) > 0 && isNegativeNumber(args[0]) {
			pos, args = append(pos, args[0]), args[1:]
			continue
		}
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", 0
			}
			return "", 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", 2
	}
	return pos[0], -1
}

// isNegativeNumber reports whether a looks like "-1" or "-12.345": a dash and then a digit.
func isNegativeNumber(a string) bool { return len(a) > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9' }

func printReport(env Env, rep any, ok bool) int {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintln(env.Stderr, "ponte:", err)
		return 2
	}
	if !ok {
		return 1
	}
	return 0
}
