package contaazul

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// pageSizes is the documented enum of tamanho_pagina; any other value answers 400.
var pageSizes = []int{10, 20, 50, 100, 200, 500, 1000}

// DefaultPageSize is used when PessoaFilter.PageSize is 0.
const DefaultPageSize = 100

// PessoaFilter selects people for ListPessoas. Zero fields do not filter.
type PessoaFilter struct {
	// ChangedSince keeps people changed at or after it (data_alteracao_de), to the second.
	ChangedSince time.Time
	// ChangedUntil keeps people changed at or before it (data_alteracao_ate, [I]).
	ChangedUntil time.Time
	// Documents keeps people with one of these CPF/CNPJ (documentos), punctuation optional.
	Documents []string
	// Profile keeps people holding this profile (tipo_perfil, [I]), e.g. PerfilCliente.
	Profile string
	// Search matches name or document (busca; not e-mail).
	Search string
	// Codes keeps people with one of these codes (codigos_pessoa, [C] DOC retornapessoasporfiltros).
	Codes []string
	// WithAddress asks for the main address in each item (com_endereco, [I]).
	WithAddress bool
	// PageSize is tamanho_pagina, 10, 20, 50, 100, 200, 500 or 1000; 0 means DefaultPageSize.
	PageSize int
}

func (f PessoaFilter) query(page int) (url.Values, error) {
	size := f.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	if !slices.Contains(pageSizes, size) {
		return nil, errors.New("tamanho de página deve ser 10, 20, 50, 100, 200, 500 ou 1000")
	}
	if page < 1 {
		return nil, errors.New("página deve ser 1 ou mais")
	}
	q := url.Values{"pagina": {strconv.Itoa(page)}, "tamanho_pagina": {strconv.Itoa(size)}}
	if !f.ChangedSince.IsZero() {
		q.Set("data_alteracao_de", f.ChangedSince.In(saoPaulo).Format(TimeLayout))
	}
	if !f.ChangedUntil.IsZero() {
		q.Set("data_alteracao_ate", f.ChangedUntil.In(saoPaulo).Format(TimeLayout))
	}
	var docs []string
	for _, d := range f.Documents {
		if k := DocumentKey(d); k != "" {
			docs = append(docs, k)
		}
	}
	if len(docs) > 0 {
		q.Set("documentos", strings.Join(docs, ","))
	}
	if f.Profile != "" {
		q.Set("tipo_perfil", f.Profile)
	}
	if f.Search != "" {
		q.Set("busca", f.Search)
	}
	if len(f.Codes) > 0 {
		q.Set("codigos_pessoa", strings.Join(f.Codes, ","))
	}
	if f.WithAddress {
		q.Set("com_endereco", "true")
	}
	return q, nil
}

// ListPessoas returns one page (1-based) of the people f selects, in Conta Azul's default order
// (by name).
func (c *Client) ListPessoas(ctx context.Context, f PessoaFilter, page int) (PessoaPage, error) {
	const method = "GET /v1/pessoas"
	q, err := f.query(page)
	if err != nil {
		return PessoaPage{}, errorf(method, "%s", err.Error())
	}
	var env struct {
		Total *int      `json:"totalItems"`
		Items *[]Pessoa `json:"items"`
	}
	if err := c.do(ctx, call{method: method, http: http.MethodGet, path: "/v1/pessoas", query: q, idempotent: true}, &env); err != nil {
		return PessoaPage{}, err
	}
	if env.Total == nil || env.Items == nil {
		return PessoaPage{}, &partner.Error{Partner: partnerName, Method: method, Kind: partner.KindTransient, Status: http.StatusOK,
			Message: "resposta da Conta Azul sem totalItems/items", Err: errors.New("unexpected list envelope")}
	}
	size, _ := strconv.Atoi(q.Get("tamanho_pagina"))
	return PessoaPage{Total: *env.Total, Items: *env.Items, Page: page, PageSize: size}, nil
}

// PessoaPages yields the pages of f from the first to the last, stopping after the first error
// (yielded with an empty page). The engine records its cursor per page.
func (c *Client) PessoaPages(ctx context.Context, f PessoaFilter) iter.Seq2[PessoaPage, error] {
	return func(yield func(PessoaPage, error) bool) {
		for page := 1; ; page++ {
			p, err := c.ListPessoas(ctx, f, page)
			if !yield(p, err) || err != nil || p.Last() {
				return
			}
		}
	}
}

// GetPessoa returns one person with every field, or a KindNotFound error.
func (c *Client) GetPessoa(ctx context.Context, id string) (Pessoa, error) {
	const method = "GET /v1/pessoas/{id}"
	if id == "" {
		return Pessoa{}, errorf(method, "id da pessoa vazio")
	}
	var p Pessoa
	err := c.do(ctx, call{method: method, http: http.MethodGet, path: "/v1/pessoas/" + url.PathEscape(id), idempotent: true}, &p)
	return p, err
}

