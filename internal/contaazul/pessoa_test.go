package contaazul_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

func cliente(nome, cpf string) contaazul.Pessoa {
	return contaazul.Pessoa{Nome: nome, TipoPessoa: "Física", Documento: cpf, Ativo: true,
		Perfis: []contaazul.Perfil{{TipoPerfil: "Cliente"}}}
}

// TestPagingToTheEnd: PessoaPages walks {totalItems, items} pages of tamanho_pagina until the
// last one, every person exactly once, with no extra call.
func TestPagingToTheEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	r := rand.New(rand.NewPCG(1, 1))
	want := map[string]bool{}
	for i := range 25 {
		p := e.seed(t, cliente(fmt.Sprintf("Pessoa %02d", i), br.GenerateCPF(r)))
		want[p.ID] = true
	}
	var pages int
	got := map[string]bool{}
	for page, err := range e.client.PessoaPages(context.Background(), contaazul.PessoaFilter{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if page.Total != 25 {
			t.Fatalf("totalItems = %d", page.Total)
		}
		for _, p := range page.Items {
			if got[p.ID] {
				t.Fatalf("%s listed twice", p.ID)
			}
			got[p.ID] = true
		}
	}
	if pages != 3 || len(got) != len(want) {
		t.Fatalf("%d pages, %d people; want 3 pages, %d people", pages, len(got), len(want))
	}
	if n := e.calls("GET /v1/pessoas"); n != 3 {
		t.Fatalf("%d list calls, want 3", n)
	}
}

// TestChangedSince proves the incremental read of DESIGN step 2: data_alteracao_de returns the
// people edited at or after the cursor, using the modification time Conta Azul keeps.
func TestChangedSince(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	r := rand.New(rand.NewPCG(2, 2))
	var ids []string
	for i := range 5 {
		ids = append(ids, e.seed(t, cliente(fmt.Sprintf("Antigo %d", i), br.GenerateCPF(r))).ID)
	}
	e.clk.Advance(time.Hour)
	cursor := e.clk.Now()
	e.clk.Advance(time.Minute)
	if _, err := e.sb.EditPessoa(e.acc.ID, ids[3], func(p *contaazul.Pessoa) { p.Observacao = "mudou" }); err != nil {
		t.Fatal(err)
	}
	page, err := e.client.ListPessoas(context.Background(), contaazul.PessoaFilter{ChangedSince: cursor}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != ids[3] {
		t.Fatalf("changed since cursor: %+v", page)
	}
	changed, err := page.Items[0].ChangedAt()
	if err != nil || !changed.Equal(cursor.Add(time.Minute)) {
		t.Fatalf("ChangedAt = %v, %v; want %v", changed, err, cursor.Add(time.Minute))
	}
}

// TestFindByDocumentAndProfiles: the document filter finds a person whatever the punctuation,
// and perfis come back so rule C-E6 can tell a client from a supplier-only person.
func TestFindByDocumentAndProfiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	r := rand.New(rand.NewPCG(3, 3))
	cnpj := br.GenerateCNPJ(r)
	both := e.seed(t, contaazul.Pessoa{Nome: "Auto Peças Ltda", TipoPessoa: "Jurídica", Documento: cnpj, Ativo: true,
		Perfis: []contaazul.Perfil{{TipoPerfil: "Fornecedor"}, {TipoPerfil: "Cliente"}}})
	e.seed(t, contaazul.Pessoa{Nome: "Só Fornecedor Ltda", TipoPessoa: "Jurídica", Documento: br.GenerateCNPJ(r), Ativo: true,
		Perfis: []contaazul.Perfil{{TipoPerfil: "Fornecedor"}}})
	formatted := cnpj[:2] + "." + cnpj[2:5] + "." + cnpj[5:8] + "/" + cnpj[8:12] + "-" + cnpj[12:]
	found, err := e.client.FindPessoasByDocument(context.Background(), formatted)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != both.ID || found[0].Documento != formatted {
		t.Fatalf("found %+v", found)
	}
	if !found[0].HasProfile(contaazul.PerfilCliente) || !found[0].HasProfile(contaazul.PerfilFornecedor) {
		t.Fatalf("perfis = %+v", found[0].Perfis)
	}
	page, err := e.client.ListPessoas(context.Background(), contaazul.PessoaFilter{Profile: contaazul.PerfilCliente}, 1)
	if err != nil || page.Total != 1 || page.Items[0].ID != both.ID {
		t.Fatalf("tipo_perfil=Cliente: %+v, %v", page, err)
	}
}

