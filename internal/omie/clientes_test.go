package omie_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
)

func newCliente(r *rand.Rand, code string) omie.ClienteCadastro {
	return omie.ClienteCadastro{
		CodigoClienteIntegracao: code,
		RazaoSocial:             "OFICINA DO AR LTDA",
		NomeFantasia:            "Oficina do Ar",
		CnpjCpf:                 br.GenerateCNPJ(r),
		Endereco:                "Rua das Acácias",
		EnderecoNumero:          "120",
		Complemento:             "Sala 4",
		Bairro:                  "Vila Mariana",
		Cidade:                  "SAO PAULO (SP)",
		Estado:                  "SP",
		Cep:                     "04101000",
		Telefone1DDD:            "11",
		Telefone1Numero:         "33334444",
		Email:                   "contato@oficinadoar.com.br",
		Tags:                    []omie.Tag{{Tag: "Cliente"}},
		Recomendacoes:           &omie.Recomendacoes{GerarBoletos: omie.Sim},
	}
}

// sameCustomerData compares what a caller writes; Omie fills ids, info, flags and formats the document.
func sameCustomerData(t *testing.T, want, got omie.ClienteCadastro) {
	t.Helper()
	doc, err := br.ParseDocument(want.CnpjCpf)
	if err != nil {
		t.Fatal(err)
	}
	if got.CnpjCpf != doc.Formatted() {
		t.Errorf("cnpj_cpf = %q, want Omie's formatted %q", got.CnpjCpf, doc.Formatted())
	}
	if got.Info == nil || got.Info.DAlt == "" || got.Info.UAlt != "WEBSERVICE" {
		t.Errorf("info = %+v, want a change stamped by WEBSERVICE", got.Info)
	}
	want.CnpjCpf, got.CnpjCpf = "", ""
	want.CodigoClienteOmie = got.CodigoClienteOmie
	got.Info, got.PessoaFisica, got.Exterior, got.Inativo, got.ImportadoAPI, got.BloquearFaturamento = nil, "", "", "", "", ""
	if !reflect.DeepEqual(want, got) {
		t.Errorf("read back differs from what was written:\n got  %+v\n want %+v", got, want)
	}
}

