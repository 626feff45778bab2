package flow

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// productFields are the product fields the product flow keeps in step in Auvo (PR1, PR2). The
// code is written once, at creation: it is the key of Auvo's product URLs.
type productFields struct {
	Name   string `json:"name"`
	Price  int64  `json:"price_cents"`
	Active bool   `json:"active"`
}

// productSync is what a product link remembers (store.Link.Synced): the Auvo product's code, the
// fields and the stock as Ponte last wrote them to Auvo. Auvo is written only when Omie's values
// move away from these, so an edit in Auvo is not fought over every cycle.
type productSync struct {
	Code   string        `json:"code"`
	Fields productFields `json:"fields"`
	Stock  float64       `json:"stock"`
}

func readProductSync(l store.Link) productSync {
	var s productSync
	_ = json.Unmarshal([]byte(l.Synced), &s)
	return s
}

func (s productSync) String() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// omieProduct is an Omie product as the product flow reads it.
type omieProduct struct {
	ID        string // codigo_produto
	Code      string // codigo, the SKU people see
	Fields    productFields
	ChangedAt time.Time
}

func fromOmieProduto(p omie.Produto) omieProduct {
	op := omieProduct{ID: strconv.FormatInt(p.CodigoProduto, 10), Code: strings.TrimSpace(p.Codigo),
		Fields: productFields{Name: strings.TrimSpace(p.Descricao), Price: cents(p.ValorUnitario), Active: !p.Inativo.Bool()}}
	if p.Info != nil {
		if t, err := p.Info.Changed(); err == nil {
			op.ChangedAt = t
		} else if t, err := p.Info.Included(); err == nil {
			op.ChangedAt = t
		}
	}
	return op
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// quantity rounds a stock balance to the six places Auvo's decimals keep, so that a balance
// read back compares equal to the one written.
func quantity(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func fieldsOfAuvo(p auvo.Product) productFields {
	return productFields{Name: strings.TrimSpace(p.Name), Price: p.UnitaryValue.Cents(), Active: p.Active}
}

// productChanges lists, in Portuguese, the fields that differ between from and to.
func productChanges(from, to productFields) []string {
	var out []string
	if from.Name != to.Name {
		out = append(out, "nome")
	}
	if from.Price != to.Price {
		out = append(out, "preço")
	}
	if from.Active != to.Active {
		out = append(out, "ativo")
	}
	return out
}

// productOps is the JSON Patch that turns an Auvo product holding from into one holding to.
// Prices go by PATCH, which Auvo stores right (its POST stores them ×10, api/auvo.md §5).
func productOps(from, to productFields) []auvo.PatchOp {
	var ops []auvo.PatchOp
	if from.Name != to.Name {
		ops = append(ops, auvo.Replace("name", to.Name))
	}
	if from.Price != to.Price {
		ops = append(ops, auvo.Replace("unitaryValue", auvo.DecimalFromCents(to.Price)))
	}
	if from.Active != to.Active {
		ops = append(ops, auvo.Replace("active", to.Active))
	}
	return ops
}

// decideProduct applies PR1, PR2 and PR4 to one Omie product: inLocation says whether it has a
// position in the chosen stock location, l is its link (nil when none) and last what the link
// remembers. It is pure.
func decideProduct(p omieProduct, inLocation bool, l *store.Link, last productSync) Decision {
	switch {
	case !inLocation:
		return Decision{Action: store.ActionSkipped, Reason: ReasonProductOtherLocation}
	case l == nil:
		return Decision{Action: store.ActionCreated, Reason: ReasonProductCreated}
	case l.State == store.LinkLocked:
		return lockedBy(l)
	case len(productChanges(last.Fields, p.Fields)) == 0:
		return Decision{Action: store.ActionUnchanged}
	}
	return Decision{Action: store.ActionUpdated, Reason: ReasonProductUpdated, Target: l.AuvoID}
}

// productIndex holds an integration's product links by each side's key: Omie's product id,
// Auvo's product GUID (task lines) and Auvo's product code (quotation lines).
type productIndex struct {
	byERP, byAuvo, byCode map[string]store.Link
}

func loadProductIndex(ctx context.Context, st *store.Store, in store.Integration) (productIndex, error) {
	links, err := st.Links(ctx, in.TenantID, in.ID, store.EntityProduct)
	if err != nil {
		return productIndex{}, err
	}
	idx := productIndex{byERP: map[string]store.Link{}, byAuvo: map[string]store.Link{}, byCode: map[string]store.Link{}}
	for _, l := range links {
		idx.put(l)
	}
	return idx, nil
}

func (x productIndex) put(l store.Link) {
	x.byERP[l.ERPID] = l
	x.byAuvo[strings.ToLower(l.AuvoID)] = l
	if code := readProductSync(l).Code; code != "" {
		x.byCode[code] = l
	}
}

// auvoProduct finds the link of an Auvo product named by its GUID or its code.
func (x productIndex) auvoProduct(id string) (store.Link, bool) {
	if l, ok := x.byAuvo[strings.ToLower(id)]; ok {
		return l, true
	}
	l, ok := x.byCode[id]
	return l, ok
}

// productIndex loads the product links, with those a preview would have saved so far.
func (o *opsRun) productIndex(ctx context.Context) (productIndex, error) {
	idx, err := loadProductIndex(ctx, o.e.st, o.in)
	if err != nil || o.pv == nil {
		return idx, err
	}
	for _, l := range o.pv.links {
		if l.Entity == store.EntityProduct {
			idx.put(l)
		}
	}
	return idx, nil
}
