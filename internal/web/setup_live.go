package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// option is one choice of a select.
type option struct{ Value, Label string }

// omieLists are the choices of S7–S9, loaded from Omie with the keys the user entered.
type omieLists struct {
	Accounts, Categories, Locations []option
}

func (l *omieLists) has(list []option, v string) bool {
	return slices.ContainsFunc(list, func(o option) bool { return o.Value == v })
}

func label(list []option, v string) string {
	for _, o := range list {
		if o.Value == v {
			return o.Label
		}
	}
	return ""
}

// maxListPages bounds the lists: a company with more than 5,000 bank accounts, categories or
// stock locations is not one Ponte serves.
const maxListPages = 50

// collect pages through one Omie list, keeping the options page returns, until the last page.
func collect(page func(p int) (opts []option, pages int, err error)) ([]option, error) {
	var out []option
	for p := 1; p <= maxListPages; p++ {
		opts, pages, err := page(p)
		if err != nil {
			return nil, err
		}
		out = append(out, opts...)
		if p >= pages {
			break
		}
	}
	return out, nil
}

// loadOmieLists loads the active bank accounts, income categories that take entries, and
// active stock locations of the company.
func loadOmieLists(ctx context.Context, c *omie.Client) (*omieLists, error) {
	var (
		l   omieLists
		err error
	)
	l.Accounts, err = collect(func(p int) ([]option, int, error) {
		res, err := c.ListarContasCorrentes(ctx, omie.ListarContasCorrentesRequest{Pagina: p, RegistrosPorPagina: 100})
		var opts []option
		for _, cc := range res.ListarContasCorrentes {
			if !cc.Inativo.Bool() {
				opts = append(opts, option{strconv.FormatInt(cc.NCodCC, 10), cc.Descricao})
			}
		}
		return opts, res.TotalDePaginas, err
	})
	if err != nil {
		return nil, err
	}
	l.Categories, err = collect(func(p int) ([]option, int, error) {
		res, err := c.ListarCategorias(ctx, omie.ListarCategoriasRequest{Pagina: p, RegistrosPorPagina: 100, FiltrarPorTipo: "R"})
		var opts []option
		for _, cat := range res.CategoriaCadastro {
			if !cat.ContaInativa.Bool() && !cat.Totalizadora.Bool() {
				opts = append(opts, option{cat.Codigo, cat.Codigo + " · " + cat.Descricao})
			}
		}
		return opts, res.TotalDePaginas, err
	})
	if err != nil {
		return nil, err
	}
	l.Locations, err = collect(func(p int) ([]option, int, error) {
		res, err := c.ListarLocaisEstoque(ctx, omie.ListarLocaisEstoqueRequest{NPagina: p, NRegPorPagina: 100})
		var opts []option
		for _, loc := range res.LocaisEncontrados {
			if !loc.Inativo.Bool() {
				opts = append(opts, option{strconv.FormatInt(loc.CodigoLocalEstoque, 10), loc.Descricao})
			}
		}
		return opts, res.NTotPaginas, err
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// live is what the partner calls of a setup attempt found.
type live struct {
	AuvoOK, OmieOK bool
	Lists          *omieLists
}

// verify checks the setup against the partners (S1, S3–S9): the Auvo keys log in, the task type,
// customer group and quotation status exist, the Omie keys answer and the chosen bank account,
// category and stock location are among the company's. Problems are added to errs, on their
// field. No database transaction is open here.
func (s *server) verify(ctx context.Context, erp store.ERP, f setupForm, errs fieldErrors) live {
	var res live
	cr := store.Credentials{AuvoAPIKey: f.AuvoAPIKey, AuvoAPIToken: f.AuvoAPIToken, OmieAppKey: f.OmieAppKey, OmieAppSecret: f.OmieAppSecret}
	if _, bad := errs["auvo_api_key"]; !bad && f.AuvoAPIKey != "" && f.AuvoAPIToken != "" && errs["auvo_api_token"] == "" {
		res.AuvoOK = s.verifyAuvo(ctx, erp, cr, f, errs)
	}
	if erp == store.Omie && f.OmieAppKey != "" && f.OmieAppSecret != "" && errs["omie_app_key"] == "" && errs["omie_app_secret"] == "" {
		c := s.Connector.Omie(cr)
		if err := c.Verify(ctx); err != nil {
			errs.add(omieKeyField(err), partnerMessage("Omie", err))
		} else {
			res.OmieOK = true
			lists, err := loadOmieLists(ctx, c)
			if err != nil {
				errs.add("omie_lists", "Não foi possível carregar as listas do Omie: "+partnerMessage("Omie", err))
			} else {
				res.Lists = lists
			}
		}
	}
	return res
}

func omieKeyField(err error) string {
	if partner.KindOf(err) == partner.KindAuth {
		return "omie_app_key"
	}
	return "omie_lists"
}

func (s *server) verifyAuvo(ctx context.Context, erp store.ERP, cr store.Credentials, f setupForm, errs fieldErrors) bool {
	c := s.Connector.Auvo(cr)
	if err := c.Login(ctx); err != nil {
		field := "auvo_api_key"
		if partner.KindOf(err) != partner.KindAuth {
			field = "auvo"
		}
		errs.add(field, partnerMessage("Auvo", err))
		return false
	}
	if erp != store.Omie {
		return true
	}
	if f.TaskType != "" && errs["task_type"] == "" {
		id, _ := strconv.ParseInt(f.TaskType, 10, 64)
		if _, err := c.GetTaskType(ctx, id); partner.KindOf(err) == partner.KindNotFound {
			errs.add("task_type", "O Auvo não tem tipo de tarefa com o código "+f.TaskType+". Confira em Cadastros > Tipos de tarefa.")
		} else if err != nil {
			errs.add("task_type", partnerMessage("Auvo", err))
		}
	}
	if f.CustomerGroup != "" && errs["customer_group"] == "" {
		groups, err := c.AllCustomerGroups(ctx)
		switch {
		case err != nil:
			errs.add("customer_group", partnerMessage("Auvo", err))
		case !slices.ContainsFunc(groups, func(g auvo.CustomerGroup) bool { return strconv.FormatInt(g.ID, 10) == f.CustomerGroup }):
			errs.add("customer_group", "O Auvo não tem grupo de clientes com o código "+f.CustomerGroup+". Confira em Cadastros > Grupos de clientes.")
		}
	}
	if f.QuoteStatus != "" && f.QuoteStatus != "X" && errs["quote_status"] == "" {
		stages, err := c.QuotationStages(ctx)
		if err != nil {
			errs.add("quote_status", partnerMessage("Auvo", err))
		} else if msg := checkStage(f.QuoteStatus, stageNames(stages)); msg != "" {
			errs.add("quote_status", msg)
		}
	}
	return true
}

// checkStage applies S5 "when it can": with no stage seen (no quotation yet) any name passes.
func checkStage(name string, stages []string) string {
	if len(stages) == 0 || slices.Contains(stages, name) {
		return ""
	}
	for _, st := range stages {
		if fold(st) == fold(name) {
			return "No Auvo o status se escreve “" + st + "”: digite exatamente assim."
		}
	}
	return "O Auvo não tem orçamentos no status “" + name + "”. Status encontrados: " + strings.Join(stages, ", ") + "."
}

func stageNames(stages []auvo.Stage) []string {
	out := make([]string, 0, len(stages))
	for _, s := range stages {
		out = append(out, s.Description)
	}
	return out
}