// Round trip for every customer write: what the client writes, the client reads back.
func TestClientesRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))

	t.Run("IncluirCliente then ConsultarCliente", func(t *testing.T) {
		want := newCliente(r, "auvo-101")
		st, err := e.client.IncluirCliente(ctx, want)
		if err != nil {
			t.Fatal(err)
		}
		if st.CodigoStatus != "0" || st.CodigoClienteOmie < 1e9 || st.CodigoClienteIntegracao != "auvo-101" {
			t.Fatalf("status = %+v", st)
		}
		got, err := e.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: st.CodigoClienteOmie})
		if err != nil {
			t.Fatal(err)
		}
		sameCustomerData(t, want, got)
		if got.PessoaFisica != omie.Nao || got.ImportadoAPI != omie.Sim {
			t.Errorf("pessoa_fisica %q importado_api %q, want N and S", got.PessoaFisica, got.ImportadoAPI)
		}
	})

	t.Run("AlterarCliente keeps unsent fields and replaces tags", func(t *testing.T) {
		orig := newCliente(r, "auvo-102")
		st, err := e.client.IncluirCliente(ctx, orig)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Minute)
		change := omie.ClienteCadastro{CodigoClienteOmie: st.CodigoClienteOmie, Email: "novo@oficinadoar.com.br",
			Telefone1Numero: "55556666", Tags: []omie.Tag{{Tag: "Fornecedor"}}}
		if _, err := e.client.AlterarCliente(ctx, change); err != nil {
			t.Fatal(err)
		}
		got, err := e.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "auvo-102"})
		if err != nil {
			t.Fatal(err)
		}
		want := orig
		want.Email, want.Telefone1Numero, want.Tags = change.Email, change.Telefone1Numero, change.Tags
		sameCustomerData(t, want, got)
		changed, _ := got.Info.Changed()
		if !changed.Equal(e.clock.Now()) {
			t.Errorf("dAlt/hAlt = %v, want the write time %v", changed, e.clock.Now())
		}
	})

	t.Run("UpsertCliente creates then updates by integration code", func(t *testing.T) {
		want := newCliente(r, "auvo-103")
		st1, err := e.client.UpsertCliente(ctx, want)
		if err != nil {
			t.Fatal(err)
		}
		want.NomeFantasia = "Oficina do Ar Filial"
		st2, err := e.client.UpsertCliente(ctx, want)
		if err != nil {
			t.Fatal(err)
		}
		if st1.CodigoClienteOmie != st2.CodigoClienteOmie {
			t.Fatalf("upsert created a second record: %d and %d", st1.CodigoClienteOmie, st2.CodigoClienteOmie)
		}
		got, err := e.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: st1.CodigoClienteOmie})
		if err != nil {
			t.Fatal(err)
		}
		sameCustomerData(t, want, got)
	})

	t.Run("AssociarCodIntCliente links a customer created on screen", func(t *testing.T) {
		seeded, err := e.sb.SeedCustomer(e.acct.AppKey, omie.ClienteCadastro{RazaoSocial: "CLIENTE DA TELA", CnpjCpf: br.GenerateCPF(r)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.client.AssociarCodIntCliente(ctx, omie.ClienteChave{CodigoClienteOmie: seeded.CodigoClienteOmie,
			CodigoClienteIntegracao: "auvo-104"}); err != nil {
			t.Fatal(err)
		}
		got, err := e.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteIntegracao: "auvo-104"})
		if err != nil {
			t.Fatal(err)
		}
		if got.CodigoClienteOmie != seeded.CodigoClienteOmie || got.PessoaFisica != omie.Sim {
			t.Errorf("got %d (pessoa_fisica %q), want %d (S)", got.CodigoClienteOmie, got.PessoaFisica, seeded.CodigoClienteOmie)
		}
	})

	t.Run("IncluirTags and ExcluirTags then ListarTags", func(t *testing.T) {
		st, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-105"))
		if err != nil {
			t.Fatal(err)
		}
		key := omie.TagsRequest{NCodCliente: st.CodigoClienteOmie}
		add := key
		add.Tags = []omie.Tag{{Tag: "Contrato PMOC"}, {Tag: "cliente"}} // "cliente" is already there, case aside
		if _, err := e.client.IncluirTags(ctx, add); err != nil {
			t.Fatal(err)
		}
		del := key
		del.Tags = []omie.Tag{{Tag: "Cliente"}}
		if _, err := e.client.ExcluirTags(ctx, del); err != nil {
			t.Fatal(err)
		}
		got, err := e.client.ListarTags(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.TagsLista) != 1 || got.TagsLista[0].Tag != "Contrato PMOC" || got.TagsLista[0].NCodTag == 0 {
			t.Errorf("tags = %+v, want only Contrato PMOC with an id", got.TagsLista)
		}
		cli, err := e.client.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: st.CodigoClienteOmie})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cli.Tags, []omie.Tag{{Tag: "Contrato PMOC"}}) {
			t.Errorf("customer tags = %+v", cli.Tags)
		}
	})
}

