package flow

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
)

// auvoSide reads and writes Auvo customers in the neutral model, for one integration's ERP
// (whose address patterns and field set apply).
type auvoSide struct {
	c   *auvo.Client
	erp br.ERP
	fs  FieldSet
	// dry is set in a preview: create, update and setExternal send nothing and answer the
	// customer as Auvo would hold it (SPEC OP7).
	dry *preview
}

// phoneCanon turns phones as people write them into the canonical " / "-joined digits.
func phoneCanon(in []string) string {
	var out []string
	for _, s := range in {
		ps, _ := br.ParsePhones(s)
		if len(ps) == 0 {
			if d := digitsOnly(s); d != "" {
				out = append(out, d)
			}
			continue
		}
		for _, p := range ps {
			out = append(out, p.Digits())
		}
	}
	return strings.Join(out, " / ")
}

// phoneList splits a canonical phone field back into its numbers.
func phoneList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, " / ") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func emailCanon(in []string) string {
	var out []string
	for _, e := range in {
		out = append(out, strings.FieldsFunc(e, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })...)
	}
	return strings.Join(out, ", ")
}

func emailList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ", ")
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// customer reads an Auvo customer. The address line is split with the ERP's patterns (C-A5);
// when it does not split, the line is kept as written and AddressErr says why.
func (s auvoSide) customer(a auvo.Customer) Customer {
	c := Customer{
		ID: strconv.FormatInt(a.ID, 10), ExternalID: a.ExternalID, Document: a.CPFCNPJ, Active: a.Active, Client: true,
		ChangedAt: a.DateLastUpdate.Time, auvoRaw: &a,
		Fields: Fields{Name: strings.TrimSpace(a.Description), Phone: phoneCanon(a.PhoneNumber), Email: emailCanon(a.Email),
			Note: a.Note},
	}
	complement := strings.TrimSpace(a.AdressComplement)
	switch line := strings.TrimSpace(a.Address); {
	case line == "":
		c.AddressErr = "o endereço está vazio"
	default:
		addr, _, err := br.ParseAddress(line, s.erp)
		if err != nil {
			c.Fields.Address, c.AddressErr = line, addressProblem(err)
			break
		}
		if s.fs.Complement {
			// Omie keeps the complement in a field of its own, as Auvo does (adressComplement).
			if complement == "" {
				complement = addr.Complement
			}
			addr.Complement = ""
		}
		c.Fields.Address = br.FormatAddress(addr)
	}
	c.Fields.Complement = complement
	c.Fields = s.fs.Mask(c.Fields)
	return c
}

func addressProblem(err error) string {
	if ae, ok := err.(*br.AddressError); ok {
		return ae.Reason()
	}
	return err.Error()
}

// changed lists the customers changed at or after since (every customer when since is zero),
// active or not: an inactivation must be seen to stop updates (C-A9).
func (s auvoSide) changed(ctx context.Context, since time.Time) ([]Customer, error) {
	list, err := s.c.AllCustomers(ctx, auvo.CustomerFilter{DateLastUpdate: since})
	if err != nil {
		return nil, err
	}
	out := make([]Customer, 0, len(list))
	for _, a := range list {
		out = append(out, s.customer(a))
	}
	return out, nil
}

func (s auvoSide) get(ctx context.Context, id string) (Customer, auvo.Customer, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return Customer{}, auvo.Customer{}, err
	}
	a, err := s.c.GetCustomer(ctx, n)
	if err != nil {
		return Customer{}, auvo.Customer{}, err
	}
	return s.customer(a), a, nil
}

// apply writes the synced fields f into a, as Auvo stores them.
func (s auvoSide) apply(a *auvo.Customer, f Fields) {
	a.Description = f.Name
	a.PhoneNumber = phoneList(f.Phone)
	if a.PhoneNumber == nil {
		a.PhoneNumber = []string{}
	}
	a.Email = emailList(f.Email)
	a.Address = f.Address
	if s.fs.Complement {
		a.AdressComplement = f.Complement
	}
	if s.fs.Note {
		a.Note = f.Note
	}
}

// create makes the Auvo customer for ERP record erpID (C-E4). PUT keyed by externalId is an
// upsert, so a retry after a lost answer finds the customer instead of making a second one.
func (s auvoSide) create(ctx context.Context, f Fields, doc br.Document, erpID string) (Customer, error) {
	a := auvo.Customer{ExternalID: erpID, CPFCNPJ: doc.Formatted(), Active: true}
	s.apply(&a, f)
	if s.dry != nil {
		a.ID = s.dry.fakeID()
		return s.customer(a), nil
	}
	saved, _, err := s.c.UpsertCustomer(ctx, a)
	if err != nil {
		return Customer{}, err
	}
	return s.customer(saved), nil
}

// update writes f over the customer as read (a), keeping every field Ponte does not sync.
func (s auvoSide) update(ctx context.Context, a auvo.Customer, f Fields) (Customer, error) {
	s.apply(&a, f)
	if s.dry != nil {
		return s.customer(a), nil
	}
	saved, _, err := s.c.UpsertCustomer(ctx, a)
	if err != nil {
		return Customer{}, err
	}
	return s.customer(saved), nil
}

// setExternal writes the ERP id into the customer's external code (C-A3, C-A4, C-E3).
func (s auvoSide) setExternal(ctx context.Context, id, erpID string) (Customer, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return Customer{}, err
	}
	if s.dry != nil {
		a, err := s.c.GetCustomer(ctx, n)
		if err != nil {
			return Customer{}, err
		}
		a.ExternalID = erpID
		return s.customer(a), nil
	}
	saved, err := s.c.PatchCustomer(ctx, n, []auvo.PatchOp{auvo.Replace("externalId", erpID)})
	if err != nil {
		return Customer{}, err
	}
	return s.customer(saved), nil
}
