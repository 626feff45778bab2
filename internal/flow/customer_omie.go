package flow

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// omieCustomers is Omie's side of the customer flows: clientes_cadastro, with the role told by
// tags (C-E5) and the integration code "auvo-{id}" as the idempotency key of creates.
type omieCustomers struct {
	c *omie.Client
}

// omiePageSize is big enough that a cycle without changes reads one page.
const omiePageSize = 200

func (omieCustomers) erp() store.ERP     { return store.Omie }
func (omieCustomers) fieldSet() FieldSet { return FieldSet{Complement: true} }
func (omieCustomers) notClient() Code    { return ReasonNotClientTag }

// omieIsClient applies C-E5: no tags, or only custom tags, or the standard tag Cliente whatever
// else is there, is a customer; standard tags without Cliente are not. Case and accents do not
// matter.
func omieIsClient(tags []omie.Tag) bool {
	standard := false
	for _, t := range tags {
		// Omie's standard role tags (api/omie.md §3 [I]); any other tag is custom.
		switch br.Fold(t.Tag) {
		case "cliente":
			return true
		case "fornecedor", "transportadora":
			standard = true
		}
	}
	return !standard
}

func (o omieCustomers) customer(c omie.ClienteCadastro) Customer {
	var tags []string
	for _, t := range c.Tags {
		tags = append(tags, t.Tag)
	}
	cu := Customer{
		ID: strconv.FormatInt(c.CodigoClienteOmie, 10), Document: c.CnpjCpf, Active: !c.Inativo.Bool(),
		Client: omieIsClient(c.Tags), Roles: strings.Join(tags, ", "),
		Fields: Fields{
			Name:       strings.TrimSpace(c.RazaoSocial),
			Phone:      joinPhones([2]string{c.Telefone1DDD, c.Telefone1Numero}, [2]string{c.Telefone2DDD, c.Telefone2Numero}),
			Email:      emailCanon([]string{c.Email}),
			Address:    formatERPAddress(br.Address{Street: c.Endereco, Number: c.EnderecoNumero, District: c.Bairro, City: c.Cidade, State: c.Estado, CEP: c.Cep}),
			Complement: strings.TrimSpace(c.Complemento),
		},
	}
	if c.Info != nil {
		if t, err := c.Info.Changed(); err == nil {
			cu.ChangedAt = t
		} else if t, err := c.Info.Included(); err == nil {
			cu.ChangedAt = t
		}
	}
	return cu
}

// joinPhones reads an ERP's separate DDD and number fields into the canonical phone field.
func joinPhones(parts ...[2]string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p[0]+p[1]) == "" {
			continue
		}
		if ph, err := br.PhoneFromParts(p[0], p[1]); err == nil {
			out = append(out, ph.Digits())
		} else {
			out = append(out, digitsOnly(p[0]+p[1]))
		}
	}
	return strings.Join(out, " / ")
}

// splitPhone turns one canonical phone into DDD and number.
func splitPhone(s string) (ddd, number string) {
	if ps, err := br.ParsePhones(s); err == nil && len(ps) > 0 {
		return ps[0].DDD, ps[0].Number
	}
	if len(s) >= 10 {
		return s[:2], s[2:]
	}
	return "", s
}

// formatERPAddress writes an ERP's address fields as the canonical line; no street, no address.
func formatERPAddress(a br.Address) string {
	if strings.TrimSpace(a.Street) == "" {
		return ""
	}
	if cep, ok := br.NormalizeCEP(a.CEP); ok {
		a.CEP = cep
	}
	return br.FormatAddress(a)
}

// errAddress is an address line that cannot be split into the ERP's fields (C-A5).
type errAddress struct{ reason string }

func (e *errAddress) Error() string { return e.reason }

// splitAddress parses a canonical address line for erp; an empty line is no address.
func splitAddress(line string, erp br.ERP) (br.Address, error) {
	if line == "" {
		return br.Address{}, nil
	}
	a, _, err := br.ParseAddress(line, erp)
	if err != nil {
		return br.Address{}, &errAddress{addressProblem(err)}
	}
	return a, nil
}

// write fills the synced fields of f into c. Omie keeps a field sent empty (AlterarCliente
// merges), so clearing a field in Auvo does not clear it in Omie.
func (o omieCustomers) write(c *omie.ClienteCadastro, f Fields) error {
	addr, err := splitAddress(f.Address, br.Omie)
	if err != nil {
		return err
	}
	c.RazaoSocial = f.Name
	c.Email = f.Email
	c.Endereco, c.EnderecoNumero, c.Bairro, c.Cidade, c.Estado, c.Cep = addr.Street, addr.Number, addr.District, addr.City, addr.State, addr.CEP
	c.Complemento = f.Complement
	ph := phoneList(f.Phone)
	c.Telefone1DDD, c.Telefone1Numero, c.Telefone2DDD, c.Telefone2Numero = "", "", "", ""
	if len(ph) > 0 {
		c.Telefone1DDD, c.Telefone1Numero = splitPhone(ph[0])
	}
	if len(ph) > 1 {
		c.Telefone2DDD, c.Telefone2Numero = splitPhone(ph[1])
	}
	return nil
}

