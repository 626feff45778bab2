package contaazulsandbox

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/sandbox"
)

// The sandbox stores people in the client's wire types, as the other sandboxes do: Pessoa is
// what GET /v1/pessoas/{id} returns (api/examples/contaazul-pessoa.json), documento formatted
// and dates in São Paulo time.
type (
	Pessoa          = contaazul.Pessoa
	Perfil          = contaazul.Perfil
	Endereco        = contaazul.Endereco
	Inscricao       = contaazul.Inscricao
	Contato         = contaazul.Contato
	ContatoCobranca = contaazul.ContatoCobranca
)

// record is a stored person with the times the filters compare.
type record struct {
	p                Pessoa
	created, changed time.Time
}

// pessoaItem is the slimmer list form (api/examples/contaazul-pessoas-list.json). com_endereco
// adds the main address as a singular "endereco", as one client observed ([I]).
type pessoaItem struct {
	ID                   string             `json:"id"`
	IDLegado             contaazul.LegacyID `json:"id_legado,omitzero"`
	UUIDLegado           string             `json:"uuid_legado,omitempty"`
	Nome                 string             `json:"nome"`
	Documento            string             `json:"documento"`
	Email                string             `json:"email"`
	TelefoneComercial    string             `json:"telefone_comercial"`
	TipoPessoa           string             `json:"tipo_pessoa"`
	Ativo                bool               `json:"ativo"`
	Perfis               []Perfil           `json:"perfis"`
	AtrasosPagamentos    float64            `json:"atrasos_pagamentos"`
	AtrasosRecebimentos  float64            `json:"atrasos_recebimentos"`
	PagamentosMesAtual   float64            `json:"pagamentos_mes_atual"`
	RecebimentosMesAtual float64            `json:"recebimentos_mes_atual"`
	CriadoEm             string             `json:"criado_em"`
	DataAlteracao        string             `json:"data_alteracao"`
	Endereco             *Endereco          `json:"endereco,omitempty"`
}

func itemOf(p Pessoa, withAddress bool) pessoaItem {
	it := pessoaItem{ID: p.ID, IDLegado: p.IDLegado, UUIDLegado: p.UUIDLegado, Nome: p.Nome, Documento: p.Documento,
		Email: p.Email, TelefoneComercial: p.TelefoneComercial, TipoPessoa: p.TipoPessoa, Ativo: p.Ativo,
		Perfis: p.Perfis, AtrasosPagamentos: p.AtrasosPagamentos, AtrasosRecebimentos: p.AtrasosRecebimentos,
		PagamentosMesAtual: p.PagamentosMesAtual, RecebimentosMesAtual: p.RecebimentosMesAtual,
		CriadoEm: p.CriadoEm, DataAlteracao: p.DataAlteracao}
	if withAddress && len(p.Enderecos) > 0 {
		e := p.Enderecos[0]
		it.Endereco = &e
	}
	return it
}

// pageSizes is the documented enum of tamanho_pagina; other values answer 400 (EMP).
var pageSizes = []int{10, 20, 50, 100, 200, 500, 1000}

// listQuery is a parsed GET /v1/pessoas query.
type listQuery struct {
	page, size               int
	ids, docs, emails, names []string
	tipos, perfis            []string
	busca                    string
	codes                    []string
	changedFrom, changedTo   time.Time
	createdFrom, createdTo   time.Time
	withAddress              bool
	orderBy                  string
	desc                     bool
}

