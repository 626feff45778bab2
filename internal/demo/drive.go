package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// Play makes the changes a company's people would make between two cycles, once the Omie
// integration's first cycle has linked its customers, so the second cycle shows what the first
// cannot: updates both ways (C-A8, C-E9) and both kinds of trava (C-A7, C-E8). It returns what
// it changed, in Portuguese, or an error; it gives up when ctx ends first.
//
//   - an Auvo customer's phone changes: Auvo → Omie updates it;
//   - an Omie customer's e-mail changes: Omie → Auvo updates it;
//   - an Auvo customer's external code is erased: locked (C-A7);
//   - an Auvo customer is deleted and its Omie record changes afterwards: locked (C-E8).
func (dm *Demo) Play(ctx context.Context, poll time.Duration) ([]string, error) {
	links, err := dm.waitFirstCycle(ctx, poll)
	if err != nil {
		return nil, err
	}
	sb, key := dm.d.Sandboxes, auvosandbox.DemoAPIKey
	pairs := make([]struct{ auvo, omie int64 }, 0, 4)
	for _, l := range links {
		a, errA := strconv.ParseInt(l.AuvoID, 10, 64)
		o, errO := strconv.ParseInt(l.ERPID, 10, 64)
		if errA == nil && errO == nil && l.State == store.LinkActive {
			pairs = append(pairs, struct{ auvo, omie int64 }{a, o})
		}
		if len(pairs) == 4 {
			break
		}
	}
	if len(pairs) < 4 {
		return nil, fmt.Errorf("demo: the first cycle linked %d customers, 4 are needed to show updates and locks", len(pairs))
	}
	var did []string
	c, err := sb.Auvo.EditCustomer(key, pairs[0].auvo, func(c *auvo.Customer) { c.PhoneNumber = []string{"(11) 3456-7890"} })
	if err != nil {
		return did, err
	}
	did = append(did, "telefone de "+c.Description+" alterado no Auvo")
	o, err := sb.Omie.EditCustomer(dm.omieK, pairs[1].omie, func(c *omie.ClienteCadastro) { c.Email = "novo.contato@exemplo.com.br" })
	if err != nil {
		return did, err
	}
	did = append(did, "e-mail de "+o.NomeFantasia+" alterado no Omie")
	c, err = sb.Auvo.EditCustomer(key, pairs[2].auvo, func(c *auvo.Customer) { c.ExternalID = "" })
	if err != nil {
		return did, err
	}
	did = append(did, "código externo de "+c.Description+" apagado no Auvo")
	if err := sb.Auvo.DeleteCustomer(key, pairs[3].auvo); err != nil {
		return did, err
	}
	o, err = sb.Omie.EditCustomer(dm.omieK, pairs[3].omie, func(c *omie.ClienteCadastro) { c.Telefone1Numero = "30405060" })
	if err != nil {
		return did, err
	}
	did = append(did, o.NomeFantasia+" excluído no Auvo e alterado no Omie")
	return did, nil
}

// waitFirstCycle polls until the Omie integration has finished a cycle that left linked
// customers, and returns those links, oldest first.
func (dm *Demo) waitFirstCycle(ctx context.Context, poll time.Duration) ([]store.Link, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		cycles, err := dm.d.Store.Cycles(ctx, dm.Tenant, dm.Omie, 5)
		if err != nil {
			return nil, err
		}
		for _, c := range cycles {
			if c.FinishedAt.IsZero() || c.StartedAt.Before(dm.started) {
				continue
			}
			links, err := dm.d.Store.Links(ctx, dm.Tenant, dm.Omie, store.EntityCustomer)
			if err != nil {
				return nil, err
			}
			if len(links) > 0 {
				return links, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
