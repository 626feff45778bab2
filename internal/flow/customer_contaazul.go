package flow

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// contaAzulCustomers is Conta Azul's side of the customer flows: pessoas, with the role told by
// profiles (C-E6) and the observação synced with Auvo's note (C-A8, C-E9). Lists leave the
// observação and the mobile phone out, so listed people are read whole before a decision.
type contaAzulCustomers struct {
	c    *contaazul.Client
	sent sentBefore
}

func newContaAzulCustomers(c *contaazul.Client, sent sentBefore) erpCustomers {
	return contaAzulCustomers{c: c, sent: sent}
}

func (contaAzulCustomers) erp() store.ERP     { return store.ContaAzul }
func (contaAzulCustomers) fieldSet() FieldSet { return FieldSet{Note: true} }
func (contaAzulCustomers) notClient() Code    { return ReasonNotClientProfile }

// contaAzulPageSize is one of the sizes Conta Azul accepts, big enough that a quiet cycle reads
// one page.
const contaAzulPageSize = 200

func (contaAzulCustomers) customer(p contaazul.Pessoa) Customer {
	var roles []string
	for _, pf := range p.Perfis {
		roles = append(roles, pf.TipoPerfil)
	}
	c := Customer{ID: p.ID, Document: p.Documento, Active: p.Ativo, Client: p.HasProfile(contaazul.PerfilCliente),
		Roles: strings.Join(roles, ", "),
		Fields: Fields{Name: strings.TrimSpace(p.Nome), Phone: phoneCanon([]string{p.TelefoneComercial, p.TelefoneCelular}),
			Email: emailCanon([]string{p.Email}), Note: p.Observacao}}
	if as := p.Addresses(); len(as) > 0 {
		a := as[0]
		c.Fields.Address = formatERPAddress(br.Address{Street: a.Logradouro, Number: a.Numero, Complement: a.Complemento,
			District: a.Bairro, City: a.Cidade, State: a.Estado, CEP: a.CEP})
	}
	if t, err := p.ChangedAt(); err == nil {
		c.ChangedAt = t
	}
	return c
}

func (ca contaAzulCustomers) changed(ctx context.Context, since time.Time) ([]Customer, error) {
	f := contaazul.PessoaFilter{PageSize: contaAzulPageSize}
	if !since.IsZero() {
		// No data_alteracao_ate: Conta Azul's clock stamps data_alteracao, and a bound from
		// Ponte's clock would cut off what it stamped later when it runs ahead.
		f.ChangedSince = since
	}
	var out []Customer
	for page, err := range ca.c.PessoaPages(ctx, f) {
		if err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			c := ca.customer(p)
			c.partial = true
			out = append(out, c)
		}
	}
	return out, nil
}

