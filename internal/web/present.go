package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/store"
)

// The words and formats people read on the portal instead of the codes the store keeps (issue 17).

// when is a moment as the pages show it: how long ago (or in how long), then the date and hour
// in Brasília, saying the zone, so a reader in another zone is not misled.
func when(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s <small class="muted"><span class="sep">· </span>%s (Brasília)</small></time>`,
		t.In(brasilia).Format(time.RFC3339), template.HTMLEscapeString(relative(t, time.Now())),
		t.In(brasilia).Format("02/01/2006 15:04")))
}

// relative is "há 3 min" for the past and "em 12 s" for the future.
func relative(t, now time.Time) string {
	d := now.Sub(t)
	past := d >= 0
	if !past {
		d = -d
	}
	var s string
	switch {
	case d < 5*time.Second:
		return "agora"
	case d < time.Minute:
		s = fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		s = fmt.Sprintf("%d dias", int(d.Hours()/24))
	}
	if past {
		return "há " + s
	}
	return "em " + s
}

// duration is how long something took: "4 s", "2 min 05 s"; "em andamento" while it runs.
func duration(start, end time.Time) string {
	if end.IsZero() {
		return "em andamento"
	}
	d := end.Sub(start).Round(time.Second)
	switch {
	case d < time.Second:
		return "menos de 1 s"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}

// period is the sync interval in words: "15 segundos", "10 minutos".
func period(d time.Duration) string {
	switch {
	case d <= 0:
		return "10 minutos"
	case d < time.Minute:
		return plural(int(d.Seconds()), "segundo", "segundos")
	case d < time.Hour:
		return plural(int(d.Minutes()), "minuto", "minutos")
	}
	return plural(int(d.Hours()), "hora", "horas")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// entityLabel names the kind of record a link or lock is about.
func entityLabel(e store.Entity) string {
	switch e {
	case store.EntityCustomer:
		return "Cliente"
	case store.EntityProduct:
		return "Produto"
	case store.EntityService:
		return "Serviço"
	case store.EntityTaskOS:
		return "Tarefa (ordem de serviço)"
	case store.EntityTaskOrder:
		return "Tarefa (pedido de venda)"
	case store.EntityQuote:
		return "Orçamento"
	case store.EntityQuoteOrder:
		return "Orçamento (pedido de venda)"
	case store.EntityQuoteOS:
		return "Orçamento (ordem de serviço)"
	}
	return "Registro"
}

// auditLabels name the audit log's actions; the log's detail already says the rest in words.
var auditLabels = map[string]string{
	"account.created":      "Conta criada",
	"activation.approved":  "Ativação interna feita",
	"activation.requested": "Ativação pedida",
	"activation.returned":  "Devolvida ao cliente",
	"config.saved":         "Configuração salva",
	"demo.created":         "Demonstração preparada",
	"demo.restarted":       "Demonstração reiniciada",
	"flow.disabled":        "Fluxo desligado",
	"flow.enabled":         "Fluxo ligado",
	"integration.created":  "Integração criada",
	"integration.paused":   "Integração pausada",
	"integration.resumed":  "Integração retomada",
	"lock.released":        "Trava liberada",
	"oauth.connected":      "Conta do ERP conectada",
	"operator.created":     "Operador criado",
	"password.resent":      "Senha reenviada",
}

// auditLabel is the action's name, "" for an action this list does not know yet (the detail is
// then shown alone: a code is never shown).
func auditLabel(action string) string { return auditLabels[action] }

// document is a CPF or CNPJ with its usual punctuation; what does not parse is shown as stored.
func document(s string) string {
	if d, err := br.ParseDocument(s); err == nil {
		return d.Formatted()
	}
	return s
}

// countsText says what a run or cycle did, leaving out what it did not: "12 lidos · 3 criados".
func countsText(c store.Counts) string {
	parts := []string{plural(c.Read, "lido", "lidos")}
	for _, p := range []struct {
		n         int
		one, many string
	}{{c.Created, "criado", "criados"}, {c.Linked, "vinculado", "vinculados"}, {c.Updated, "atualizado", "atualizados"},
		{c.Skipped, "não integrado", "não integrados"}, {c.Failed, "com falha", "com falha"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.one, p.many))
		}
	}
	if len(parts) == 1 && c.Read == 0 {
		return "nada novo"
	}
	return strings.Join(parts, " · ")
}

// statusBadge is the badge class of a cycle's or run's status.
func statusBadge(status string) string {
	switch status {
	case "done":
		return "ok"
	case "failed":
		return "erro"
	case "running":
		return "unchanged"
	}
	return "atencao"
}