// SPEC C-A3 and api/omie.md §1.2: duplicates are told apart.
func TestClientesDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))

	t.Run("duplicate integration code is Conflict naming the existing id", func(t *testing.T) {
		e := newEnv(t, omiesandbox.AccountOptions{})
		st, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.client.IncluirCliente(ctx, newCliente(r, "auvo-1"))
		if k := kindOf(t, err); k != partner.KindConflict {
			t.Fatalf("kind = %v, want conflict (%v)", k, err)
		}
		if id, ok := omie.ExistingID(err); !ok || id != st.CodigoClienteOmie {
			t.Errorf("ExistingID = %d %v, want %d", id, ok, st.CodigoClienteOmie)
		}
	})

	t.Run("C-A3 account refusing a second customer with the same document: Invalid with Omie's message", func(t *testing.T) {
		e := newEnv(t, omiesandbox.AccountOptions{RefuseDuplicateDocument: true})
		first := newCliente(r, "auvo-1")
		if _, err := e.client.IncluirCliente(ctx, first); err != nil {
			t.Fatal(err)
		}
		second := newCliente(r, "auvo-2")
		second.CnpjCpf = first.CnpjCpf
		_, err := e.client.IncluirCliente(ctx, second)
		if k := kindOf(t, err); k != partner.KindInvalid {
			t.Fatalf("kind = %v, want invalid (%v)", k, err)
		}
		var pe *partner.Error
		if !errorAs(err, &pe) || !containsAll(pe.Message, "já cadastrado para o CPF/CNPJ", "(add)") {
			t.Errorf("message = %q, want Omie's duplicate-document text", pe.Message)
		}
	})

	t.Run("C-A3 account allowing duplicate documents creates the second", func(t *testing.T) {
		e := newEnv(t, omiesandbox.AccountOptions{})
		first := newCliente(r, "auvo-1")
		second := newCliente(r, "auvo-2")
		second.CnpjCpf = first.CnpjCpf
		for _, c := range []omie.ClienteCadastro{first, second} {
			if _, err := e.client.IncluirCliente(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(e.sb.Customers(e.acct.AppKey)); n != 2 {
			t.Errorf("%d customers, want 2", n)
		}
	})
}

// Incremental sync (DESIGN "A flow run" step 2): filtrar_por_data_de/hora_de with
// filtrar_apenas_alteracao answers exactly the records changed since the cursor.
func TestListarClientesIncremental(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	old := e.clock.Now().Add(-48 * time.Hour)
	oldInfo := &omie.Info{DInc: omie.FormatDate(old), HInc: omie.FormatTime(old), DAlt: omie.FormatDate(old), HAlt: omie.FormatTime(old)}
	var ids []int64
	for i := range 3 {
		c, err := e.sb.SeedCustomer(e.acct.AppKey, omie.ClienteCadastro{RazaoSocial: fmt.Sprint("ANTIGO ", i),
			CnpjCpf: br.GenerateCPF(r), Info: oldInfo})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.CodigoClienteOmie)
	}
	cursor := e.clock.Now().Add(-time.Hour)
	if _, err := e.sb.EditCustomer(e.acct.AppKey, ids[1], func(c *omie.ClienteCadastro) { c.Email = "novo@exemplo.com.br" }); err != nil {
		t.Fatal(err)
	}
	st, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-new"))
	if err != nil {
		t.Fatal(err)
	}
	req := omie.ListarClientesRequest{Pagina: 1, RegistrosPorPagina: 50, FiltrarPorDataDe: omie.FormatDate(cursor),
		FiltrarPorHoraDe: omie.FormatTime(cursor), FiltrarApenasAlteracao: omie.Sim}
	res, err := e.client.ListarClientes(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range res.ClientesCadastro {
		got = append(got, c.CodigoClienteOmie)
	}
	slices.Sort(got)
	want := []int64{ids[1], st.CodigoClienteOmie}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("changed since cursor = %v, want the edited and the new customer %v", got, want)
	}

	// A cursor after every change answers Omie's 5113, which the client turns into an empty page.
	e.clock.Advance(time.Minute)
	later := e.clock.Now()
	req.FiltrarPorDataDe, req.FiltrarPorHoraDe = omie.FormatDate(later), omie.FormatTime(later)
	res, err = e.client.ListarClientes(ctx, req)
	if err != nil || len(res.ClientesCadastro) != 0 {
		t.Errorf("idle cycle = %d records, %v; want an empty page and no error", len(res.ClientesCadastro), err)
	}
	if n := e.calls("ListarClientes"); n != 2 {
		t.Errorf("ListarClientes reached the sandbox %d times, want 2 (one per cycle)", n)
	}
}