// multi reads a multi-value parameter given as repeated keys or comma-separated (the exact form
// is [U]; both are accepted).
func multi(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{page: 1, size: 10, orderBy: "NOME"}
	if v := q.Get("pagina"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return lq, errors.New("pagina deve ser um número inteiro maior que zero")
		}
		lq.page = n
	}
	if v := q.Get("tamanho_pagina"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(pageSizes, n) {
			return lq, errors.New("tamanho_pagina deve ser um dos valores: 10, 20, 50, 100, 200, 500, 1000")
		}
		lq.size = n
	}
	lq.ids, lq.emails, lq.names = multi(q, "ids"), multi(q, "emails"), multi(q, "nomes")
	lq.tipos, lq.perfis = multi(q, "tipos_pessoa"), multi(q, "tipo_perfil")
	for _, d := range multi(q, "documentos") {
		lq.docs = append(lq.docs, contaazul.DocumentKey(d))
	}
	lq.busca = strings.TrimSpace(q.Get("busca"))
	lq.codes = multi(q, "codigos_pessoa")
	var err error
	for _, f := range []struct {
		key string
		dst *time.Time
	}{{"data_alteracao_de", &lq.changedFrom}, {"data_alteracao_ate", &lq.changedTo},
		{"data_criacao_inicio", &lq.createdFrom}, {"data_criacao_fim", &lq.createdTo}} {
		if *f.dst, err = parseTime(q.Get(f.key)); err != nil {
			return lq, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	if lq.createdFrom.IsZero() != lq.createdTo.IsZero() {
		return lq, errors.New("data_criacao_inicio e data_criacao_fim devem ser informadas juntas")
	}
	if v := q.Get("com_endereco"); v != "" {
		if lq.withAddress, err = strconv.ParseBool(v); err != nil {
			return lq, errors.New("com_endereco deve ser true ou false")
		}
	}
	if v := q.Get("tipo_ordenacao"); v != "" {
		if !slices.Contains([]string{"NOME", "EMAIL", "DOCUMENTO", "ATIVO"}, v) {
			return lq, errors.New("tipo_ordenacao deve ser NOME, EMAIL, DOCUMENTO ou ATIVO")
		}
		lq.orderBy = v
	}
	switch q.Get("ordem_ordenacao") {
	case "", "ASC":
	case "DESC":
		lq.desc = true
	default:
		return lq, errors.New("ordem_ordenacao deve ser ASC ou DESC")
	}
	return lq, nil
}

// parseTime reads a filter date: a date, a date-time without offset (São Paulo time) or
// RFC 3339 ([I]: ISO-8601).
func parseTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, saoPaulo); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("data inválida; use AAAA-MM-DD ou AAAA-MM-DDTHH:MM:SS")
}

func (lq listQuery) match(r *record) bool {
	p := r.p
	doc := contaazul.DocumentKey(p.Documento)
	switch {
	case len(lq.ids) > 0 && !slices.Contains(lq.ids, p.ID),
		len(lq.docs) > 0 && !slices.Contains(lq.docs, doc),
		len(lq.emails) > 0 && !slices.ContainsFunc(lq.emails, func(e string) bool { return containsFold(p.Email, e) }),
		len(lq.names) > 0 && !slices.ContainsFunc(lq.names, func(n string) bool { return containsFold(p.Nome, n) }),
		len(lq.tipos) > 0 && !slices.Contains(lq.tipos, p.TipoPessoa),
		len(lq.codes) > 0 && !slices.Contains(lq.codes, p.Codigo),
		len(lq.perfis) > 0 && !slices.ContainsFunc(p.Perfis, func(pf Perfil) bool { return slices.Contains(lq.perfis, pf.TipoPerfil) }),
		!lq.changedFrom.IsZero() && r.changed.Before(lq.changedFrom),
		!lq.changedTo.IsZero() && r.changed.After(lq.changedTo),
		!lq.createdFrom.IsZero() && r.created.Before(lq.createdFrom),
		!lq.createdTo.IsZero() && r.created.After(lq.createdTo.Add(24*time.Hour-time.Nanosecond)):
		return false
	}
	if lq.busca != "" {
		// busca covers name and document, not e-mail (EMP).
		d := contaazul.DocumentKey(lq.busca)
		return containsFold(p.Nome, lq.busca) || (d != "" && strings.Contains(doc, d))
	}
	return true
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func (lq listQuery) compare(a, b *record) int {
	var c int
	switch lq.orderBy {
	case "EMAIL":
		c = cmp.Compare(strings.ToLower(a.p.Email), strings.ToLower(b.p.Email))
	case "DOCUMENTO":
		c = cmp.Compare(contaazul.DocumentKey(a.p.Documento), contaazul.DocumentKey(b.p.Documento))
	case "ATIVO":
		c = cmp.Compare(boolInt(a.p.Ativo), boolInt(b.p.Ativo))
	default:
		c = cmp.Compare(strings.ToLower(a.p.Nome), strings.ToLower(b.p.Nome))
	}
	if lq.desc {
		c = -c
	}
	if c == 0 {
		c = cmp.Compare(a.p.ID, b.p.ID) // stable pages
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Sandbox) listPessoas(w http.ResponseWriter, r *http.Request, acc *account) {
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
		return
	}
	var hits []*record
	for _, rec := range acc.pessoas {
		if lq.match(rec) {
			hits = append(hits, rec)
		}
	}
	slices.SortFunc(hits, lq.compare)
	items := []pessoaItem{}
	for i := (lq.page - 1) * lq.size; i < len(hits) && i < lq.page*lq.size; i++ {
		items = append(items, itemOf(hits[i].p, lq.withAddress))
	}
	// The pessoas list envelope is English camelCase, unlike other v2 lists (itens_totais/itens).
	sandbox.WriteJSON(w, http.StatusOK, map[string]any{"totalItems": len(hits), "items": items})
}

func (s *Sandbox) getPessoa(w http.ResponseWriter, r *http.Request, acc *account) {
	rec, ok := acc.pessoas[r.PathValue("id")]
	if !ok {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "Pessoa não encontrada")
		return
	}
	sandbox.WriteJSON(w, http.StatusOK, rec.p)
}

