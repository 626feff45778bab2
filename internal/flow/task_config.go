package flow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/store"
)

// Unavailable says whether flow f of integration in cannot run with its configuration, and why,
// in Portuguese for the flows page: task integration turned off with status X (S2, K1),
// quotation integration turned off with X (S5, Q1), a missing bank account, category or stock
// location (S7–S9), or an ERP without the flow (F1). The customer flows are always available.
// It is pure: the engine checks it before each run, and the portal shows the same words.
func Unavailable(in store.Integration, f store.Flow) (reason string, off bool) {
	switch f {
	case store.FlowProducts, store.FlowStock, store.FlowTasks, store.FlowQuotes:
	default:
		return "", false
	}
	if in.ERP != store.Omie {
		return "Fluxo disponível apenas na integração com o Omie.", true
	}
	cfg := in.Config
	switch f {
	case store.FlowTasks:
		if isOff(cfg.TaskStatus) {
			return "Integração de tarefas desligada: o status da tarefa configurado é X.", true
		}
		if _, problem := taskFilter(cfg); problem != "" {
			return problem, true
		}
	case store.FlowQuotes:
		name := strings.TrimSpace(cfg.QuoteStatus)
		switch {
		case isOff(name):
			return "Integração de orçamentos desligada: o nome do status dos orçamentos configurado é X.", true
		case name == "":
			return "Informe o nome do status dos orçamentos (ou X para não integrar orçamentos).", true
		case br.Fold(name) == "todos":
			return "O status “Todos” não serve: informe o nome exato de um status de orçamento do Auvo.", true
		}
	}
	if f == store.FlowTasks || f == store.FlowQuotes {
		if cfg.BankAccount == 0 {
			return "Escolha a conta corrente do Omie na configuração da integração.", true
		}
		if strings.TrimSpace(cfg.Category) == "" {
			return "Escolha a categoria do Omie na configuração da integração.", true
		}
	}
	if cfg.StockLocation == 0 {
		return "Escolha o local de estoque do Omie na configuração da integração.", true
	}
	return "", false
}

func isOff(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "X") }

// taskFilter is the Auvo task-list filter of settings S2–S4 (K1): the status code is Auvo's own
// task-list status filter, the type and the customer group are Auvo ids. The error is the
// problem, when the settings are unusable, is Unavailable's words.
func taskFilter(cfg store.Config) (f auvo.TaskFilter, problem string) {
	st := strings.TrimSpace(cfg.TaskStatus)
	code, err := strconv.Atoi(st)
	if err != nil || len(st) != 1 || code < auvo.StatusUnfinished || code > auvo.StatusStartedOrFinished {
		return f, fmt.Sprintf("Informe um único código de status da tarefa, de 0 a 6, ou X para não integrar tarefas (está %q).", st)
	}
	f.Status = &code
	if f.Type, err = optionalID(cfg.TaskType); err != nil {
		return f, fmt.Sprintf("O código do tipo das tarefas deve ser um número (está %q).", cfg.TaskType)
	}
	if f.CustomerGroupID, err = optionalID(cfg.CustomerGroup); err != nil {
		return f, fmt.Sprintf("O código do grupo de clientes das tarefas deve ser um número (está %q).", cfg.CustomerGroup)
	}
	return f, ""
}

func optionalID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not an id: %q", s)
	}
	return n, nil
}
