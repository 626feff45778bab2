package contaazul

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The profiles of a person (perfis[].tipo_perfil).
const (
	PerfilCliente        = "Cliente"
	PerfilFornecedor     = "Fornecedor"
	PerfilTransportadora = "Transportadora"
)

// The kinds of person (tipo_pessoa).
const (
	TipoFisica      = "Física"
	TipoJuridica    = "Jurídica"
	TipoEstrangeira = "Estrangeira"
)

// TimeLayout is how Conta Azul writes data_alteracao and reads data_alteracao_de: São Paulo
// time without an offset.
const TimeLayout = "2006-01-02T15:04:05"

// saoPaulo is Conta Azul's clock. Brazil has had no daylight saving time since 2019, so a fixed
// UTC-3 zone is exact for current dates and needs no tzdata.
var saoPaulo = time.FixedZone("BRT", -3*60*60)

// Pessoa is a customer, supplier or carrier as GET /v1/pessoas/{id} returns it. List items carry
// a subset of these fields (and, with PessoaFilter.WithAddress, Endereco instead of Enderecos).
// Fields keep their wire form: Documento is formatted ("123.456.789-00"), dates are strings.
type Pessoa struct {
	ID                         string           `json:"id"`
	IDLegado                   LegacyID         `json:"id_legado,omitzero"`
	UUIDLegado                 string           `json:"uuid_legado,omitempty"`
	Nome                       string           `json:"nome"`
	NomeFantasia               string           `json:"nome_fantasia"`
	TipoPessoa                 string           `json:"tipo_pessoa"`
	Documento                  string           `json:"documento"`
	RG                         string           `json:"rg"`
	DataNascimento             string           `json:"data_nascimento"`
	Codigo                     string           `json:"codigo"`
	Email                      string           `json:"email"` // may hold several, comma-separated
	TelefoneComercial          string           `json:"telefone_comercial"`
	TelefoneCelular            string           `json:"telefone_celular"`
	Ativo                      bool             `json:"ativo"`
	Observacao                 string           `json:"observacao"`
	OptanteSimplesNacional     bool             `json:"optante_simples_nacional"`
	AgenciaPublica             bool             `json:"agencia_publica"`
	Perfis                     []Perfil         `json:"perfis"`
	Enderecos                  []Endereco       `json:"enderecos"`
	Endereco                   *Endereco        `json:"endereco,omitempty"` // list items with com_endereco [I]
	Inscricoes                 []Inscricao      `json:"inscricoes"`
	OutrosContatos             []Contato        `json:"outros_contatos"`
	ContatoCobrancaFaturamento *ContatoCobranca `json:"contato_cobranca_faturamento,omitempty"`
	AtrasosPagamentos          float64          `json:"atrasos_pagamentos"`
	AtrasosRecebimentos        float64          `json:"atrasos_recebimentos"`
	PagamentosMesAtual         float64          `json:"pagamentos_mes_atual"`
	RecebimentosMesAtual       float64          `json:"recebimentos_mes_atual"`
	CriadoEm                   string           `json:"criado_em"`
	DataAlteracao              string           `json:"data_alteracao"`
}

// HasProfile reports whether p holds the profile tipo (PerfilCliente, …), ignoring case: rule
// C-E6 integrates a person with the Cliente profile whatever other profiles it has.
func (p Pessoa) HasProfile(tipo string) bool {
	for _, pf := range p.Perfis {
		if strings.EqualFold(strings.TrimSpace(pf.TipoPerfil), tipo) {
			return true
		}
	}
	return false
}

// ChangedAt parses data_alteracao, the time the sync cursor follows.
func (p Pessoa) ChangedAt() (time.Time, error) {
	t, err := time.ParseInLocation(TimeLayout, p.DataAlteracao, saoPaulo)
	if err != nil {
		return time.Time{}, fmt.Errorf("contaazul: pessoa %s: data_alteracao %q: %w", p.ID, p.DataAlteracao, err)
	}
	return t, nil
}

// Addresses returns the person's addresses, whichever form the answer used.
func (p Pessoa) Addresses() []Endereco {
	if len(p.Enderecos) == 0 && p.Endereco != nil {
		return []Endereco{*p.Endereco}
	}
	return p.Enderecos
}

// LegacyID is the id a person had in the legacy API. The docs show a number; whether it is
// always one is [U], so a string is accepted too and written back as it came.
type LegacyID struct {
	raw json.RawMessage
}

// NewLegacyID returns the legacy id n, written as a number like the docs show it.
func NewLegacyID(n int64) LegacyID { return LegacyID{raw: strconv.AppendInt(nil, n, 10)} }

// String returns the id's text, "" when absent.
func (l LegacyID) String() string {
	var s string
	if json.Unmarshal(l.raw, &s) == nil {
		return s
	}
	if bytes.Equal(l.raw, []byte("null")) {
		return ""
	}
	return string(l.raw)
}