func (s *Sandbox) connectedAccount(w http.ResponseWriter, r *http.Request, acc *account) {
	a := acc.info
	sandbox.WriteJSON(w, http.StatusOK, map[string]string{"id_empresa": a.ID, "razao_social": a.RazaoSocial,
		"nome_fantasia": a.NomeFantasia, "documento": formatDoc(a.Documento), "email": a.Email, "data_fundacao": a.DataFundacao})
}

// createPessoa requires nome and tipo_pessoa and validates the rest loosely, since the sources
// disagree on what else is required ([U]). It answers 201 with the stored person; the docs only
// promise {"id"} ([I]).
func (s *Sandbox) createPessoa(w http.ResponseWriter, r *http.Request, acc *account) {
	var in pessoaWrite
	if err := decodeStrict(r, &in); err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", "corpo inválido: "+err.Error())
		return
	}
	if in.Nome == nil || in.TipoPessoa == nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", "nome e tipo_pessoa são obrigatórios")
		return
	}
	p := Pessoa{ID: newUUID(), Ativo: true}
	if err := in.apply(&p); err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
		return
	}
	now := s.now()
	rec := &record{p: p, created: now, changed: now}
	stamp(rec)
	acc.pessoas[p.ID] = rec
	sandbox.WriteJSON(w, http.StatusCreated, rec.p)
}

// patchPessoa changes only the fields present in the body and bumps data_alteracao.
func (s *Sandbox) patchPessoa(w http.ResponseWriter, r *http.Request, acc *account) {
	s.update(w, r, acc, func(old Pessoa) Pessoa { return clonePessoa(old) })
}

// putPessoa replaces the whole record: fields absent from the body are cleared. The docs list
// many required fields only partially ([C] partial list), so, as on create, only nome and
// tipo_pessoa are enforced; that is why the client uses PATCH.
func (s *Sandbox) putPessoa(w http.ResponseWriter, r *http.Request, acc *account) {
	s.update(w, r, acc, func(old Pessoa) Pessoa {
		return Pessoa{ID: old.ID, IDLegado: old.IDLegado, UUIDLegado: old.UUIDLegado, Ativo: old.Ativo,
			AtrasosPagamentos: old.AtrasosPagamentos, AtrasosRecebimentos: old.AtrasosRecebimentos,
			PagamentosMesAtual: old.PagamentosMesAtual, RecebimentosMesAtual: old.RecebimentosMesAtual}
	})
}

// update applies the body to start(current record), stores it and bumps data_alteracao.
func (s *Sandbox) update(w http.ResponseWriter, r *http.Request, acc *account, start func(Pessoa) Pessoa) {
	rec, ok := acc.pessoas[r.PathValue("id")]
	if !ok {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "Pessoa não encontrada")
		return
	}
	var in pessoaWrite
	if err := decodeStrict(r, &in); err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", "corpo inválido: "+err.Error())
		return
	}
	if r.Method == http.MethodPut && (in.Nome == nil || in.TipoPessoa == nil) {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", "nome e tipo_pessoa são obrigatórios")
		return
	}
	p := start(rec.p)
	if err := in.apply(&p); err != nil {
		apiError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
		return
	}
	rec.p = p
	rec.changed = s.now()
	stamp(rec)
	sandbox.WriteJSON(w, http.StatusOK, rec.p)
}

