package br

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// handCase is one line of testdata/addresses_hand.txt: the input and the fields it must split
// into, or want == nil when the parser must refuse it.
type handCase struct {
	line int
	in   string
	want *Address
}

func loadHandCorpus(t testing.TB) []handCase {
	t.Helper()
	f, err := os.Open("testdata/addresses_hand.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []handCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		in, exp, ok := strings.Cut(l, "=>")
		if !ok {
			t.Fatalf("testdata/addresses_hand.txt:%d: no =>", n)
		}
		c := handCase{line: n, in: strings.TrimSpace(in)}
		if exp = strings.TrimSpace(exp); exp != "null" {
			f := strings.Split(exp, "|")
			if len(f) != 7 {
				t.Fatalf("testdata/addresses_hand.txt:%d: %d fields, want 7", n, len(f))
			}
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			c.want = &Address{Street: f[0], Number: f[1], Complement: f[2], District: f[3], City: f[4], State: f[5], CEP: f[6], Country: "Brasil"}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// handScore runs the parser over the corpus: right (accepted with exactly the expected fields,
// or refused when it must be), missed (a positive line refused) and wrong (accepted with any
// field elsewhere, or accepted although it must be refused).
type handScore struct {
	positives, negatives, right, refusedRight, missed int
	wrong, misses                                     []string
}

func scoreHandCorpus(t testing.TB) handScore {
	var s handScore
	for _, c := range loadHandCorpus(t) {
		a, _, err := ParseAddress(c.in, AnyERP)
		switch {
		case c.want == nil:
			s.negatives++
			if err == nil {
				s.wrong = append(s.wrong, handMiss(c, "accepted, must refuse: %+v", a))
			} else {
				s.refusedRight++
			}
		case err != nil:
			s.positives++
			s.missed++
			s.misses = append(s.misses, handMiss(c, "refused: %v", handProblem(err)))
		case a != *c.want:
			s.positives++
			s.wrong = append(s.wrong, handMiss(c, "got  %+v\n\twant %+v", a, *c.want))
		default:
			s.positives++
			s.right++
		}
	}
	return s
}

func handProblem(err error) string {
	if ae, ok := err.(*AddressError); ok {
		return ae.Problem
	}
	return err.Error()
}

func handMiss(c handCase, format string, args ...any) string {
	return strings.TrimSpace(handSprintf("addresses_hand.txt:%d %q: "+format, append([]any{c.line, c.in}, args...)...))
}

// TestAddressHandCorpusScore (SPEC AD-R2): the parser reads at least 90 % of the corpus' positive
// lines into exactly the expected fields, and prints the score.
func TestAddressHandCorpusScore(t *testing.T) {
	s := scoreHandCorpus(t)
	total := s.positives + s.negatives
	if total < 200 {
		t.Fatalf("corpus has %d lines, want at least 200", total)
	}
	pct := 100 * float64(s.right) / float64(s.positives)
	t.Logf("corpus: %d lines (%d positive, %d must refuse); positives right %d (%.1f %%), refused %d; refusals right %d/%d; wrong splits %d",
		total, s.positives, s.negatives, s.right, pct, s.missed, s.refusedRight, s.negatives, len(s.wrong))
	for _, m := range s.misses {
		t.Log("miss:", m)
	}
	if pct < 90 {
		t.Errorf("only %.1f %% of the positive lines right, want at least 90 %%", pct)
	}
}

// TestAddressHandCorpusNoWrongSplit (SPEC AD-R1): no line of the corpus is accepted with a field out
// of place, and no line that must be refused is accepted.
func TestAddressHandCorpusNoWrongSplit(t *testing.T) {
	for _, w := range scoreHandCorpus(t).wrong {
		t.Error("wrong split:", w)
	}
}

func handSprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
