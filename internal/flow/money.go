package flow

import (
	"math/big"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
)

// Money in the task and quotation flows is integer centavos (omie.Money) from the Auvo record to
// the Omie request: quantities are millionths, unit prices centavos, and every product is
// rounded once, half away from zero, as a cash register would.

// mulDivRound returns a×b/c rounded half away from zero, without overflow (a×b may pass int64).
func mulDivRound(a, b, c int64) int64 {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(p, big.NewInt(c), new(big.Int))
	if r.Sign() != 0 && new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(new(big.Int).Abs(big.NewInt(c))) >= 0 {
		if p.Sign()*big.NewInt(c).Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

// lineGross is quantity × unit price, to the centavo.
func lineGross(qty omie.Quantity, price omie.Money) omie.Money {
	return omie.Money(mulDivRound(int64(qty), int64(price), omie.QuantityScale))
}

// percentOf is pct per cent of amount, to the centavo; pct is an Auvo decimal (12.5 = 12,5 %).
func percentOf(amount omie.Money, pct auvo.Decimal) omie.Money {
	return omie.Money(mulDivRound(int64(amount), pct.Micro(), 100*1_000_000))
}

// discountMoney turns an Auvo discount into money off base. Auvo reads a money discount as
// "Valor" (or "0", or empty), a quotation's as "Monetario"; anything else ("Percentual", "1")
// is a percentage of base [I: the read name of a percent discount is not documented].
func discountMoney(d auvo.Discount, base omie.Money) omie.Money {
	switch t := strings.ToLower(strings.TrimSpace(d.Type)); t {
	case "", "0", "valor", "monetario", "monetário":
		return omie.Money(d.Value.Cents())
	}
	return percentOf(base, d.Value)
}

// distribute splits total over weights in proportion, to the centavo, by largest remainder: the
// shares add up to total exactly, and none passes its weight while total does not pass their
// sum. Zero weights get nothing; with no weight at all every share is zero.
func distribute(total omie.Money, weights []omie.Money) []omie.Money {
	shares := make([]omie.Money, len(weights))
	var sum int64
	for _, w := range weights {
		sum += int64(w)
	}
	if sum <= 0 || total == 0 {
		return shares
	}
	type rem struct {
		i int
		r *big.Int
	}
	rems := make([]rem, 0, len(weights))
	var given int64
	for i, w := range weights {
		p := new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(int64(w)))
		q, r := new(big.Int).QuoRem(p, big.NewInt(sum), new(big.Int))
		shares[i] = omie.Money(q.Int64())
		given += q.Int64()
		if w > 0 {
			rems = append(rems, rem{i, r})
		}
	}
	// Hand out the centavos left, one each, to the largest remainders (ties: first line first).
	for left := int64(total) - given; left > 0; left-- {
		best := -1
		for k := range rems {
			if best < 0 || rems[k].r.Cmp(rems[best].r) > 0 {
				best = k
			}
		}
		shares[rems[best].i]++
		rems[best].r = big.NewInt(-1)
	}
	return shares
}