// FindPessoasByDocument returns every person whose CPF/CNPJ is doc, active or not. This is the
// look-up that must precede a create after an ambiguous failure (never create blindly).
func (c *Client) FindPessoasByDocument(ctx context.Context, doc string) ([]Pessoa, error) {
	key := DocumentKey(doc)
	if key == "" {
		return nil, errorf("GET /v1/pessoas", "documento vazio")
	}
	var out []Pessoa
	for page, err := range c.PessoaPages(ctx, PessoaFilter{Documents: []string{key}}) {
		if err != nil {
			return nil, err
		}
		// Keep exact matches only, whatever the partner's filter matched.
		for _, p := range page.Items {
			if DocumentKey(p.Documento) == key {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// FindPessoasByCode returns every person whose code is exactly code: the look-up by the
// "auvo-{id}" code Ponte gives the people it creates, whatever their document is now. List
// items carry no codigo (api/contaazul.md §2), so each hit of the codigos_pessoa filter is read
// whole and its code compared.
func (c *Client) FindPessoasByCode(ctx context.Context, code string) ([]Pessoa, error) {
	if strings.TrimSpace(code) == "" {
		return nil, errorf("GET /v1/pessoas", "código vazio")
	}
	var out []Pessoa
	for page, err := range c.PessoaPages(ctx, PessoaFilter{Codes: []string{code}}) {
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			p, err := c.GetPessoa(ctx, item.ID)
			if err != nil {
				return nil, err
			}
			if p.Codigo == code {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// CreatePessoa creates a person and returns its id. Perfis defaults to Cliente. It is sent once:
// after an error with partner.IsAmbiguous the person may exist, so look it up with
// FindPessoasByCode (by the code given in in.Codigo) before creating again.
func (c *Client) CreatePessoa(ctx context.Context, in PessoaInput) (string, error) {
	const method = "POST /v1/pessoas"
	if strings.TrimSpace(in.Nome) == "" {
		return "", errorf(method, "nome é obrigatório")
	}
	if in.TipoPessoa == "" {
		return "", errorf(method, "tipo de pessoa é obrigatório")
	}
	if err := checkAddresses(in.Enderecos); err != nil {
		return "", errorf(method, "%s", err.Error())
	}
	if len(in.Perfis) == 0 {
		in.Perfis = []Perfil{{TipoPerfil: PerfilCliente}}
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, call{method: method, http: http.MethodPost, path: "/v1/pessoas", body: in}, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &partner.Error{Partner: partnerName, Method: method, Kind: partner.KindTransient, Status: http.StatusOK,
			Message: "a Conta Azul não devolveu o id da pessoa criada", Ambiguous: true}
	}
	return out.ID, nil
}

// PatchPessoa changes only the fields set in p (rules C-A8: name, phone, address, e-mail,
// observação). Setting the same values again is harmless, so the call may be retried.
func (c *Client) PatchPessoa(ctx context.Context, id string, p PessoaPatch) error {
	const method = "PATCH /v1/pessoas/{id}"
	if id == "" {
		return errorf(method, "id da pessoa vazio")
	}
	if p.Enderecos != nil {
		if err := checkAddresses(*p.Enderecos); err != nil {
			return errorf(method, "%s", err.Error())
		}
	}
	return c.do(ctx, call{method: method, http: http.MethodPatch, path: "/v1/pessoas/" + url.PathEscape(id), body: p, idempotent: true}, nil)
}

// ConnectedAccount returns the company the connection is authorised on; a cheap way to check a
// new connection.
func (c *Client) ConnectedAccount(ctx context.Context) (ContaConectada, error) {
	var out ContaConectada
	err := c.do(ctx, call{method: "GET /v1/pessoas/conta-conectada", http: http.MethodGet, path: "/v1/pessoas/conta-conectada", idempotent: true}, &out)
	return out, err
}

// checkAddresses refuses what Conta Azul would refuse, before the call: the official node
// checks that estado is a two-letter upper-case UF.
func checkAddresses(es []Endereco) error {
	for _, e := range es {
		if e.Estado != "" && (len(e.Estado) != 2 || strings.ToUpper(e.Estado) != e.Estado ||
			strings.Trim(e.Estado, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
			return errors.New("estado do endereço deve ser a sigla da UF com 2 letras maiúsculas (ex.: SP)")
		}
	}
	return nil
}

// DocumentKey keeps a CPF/CNPJ's letters and digits, upper-cased (alphanumeric CNPJs included):
// the form documents are compared in, whatever punctuation each side wrote.
func DocumentKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
