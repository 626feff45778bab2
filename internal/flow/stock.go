package flow

import (
	"context"
	"strconv"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// stockPositions are the positions of the chosen stock location (S9), by Omie product id.
type stockPositions struct {
	ids  []string // in Omie's order
	byID map[string]omie.PosEstoque
}

// positions reads the chosen location's positions: only products with a position there
// (cExibeTodos N), which is the product flow's selection (PR1, PR4). The product and stock flows
// send the same request in one cycle, and the Omie client answers the second from its cache
// instead of repeating a call Omie would refuse as REDUNDANT. The position is asked for today in
// Brasília (dDataPosicao), as every public integration found sends it (docs/architecture.md,
// partner calls).
func (o *opsRun) positions(ctx context.Context) (stockPositions, error) {
	sp := stockPositions{byID: map[string]omie.PosEstoque{}}
	req := omie.ListarPosEstoqueRequest{NRegPorPagina: productPageSize, CodigoLocalEstoque: o.cfg.StockLocation,
		DDataPosicao: omie.FormatDate(o.e.now())}
	for p, err := range o.omie.AllPosEstoque(ctx, req) {
		if err != nil {
			return stockPositions{}, err
		}
		if p.CodigoLocalEstoque != 0 && p.CodigoLocalEstoque != o.cfg.StockLocation {
			continue // Omie answered another location: never take its balances (PR4)
		}
		id := strconv.FormatInt(p.NCodProd, 10)
		if _, dup := sp.byID[id]; !dup {
			sp.ids = append(sp.ids, id)
		}
		sp.byID[id] = p
	}
	return sp, nil
}

// location reads the chosen location's positions and the product links: what both the product
// and the stock flow start from.
func (o *opsRun) location(ctx context.Context) (stockPositions, productIndex, error) {
	pos, err := o.positions(ctx)
	if err != nil {
		return stockPositions{}, productIndex{}, err
	}
	idx, err := o.productIndex(ctx)
	return pos, idx, err
}

// stockChange decides PR3 for one linked product: the balance to write to Auvo, or false when
// Auvo already holds the balance Ponte last wrote. It is pure.
func stockChange(l store.Link, balance float64) (float64, bool) {
	if l.State != store.LinkActive {
		return 0, false
	}
	b := quantity(balance)
	return b, readProductSync(l).Stock != b
}

// runStock keeps the balance of the chosen stock location in the stock of each linked Auvo
// product (PR3), writing only the products whose balance moved: one PATCH each. Products not
// linked yet are the product flow's; it creates them with their balance.
func runStock(ctx context.Context, c *cycle, r *run) error {
	o, ok := newOpsRun(c, r)
	if !ok {
		return nil
	}
	pos, idx, err := o.location(ctx)
	if err != nil {
		return err
	}
	for _, id := range pos.ids {
		l, ok := idx.byERP[id]
		if !ok {
			continue
		}
		r.counts.Read++
		b, change := stockChange(l, pos.byID[id].NSaldo)
		if !change {
			continue
		}
		res, err := o.stock(ctx, l, b)
		if _, err = o.finish(res, err); err != nil {
			return err
		}
	}
	return nil
}

func (o *opsRun) stock(ctx context.Context, l store.Link, balance float64) (record, error) {
	last := readProductSync(l)
	res := record{d: Decision{Action: store.ActionUpdated, Reason: ReasonStockUpdated}, auvoID: l.AuvoID, erpID: l.ERPID,
		name: l.Name, detail: formatQuantity(last.Stock) + " → " + formatQuantity(balance)}
	code := last.Code
	if code == "" {
		code = l.AuvoID
	}
	if o.pv == nil {
		if _, err := o.api.PatchProduct(ctx, code, []auvo.PatchOp{auvo.Replace("totalStock", auvo.DecimalFromFloat(balance))}); err != nil {
			return res, err
		}
	}
	last.Stock = balance
	l.Synced = last.String()
	return res, o.save(ctx, res, l)
}

func formatQuantity(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
