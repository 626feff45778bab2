package bling

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// TestAnswerError maps Bling's status codes and error types to partner kinds (api/bling.md §3).
func TestAnswerError(t *testing.T) {
	t.Parallel()
	validation := `{"error":{"type":"VALIDATION_ERROR","message":"Não foi possível salvar o contato.",
		"fields":[{"code":2,"msg":"O CPF informado é inválido","element":"numeroDocumento","namespace":"CONTATOS",
		"collection":[{"index":1,"code":12,"msg":"Tipo inválido","element":"tipo","namespace":"CONTATOS"}]}]}}`
	for _, tc := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		kind       partner.Kind
		code       string
		message    string // substring
		retryAfter time.Duration
	}{
		{"validation lists field messages", 400, nil, validation, partner.KindInvalid, "VALIDATION_ERROR",
			"Não foi possível salvar o contato: O CPF informado é inválido; Tipo inválido", 0},
		{"missing field", 400, nil, `{"error":{"type":"MISSING_REQUIRED_FIELD_ERROR","message":"Campo obrigatório"}}`,
			partner.KindInvalid, "MISSING_REQUIRED_FIELD_ERROR", "Campo obrigatório", 0},
		{"expired token", 401, nil, `{"error":{"type":"UNAUTHORIZED","message":"invalid_token"}}`, partner.KindAuth, "UNAUTHORIZED", "invalid_token", 0},
		{"missing scope", 403, nil, `{"error":{"type":"FORBIDDEN","message":"Sem permissão"}}`, partner.KindAuth, "FORBIDDEN", "escopo", 0},
		{"not found", 404, nil, `{"error":{"type":"RESOURCE_NOT_FOUND","message":"Recurso não encontrado"}}`, partner.KindNotFound, "RESOURCE_NOT_FOUND", "Recurso não encontrado", 0},
		{"throttled without Retry-After", 429, nil, `{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite"}}`, partner.KindThrottled, "TOO_MANY_REQUESTS", "Limite", time.Second},
		{"throttled with Retry-After", 429, http.Header{"Retry-After": {"7"}}, `{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite"}}`, partner.KindThrottled, "TOO_MANY_REQUESTS", "Limite", 7 * time.Second},
		{"server error page", 500, nil, `<html>Server Error</html>`, partner.KindTransient, "", "HTTP 500", 0},
		{"proxy page on a 4xx", 400, nil, `<html>Bad Request</html>`, partner.KindTransient, "", "HTTP 400", 0},
		{"error without message uses description", 400, nil, `{"error":{"type":"BAD_REQUEST","description":"Requisição mal formada"}}`, partner.KindInvalid, "BAD_REQUEST", "Requisição mal formada", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := answerError("GET /x", partner.Response{Status: tc.status, Header: tc.header, Body: []byte(tc.body)})
			if e.Kind != tc.kind || e.Code != tc.code || !strings.Contains(e.Message, tc.message) || e.RetryAfter != tc.retryAfter {
				t.Errorf("got kind %s code %q message %q retry %s; want %s %q %q %s",
					e.Kind, e.Code, e.Message, e.RetryAfter, tc.kind, tc.code, tc.message, tc.retryAfter)
			}
			if e.Partner != "bling" || e.Status != tc.status {
				t.Errorf("partner %q status %d", e.Partner, e.Status)
			}
		})
	}
}

// TestDocumentKey: numeroDocumento goes bare (api/bling.md §2), alphanumeric CNPJs keep letters.
func TestDocumentKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"123.456.789-10":     "12345678910",
		"11.222.333/0001-81": "11222333000181",
		"12.abc.345/01de-35": "12ABC34501DE35",
		" ":                  "",
	} {
		if got := DocumentKey(in); got != want {
			t.Errorf("DocumentKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFindType: type descriptions are matched without case or accents (SPEC C-E7 "Cliente").
func TestFindType(t *testing.T) {
	t.Parallel()
	types := []ContactType{{ID: 1, Description: "Fornecedor"}, {ID: 2, Description: "Técnico"}, {ID: 3, Description: "Cliente"}}
	for desc, want := range map[string]int64{"cliente": 3, " CLIENTE ": 3, "tecnico": 2, "Técnico": 2, "Transportador": 0} {
		got, ok := FindType(types, desc)
		if got.ID != want || ok != (want != 0) {
			t.Errorf("FindType(%q) = %+v, %v; want id %d", desc, got, ok, want)
		}
	}
}

// TestFormatTime: filters are written in Brasília time to the second [I].
func TestFormatTime(t *testing.T) {
	t.Parallel()
	in := time.Date(2026, 10, 6, 13, 0, 0, 0, time.UTC)
	if got := formatTime(in); got != "2026-10-06 10:00:00" {
		t.Errorf("formatTime = %q, want 2026-10-06 10:00:00", got)
	}
}

// Issue 22 item 5: the daily quota is not retried every second: it blocks until the quota
// resets at the next midnight in Brasília; the per-second limit stays a short throttle.
func TestDailyQuotaBlocksUntilMidnight(t *testing.T) {
	t.Parallel()
	body := `{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite de requisições atingido","description":"Limite diário de requisições atingido"}}`
	e := answerError("GET /contatos", partner.Response{Status: 429, Body: []byte(body)})
	want := time.Until(quotaReset(time.Now()))
	if e.Kind != partner.KindBlocked || e.Code != CodeDailyQuota || e.RetryAfter < want-time.Minute || e.RetryAfter > want+time.Minute {
		t.Fatalf("daily quota: kind %s code %q retry %s; want blocked %s for about %s", e.Kind, e.Code, e.RetryAfter, CodeDailyQuota, want)
	}
	perSecond := `{"error":{"type":"TOO_MANY_REQUESTS","message":"Limite de requisições atingido","description":"Limite de requisições por segundo atingido"}}`
	if e := answerError("GET /contatos", partner.Response{Status: 429, Body: []byte(perSecond)}); e.Kind != partner.KindThrottled {
		t.Fatalf("per-second limit: kind %s, want throttled", e.Kind)
	}
	for _, tc := range []struct{ now, want string }{
		{"2026-12-07T15:00:00-03:00", "2026-12-08T00:01:00-03:00"},
		{"2026-12-07T23:59:59-03:00", "2026-12-08T00:01:00-03:00"},
		{"2026-12-31T02:30:00Z", "2026-12-31T00:01:00-03:00"}, // 23:30 of the 30th in Brasília
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		want, _ := time.Parse(time.RFC3339, tc.want)
		if got := quotaReset(now); !got.Equal(want) {
			t.Errorf("quotaReset(%s) = %s, want %s", tc.now, got, want)
		}
	}
}
