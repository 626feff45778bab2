package web

import (
	"context"
	"encoding/csv"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

var nextPageRE = regexp.MustCompile(`href="([^"]+)" id="next-page"`)

// nextPage is the "Próximos" link of a run-log page.
func nextPage(t *testing.T, r resp) string {
	t.Helper()
	m := nextPageRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no next page in:\n%s", r.body)
	}
	return html.UnescapeString(m[1])
}

// OP3: the run log finds what people type, pages by keyset to the end and says when a page is
// past it, filters by date, refuses bad input with a message (never HTTP 500) and exports
// exactly the filtered view as CSV for Excel in Portuguese.
func TestRunLogOP3(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	c := a.client
	ctx := context.Background()
	tenant, id := a.user.TenantID, a.in.ID
	day := time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC) // 12:00 in Brasília
	for i, o := range []store.Outcome{
		{Action: store.ActionCreated, Name: "Pão de Açúcar Comércio", Document: "61823860000110", AuvoID: "7001", ERPID: "8001"},
		{Action: store.ActionSkipped, Reason: "address_pattern", Name: "=HYPERLINK(\"x\")", Document: "123.456.789-09", AuvoID: "7002"},
	} {
		o.TenantID, o.IntegrationID, o.RunID, o.Flow, o.At = tenant, id, a.run, store.FlowCustomersToERP, day.Add(time.Duration(i)*24*time.Hour)
		o.Message = "Mensagem " + o.Name
		if _, err := e.st.InsertOutcome(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 120 {
		o := store.Outcome{TenantID: tenant, IntegrationID: id, RunID: a.run, Flow: store.FlowCustomersToAuvo,
			Action: store.ActionSkipped, Reason: "no_document", Name: "Lote " + strconv.Itoa(i), ERPID: strconv.Itoa(5000 + i),
			At: day.AddDate(0, 0, -10).Add(time.Duration(i) * time.Minute)}
		if _, err := e.st.InsertOutcome(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	base := "/integrations/" + strconv.FormatInt(int64(id), 10) + "/records"
	rows := func(r resp) int { return strings.Count(r.body, `class="outcome `) }

	for _, q := range []string{"pao", "PÃO de acucar", "açúcar", "61.823.860/0001-10", "61823860000110", "7001"} {
		r := c.get(base + "?q=" + url.QueryEscape(q))
		if r.status != 200 || rows(r) != 1 || !strings.Contains(r.body, "Pão de Açúcar Comércio") || !strings.Contains(r.body, "1 registro(s).") {
			t.Errorf("OP3 search %q: status %d, %d rows", q, r.status, rows(r))
		}
	}
	if r := c.get(base + "?q=12345678909"); rows(r) != 1 || !strings.Contains(r.body, "HYPERLINK") {
		t.Errorf("OP3 CPF by digits: %d rows", rows(r))
	}

	// Over-long and broken input get a message next to the field, not a 500.
	long := strings.Repeat("x", 50010)
	r := c.get(base + "?q=" + long)
	if r.status != 400 || !strings.Contains(r.body, "A busca aceita até 100 caracteres") || rows(r) != 0 {
		t.Errorf("OP3 over-long search: status %d", r.status)
	}
	r = c.get(base + "?from=31/02/2026&to=ontem")
	if r.status != 400 || strings.Count(r.body, "Data inválida") != 2 {
		t.Errorf("bad dates: status %d\n%s", r.status, r.body)
	}
	r = c.get(base + "?from=2026-11-12&to=2026-11-01")
	if r.status != 400 || !strings.Contains(r.body, "A data final deve ser igual ou posterior à inicial.") {
		t.Errorf("reversed dates: status %d", r.status)
	}
	r = c.get(base + "?flow=nada&action=%00&reason=DROP+TABLE&run=-1&after=abc&p=zz")
	if r.status != 200 || !strings.Contains(r.body, "Filtro não reconhecido e ignorado: fluxo, resultado, motivo, execução, página.") ||
		!strings.Contains(r.body, "124 registro(s).") {
		t.Errorf("garbage filters: status %d\n%s", r.status, r.body)
	}

	// Date range in Brasília days: 11/11 holds the CPF record only; 10/11 to 11/11 both.
	if r := c.get(base + "?from=2026-11-11&to=2026-11-11"); rows(r) != 1 || !strings.Contains(r.body, "HYPERLINK") {
		t.Errorf("OP3 one day: %d rows", rows(r))
	}
	if r := c.get(base + "?from=10/11/2026&to=11/11/2026"); rows(r) != 2 || !strings.Contains(r.body, "2 registro(s).") {
		t.Errorf("OP3 two days: %d rows", rows(r))
	}

	// Keyset pages: 122 skipped = 50 + 50 + 22, then past the end.
	r = c.get(base + "?action=skipped")
	if rows(r) != 50 || !strings.Contains(r.body, "122 registro(s).") {
		t.Fatalf("page 1: %d rows", rows(r))
	}
	p2 := nextPage(t, r)
	r = c.get(p2)
	if rows(r) != 50 || !strings.Contains(r.body, "Página 2.") || !strings.Contains(r.body, `id="first-page"`) {
		t.Fatalf("page 2: %d rows", rows(r))
	}
	r = c.get(nextPage(t, r))
	if rows(r) != 22 || strings.Contains(r.body, `id="next-page"`) || !strings.Contains(r.body, "Lote 0<") {
		t.Fatalf("page 3: %d rows", rows(r))
	}
	// A cursor older than everything: past the end, said so.
	r = c.get(base + "?action=skipped&after=" + store.OutcomeCursor{At: day.AddDate(-1, 0, 0), ID: 1}.String())
	if r.status != 200 || rows(r) != 0 || !strings.Contains(r.body, "esta página fica depois do fim da lista") {
		t.Errorf("OP3 past the end: %d\n%s", r.status, r.body)
	}

	// CSV of exactly the filtered view: BOM, ';', header, one line per row, formulas defused.
	exp := c.get(base + ".csv?action=skipped&flow=" + string(store.FlowCustomersToERP))
	if exp.status != 200 || !strings.HasPrefix(exp.body, "\uFEFF") {
		t.Fatalf("OP3 export: %d %q", exp.status, exp.body[:min(20, len(exp.body))])
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(exp.body, "\uFEFF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 3 || recs[0][0] != "Data e hora" || recs[0][8] != "Código no Omie" {
		t.Fatalf("OP3 export rows %v %v", recs, err)
	}
	if recs[2][5] != `'=HYPERLINK("x")` || recs[2][6] != "123.456.789-09" || recs[2][0] != "11/11/2026 12:00" || recs[2][2] != "não integrado" {
		t.Errorf("OP3 export line %v", recs[2])
	}
	if recs[1][5] != "Cliente Secreto Dois" { // newest first, as on the page
		t.Errorf("OP3 export order %v", recs[1])
	}
	all := c.get(base + ".csv")
	if n := strings.Count(all.body, "\n"); n != 125 {
		t.Errorf("OP3 export of everything: %d lines", n)
	}
	empty := c.get(base + ".csv?q=ninguem-tem-este-nome")
	if empty.status != 200 || strings.Count(empty.body, "\n") != 1 {
		t.Errorf("OP3 empty export: %d %q", empty.status, empty.body)
	}
	if r := c.get(base + ".csv?q=" + long); r.status != 400 {
		t.Errorf("over-long export: %d", r.status)
	}
	// The page's export link carries the filter.
	r = c.get(base + "?action=skipped&q=lote")
	if !strings.Contains(r.body, `href="`+base+`.csv?action=skipped&amp;q=lote"`) {
		t.Errorf("export link:\n%s", r.body)
	}
}