// IsZero reports an absent id.
func (l LegacyID) IsZero() bool { return l.String() == "" }

// UnmarshalJSON accepts a number, a string or null.
func (l *LegacyID) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v.(type) {
	case nil, string, float64:
		l.raw = bytes.Clone(b)
		return nil
	}
	return fmt.Errorf("contaazul: id_legado: unexpected JSON %s", b)
}

// MarshalJSON writes the id as it was read.
func (l LegacyID) MarshalJSON() ([]byte, error) {
	if len(l.raw) == 0 {
		return []byte("null"), nil
	}
	return l.raw, nil
}

// Perfil is one profile of a person.
type Perfil struct {
	TipoPerfil string `json:"tipo_perfil"`
}

// Endereco is one address. ID is set on addresses read back; leave it empty when writing new
// ones. Estado is the two-letter UF.
type Endereco struct {
	ID          string `json:"id,omitempty"`
	CEP         string `json:"cep"`
	Logradouro  string `json:"logradouro"`
	Numero      string `json:"numero"`
	Complemento string `json:"complemento"`
	Bairro      string `json:"bairro"`
	Cidade      string `json:"cidade"`
	Estado      string `json:"estado"`
	Pais        string `json:"pais"`
}

// Inscricao holds a person's tax registrations.
type Inscricao struct {
	IndicadorInscricaoEstadual string `json:"indicador_inscricao_estadual"` // NAO CONTRIBUINTE | CONTRIBUINTE | ISENTO
	InscricaoEstadual          string `json:"inscricao_estadual"`
	InscricaoMunicipal         string `json:"inscricao_municipal"`
	InscricaoSuframa           string `json:"inscricao_suframa"`
}

// Contato is one of a person's other contacts.
type Contato struct {
	Nome              string `json:"nome"`
	Cargo             string `json:"cargo"`
	Email             string `json:"email"`
	TelefoneCelular   string `json:"telefone_celular"`
	TelefoneComercial string `json:"telefone_comercial"`
}

// ContatoCobranca is where a person receives bills.
type ContatoCobranca struct {
	Emails   []string `json:"emails"`
	Whatsapp string   `json:"whatsapp"`
}

// PessoaPage is one page of GET /v1/pessoas. Its envelope is {"totalItems", "items"}, unlike the
// {"itens_totais", "itens"} of other v2 lists.
type PessoaPage struct {
	Total int      `json:"totalItems"`
	Items []Pessoa `json:"items"`
	// Page and PageSize are the request's, kept to tell the last page.
	Page     int `json:"-"`
	PageSize int `json:"-"`
}

// Last reports whether no page follows this one.
func (p PessoaPage) Last() bool {
	return len(p.Items) < p.PageSize || p.Page*p.PageSize >= p.Total
}

// ContaConectada is the company a connection is authorised on (GET /v1/pessoas/conta-conectada,
// [I]).
type ContaConectada struct {
	IDEmpresa    string `json:"id_empresa"`
	RazaoSocial  string `json:"razao_social"`
	NomeFantasia string `json:"nome_fantasia"`
	Documento    string `json:"documento"`
	Email        string `json:"email"`
	DataFundacao string `json:"data_fundacao"`
}

// PessoaInput is the body of POST /v1/pessoas, as the official n8n node sends it: the document
// goes in CPF (Física) or CNPJ (Jurídica).
type PessoaInput struct {
	TipoPessoa        string     `json:"tipo_pessoa"`
	Nome              string     `json:"nome"`
	CPF               string     `json:"cpf,omitempty"`
	CNPJ              string     `json:"cnpj,omitempty"`
	NomeFantasia      string     `json:"nome_fantasia,omitempty"`
	Email             string     `json:"email,omitempty"`
	TelefoneComercial string     `json:"telefone_comercial,omitempty"`
	TelefoneCelular   string     `json:"telefone_celular,omitempty"`
	Observacao        string     `json:"observacao,omitempty"`
	Codigo            string     `json:"codigo,omitempty"`
	Perfis            []Perfil   `json:"perfis"`
	Enderecos         []Endereco `json:"enderecos,omitempty"`
}

// PessoaPatch is the body of PATCH /v1/pessoas/{id}: only non-nil fields are sent and changed.
// Enderecos, when non-nil, replaces the person's addresses; keep their IDs to update in place.
type PessoaPatch struct {
	Nome              *string     `json:"nome,omitempty"`
	Email             *string     `json:"email,omitempty"`
	TelefoneComercial *string     `json:"telefone_comercial,omitempty"`
	TelefoneCelular   *string     `json:"telefone_celular,omitempty"`
	Observacao        *string     `json:"observacao,omitempty"`
	Ativo             *bool       `json:"ativo,omitempty"`
	Perfis            *[]Perfil   `json:"perfis,omitempty"`
	Enderecos         *[]Endereco `json:"enderecos,omitempty"`
}
