package br

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// corpusLine is one line of testdata/addresses.tsv: the address as typed and the fields it must
// split into, or want == nil when the parser must refuse it.
type corpusLine struct {
	line int
	in   string
	want *Address
}

// loadCorpus reads testdata/addresses.tsv (format in its header).
func loadCorpus(t testing.TB) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/addresses.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		in, exp, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("addresses.tsv:%d: no TAB", n)
		}
		c := corpusLine{line: n, in: in}
		if exp != "null" {
			f := strings.Split(exp, "|")
			if len(f) != 7 {
				t.Fatalf("addresses.tsv:%d: %d fields, want 7", n, len(f))
			}
			a := addr(f[0], f[1], f[2], f[3], f[4], f[5], f[6])
			c.want = &a
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusScore runs the whole corpus: right are positive lines split as expected, refusedOK the
// null lines refused; wrong lists every accepted line whose fields differ from the expected ones
// (a null line accepted included), missed the positive lines refused.
type corpusScore struct {
	positives, right, negatives, refusedOK int
	wrong, missed                          []string
}

func scoreCorpus(cs []corpusLine) corpusScore {
	var s corpusScore
	for _, c := range cs {
		got, _, err := ParseAddress(c.in, AnyERP)
		switch {
		case c.want == nil:
			s.negatives++
			if err != nil {
				s.refusedOK++
			} else {
				s.wrong = append(s.wrong, c.in+"\n   accepted as "+FormatAddress(got))
			}
		case err != nil:
			s.positives++
			s.missed = append(s.missed, c.in+"\n   "+err.(*AddressError).Problem)
		case got != *c.want:
			s.positives++
			s.wrong = append(s.wrong, c.in+"\n    got "+fieldsString(got)+"\n   want "+fieldsString(*c.want))
		default:
			s.positives++
			s.right++
		}
	}
	return s
}

func fieldsString(a Address) string {
	return strings.Join([]string{a.Street, a.Number, a.Complement, a.District, a.City, a.State, a.CEP}, "|")
}

// TestAddressCorpusScore runs testdata/addresses.tsv and prints the score (SPEC AD-R2): at least
// 90 % of the lines that must split are split right, and every line that must be refused is.
func TestAddressCorpusScore(t *testing.T) {
	t.Parallel()
	cs := loadCorpus(t)
	if len(cs) < 200 {
		t.Fatalf("the corpus has %d lines, want at least 200", len(cs))
	}
	s := scoreCorpus(cs)
	t.Logf("address corpus: %d lines; %d/%d positive lines right (%.1f %%); %d/%d null lines refused; %d wrong splits",
		len(cs), s.right, s.positives, 100*float64(s.right)/float64(s.positives), s.refusedOK, s.negatives, len(s.wrong))
	for _, m := range s.missed {
		t.Logf("refused: %s", m)
	}
	if s.right*10 < s.positives*9 {
		t.Errorf("only %d of %d positive lines right, want at least 90 %%", s.right, s.positives)
	}
}

// TestAddressCorpusNoWrongSplit is SPEC AD-R1: no line of the corpus is accepted with fields
// other than the expected ones, and no line that must be refused is accepted.
func TestAddressCorpusNoWrongSplit(t *testing.T) {
	t.Parallel()
	s := scoreCorpus(loadCorpus(t))
	for _, w := range s.wrong {
		t.Errorf("wrong split: %s", w)
	}
}

// TestAddressCorpusFormatStable: every corpus line the parser accepts formats to a line that
// reads back to the same fields (what Ponte writes back to Auvo loses nothing, SPEC C-A8).
func TestAddressCorpusFormatStable(t *testing.T) {
	t.Parallel()
	for _, c := range loadCorpus(t) {
		if a, _, err := ParseAddress(c.in, AnyERP); err == nil {
			checkStable(t, a, a)
		}
	}
}

// BenchmarkParseAddressCorpus parses every corpus line, the refused ones included (they also
// build the suggestion of SPEC AD-R3).
func BenchmarkParseAddressCorpus(b *testing.B) {
	cs := loadCorpus(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		_, _, _ = ParseAddress(cs[n%len(cs)].in, Bling)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "addresses/s")
}
