package web

import (
	"context"
	"slices"
	"strconv"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/store"
)

// taskStatuses are the choices of S2: Auvo's task-list status codes, said in words, and X.
var taskStatuses = []option{
	{"X", "X – não integrar tarefas"},
	{"0", "0 – em aberto"},
	{"1", "1 – finalizadas automaticamente"},
	{"2", "2 – finalizadas manualmente"},
	{"3", "3 – finalizadas (automática ou manualmente)"},
	{"4", "4 – todas as tarefas"},
	{"5", "5 – finalizadas com pendências"},
	{"6", "6 – com check-in ou check-out"},
}

// auvoLists are the choices of S3–S5 loaded from Auvo: task types, customer groups and the
// quotation stages in use. Stages is empty when the account has no quotation yet; the field is
// then typed.
type auvoLists struct {
	TaskTypes, Groups, Stages []option
}

// loadAuvoLists reads the lists with the keys given. A failure leaves the fields as typed inputs.
func loadAuvoLists(ctx context.Context, c *auvo.Client) (*auvoLists, error) {
	var l auvoLists
	types, err := c.AllTaskTypes(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		l.TaskTypes = append(l.TaskTypes, option{strconv.FormatInt(t.ID, 10), strconv.FormatInt(t.ID, 10) + " – " + t.Description})
	}
	groups, err := c.AllCustomerGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		l.Groups = append(l.Groups, option{strconv.FormatInt(g.ID, 10), strconv.FormatInt(g.ID, 10) + " – " + g.Description})
	}
	stages, err := c.QuotationStages(ctx)
	if err != nil {
		return nil, err
	}
	if len(stages) > 0 {
		l.Stages = append(l.Stages, option{"X", "X – não integrar orçamentos"})
	}
	for _, s := range stages {
		l.Stages = append(l.Stages, option{s.Description, s.Description})
	}
	return &l, nil
}

// offered says whether v is among the options: a saved or typed value that is not is shown
// selected and flagged, never blanked (issue 17).
func offered(opts []option, v string) bool {
	return slices.ContainsFunc(opts, func(o option) bool { return o.Value == v })
}

// savedNames are the names Ponte stored with the Omie choices, to name a saved choice the
// company's lists no longer offer (a closed bank account, say).
func savedNames(c store.Config, f setupForm) map[string]string {
	out := map[string]string{}
	if c.BankAccount != 0 && f.BankAccount == strconv.FormatInt(c.BankAccount, 10) {
		out["bank_account"] = c.BankAccountName
	}
	if c.Category != "" && f.Category == c.Category {
		out["category"] = c.CategoryName // already "code · name", as the list shows it
	}
	if c.StockLocation != 0 && f.StockLocation == strconv.FormatInt(c.StockLocation, 10) {
		out["stock_location"] = c.StockLocationName
	}
	return out
}