// TestCreateGetPatch: create sends cpf/cnpj, perfis and enderecos; get returns the bare object;
// PATCH changes only what it carries (C-A8 fields) and moves data_alteracao.
func TestCreateGetPatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	ctx := context.Background()
	cpf := br.GenerateCPF(rand.New(rand.NewPCG(4, 4)))
	id, err := e.client.CreatePessoa(ctx, contaazul.PessoaInput{TipoPessoa: contaazul.TipoFisica, Nome: "Maria Souza", CPF: cpf,
		Email: "maria@example.com", TelefoneCelular: "11987654321", Observacao: "portão azul",
		Enderecos: []contaazul.Endereco{{CEP: "01310100", Logradouro: "Avenida Paulista", Numero: "1000", Bairro: "Bela Vista",
			Cidade: "São Paulo", Estado: "SP", Pais: "Brasil"}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.client.GetPessoa(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Nome != "Maria Souza" || strings.ReplaceAll(strings.ReplaceAll(p.Documento, ".", ""), "-", "") != cpf ||
		!p.HasProfile(contaazul.PerfilCliente) || !p.Ativo || len(p.Enderecos) != 1 || p.Enderecos[0].CEP != "01310-100" {
		t.Fatalf("created %+v", p)
	}
	e.clk.Advance(time.Minute)
	email := "maria.souza@example.com"
	if err := e.client.PatchPessoa(ctx, id, contaazul.PessoaPatch{Email: &email}); err != nil {
		t.Fatal(err)
	}
	after, err := e.client.GetPessoa(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if after.Email != email || after.Observacao != "portão azul" || after.TelefoneCelular != "11987654321" ||
		len(after.Enderecos) != 1 || after.Nome != p.Nome {
		t.Fatalf("after PATCH %+v", after)
	}
	t0, _ := p.ChangedAt()
	t1, _ := after.ChangedAt()
	if !t1.After(t0) {
		t.Fatalf("data_alteracao %s → %s did not move", p.DataAlteracao, after.DataAlteracao)
	}
}

// TestErrors maps answers to partner error kinds (V3 shows the partner's message).
func TestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	ctx := context.Background()

	t.Run("404 is NotFound", func(t *testing.T) {
		_, err := e.client.GetPessoa(ctx, "00000000-0000-4000-8000-000000000000")
		if partner.KindOf(err) != partner.KindNotFound {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("400 is Invalid with the partner message", func(t *testing.T) {
		_, err := e.client.CreatePessoa(ctx, contaazul.PessoaInput{TipoPessoa: "Fisica", Nome: "Sem acento"})
		if partner.KindOf(err) != partner.KindInvalid || !strings.Contains(err.Error(), "tipo_pessoa") || partner.IsAmbiguous(err) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("page size outside the enum is refused before calling", func(t *testing.T) {
		before := e.calls("GET /v1/pessoas")
		_, err := e.client.ListPessoas(ctx, contaazul.PessoaFilter{PageSize: 15}, 1)
		if partner.KindOf(err) != partner.KindInvalid || e.calls("GET /v1/pessoas") != before {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("5xx on a read is Transient and retried", func(t *testing.T) {
		e.sb.Faults().Add(sandbox.Fault{Method: "GET /v1/pessoas/conta-conectada", Kind: sandbox.FaultError, Status: http.StatusServiceUnavailable, Count: 1})
		if _, err := e.client.ConnectedAccount(ctx); err != nil {
			t.Fatalf("one 503 then success: %v", err)
		}
		e.sb.Faults().Add(sandbox.Fault{Method: "GET /v1/pessoas/conta-conectada", Kind: sandbox.FaultError, Status: http.StatusInternalServerError, Count: 1})
		_, err := e.client.ConnectedAccount(ctx)
		if partner.KindOf(err) != partner.KindTransient || partner.IsAmbiguous(err) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("malformed answer is Transient", func(t *testing.T) {
		e.sb.Faults().Add(sandbox.Fault{Method: "GET /v1/pessoas", Kind: sandbox.FaultMalformed, Count: 1})
		_, err := e.client.ListPessoas(ctx, contaazul.PessoaFilter{}, 1)
		if partner.KindOf(err) != partner.KindTransient {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestCreateNeverBlind: a create that meets a server error is sent once and reported as
// ambiguous, and the document look-up the caller must do next finds what exists.
func TestCreateNeverBlind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	ctx := context.Background()
	cnpj := br.GenerateCNPJ(rand.New(rand.NewPCG(5, 5)))
	in := contaazul.PessoaInput{TipoPessoa: contaazul.TipoJuridica, Nome: "Padaria Central Ltda", CNPJ: cnpj}
	e.sb.Faults().Add(sandbox.Fault{Method: "POST /v1/pessoas", Kind: sandbox.FaultError, Status: http.StatusBadGateway, Count: 1})
	_, err := e.client.CreatePessoa(ctx, in)
	if !partner.IsAmbiguous(err) || partner.KindOf(err) != partner.KindTransient {
		t.Fatalf("err = %v, want ambiguous Transient", err)
	}
	if n := e.calls("POST /v1/pessoas"); n != 1 {
		t.Fatalf("create sent %d times", n)
	}
	found, err := e.client.FindPessoasByDocument(ctx, cnpj)
	if err != nil || len(found) != 0 {
		t.Fatalf("look-up after the failed create: %v, %v", found, err)
	}
	id, err := e.client.CreatePessoa(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	found, err = e.client.FindPessoasByDocument(ctx, cnpj)
	if err != nil || len(found) != 1 || found[0].ID != id {
		t.Fatalf("look-up after create: %+v, %v", found, err)
	}
}

// TestThrottlePerSecond: the 11th call within a second answers 429 (10/s per company); the
// client reports Throttled with the partner's Retry-After, and the call fits a second later.
func TestThrottlePerSecond(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{})
	e.connect(t)
	ctx := context.Background()
	for i := range 10 {
		if _, err := e.client.ListPessoas(ctx, contaazul.PessoaFilter{}, 1); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	_, err := e.client.ListPessoas(ctx, contaazul.PessoaFilter{}, 1)
	if partner.KindOf(err) != partner.KindThrottled || partner.RetryAfterOf(err) != time.Second {
		t.Fatalf("11th call: %v (retry after %v)", err, partner.RetryAfterOf(err))
	}
	e.clk.Advance(time.Second)
	if _, err := e.client.ListPessoas(ctx, contaazul.PessoaFilter{}, 1); err != nil {
		t.Fatalf("after a second: %v", err)
	}
}

// TestThrottlePerMinute: the 601st call within a minute answers 429 with the wait until the
// oldest call leaves the window. In a sliding window 10/s already implies 600/min, so the sandbox
// runs at the 20/s of the older copy of the limits page to reach the minute limit.
func TestThrottlePerMinute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{PerSecond: 20})
	e.connect(t)
	ctx := context.Background()
	for i := range 600 {
		e.clk.Advance(50 * time.Millisecond)
		if _, err := e.client.ConnectedAccount(ctx); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	e.clk.Advance(50 * time.Millisecond)
	_, err := e.client.ConnectedAccount(ctx)
	if partner.KindOf(err) != partner.KindThrottled || partner.RetryAfterOf(err) != 30*time.Second {
		t.Fatalf("601st call: %v (retry after %v), want Throttled for 30s", err, partner.RetryAfterOf(err))
	}
}

// TestLimiterKeepsUnderTheLimit: with the shared limiter, a burst of concurrent calls is paced
// to the published 10/s and meets no 429 (the sandbox runs on the real clock here).
func TestLimiterKeepsUnderTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, contaazulsandbox.Options{Now: time.Now})
	e.doer.Limiter = partner.NewLocalLimiter()
	e.connect(t)
	const n = 25
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := e.client.ConnectedAccount(context.Background())
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := e.calls("GET /v1/pessoas/conta-conectada"); got != n {
		t.Fatalf("%d calls reached the sandbox, want %d (none refused and resent)", got, n)
	}
}

// TestHasProfile is rule C-E6 as a table.
func TestHasProfile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		perfis []string
		want   bool
	}{
		{"C-E6 only Cliente", []string{"Cliente"}, true},
		{"C-E6 Cliente and Fornecedor", []string{"Fornecedor", "Cliente"}, true},
		{"C-E6 Cliente, Fornecedor and Transportadora", []string{"Transportadora", "Fornecedor", "Cliente"}, true},
		{"C-E6 only Fornecedor", []string{"Fornecedor"}, false},
		{"C-E6 Fornecedor and Transportadora", []string{"Fornecedor", "Transportadora"}, false},
		{"C-E6 no profile", nil, false},
		{"case is ignored", []string{"cliente"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p contaazul.Pessoa
			for _, pf := range tc.perfis {
				p.Perfis = append(p.Perfis, contaazul.Perfil{TipoPerfil: pf})
			}
			if got := p.HasProfile(contaazul.PerfilCliente); got != tc.want {
				t.Fatalf("HasProfile(Cliente) = %v", got)
			}
		})
	}
}