// stamp writes the record's times into the wire fields.
func stamp(rec *record) {
	rec.p.CriadoEm = rec.created.In(saoPaulo).Format("2006-01-02")
	rec.p.DataAlteracao = rec.changed.In(saoPaulo).Format("2006-01-02T15:04:05")
}

func clonePessoa(p Pessoa) Pessoa {
	p.Perfis = slices.Clone(p.Perfis)
	p.Enderecos = slices.Clone(p.Enderecos)
	p.Inscricoes = slices.Clone(p.Inscricoes)
	p.OutrosContatos = slices.Clone(p.OutrosContatos)
	if p.ContatoCobrancaFaturamento != nil {
		c := *p.ContatoCobrancaFaturamento
		c.Emails = slices.Clone(c.Emails)
		p.ContatoCobrancaFaturamento = &c
	}
	return p
}

// pessoaWrite is the body of POST and PATCH. Pointers tell "absent" from "empty", which is what
// makes PATCH partial. The document is written as cpf or cnpj (official n8n node); documento is
// accepted too (EMP created people with it).
type pessoaWrite struct {
	TipoPessoa        *string          `json:"tipo_pessoa"`
	Nome              *string          `json:"nome"`
	CPF               *string          `json:"cpf"`
	CNPJ              *string          `json:"cnpj"`
	Documento         *string          `json:"documento"`
	Email             *string          `json:"email"`
	TelefoneComercial *string          `json:"telefone_comercial"`
	TelefoneCelular   *string          `json:"telefone_celular"`
	RG                *string          `json:"rg"`
	DataNascimento    *string          `json:"data_nascimento"`
	NomeFantasia      *string          `json:"nome_fantasia"`
	Codigo            *string          `json:"codigo"`
	Observacao        *string          `json:"observacao"`
	OptanteSimples    *bool            `json:"optante_simples"`
	AgenciaPublica    *bool            `json:"agencia_publica"`
	Ativo             *bool            `json:"ativo"`
	Perfis            *[]wirePerfil    `json:"perfis"`
	Enderecos         *[]wireEndereco  `json:"enderecos"`
	Inscricoes        *[]wireInscricao `json:"inscricoes"`
	OutrosContatos    *[]wireContato   `json:"outros_contatos"`
}

// The nested write types are the sandbox's own, written from the docs (api/contaazul.md §2), so
// a tag the client misspells is an unknown field here; they convert to the stored types.
type wirePerfil struct {
	TipoPerfil string `json:"tipo_perfil"`
}

