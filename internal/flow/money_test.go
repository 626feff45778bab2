package flow

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// auvoTotal is the Auvo figure a task's Omie documents must add up to, written out from the
// Auvo record alone, independently of the flow's code: every line is quantity × price rounded
// half up to the centavo less its discount, the costs are added, and the whole's discount (money,
// or a percentage of that sum) comes off. ok is false when a discount is larger than what it
// discounts. Integer centavos throughout.
func auvoTotal(lines []testLine, costs []int64, whole int64, wholePct bool) (total int64, ok bool) {
	var sum int64
	for _, l := range lines {
		g := roundHalfUp(l.qtyMilli*l.priceCents, 1000)
		d := l.disc
		if l.pct {
			d = roundHalfUp(g*l.disc, 100*100) // disc is in hundredths of a per cent
		}
		if d > g {
			return 0, false
		}
		sum += g - d
	}
	for _, c := range costs {
		sum += c
	}
	w := whole
	if wholePct {
		w = roundHalfUp(sum*whole, 100*100)
	}
	if w > sum {
		return 0, false
	}
	return sum - w, true
}

func roundHalfUp(n, d int64) int64 { return (n + d/2) / d }

// omieTotal is what Omie makes of the documents as they go on the wire: each line's quantity ×
// unit price to the centavo, less its money discount, plus the order's other costs and the
// service order's reimbursable expenses. It reads the JSON, so a field lost in encoding counts.
func omieTotal(t *testing.T, os *omie.OS, pv *omie.Pedido) int64 {
	t.Helper()
	var total int64
	line := func(q omie.Quantity, p, d omie.Money, tipo string) {
		if d != 0 && tipo != "V" {
			t.Fatalf("discount %v sent with type %q", d, tipo)
		}
		g := roundHalfUp(int64(q)*int64(p), omie.QuantityScale)
		if d < 0 || int64(d) > g {
			t.Fatalf("line discount %v outside 0..%d", d, g)
		}
		total += g - int64(d)
	}
	if os != nil {
		var wire omie.OS
		roundTrip(t, *os, &wire)
		for _, s := range wire.ServicosPrestados {
			line(s.NQtde, s.NValUnit, s.NValorDesconto, s.CTpDesconto)
		}
		if wire.DespesasReembolsaveis != nil {
			for _, d := range wire.DespesasReembolsaveis.DespesaReembolsavel {
				total += int64(d.NValorReemb)
			}
		}
	}
	if pv != nil {
		var wire omie.Pedido
		roundTrip(t, *pv, &wire)
		for _, d := range wire.Det {
			line(d.Produto.Quantidade, d.Produto.ValorUnitario, d.Produto.ValorDesconto, d.Produto.TipoDesconto)
		}
		if wire.Frete != nil {
			total += int64(wire.Frete.OutrasDespesas + wire.Frete.ValorFrete)
		}
	}
	return total
}

