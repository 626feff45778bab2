package bling

import (
	"strings"
	"time"
)

// Contact is a Bling contato (api/bling.md §2). List answers fill only the base fields (ID, Name,
// Code, Status, Document, Phone, Mobile); GetContact fills all of them. Bling returns no
// creation or modification time on a contact: incremental reads rely on the
// dataAlteracaoInicial filter alone.
type Contact struct {
	ID     int64  `json:"id,omitempty"`
	Name   string `json:"nome"`
	Code   string `json:"codigo,omitempty"`
	Status string `json:"situacao,omitempty"` // StatusActive, StatusInactive, StatusDeleted, StatusNoActivity
	// Document is the CPF/CNPJ; Bling returns it sometimes formatted, sometimes bare.
	Document   string `json:"numeroDocumento,omitempty"`
	Phone      string `json:"telefone,omitempty"`
	Mobile     string `json:"celular,omitempty"`
	TradeName  string `json:"fantasia,omitempty"`
	PersonType string `json:"tipo,omitempty"` // PersonCompany, PersonIndividual, PersonForeign; required on writes
	// IEIndicator is indicadorIe: 1 contribuinte ICMS, 2 contribuinte isento, 9 não contribuinte.
	IEIndicator           int             `json:"indicadorIe,omitempty"`
	IE                    string          `json:"ie,omitempty"`
	RG                    string          `json:"rg,omitempty"`
	MunicipalRegistration string          `json:"inscricaoMunicipal,omitempty"`
	IssuingBody           string          `json:"orgaoEmissor,omitempty"`
	Email                 string          `json:"email,omitempty"`
	InvoiceEmail          string          `json:"emailNotaFiscal,omitempty"`
	PublicBody            string          `json:"orgaoPublico,omitempty"` // N, M, E, F
	Addresses             *Addresses      `json:"endereco,omitempty"`
	Seller                *Ref            `json:"vendedor,omitempty"`
	Additional            *Additional     `json:"dadosAdicionais,omitempty"`
	Financial             *Financial      `json:"financeiro,omitempty"`
	Country               *Country        `json:"pais,omitempty"`
	Types                 []ContactType   `json:"tiposContato,omitempty"`
	People                []ContactPerson `json:"pessoasContato,omitempty"`
}

// Contact status values (situacao).
const (
	StatusActive     = "A"
	StatusInactive   = "I"
	StatusDeleted    = "E"
	StatusNoActivity = "S" // sem movimentação; still a usable contact
)

// Person type values (tipo). The list filter encodes the same thing as 1/2/3 (tipoPessoa).
const (
	PersonIndividual = "F"
	PersonCompany    = "J"
	PersonForeign    = "E"
)

// Addresses holds a contact's two addresses: geral (the main one) and cobranca (billing).
type Addresses struct {
	Main    *Address `json:"geral,omitempty"`
	Billing *Address `json:"cobranca,omitempty"`
}

// Address is one Bling address, every field a string (CEP formatted as Bling keeps it).
type Address struct {
	Street     string `json:"endereco"`
	ZIP        string `json:"cep"`
	District   string `json:"bairro"`
	City       string `json:"municipio"`
	State      string `json:"uf"`
	Number     string `json:"numero"`
	Complement string `json:"complemento"`
}

// Ref points at another Bling record by id (vendedor, categoria).
type Ref struct {
	ID int64 `json:"id"`
}

// Additional is dadosAdicionais.
type Additional struct {
	BirthDate   string `json:"dataNascimento,omitempty"` // YYYY-MM-DD
	Sex         string `json:"sexo,omitempty"`           // M, F
	Nationality string `json:"naturalidade,omitempty"`
}

// Financial is financeiro. CreditLimit has no omitempty: Bling sends 0 explicitly.
type Financial struct {
	CreditLimit  float64 `json:"limiteCredito"`
	PaymentTerms string  `json:"condicaoPagamento,omitempty"`
	Category     *Ref    `json:"categoria,omitempty"`
}

// Country is pais, set on foreign contacts.
type Country struct {
	Name string `json:"nome"`
}

// ContactType is one of the account's contact types (Cliente, Fornecedor, Transportador…).
// Ids are per account: find "Cliente" by its description, never by a fixed id.
type ContactType struct {
	ID          int64  `json:"id"`
	Description string `json:"descricao,omitempty"`
}

// ContactPerson is one entry of pessoasContato.
type ContactPerson struct {
	ID          int64  `json:"id"`
	Description string `json:"descricao,omitempty"`
}

// ContactFilter selects contacts in ListContacts. Zero fields do not filter.
type ContactFilter struct {
	// ChangedSince is dataAlteracaoInicial. Bling returns no modification time on contacts, so
	// the next cursor is the time the listing started (minus an overlap), not a record's time.
	ChangedSince time.Time
	// ChangedUntil is dataAlteracaoFinal. Bling refuses windows longer than a year [I].
	ChangedUntil time.Time
	// Document is numeroDocumento; punctuation is removed before sending (Bling wants it bare).
	Document string
	// TypeID is idTipoContato, from ListContactTypes.
	TypeID int64
	// Search is pesquisa: name, CPF/CNPJ, trade name, e-mail or code.
	Search string
	// Deleted lists the excluded contacts (criterio=2) instead of the others.
	Deleted bool
	// Limit is the page size (limite), at most and by default MaxPageSize.
	Limit int
}

// MaxPageSize is Bling's largest page (limite) [I].
const MaxPageSize = 100

// TimeLayout is how Bling writes times in filters: Brasília local time, to the second [I].
const TimeLayout = "2006-01-02 15:04:05"

// Brasilia is Bling's time zone. Brazil has had no daylight saving time since 2019, so a fixed
// offset is exact and needs no tzdata on the host.
func Brasilia() *time.Location { return time.FixedZone("BRT", -3*60*60) }

// DocumentKey reduces a CPF/CNPJ to what Bling's numeroDocumento filter expects: digits (and the
// letters of an alphanumeric CNPJ), upper-cased, without punctuation.
func DocumentKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// HasType reports whether the contact carries the contact type id.
func (c Contact) HasType(id int64) bool {
	for _, t := range c.Types {
		if t.ID == id {
			return true
		}
	}
	return false
}
