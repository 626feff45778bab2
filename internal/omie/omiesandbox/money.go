package omiesandbox

import (
	"encoding/json"
	"fmt"

	"github.com/pontehub/ponte/internal/omie"
)

// Money in the sandbox is read from the JSON text exactly (omie.Money, omie.Quantity) and summed
// in centavos, so a total it reports is what a correct ERP would compute from what was sent, not
// a float's approximation of it.

// fixed reads r[key] as the decimal type T; ok is false when the tag is absent.
func fixed[T omie.Money | omie.Quantity](r record, key string) (v T, ok bool, f *fault) {
	raw, ok := r[key]
	if !ok || raw == nil {
		return 0, false, nil
	}
	b, _ := json.Marshal(raw)
	var out T
	var err error
	switch p := any(&out).(type) {
	case *omie.Money:
		err = p.UnmarshalJSON(b)
	case *omie.Quantity:
		err = p.UnmarshalJSON(b)
	}
	if err != nil {
		return 0, true, validation(fmt.Sprintf("ERROR: Valor inválido na tag [%s]: [%s] !", key, b))
	}
	return out, true, nil
}

// mercadoria is quantity × unit price rounded half up to the centavo [I: Omie's rounding of a
// line's value is not documented; this is the cash-register rule].
func mercadoria(q omie.Quantity, p omie.Money) omie.Money {
	n := int64(q) * int64(p) // the sandbox's figures stay far below the int64 range
	half := int64(omie.QuantityScale / 2)
	if n < 0 {
		return omie.Money((n - half) / omie.QuantityScale)
	}
	return omie.Money((n + half) / omie.QuantityScale)
}

// lineDiscount is the money off a line: tipo "V" (or none) takes the value, "P" the percentage
// of the line's value.
func lineDiscount(tipo string, valor omie.Money, pct omie.Quantity, merc omie.Money) omie.Money {
	if tipo == "P" {
		return mercadoria(pct, merc) / 100
	}
	return valor
}

// pedidoTotal checks the money of an order's items and computes "total_pedido" [C S1
// Total_pedido.php names; the sum is I]: goods, less discounts, plus freight and other costs.
func pedidoTotal(p record) (record, *fault) {
	var merc, desc omie.Money
	for _, d := range list(p, "det") {
		prod := obj2(d, "produto")
		q, okQ, f := fixed[omie.Quantity](prod, "quantidade")
		if f != nil {
			return nil, f
		}
		v, okV, f := fixed[omie.Money](prod, "valor_unitario")
		if f != nil {
			return nil, f
		}
		if !okQ {
			return nil, required("quantidade") // [C] "Preenchimento obrigatório"
		}
		if !okV {
			return nil, required("valor_unitario") // [C] "Preenchimento Obrigatório"
		}
		dv, _, f := fixed[omie.Money](prod, "valor_desconto")
		if f != nil {
			return nil, f
		}
		pct, _, f := fixed[omie.Quantity](prod, "percentual_desconto")
		if f != nil {
			return nil, f
		}
		m := mercadoria(q, v)
		ld := lineDiscount(str(prod, "tipo_desconto"), dv, pct, m)
		if ld < 0 || ld > m {
			return nil, validation(fmt.Sprintf("ERROR: O valor do desconto [%s] não pode ser maior que o valor do item [%s] !", ld, m))
		}
		merc, desc = merc+m, desc+ld
	}
	// A discount on the order's header is spread by Omie over the items, and refused when the
	// items already carry discounts [C S1 Cabecalho.php]; only its total matters here.
	cab := obj2(p, "cabecalho")
	hv, _, f := fixed[omie.Money](cab, "valor_desconto_pedido")
	if f != nil {
		return nil, f
	}
	hp, _, f := fixed[omie.Quantity](cab, "perc_desconto_pedido")
	if f != nil {
		return nil, f
	}
	if hd := lineDiscount(str(cab, "tipo_desconto_pedido"), hv, hp, merc); hd != 0 {
		if desc != 0 {
			return nil, validation("ERROR: Não é permitido informar desconto na capa do pedido quando os itens já têm desconto !")
		}
		if hd > merc {
			hd = 0 // "Se o desconto for superior ao valor do pedido ele não será aplicado" [C]
		}
		desc = hd
	}
	frete := obj2(p, "frete")
	vf, _, f := fixed[omie.Money](frete, "valor_frete")
	if f != nil {
		return nil, f
	}
	od, _, f := fixed[omie.Money](frete, "outras_despesas")
	if f != nil {
		return nil, f
	}
	if frete != nil && str(frete, "modalidade") == "" {
		return nil, required("modalidade") // [C] required when the block is sent
	}
	return record{"valor_mercadorias": merc, "valor_descontos": desc, "valor_frete": vf,
		"outras_despesas": od, "valor_total_pedido": merc - desc + vf + od}, nil
}

// osTotal checks the money of a service order and computes nValorTotal: services less
// discounts, plus reimbursable expenses [I]. With nCodServico and no nValUnit, Omie takes the
// registered service's price [C S1 ServicosPrestados.php], so an omitted zero is not zero.
func osTotal(a *account, p record) (omie.Money, *fault) {
	var total omie.Money
	for _, sp := range list(p, "ServicosPrestados") {
		q, okQ, f := fixed[omie.Quantity](sp, "nQtde")
		if f != nil {
			return 0, f
		}
		if !okQ {
			return 0, required("nQtde") // [C] "Preenchimento obrigatório"
		}
		v, okV, f := fixed[omie.Money](sp, "nValUnit")
		if f != nil {
			return 0, f
		}
		if !okV {
			id := i64(sp, "nCodServico")
			reg := a.servicos.find(func(r record) bool { return id != 0 && i64(obj2(r, "intListar"), "nCodServ") == id })
			if reg == nil {
				return 0, required("nValUnit")
			}
			if v, _, f = fixed[omie.Money](obj2(reg, "cabecalho"), "nPrecoUnit"); f != nil {
				return 0, f
			}
			sp["nValUnit"] = v
		}
		dv, _, f := fixed[omie.Money](sp, "nValorDesconto")
		if f != nil {
			return 0, f
		}
		aliq, _, f := fixed[omie.Quantity](sp, "nAliqDesconto")
		if f != nil {
			return 0, f
		}
		m := mercadoria(q, v)
		ld := lineDiscount(str(sp, "cTpDesconto"), dv, aliq, m)
		if ld < 0 || ld > m {
			return 0, validation(fmt.Sprintf("ERROR: O valor do desconto [%s] não pode ser maior que o valor do serviço [%s] !", ld, m))
		}
		total += m - ld
	}
	for _, d := range list(obj2(p, "despesasReembolsaveis"), "despesaReembolsavel") {
		v, _, f := fixed[omie.Money](d, "nValorReemb")
		if f != nil {
			return 0, f
		}
		total += v
	}
	return total, nil
}
