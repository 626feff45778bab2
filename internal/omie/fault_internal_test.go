package omie

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// The captured Omie fault bodies (testdata/omie-error-responses.json, from api/examples) map to
// the Kind the engine acts on.
func TestClassifyCapturedFaults(t *testing.T) {
	raw, err := os.ReadFile("testdata/omie-error-responses.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Case       string          `json:"case"`
		HTTPStatus int             `json:"http_status"`
		Body       json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 15, 19, 0, 0, 0, brasilia)
	want := map[string]struct {
		kind       partner.Kind
		retryAfter time.Duration
		ambiguous  bool // for a write
	}{
		"list_no_records_end_of_pagination":                    {kind: partner.KindNotFound},
		"consultar_cliente_not_found_by_id":                    {kind: partner.KindNotFound},
		"consultar_os_not_found_by_integration_code":           {kind: partner.KindNotFound},
		"listar_contas_correntes_none":                         {kind: partner.KindNotFound},
		"incluir_cliente_duplicate_integration_code":           {kind: partner.KindConflict},
		"incluir_cliente_duplicate_cpf_cnpj_faultcode_unknown": {kind: partner.KindInvalid},
		"field_validation":                                     {kind: partner.KindInvalid},
		"unknown_field_in_param_faultcode_unknown":             {kind: partner.KindInvalid},
		"same_request_already_processed_or_in_progress":        {kind: partner.KindThrottled, retryAfter: 4*time.Minute + 8*time.Second, ambiguous: true},
		"redundant_consumption_same_call_within_60s":           {kind: partner.KindThrottled, retryAfter: 16 * time.Second},
		"method_already_running_concurrency":                   {kind: partner.KindThrottled, retryAfter: defaultMethodBusy},
		"api_blocked_misuse_about_30_minutes":                  {kind: partner.KindBlocked, retryAfter: 1797 * time.Second},
		"invalid_app_key_faultcode_unknown":                    {kind: partner.KindAuth},
	}
	if len(cases) != len(want) {
		t.Fatalf("%d captured cases, %d expectations: a new sample needs an expectation", len(cases), len(want))
	}
	for _, c := range cases {
		t.Run(c.Case, func(t *testing.T) {
			w, ok := want[c.Case]
			if !ok {
				t.Fatalf("no expectation for %s", c.Case)
			}
			pe := classify(op{call: "IncluirCliente", write: true}, partner.Response{Status: c.HTTPStatus, Body: c.Body}, now)
			if pe == nil {
				t.Fatal("classified as success")
			}
			if pe.Kind != w.kind || pe.RetryAfter != w.retryAfter || pe.Ambiguous != w.ambiguous {
				t.Errorf("got kind %v retry %v ambiguous %v, want %v %v %v", pe.Kind, pe.RetryAfter, pe.Ambiguous,
					w.kind, w.retryAfter, w.ambiguous)
			}
			if pe.Message == "" || pe.Status != c.HTTPStatus || pe.Partner != PartnerName {
				t.Errorf("error lost Omie's answer: %+v", pe)
			}
		})
	}
}

// Answers that are not Omie faults: the kind follows the HTTP status and the body's shape.
func TestClassifyOtherAnswers(t *testing.T) {
	now := time.Now()
	read, write := op{call: "ListarClientes"}, op{call: "IncluirCliente", write: true}
	tests := []struct {
		name       string
		op         op
		status     int
		body       string
		header     http.Header
		kind       partner.Kind
		retryAfter time.Duration
		ambiguous  bool
	}{
		{"success", read, 200, `{"pagina":1}`, nil, 0, 0, false},
		{"fault inside a 200 is still an error", read, 200, `{"faultstring":"ERROR: Não existem registros para a página [2]!","faultcode":"SOAP-ENV:Client-5113"}`, nil, partner.KindNotFound, 0, false},
		{"HTML gateway error is transient", read, 502, `<html>Bad Gateway</html>`, nil, partner.KindTransient, 0, false},
		{"truncated 200 after a write is ambiguous", write, 200, `{"codigo_status":"0","codigo_cl`, nil, partner.KindTransient, 0, true},
		{"SOAP-ENV:Server is transient", read, 500, `{"faultstring":"ERROR: falha interna","faultcode":"SOAP-ENV:Server"}`, nil, partner.KindTransient, 0, false},
		{"429 without hint waits a minute", read, 429, `Too many requests`, nil, partner.KindThrottled, time.Minute, false},
		{"429 with Retry-After", read, 429, `{"faultstring":"Too many requests"}`, http.Header{"Retry-After": {"7"}}, partner.KindThrottled, 7 * time.Second, false},
		{"425 without text blocks 30 min", read, 425, ``, nil, partner.KindBlocked, 30 * time.Minute, false},
		{"403 without body is auth", read, 403, ``, nil, partner.KindAuth, 0, false},
		{"unknown client fault is invalid", read, 500, `{"faultstring":"ERROR: algo","faultcode":"SOAP-ENV:Client-9999"}`, nil, partner.KindInvalid, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := classify(tt.op, partner.Response{Status: tt.status, Header: tt.header, Body: []byte(tt.body)}, now)
			if tt.kind == 0 {
				if pe != nil {
					t.Fatalf("got %v, want success", pe)
				}
				return
			}
			if pe == nil {
				t.Fatal("classified as success")
			}
			if pe.Kind != tt.kind || pe.RetryAfter != tt.retryAfter || pe.Ambiguous != tt.ambiguous {
				t.Errorf("got kind %v retry %v ambiguous %v, want %v %v %v", pe.Kind, pe.RetryAfter, pe.Ambiguous,
					tt.kind, tt.retryAfter, tt.ambiguous)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 15, 19, 0, 0, 0, brasilia)
	tests := []struct {
		msg    string
		header string
		want   time.Duration
	}{
		{"ERROR: Consumo redundante detectado. Aguarde 16 segundos para tentar novamente (REDUNDANT).", "", 16 * time.Second},
		{"ERROR: API bloqueada por consumo indevido. Tente novamente em 1797 segundos.", "", 1797 * time.Second},
		{"ERROR: Aguarde 1 segundo", "", time.Second},
		{"… você pode tentar novamente às 19:04:08. (1)", "", 4*time.Minute + 8*time.Second},
		{"… tentar novamente às 18:59:00.", "", 23*time.Hour + 59*time.Minute}, // already past today: tomorrow
		{"Too many requests", "30", 30 * time.Second},
		{"Too many requests", "", time.Hour}, // the default
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := retryAfter(tt.msg, h, now, time.Hour); got != tt.want {
			t.Errorf("retryAfter(%q, %q) = %v, want %v", tt.msg, tt.header, got, tt.want)
		}
	}
}
