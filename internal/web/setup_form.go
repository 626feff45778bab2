package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// setupForm is the setup page as typed (SPEC S1–S9). Secrets are typed here but never written
// back into a page (S11).
type setupForm struct {
	AuvoAPIKey, AuvoAPIToken                         string
	TaskStatus, TaskType, CustomerGroup, QuoteStatus string
	OmieAppKey, OmieAppSecret                        string
	BankAccount, Category, StockLocation             string
}

// secretFields are the form fields holding credentials: masked, kept sealed across a re-render.
var secretFields = []string{"auvo_api_key", "auvo_api_token", "omie_app_key", "omie_app_secret"}

func (f *setupForm) secret(field string) *string {
	switch field {
	case "auvo_api_key":
		return &f.AuvoAPIKey
	case "auvo_api_token":
		return &f.AuvoAPIToken
	case "omie_app_key":
		return &f.OmieAppKey
	case "omie_app_secret":
		return &f.OmieAppSecret
	}
	return nil
}

// parseSetup reads the form; values that cannot be stored (bad UTF-8, control characters, too
// long) are errors on their field.
func parseSetup(r *http.Request) (setupForm, fieldErrors) {
	errs := fieldErrors{}
	get := func(name string, max int) string {
		v, msg := cleanText(r.PostFormValue(name), max)
		if msg != "" {
			errs.add(name, msg)
			return ""
		}
		return v
	}
	f := setupForm{
		AuvoAPIKey: get("auvo_api_key", 200), AuvoAPIToken: get("auvo_api_token", 200),
		TaskStatus: get("task_status", 40), TaskType: get("task_type", 40), CustomerGroup: get("customer_group", 40),
		QuoteStatus: get("quote_status", 100),
		OmieAppKey:  get("omie_app_key", 200), OmieAppSecret: get("omie_app_secret", 200),
		BankAccount: get("bank_account", 40), Category: get("category", 40), StockLocation: get("stock_location", 40),
	}
	return f, errs
}

// formFromIntegration fills the form with what is saved (secrets stay out).
func formFromIntegration(in store.Integration) setupForm {
	c := in.Config
	f := setupForm{TaskStatus: c.TaskStatus, TaskType: c.TaskType, CustomerGroup: c.CustomerGroup, QuoteStatus: c.QuoteStatus,
		Category: c.Category}
	if c.BankAccount != 0 {
		f.BankAccount = strconv.FormatInt(c.BankAccount, 10)
	}
	if c.StockLocation != 0 {
		f.StockLocation = strconv.FormatInt(c.StockLocation, 10)
	}
	return f
}

// Messages of the S2–S5 rules, in the words of the setup guide.
const (
	msgTaskStatus    = "Informe apenas um código de status (0 a 6) ou X para não integrar tarefas."
	msgTaskType      = "Informe apenas um código de tipo de tarefa (só números) ou deixe em branco para integrar todos os tipos."
	msgCustomerGroup = "Informe apenas um código de grupo de clientes (só números) ou deixe em branco para integrar tarefas de todos os grupos."
	msgQuoteStatus   = "Informe o nome do status dos orçamentos exatamente como no Auvo, ou X para não integrar orçamentos."
	msgQuoteTodos    = "“Todos” não é um status de orçamento: digite o nome de um status do Auvo (por exemplo, Aprovado) ou X para não integrar orçamentos."
)

// checkTaskStatus applies S2: exactly one code 0–6, or X. It returns the stored form.
func checkTaskStatus(s string) (string, string) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "x") {
		return "X", ""
	}
	if len(s) == 1 && s[0] >= '0' && s[0] <= '6' {
		return s, ""
	}
	return s, msgTaskStatus
}

// checkCode applies S3/S4: empty, or one numeric Auvo id.
func checkCode(s, msg string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n <= 0 {
		return s, msg
	}
	return s, ""
}

// checkQuoteStatus applies S5: a stage name, or X; the pseudo-status Todos is refused.
func checkQuoteStatus(s string) (string, string) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		return s, msgQuoteStatus
	case strings.EqualFold(s, "x"):
		return "X", ""
	case fold(s) == "todos" || fold(s) == "todas":
		return s, msgQuoteTodos
	}
	return s, ""
}

// fold lower-cases and strips accents, for comparisons people expect to be loose.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// check applies the rules that need no partner call. Secrets have already been resolved (typed,
// kept from the previous attempt, or saved).
func (f *setupForm) check(erp store.ERP, errs fieldErrors) {
	if f.AuvoAPIKey == "" {
		errs.add("auvo_api_key", "Informe a APP Key do Auvo (menu Integrações do Auvo).")
	}
	if f.AuvoAPIToken == "" {
		errs.add("auvo_api_token", "Informe o APP Token do Auvo (menu Integrações do Auvo).")
	}
	if erp != store.Omie {
		return
	}
	var msg string
	if f.TaskStatus, msg = checkTaskStatus(f.TaskStatus); msg != "" {
		errs.add("task_status", msg)
	}
	if f.TaskType, msg = checkCode(f.TaskType, msgTaskType); msg != "" {
		errs.add("task_type", msg)
	}
	if f.CustomerGroup, msg = checkCode(f.CustomerGroup, msgCustomerGroup); msg != "" {
		errs.add("customer_group", msg)
	}
	if f.QuoteStatus, msg = checkQuoteStatus(f.QuoteStatus); msg != "" {
		errs.add("quote_status", msg)
	}
	if f.OmieAppKey == "" {
		errs.add("omie_app_key", "Informe a APP Key do Omie (developer.omie.com.br/my-apps).")
	}
	if f.OmieAppSecret == "" {
		errs.add("omie_app_secret", "Informe o APP Secret do Omie (developer.omie.com.br/my-apps).")
	}
}

// partnerMessage turns a failed partner call into what the user reads (SPEC V3: the partner's
// own message is shown).
func partnerMessage(label string, err error) string {
	var pe *partner.Error
	if !errors.As(err, &pe) {
		return "Não foi possível falar com o " + label + " agora. Tente de novo em instantes."
	}
	msg := pe.Message
	switch pe.Kind {
	case partner.KindAuth:
		if msg == "" {
			msg = "O " + label + " recusou as chaves informadas. Confira-as e tente de novo."
		}
		return msg
	case partner.KindThrottled, partner.KindBlocked:
		return "O " + label + " pediu para esperar antes de novas chamadas (" + msg + "). Tente de novo em alguns minutos."
	case partner.KindTransient:
		return "O " + label + " não respondeu agora (" + msg + "). Tente de novo em instantes."
	}
	if msg == "" {
		msg = pe.Error()
	}
	return "O " + label + " respondeu: " + msg
}
