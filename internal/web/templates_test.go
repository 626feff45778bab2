package web

import (
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// Every template is rendered through its handler; a template file added without a page here
// fails the test.
func TestEveryTemplateRendered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	a := seedTenantA(t, e)
	op := e.operator("suporte@ponte.local")
	anon := e.client()
	id := "/integrations/" + strconv.FormatInt(int64(a.in.ID), 10)
	pages := map[string]struct {
		c      *client
		path   string
		status int
		want   string
	}{
		"layout.html":       {anon, "/", 200, `<nav>`},
		"home.html":         {a.client, "/", 200, "Adicionar outra integração"},
		"signup.html":       {anon, "/signup", 200, "Nome do usuário (nome da empresa)"},
		"login.html":        {anon, "/login", 200, "Ainda não tenho cadastro"},
		"password.html":     {a.client, "/password", 200, "Senha atual"},
		"resend.html":       {anon, "/password/resend", 200, "Enviar de novo"},
		"forgot.html":       {anon, "/password/forgot", 200, "Enviar link"},
		"integration.html":  {a.client, id, 200, "Testar conexão"},
		"flows.html":        {a.client, id + "/flows", 200, "Próxima execução"},
		"runs.html":         {a.client, id + "/runs", 200, "concluída"},
		"records.html":      {a.client, id + "/records", 200, "Cliente sem CPF/CNPJ — não integrado"},
		"audit.html":        {a.client, id + "/audit", 200, "Histórico de alterações"},
		"operator.html":     {op, "/operator", 200, "Empresa A Secreta"},
		"locks.html":        {op, "/operator/locks", 200, "Cliente Travado Secreto"},
		"outbox.html":       {op, "/operator/outbox", 200, "Caixa de saída"},
		"error.html":        {a.client, "/nao-existe", http.StatusNotFound, "Página não encontrada."},
		"ops_partials.html": {a.client, id, 200, "Sincronizar agora"},
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimPrefix(f, "templates/")
		p, ok := pages[name]
		if !ok {
			t.Errorf("template %s is rendered by no test", name)
			continue
		}
		r := p.c.get(p.path)
		if r.status != p.status || !strings.Contains(r.body, p.want) {
			t.Errorf("%s via %s: %d, want %d with %q", name, p.path, r.status, p.status, p.want)
		}
	}
	if len(files) != len(pages) {
		t.Errorf("%d templates, %d pages listed", len(files), len(pages))
	}
}