func (ca contaAzulCustomers) byDocument(ctx context.Context, doc br.Document) ([]Customer, error) {
	list, err := ca.c.FindPessoasByDocument(ctx, doc.Digits)
	if err != nil {
		return nil, err
	}
	out := make([]Customer, 0, len(list))
	for _, p := range list {
		c, err := ca.get(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (ca contaAzulCustomers) get(ctx context.Context, id string) (Customer, error) {
	p, err := ca.c.GetPessoa(ctx, id)
	if err != nil {
		return Customer{}, err
	}
	return ca.customer(p), nil
}

// address turns a canonical line into Conta Azul's address; id keeps an existing one in place.
func contaAzulAddress(line, id string) ([]contaazul.Endereco, error) {
	a, err := splitAddress(line, br.ContaAzul)
	if err != nil || line == "" {
		return nil, err
	}
	return []contaazul.Endereco{{ID: id, CEP: a.CEP, Logradouro: a.Street, Numero: a.Number, Complemento: a.Complement,
		Bairro: a.District, Cidade: a.City, Estado: a.State, Pais: a.Country}}, nil
}

func phoneAt(s string, i int) string {
	ph := phoneList(s)
	if i >= len(ph) {
		return ""
	}
	if ps, err := br.ParsePhones(ph[i]); err == nil && len(ps) > 0 {
		return ps[0].String()
	}
	return ph[i]
}

// create makes the person with the profile Cliente and the code "auvo-{id}". A create is
// idempotent on the Auvo id: when one was sent before for this customer (a run that stopped
// before saving the link), or the answer to this one was lost, the person is looked up by that
// code — read whole, since list items carry no codigo — and a found one is taken instead of
// creating a second, whatever its document is now.
func (ca contaAzulCustomers) create(ctx context.Context, f Fields, doc br.Document, auvoID string) (Customer, error) {
	addr, err := contaAzulAddress(f.Address, "")
	if err != nil {
		return Customer{}, err
	}
	in := contaazul.PessoaInput{Nome: f.Name, Email: f.Email, TelefoneComercial: phoneAt(f.Phone, 0),
		TelefoneCelular: phoneAt(f.Phone, 1), Observacao: f.Note, Codigo: auvoCode(auvoID),
		Perfis: []contaazul.Perfil{{TipoPerfil: contaazul.PerfilCliente}}, Enderecos: addr}
	if doc.Kind == br.CPF {
		in.TipoPessoa, in.CPF = contaazul.TipoFisica, doc.Formatted()
	} else {
		in.TipoPessoa, in.CNPJ = contaazul.TipoJuridica, doc.Formatted()
	}
	find := func() (Customer, bool, error) {
		list, err := ca.c.FindPessoasByCode(ctx, in.Codigo)
		if err != nil || len(list) == 0 {
			return Customer{}, false, err
		}
		return ca.customer(list[0]), true, nil
	}
	before, err := ca.sent(ctx, auvoID)
	if err != nil {
		return Customer{}, err
	}
	if before {
		if c, ok, err := find(); ok || err != nil {
			return c, err
		}
	}
	id, err := ca.c.CreatePessoa(ctx, in)
	if err != nil && partner.IsAmbiguous(err) {
		c, ok, ferr := find()
		if ferr != nil {
			return Customer{}, errors.Join(err, ferr)
		}
		if ok {
			return c, nil
		}
	}
	if err != nil {
		return Customer{}, err
	}
	return ca.get(ctx, id)
}

// update patches only the fields f changes, so a field someone edited in Conta Azul since cur
// was listed keeps their value; the first address is replaced in place, which needs its id,
// so the person is read first only when the address changes. Conta Azul stores what PATCH
// sends (phones are compared as digits), so the person is not read back (issue 8): the fields
// written are what the patch holds.
func (ca contaAzulCustomers) update(ctx context.Context, cur Customer, f Fields) (Customer, error) {
	fs := changedList(cur.Fields, f)
	var patch contaazul.PessoaPatch
	now := contaazul.Pessoa{Nome: f.Name, Email: f.Email, TelefoneComercial: phoneAt(f.Phone, 0),
		TelefoneCelular: phoneAt(f.Phone, 1), Observacao: f.Note}
	for _, fd := range fs {
		switch fd.name {
		case "name":
			patch.Nome = &now.Nome
		case "email":
			patch.Email = &now.Email
		case "phone":
			patch.TelefoneComercial, patch.TelefoneCelular = &now.TelefoneComercial, &now.TelefoneCelular
		case "note":
			patch.Observacao = &now.Observacao
		case "address":
			addr, err := ca.addressOver(ctx, cur.ID, f.Address)
			if err != nil {
				return Customer{}, err
			}
			if len(addr) > 0 {
				patch.Enderecos, now.Enderecos = &addr, addr
			}
		}
	}
	if err := ca.c.PatchPessoa(ctx, cur.ID, patch); err != nil {
		return Customer{}, err
	}
	return written(cur, ca.customer(now).Fields, fs), nil
}

// addressOver is the person's addresses with the first replaced by line, kept in place by its
// id; no line keeps them as they are (nil).
func (ca contaAzulCustomers) addressOver(ctx context.Context, id, line string) ([]contaazul.Endereco, error) {
	if _, err := splitAddress(line, br.ContaAzul); err != nil || line == "" {
		return nil, err
	}
	p, err := ca.c.GetPessoa(ctx, id)
	if err != nil {
		return nil, err
	}
	as := p.Addresses()
	first := ""
	if len(as) > 0 {
		first = as[0].ID
	}
	addr, err := contaAzulAddress(line, first)
	if err != nil {
		return nil, err
	}
	if len(as) > 1 {
		addr = append(addr, as[1:]...)
	}
	return addr, nil
}

var _ erpCustomers = contaAzulCustomers{}