func roundTrip(t *testing.T, in, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

type testLine struct {
	service              bool
	qtyMilli, priceCents int64
	disc                 int64 // centavos, or hundredths of a per cent when pct
	pct                  bool
}

// SPEC K2 Q1 (issue 22): the Omie documents of a task add up to the Auvo total to the centavo,
// for line discounts (money and percentage), percentage and money discounts on the whole, extra
// costs and several items with rounding, over random values; a discount larger than what it
// discounts refuses the task instead of sending another total.
func TestOrderTotalsMatchAuvoToTheCent(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	var sent, refused int
	for i := range 3000 {
		var lines []testLine
		task := auvo.Task{TaskID: int64(i + 1)}
		for range 1 + rng.IntN(6) {
			l := testLine{service: rng.IntN(2) == 0, qtyMilli: int64(rng.IntN(5000)), priceCents: int64(rng.IntN(200000))}
			if rng.IntN(4) == 0 {
				l.qtyMilli = int64(1+rng.IntN(10)) * 1000
			}
			d := auvo.Discount{Type: "Valor"}
			switch rng.IntN(3) {
			case 1:
				l.disc = int64(rng.IntN(int(max(l.qtyMilli*l.priceCents/1000, 1)) + 50))
				d.Value = auvo.DecimalFromCents(l.disc)
			case 2:
				l.pct, l.disc = true, int64(rng.IntN(10001))
				d = auvo.Discount{Type: "Percentual", Value: auvo.DecimalFromCents(l.disc)}
			}
			lines = append(lines, l)
			q, p := auvo.DecimalFromCents(l.qtyMilli/10), auvo.DecimalFromCents(l.priceCents)
			if l.qtyMilli%10 != 0 {
				q = auvo.DecimalFromFloat(float64(l.qtyMilli) / 1000)
			}
			if l.service {
				task.Services = append(task.Services, auvo.TaskService{ID: "s" + strconv.Itoa(len(lines)), Name: "S",
					Quantity: q, UnitaryValue: p, Discount: d})
			} else {
				task.Products = append(task.Products, auvo.TaskProduct{ProductID: "p" + strconv.Itoa(len(lines)), Name: "P",
					Quantity: q, UnitaryValue: p, Discount: d})
			}
		}
		var costs []int64
		for range rng.IntN(3) {
			c := int64(rng.IntN(30000))
			costs = append(costs, c)
			task.AdditionalCosts = append(task.AdditionalCosts, auvo.AdditionalCost{Name: "Deslocamento",
				UnitaryValue: auvo.DecimalFromCents(c)})
		}
		var whole int64
		wholePct := false
		switch rng.IntN(3) {
		case 1:
			whole = int64(rng.IntN(100000))
			task.Summary.Discount = auvo.Discount{Type: "Valor", Value: auvo.DecimalFromCents(whole)}
		case 2:
			wholePct, whole = true, int64(rng.IntN(10001))
			task.Summary.Discount = auvo.Discount{Type: "Percentual", Value: auvo.DecimalFromCents(whole)}
		}
		want, ok := auvoTotal(lines, costs, whole, wholePct)
		s := taskSource(task)
		if !ok {
			if s.Problem == "" {
				t.Fatalf("case %d: a discount larger than its base was not refused: %+v", i, task)
			}
			d := decideOrder(s, orderState{CustomerLinked: true})
			if d.Reason != ReasonOrderDiscount {
				t.Fatalf("case %d: decision %s, want %s", i, d.Reason, ReasonOrderDiscount)
			}
			refused++
			continue
		}
		if s.Problem != "" {
			t.Fatalf("case %d: refused (%s) though Auvo's total is %d", i, s.Problem, want)
		}
		var os *omie.OS
		var pv *omie.Pedido
		if s.has(true) {
			o := buildOS(s, 1, store.Config{}, day)
			os = &o
		}
		if s.has(false) {
			p := buildOrder(s, 1, store.Config{}, day, omie.Sim)
			pv = &p
		}
		if got := omieTotal(t, os, pv); got != want || int64(s.total()) != want {
			t.Fatalf("case %d: Omie total %d, source total %d, Auvo total %d\ntask %+v", i, got, s.total(), want, task)
		}
		sent++
	}
	if sent < 1000 || refused == 0 {
		t.Fatalf("cases sent %d, refused %d: the generator no longer covers both", sent, refused)
	}
}

// distribute hands out exactly the total, never more than a weight, to the centavo.
func TestDistribute(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total   omie.Money
		weights []omie.Money
		want    []omie.Money
	}{
		{100, []omie.Money{1, 1, 1}, []omie.Money{34, 33, 33}},
		{2, []omie.Money{100, 0, 100}, []omie.Money{1, 0, 1}},
		{300, []omie.Money{100, 200}, []omie.Money{100, 200}},
		{0, []omie.Money{5}, []omie.Money{0}},
		{7, nil, []omie.Money{}},
	} {
		got := distribute(tc.total, tc.weights)
		if len(got) != len(tc.want) {
			t.Fatalf("distribute(%v, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("distribute(%v, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
			}
		}
	}
}

// SPEC Q1 (issue 22): a quotation's sale adds up to the Auvo total to the centavo: products with
// rounding, extra costs, and the whole's discount in money ("Monetario", or the bare "descount"
// when the summary has none) or as a percentage.
func TestQuoteTotalsMatchAuvoToTheCent(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	sent := 0
	for i := range 2000 {
		q := auvo.Quotation{PublicID: int64(i + 1)}
		var lines []testLine
		for range 1 + rng.IntN(5) {
			l := testLine{qtyMilli: int64(1 + rng.IntN(5000)), priceCents: int64(rng.IntN(100000))}
			lines = append(lines, l)
			q.Products = append(q.Products, auvo.QuotationProduct{ProductID: auvo.Ref(strconv.Itoa(len(lines))),
				Amout: auvo.DecimalFromFloat(float64(l.qtyMilli) / 1000), UnitaryValue: auvo.DecimalFromCents(l.priceCents)})
		}
		var costs []int64
		for range rng.IntN(3) {
			c := int64(rng.IntN(20000))
			costs = append(costs, c)
			q.AditionalCosts = append(q.AditionalCosts, auvo.QuotationCost{Description: "Frete", Value: auvo.DecimalFromCents(c)})
		}
		var whole int64
		pct := false
		switch rng.IntN(4) {
		case 1:
			whole = int64(rng.IntN(50000))
			q.Summary.Discount = auvo.Discount{Type: "Monetario", Value: auvo.DecimalFromCents(whole)}
		case 2:
			whole = int64(rng.IntN(50000))
			q.Descount = auvo.DecimalFromCents(whole)
		case 3:
			pct, whole = true, int64(rng.IntN(10001))
			q.Summary.Discount = auvo.Discount{Type: "Percentual", Value: auvo.DecimalFromCents(whole)}
		}
		want, ok := auvoTotal(lines, costs, whole, pct)
		s := quoteSource(q)
		if !ok {
			if s.Problem == "" {
				t.Fatalf("case %d: a discount larger than the quotation was not refused", i)
			}
			continue
		}
		if s.Problem != "" {
			t.Fatalf("case %d: refused (%s) though Auvo's total is %d", i, s.Problem, want)
		}
		pv := buildOrder(s, 1, store.Config{}, day, omie.Sim)
		if got := omieTotal(t, nil, &pv); got != want {
			t.Fatalf("case %d: Omie total %d, Auvo total %d\nquotation %+v", i, got, want, q)
		}
		sent++
	}
	if sent < 1000 {
		t.Fatalf("only %d quotations sent: the generator no longer covers the case", sent)
	}
}
