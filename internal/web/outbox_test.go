package web

import (
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/store"
)

// TestOutboxPage: without SMTP the e-mails of sign-up (SPEC P1) land in the outbox, and the
// operator page shows them decoded (accents and the password readable), newest first; tenants
// cannot open it (P5, P6: the messages carry passwords).
func TestOutboxPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	tenant := e.signUp("Refrigeração Ártico", "ana@artico.example")
	pw := e.lastPassword("ana@artico.example")

	op := e.operator("suporte@ponte.example")
	r := op.get("/operator/outbox")
	if r.status != 200 {
		t.Fatalf("outbox: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"ana@artico.example", pw, "Caixa de saída"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("outbox page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "=C3=") {
		t.Error("outbox page shows the quoted-printable encoding instead of the text")
	}
	if r := tenant.get("/operator/outbox"); r.status == 200 {
		t.Errorf("a tenant opened the outbox: %d", r.status)
	}
}
