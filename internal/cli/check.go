package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pontehub/ponte/internal/br"
)

// addressReport is what check-address prints: the fields and pattern, or why it was refused and
// the line to write instead (SPEC AD-R3).
type addressReport struct {
	Line       int         `json:"line,omitempty"` // line number on standard input
	OK         bool        `json:"ok"`
	Input      string      `json:"input"`
	ERP        string      `json:"erp,omitempty"`
	Pattern    br.Pattern  `json:"pattern,omitempty"`
	Layout     string      `json:"layout,omitempty"`
	Fields     *br.Address `json:"fields,omitempty"`
	Canonical  string      `json:"canonical,omitempty"` // what Ponte writes back to Auvo
	Ambiguous  bool        `json:"ambiguous,omitempty"`
	Kind       string      `json:"kind,omitempty"` // the reason without this line's values
	Suggestion string      `json:"suggestion,omitempty"`
	Missing    []string    `json:"missing,omitempty"`
	Reason     string      `json:"reason,omitempty"`
}

// addressSummary ends check-address's reading of standard input.
type addressSummary struct {
	Summary struct {
		Lines    int            `json:"lines"`
		Accepted int            `json:"accepted"`
		Refused  int            `json:"refused"`
		ByReason map[string]int `json:"refused_by_reason"`
	} `json:"summary"`
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
// user why a customer was not integrated. Without an address argument it reads one address per
// line from standard input, so a whole export can be checked at once, prints one JSON object per
// line and then a summary. It exits 1 when an address is refused.
func runCheckAddress(_ context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("check-address", flag.ContinueOnError)
	erpName := fs.String("erp", "", "target ERP: omie, contaazul or bling (default: any)")
	usage := `ponte check-address [--erp omie|contaazul|bling] ["<address>"]   (without an address: one per line on stdin)`
	pos, code := parseCheckArgs(fs, env.Stderr, args, usage)
	if code >= 0 {
		return code
	}
	if len(pos) > 1 || len(pos) == 0 && env.Stdin == nil {
		fs.Usage()
		return 2
	}
	erp, ok := br.ParseERP(*erpName)
	if !ok {
		fmt.Fprintf(env.Stderr, "ponte check-address: unknown ERP %q; use omie, contaazul or bling\n", *erpName)
		return 2
	}
	if len(pos) == 0 {
		return checkAddressLines(env, erp)
	}
	rep := checkAddress(pos[0], erp)
	return printReport(env, rep, rep.OK)
}

// checkAddressLines is check-address reading standard input: blank lines are skipped.
func checkAddressLines(env Env, erp br.ERP) int {
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	var sum addressSummary
	sum.Summary.ByReason = map[string]int{}
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff")) // a spreadsheet's BOM
		if line == "" {
			continue
		}
		rep := checkAddress(line, erp)
		rep.Line = n
		sum.Summary.Lines++
		if rep.OK {
			sum.Summary.Accepted++
		} else {
			sum.Summary.Refused++
			sum.Summary.ByReason[rep.Kind]++
		}
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(env.Stderr, "ponte:", err)
			return 2
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(env.Stderr, "ponte check-address: reading standard input:", err)
		return 2
	}
	if err := enc.Encode(sum); err != nil {
		fmt.Fprintln(env.Stderr, "ponte:", err)
		return 2
	}
	if sum.Summary.Refused > 0 {
		return 1
	}
	return 0
}

// checkAddress splits one address for erp.
func checkAddress(in string, erp br.ERP) addressReport {
	rep := addressReport{Input: in, ERP: string(erp)}
	a, pat, err := br.ParseAddress(in, erp)
	var ae *br.AddressError
	switch {
	case errors.As(err, &ae):
		rep.Reason, rep.Ambiguous, rep.Kind, rep.Suggestion, rep.Missing = ae.Reason(), ae.Ambiguous, ae.Kind, ae.Suggestion, ae.Missing
	case err != nil:
		rep.Reason, rep.Kind = err.Error(), err.Error()
	default:
		rep.OK, rep.Pattern, rep.Layout, rep.Fields, rep.Canonical = true, pat, pat.Layout(), &a, br.FormatAddress(a)
	}
	return rep
}

// runCheckDocument validates a CPF or CNPJ as SPEC C-A2 does. It exits 1 when the document is
// refused.
func runCheckDocument(_ context.Context, env Env, args []string) int {
	fs := flag.NewFlagSet("check-document", flag.ContinueOnError)
	pos, code := parseCheckArgs(fs, env.Stderr, args, `ponte check-document "<CPF or CNPJ>"`)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	rep := documentReport{Input: pos[0]}
	d, err := br.ParseDocument(pos[0])
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

// parseCheckArgs parses flags written before or after the positional arguments. It returns the
// arguments and -1, or the exit code to return at once.
func parseCheckArgs(fs *flag.FlagSet, stderr io.Writer, args []string, usage string) ([]string, int) {
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
				return nil, 0
			}
			return nil, 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	return pos, -1
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