type wireEndereco struct {
	ID          string `json:"id"`
	CEP         string `json:"cep"`
	Logradouro  string `json:"logradouro"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Cidade      string `json:"cidade"`
	Estado      string `json:"estado"`
	Pais        string `json:"pais"`
}

type wireInscricao struct {
	IndicadorInscricaoEstadual string `json:"indicador_inscricao_estadual"`
	InscricaoEstadual          string `json:"inscricao_estadual"`
	InscricaoMunicipal         string `json:"inscricao_municipal"`
	InscricaoSuframa           string `json:"inscricao_suframa"`
}

type wireContato struct {
	Nome              string `json:"nome"`
	Cargo             string `json:"cargo"`
	Email             string `json:"email"`
	TelefoneCelular   string `json:"telefone_celular"`
	TelefoneComercial string `json:"telefone_comercial"`
}

func convertAll[W any, T any](in []W, conv func(W) T) []T {
	out := make([]T, len(in))
	for i, w := range in {
		out[i] = conv(w)
	}
	return out
}

// apply copies the present fields into p and validates the result field by field, reporting
// the first problem only, as the real API does (EMP).
func (in pessoaWrite) apply(p *Pessoa) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&p.TipoPessoa, in.TipoPessoa)
	set(&p.Nome, in.Nome)
	set(&p.Email, in.Email)
	set(&p.TelefoneComercial, in.TelefoneComercial)
	set(&p.TelefoneCelular, in.TelefoneCelular)
	set(&p.RG, in.RG)
	set(&p.DataNascimento, in.DataNascimento)
	set(&p.NomeFantasia, in.NomeFantasia)
	set(&p.Codigo, in.Codigo)
	set(&p.Observacao, in.Observacao)
	for _, d := range []*string{in.Documento, in.CPF, in.CNPJ} {
		if d != nil {
			p.Documento = contaazul.DocumentKey(*d)
		}
	}
	if in.OptanteSimples != nil {
		p.OptanteSimplesNacional = *in.OptanteSimples
	}
	if in.AgenciaPublica != nil {
		p.AgenciaPublica = *in.AgenciaPublica
	}
	if in.Ativo != nil {
		p.Ativo = *in.Ativo
	}
	if in.Perfis != nil {
		p.Perfis = convertAll(*in.Perfis, func(w wirePerfil) Perfil { return Perfil(w) })
	}
	if in.Enderecos != nil {
		p.Enderecos = convertAll(*in.Enderecos, func(w wireEndereco) Endereco { return Endereco(w) })
	}
	if in.Inscricoes != nil {
		p.Inscricoes = convertAll(*in.Inscricoes, func(w wireInscricao) Inscricao { return Inscricao(w) })
	}
	if in.OutrosContatos != nil {
		p.OutrosContatos = convertAll(*in.OutrosContatos, func(w wireContato) Contato { return Contato(w) })
	}
	return normalize(p)
}

// normalize validates p and puts documento and CEPs in their display format. Lists are answered
// as [] rather than null.
func normalize(p *Pessoa) error {
	if p.Perfis == nil {
		p.Perfis = []Perfil{}
	}
	if p.Enderecos == nil {
		p.Enderecos = []Endereco{}
	}
	if p.Inscricoes == nil {
		p.Inscricoes = []Inscricao{}
	}
	if p.OutrosContatos == nil {
		p.OutrosContatos = []Contato{}
	}
	doc := contaazul.DocumentKey(p.Documento)
	switch p.TipoPessoa {
	case "Física":
		if doc != "" && (len(doc) != 11 || strings.Trim(doc, "0123456789") != "") {
			return errors.New("cpf deve ter 11 dígitos")
		}
	case "Jurídica":
		// Check digits are not validated (EMP); alphanumeric CNPJs are accepted.
		if doc != "" && len(doc) != 14 {
			return errors.New("cnpj deve ter 14 caracteres")
		}
	case "Estrangeira":
	default:
		return errors.New("tipo_pessoa deve ser Física, Jurídica ou Estrangeira")
	}
	p.Documento = formatDoc(doc)
	if p.Nome == "" {
		return errors.New("nome é obrigatório")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"nome", p.Nome, 200}, {"email", p.Email, 100}, {"observacao", p.Observacao, 2000}, {"codigo", p.Codigo, 20}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return fmt.Errorf("%s deve ter no máximo %d caracteres", f.name, f.max)
		}
	}
	for _, pf := range p.Perfis {
		if !slices.Contains([]string{"Cliente", "Fornecedor", "Transportadora"}, pf.TipoPerfil) {
			return fmt.Errorf("tipo_perfil inválido: %q (use Cliente, Fornecedor ou Transportadora)", pf.TipoPerfil)
		}
	}
	for i := range p.Enderecos {
		e := &p.Enderecos[i]
		if e.Estado != "" && (len(e.Estado) != 2 || strings.ToUpper(e.Estado) != e.Estado) {
			return fmt.Errorf("enderecos[%d].estado deve ser a sigla da UF com 2 letras maiúsculas", i)
		}
		if e.CEP != "" {
			cep := contaazul.DocumentKey(e.CEP)
			if len(cep) != 8 || strings.Trim(cep, "0123456789") != "" {
				return fmt.Errorf("enderecos[%d].cep deve ter 8 dígitos", i)
			}
			e.CEP = cep[:5] + "-" + cep[5:]
		}
		if e.ID == "" {
			e.ID = newUUID()
		}
	}
	return nil
}

// formatDoc formats a CPF as 000.000.000-00 and a CNPJ as 00.000.000/0000-00, as the API
// returns documento.
func formatDoc(s string) string {
	d := contaazul.DocumentKey(s)
	switch len(d) {
	case 11:
		return d[:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:]
	case 14:
		return d[:2] + "." + d[2:5] + "." + d[5:8] + "/" + d[8:12] + "-" + d[12:]
	}
	return d
}
