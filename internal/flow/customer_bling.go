package flow

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// blingCustomers is Bling's side of the customer flows: contatos, with the role told by contact
// types (C-E7). Bling lists contacts without address or types and keeps no modification time
// on them: listed contacts are read whole before a decision, their listing time stands for their
// modification time, and a read contact has none, so in a same-field conflict with Bling the
// Auvo change wins (C-E11).
type blingCustomers struct {
	c    *bling.Client
	sent sentBefore
	// clientType is the account's Cliente contact type, read once per cycle when a contact is
	// created.
	clientType *bling.ContactType
}

func newBlingCustomers(c *bling.Client, sent sentBefore) erpCustomers {
	return &blingCustomers{c: c, sent: sent}
}

func (*blingCustomers) erp() store.ERP     { return store.Bling }
func (*blingCustomers) fieldSet() FieldSet { return FieldSet{} }
func (*blingCustomers) notClient() Code    { return ReasonNotClientType }

// blingIsClient applies C-E7 [interpretation]: no type, or the type Cliente among others, is a
// customer; only other types is not. Types are compared by name, case and accents aside.
func blingIsClient(types []bling.ContactType) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		if br.Fold(t.Description) == "cliente" {
			return true
		}
	}
	return false
}

func (*blingCustomers) customer(ct bling.Contact) Customer {
	var roles []string
	for _, t := range ct.Types {
		roles = append(roles, t.Description)
	}
	c := Customer{ID: strconv.FormatInt(ct.ID, 10), Document: ct.Document, Active: ct.Status == "" || ct.Status == bling.StatusActive,
		Client: blingIsClient(ct.Types), Roles: strings.Join(roles, ", "),
		Fields: Fields{Name: strings.TrimSpace(ct.Name), Phone: phoneCanon([]string{ct.Phone, ct.Mobile}), Email: emailCanon([]string{ct.Email})}}
	if ct.Addresses != nil && ct.Addresses.Main != nil {
		a := ct.Addresses.Main
		c.Fields.Address = formatERPAddress(br.Address{Street: a.Street, Number: a.Number, Complement: a.Complement,
			District: a.District, City: a.City, State: a.State, CEP: a.ZIP})
	}
	return c
}

func (b *blingCustomers) changed(ctx context.Context, since time.Time) ([]Customer, error) {
	f := bling.ContactFilter{}
	if !since.IsZero() {
		// No dataAlteracaoFinal: a bound from Ponte's clock would cut off what Bling's clock
		// stamped after it when Bling runs ahead. An open window is not refused (> 1 year rule).
		f.ChangedSince = since
	}
	pages := b.c.ContactPages(f)
	var out []Customer
	for pages.More() {
		list, err := pages.Next(ctx)
		if err != nil {
			return nil, err
		}
		for _, ct := range list {
			c := b.customer(ct)
			c.partial = true
			out = append(out, c)
		}
	}
	// Bling lists contacts without a modification time; the cursor can only take the time the
	// listing started on Bling's own clock (its Date header). Without one the records keep a
	// zero time, so the cursor stays where it is and the next cycle reads them again: slower,
	// never a lost change.
	for i := range out {
		out[i].ChangedAt = pages.Listed()
	}
	return out, nil
}

func (b *blingCustomers) byDocument(ctx context.Context, doc br.Document) ([]Customer, error) {
	list, err := b.c.FindContactsByDocument(ctx, doc.Digits)
	if err != nil {
		return nil, err
	}
	out := make([]Customer, 0, len(list))
	for _, ct := range list {
		c, err := b.get(ctx, strconv.FormatInt(ct.ID, 10))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func blingID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, &partner.Error{Partner: "bling", Kind: partner.KindNotFound, Message: "id do Bling inválido: " + id}
	}
	return n, nil
}

func (b *blingCustomers) get(ctx context.Context, id string) (Customer, error) {
	n, err := blingID(id)
	if err != nil {
		return Customer{}, err
	}
	ct, err := b.c.GetContact(ctx, n)
	if err != nil {
		return Customer{}, err
	}
	return b.customer(ct), nil
}

// write fills the synced fields into ct, keeping the billing address and everything else.
func (b *blingCustomers) write(ct *bling.Contact, f Fields) error {
	a, err := splitAddress(f.Address, br.Bling)
	if err != nil {
		return err
	}
	ct.Name, ct.Email = f.Name, f.Email
	ct.Phone, ct.Mobile = phoneAt(f.Phone, 0), phoneAt(f.Phone, 1)
	if ct.Addresses == nil {
		ct.Addresses = &bling.Addresses{}
	}
	if f.Address != "" {
		ct.Addresses.Main = &bling.Address{Street: a.Street, Number: a.Number, Complement: a.Complement, District: a.District,
			City: a.City, State: a.State, ZIP: a.CEP}
	}
	return nil
}

// create makes the contact with the type Cliente and the code "auvo-{id}", by which the client
// finds it after an ambiguous failure instead of creating it twice. It is idempotent on the Auvo
// id across runs too: when a create was sent before for this customer (a run that stopped
// before saving the link), the contact is looked up by that code first, whatever its document
// is now.
func (b *blingCustomers) create(ctx context.Context, f Fields, doc br.Document, auvoID string) (Customer, error) {
	ct := bling.Contact{Code: auvoCode(auvoID), Document: doc.Digits, Status: bling.StatusActive, PersonType: bling.PersonCompany}
	if doc.Kind == br.CPF {
		ct.PersonType = bling.PersonIndividual
	}
	if err := b.write(&ct, f); err != nil {
		return Customer{}, err
	}
	if b.clientType == nil {
		types, err := b.c.ListContactTypes(ctx)
		if err != nil {
			return Customer{}, err
		}
		t, _ := bling.FindType(types, "Cliente")
		b.clientType = &t
	}
	if b.clientType.ID != 0 {
		ct.Types = []bling.ContactType{*b.clientType}
	}
	before, err := b.sent(ctx, auvoID)
	if err != nil {
		return Customer{}, err
	}
	if before {
		found, err := b.c.FindContactsByCode(ctx, ct.Code)
		if err != nil {
			return Customer{}, err
		}
		if len(found) > 0 {
			return b.get(ctx, strconv.FormatInt(found[0].ID, 10))
		}
	}
	id, err := b.c.CreateContact(ctx, ct)
	if err != nil {
		return Customer{}, err
	}
	return b.get(ctx, strconv.FormatInt(id, 10))
}

// update writes the whole contact back (Bling's PUT replaces, so the contact is read first),
// changed only in the fields f changes: a field someone edited in Bling since cur was listed
// keeps their value. The contact is not read back after the PUT (issue 8): the fields written
// are read from what was sent.
func (b *blingCustomers) update(ctx context.Context, cur Customer, f Fields) (Customer, error) {
	n, err := blingID(cur.ID)
	if err != nil {
		return Customer{}, err
	}
	if _, err := splitAddress(f.Address, br.Bling); err != nil {
		return Customer{}, err
	}
	fs := changedList(cur.Fields, f)
	ct, err := b.c.ModifyContact(ctx, n, func(ct *bling.Contact) {
		w := b.customer(*ct).Fields
		for _, fd := range fs {
			*fd.get(&w) = *fd.get(&f)
		}
		_ = b.write(ct, w)
	})
	if err != nil {
		return Customer{}, err
	}
	return written(cur, b.customer(ct).Fields, fs), nil
}

var _ erpCustomers = (*blingCustomers)(nil)