// api/omie.md §1.5: AllClientes pages until the last page; the page past it is never requested.
func TestAllClientesPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{})
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 7 {
		if _, err := e.sb.SeedCustomer(e.acct.AppKey, omie.ClienteCadastro{RazaoSocial: fmt.Sprint("C", i), CnpjCpf: br.GenerateCNPJ(r)}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	for c, err := range e.client.AllClientes(context.Background(), omie.ListarClientesRequest{RegistrosPorPagina: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.CodigoClienteOmie == 0 {
			t.Error("customer without id")
		}
		n++
	}
	if n != 7 || e.calls("ListarClientes") != 3 {
		t.Errorf("%d customers in %d calls, want 7 in 3", n, e.calls("ListarClientes"))
	}
}

// api/omie.md §1.4 REDUNDANT: the client never sends the same call with the same params twice
// within 60 s; it answers from its cache, and a write makes the next read go to Omie.
func TestRedundantNeverSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, omiesandbox.AccountOptions{}) // REDUNDANT on in the sandbox
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 10))
	st, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-1"))
	if err != nil {
		t.Fatal(err)
	}
	key := omie.ClienteChave{CodigoClienteOmie: st.CodigoClienteOmie}
	for range 3 {
		if _, err := e.client.ConsultarCliente(ctx, key); err != nil {
			t.Fatalf("identical read inside the window: %v", err)
		}
	}
	if n := e.calls("ConsultarCliente"); n != 1 {
		t.Fatalf("ConsultarCliente sent %d times within 60 s, want 1", n)
	}
	// Another client with the same cache (one per process) shares the answer.
	cache := omie.NewReadCache()
	c1 := e.newClient(e.acct.AppKey, e.acct.AppSecret, omie.WithCache(cache))
	c2 := e.newClient(e.acct.AppKey, e.acct.AppSecret, omie.WithCache(cache))
	req := omie.ListarClientesRequest{Pagina: 1, RegistrosPorPagina: 10}
	if _, err := c1.ListarClientes(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.ListarClientes(ctx, req); err != nil {
		t.Fatal(err)
	}
	if n := e.calls("ListarClientes"); n != 1 {
		t.Errorf("two clients sharing a cache sent ListarClientes %d times, want 1", n)
	}

	if _, err := e.client.AlterarCliente(ctx, omie.ClienteCadastro{CodigoClienteOmie: st.CodigoClienteOmie, Email: "x@y.com.br"}); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.ConsultarCliente(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "x@y.com.br" || e.calls("ConsultarCliente") != 2 {
		t.Errorf("after a write: email %q after %d calls, want the new one from a second call", got.Email, e.calls("ConsultarCliente"))
	}

	e.clock.Advance(omie.RedundantWindow)
	if _, err := e.client.ConsultarCliente(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n := e.calls("ConsultarCliente"); n != 3 {
		t.Errorf("after the window the read went out %d times in all, want 3", n)
	}
}

// Creates are never retried blindly: after an ambiguous failure the client looks the record up by
// its integration code.
func TestIncluirClienteAmbiguous(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(11, 12))
	timeout := func(e *env) {
		e.sb.Faults().Add(sandboxFault("IncluirCliente", sandbox.FaultTimeout, 3*time.Second))
	}

	t.Run("record exists: reported as created", func(t *testing.T) {
		e := newEnv(t, omiesandbox.AccountOptions{})
		// The create reached Omie but the answer was lost: the record is there.
		there, err := e.sb.SeedCustomer(e.acct.AppKey, omie.ClienteCadastro{CodigoClienteIntegracao: "auvo-9", RazaoSocial: "X"})
		if err != nil {
			t.Fatal(err)
		}
		timeout(e)
		st, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-9"))
		if err != nil {
			t.Fatalf("want the found record, got %v", err)
		}
		if st.CodigoClienteOmie != there.CodigoClienteOmie {
			t.Errorf("id %d, want %d", st.CodigoClienteOmie, there.CodigoClienteOmie)
		}
		if e.calls("IncluirCliente") != 1 || e.calls("ConsultarCliente") != 1 {
			t.Errorf("calls %v, want one create and one look-up", e.sb.Counter().Snapshot())
		}
	})

	t.Run("record missing: ambiguous error, create not resent", func(t *testing.T) {
		e := newEnv(t, omiesandbox.AccountOptions{})
		timeout(e)
		_, err := e.client.IncluirCliente(ctx, newCliente(r, "auvo-10"))
		if !partner.IsAmbiguous(err) || kindOf(t, err) != partner.KindTransient {
			t.Fatalf("err = %v, want an ambiguous transient error", err)
		}
		if e.calls("IncluirCliente") != 1 {
			t.Errorf("IncluirCliente sent %d times, want 1", e.calls("IncluirCliente"))
		}
	})
}