func (o omieCustomers) list(ctx context.Context, req omie.ListarClientesRequest) ([]Customer, error) {
	var out []Customer
	for c, err := range o.c.AllClientes(ctx, req) {
		if err != nil {
			return nil, err
		}
		out = append(out, o.customer(c))
	}
	return out, nil
}

func (o omieCustomers) changed(ctx context.Context, since time.Time) ([]Customer, error) {
	req := omie.ListarClientesRequest{RegistrosPorPagina: omiePageSize}
	if !since.IsZero() {
		// Inclusions and changes alike (api/omie.md §2.2 [I]): no filtrar_apenas_alteracao.
		// No filtrar_por_data_ate: Omie's clock stamps dAlt, and an upper bound from Ponte's
		// clock would cut off (for good, once the cursor moves) whatever Omie stamped after it
		// when Omie's clock runs ahead. since is on Omie's clock (a dAlt it returned) and is sent
		// in Brasília time, whatever the host's zone.
		req.FiltrarPorDataDe, req.FiltrarPorHoraDe = omie.FormatDate(since), omie.FormatTime(since)
	}
	return o.list(ctx, req)
}

func (o omieCustomers) byDocument(ctx context.Context, doc br.Document) ([]Customer, error) {
	return o.list(ctx, omie.ListarClientesRequest{RegistrosPorPagina: 50, ClientesFiltro: &omie.ClientesFiltro{CnpjCpf: doc.Digits}})
}

func omieID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, &partner.Error{Partner: omie.PartnerName, Kind: partner.KindNotFound, Message: "id do Omie inválido: " + id}
	}
	return n, nil
}

func (o omieCustomers) get(ctx context.Context, id string) (Customer, error) {
	n, err := omieID(id)
	if err != nil {
		return Customer{}, err
	}
	c, err := o.c.ConsultarCliente(ctx, omie.ClienteChave{CodigoClienteOmie: n})
	if err != nil {
		return Customer{}, err
	}
	return o.customer(c), nil
}

// create includes the customer with the tag Cliente, so that the ERP → Auvo flow sees a
// customer. A repeated integration code means an earlier attempt got through: that record is
// the one.
func (o omieCustomers) create(ctx context.Context, f Fields, doc br.Document, auvoID string) (Customer, error) {
	c := omie.ClienteCadastro{CodigoClienteIntegracao: auvoCode(auvoID), CnpjCpf: doc.Formatted(),
		NomeFantasia: f.Name, Tags: []omie.Tag{{Tag: "Cliente"}}}
	if err := o.write(&c, f); err != nil {
		return Customer{}, err
	}
	st, err := o.c.IncluirCliente(ctx, c)
	if err != nil {
		if id, ok := omie.ExistingID(err); ok && partner.KindOf(err) == partner.KindConflict {
			return o.get(ctx, strconv.FormatInt(id, 10))
		}
		return Customer{}, err
	}
	return o.get(ctx, strconv.FormatInt(st.CodigoClienteOmie, 10))
}

// update sends only the Omie id as the key: a record created outside the API has no
// integration code, and AlterarCliente would not find it by one. Only the fields f changes are
// sent, so a field someone edited in Omie since cur was listed is not overwritten with cur's
// value. The customer is not read back (issue 8): AlterarCliente keeps what it is not sent, so
// Omie now holds cur with the keys sent replaced (held). The exception is the address: Omie
// rewrites the cidade it is sent in its own form ("ARIQUEMES (RO)", api/omie.md §2.3), which
// only a read shows, and the snapshot must hold what the echo will carry.
func (o omieCustomers) update(ctx context.Context, cur Customer, f Fields) (Customer, error) {
	n, err := omieID(cur.ID)
	if err != nil {
		return Customer{}, err
	}
	fs := changedList(cur.Fields, f)
	sent := Fields{}
	for _, fd := range fs {
		*fd.get(&sent) = *fd.get(&f)
	}
	c := omie.ClienteCadastro{CodigoClienteOmie: n}
	if err := o.write(&c, sent); err != nil {
		return Customer{}, err
	}
	if _, err := o.c.AlterarCliente(ctx, c); err != nil {
		return Customer{}, err
	}
	now := o.held(cur.Fields, c)
	if sent.Address != "" {
		got, err := o.get(ctx, cur.ID)
		if err != nil {
			return Customer{}, err
		}
		now.Address = got.Fields.Address
	}
	return written(cur, now, fs), nil
}

// held is what Omie holds of the synced fields after AlterarCliente(c) on a customer that held
// prev: each key sent replaces the stored one and every other is kept (a field sent empty is
// not sent), so a second phone Auvo no longer has stays in telefone2. It is read into the
// canonical form the echo in the next listing will be read into. The address is left out: a
// written one is read back.
func (o omieCustomers) held(prev Fields, c omie.ClienteCadastro) Fields {
	prev.Address = ""
	var h omie.ClienteCadastro
	_ = o.write(&h, prev) // no address, nothing to refuse
	b, _ := json.Marshal(c)
	_ = json.Unmarshal(b, &h) // the keys sent over the ones held: AlterarCliente's merge
	return o.customer(h).Fields
}

var _ erpCustomers = omieCustomers{}

// isAddressErr reports whether err is an address the ERP cannot take.
func isAddressErr(err error) (string, bool) {
	var ae *errAddress
	if errors.As(err, &ae) {
		return ae.reason, true
	}
	return "", false
}
