package demo

import (
	"fmt"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
)

// The sandboxes' own demo data already holds most tricky cases of SPEC §5: Auvo customers
// without a document, inactive, or with an address in no accepted pattern (C-A1, C-A2, C-A5);
// Omie customers without a document, inactive, or tagged only Fornecedor/Transportadora (C-E1,
// C-E2, C-E5). seedSandboxes adds what they lack, always in the same order so ids come out the
// same on every start:
//
//   - an Auvo customer whose CNPJ has wrong check digits (C-A2: invalid, no ERP call);
//   - an Omie customer with the CPF/CNPJ of an unlinked Auvo customer (C-A3: linked, not created);
//   - an Auvo customer with the document of an Omie client and an address Ponte cannot split
//     (C-A5 skips it one way, C-E3 links it the other way);
//   - a finished task of that customer with one service whose name Omie's catalogue also has
//     (K2: sent as a service order once the customer is linked, in the first cycle);
//   - the Auvo accounts of the Conta Azul and Bling integrations, with the demo data.

// invalidCNPJ has the shape of a CNPJ and wrong check digits.
const invalidCNPJ = "12.345.678/0001-00"

// linkedByDocument is the Auvo demo customer that Omie also has (C-A3).
const linkedByDocument = "Hotel Serra Verde Ltda"

func seedSandboxes(sb Sandboxes, omieKey string) error {
	sb.Auvo.AddAccount(contaAzulAuvoKey, contaAzulAuvoToken, true)
	sb.Auvo.AddAccount(blingAuvoKey, blingAuvoToken, true)

	key := auvosandbox.DemoAPIKey
	if _, err := sb.Auvo.SeedCustomer(key, auvo.Customer{Description: "Distribuidora Gelo Azul Ltda", CPFCNPJ: invalidCNPJ,
		Address: "Rua Voluntários da Pátria, 410, Botafogo, Rio de Janeiro, RJ, 22270-010", Active: true,
		PhoneNumber: []string{"(21) 3222-4100"}, Email: []string{"compras@geloazul.example"}}); err != nil {
		return fmt.Errorf("demo: seeding Auvo: %w", err)
	}

	var hotel *auvo.Customer
	for _, r := range sb.Auvo.Customers(key) {
		if r.Value.Description == linkedByDocument {
			c := r.Value
			hotel = &c
		}
	}
	if hotel == nil {
		return fmt.Errorf("demo: the Auvo demo data has no %q", linkedByDocument)
	}
	if _, err := sb.Omie.SeedCustomer(omieKey, omie.ClienteCadastro{RazaoSocial: "HOTEL SERRA VERDE LTDA",
		NomeFantasia: "Hotel Serra Verde", CnpjCpf: hotel.CPFCNPJ, Endereco: "Rua Teresa", EnderecoNumero: "880",
		Bairro: "Alto da Serra", Cidade: "PETROPOLIS (RJ)", Estado: "RJ", Cep: "25635-530", CodigoPais: "1058",
		Telefone1DDD: "24", Telefone1Numero: "22421234", Email: "reservas@serraverde.example",
		Inativo: omie.Nao, Tags: []omie.Tag{{Tag: "Cliente"}}}); err != nil {
		return fmt.Errorf("demo: seeding Omie: %w", err)
	}

	if err := seedSendableTask(sb.Auvo, key, *hotel); err != nil {
		return err
	}

	client, ok := omieClient(sb.Omie, omieKey)
	if !ok {
		return fmt.Errorf("demo: the Omie demo data has no active client with a document")
	}
	if _, err := sb.Auvo.SeedCustomer(key, auvo.Customer{Description: client.NomeFantasia, CPFCNPJ: client.CnpjCpf,
		Address: "atrás do mercado municipal, portão azul", Active: true, Email: []string{client.Email}}); err != nil {
		return fmt.Errorf("demo: seeding Auvo: %w", err)
	}
	return nil
}

// sendableService is an Auvo demo service whose name the Omie demo catalogue also has (K5:
// services are matched by external code or by the same name).
const sendableService = "Visita técnica"

// seedSendableTask adds a finished task for c with one matched service, so the task flow shows a
// task sent to Omie next to the ones that wait for their items (K5) or their customer (K3).
func seedSendableTask(a *auvosandbox.Server, key string, c auvo.Customer) error {
	var sv *auvo.Service
	for _, r := range a.Services(key) {
		if r.Value.Title == sendableService {
			v := r.Value
			sv = &v
		}
	}
	if sv == nil {
		return fmt.Errorf("demo: the Auvo demo data has no service %q", sendableService)
	}
	const technician = 166471
	when := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	_, err := a.SeedTask(key, auvo.Task{CustomerID: c.ID, IDUserFrom: technician, IDUserTo: technician,
		UserFromName: "Técnico Demonstração", UserToName: "Técnico Demonstração",
		TaskDate: auvo.NewTime(when), CreationDate: auvo.NewTime(when.Add(-24 * time.Hour)),
		Orientation: "Visita para avaliar a troca do split da recepção.", Priority: auvo.Int(2), CheckinType: auvo.Int(1),
		Finished: true, CheckIn: true, CheckOut: true, TaskStatus: auvo.TaskFinished,
		CheckInDate: auvo.NewTime(when), CheckOutDate: auvo.NewTime(when.Add(time.Hour)),
		Report: "Avaliação feita; orçamento enviado ao cliente.", Expense: auvo.DecimalFromCents(0),
		DateLastUpdate: auvo.NewTime(when.Add(time.Hour)),
		Services: []auvo.TaskService{{ID: sv.ID, Name: sv.Title, Quantity: auvo.DecimalFromCents(100),
			UnitaryValue: sv.Price, TotalValue: sv.Price, UserResponsibleCode: technician,
			DateRegister: auvo.NewTime(when.Add(time.Hour)), DateEdit: auvo.NewTime(when.Add(time.Hour)),
			Discount: auvo.Discount{Type: "Valor"}}}})
	if err != nil {
		return fmt.Errorf("demo: seeding an Auvo task: %w", err)
	}
	return nil
}

// omieClient is the first Omie demo customer that enters the ERP → Auvo flow: active, with a
// document and the Cliente tag.
func omieClient(o *omiesandbox.Server, key string) (omie.ClienteCadastro, bool) {
	for _, c := range o.Customers(key) {
		if c.CnpjCpf == "" || c.Inativo == omie.Sim || c.NomeFantasia == "" {
			continue
		}
		for _, t := range c.Tags {
			if t.Tag == "Cliente" {
				return c, true
			}
		}
	}
	return omie.ClienteCadastro{}, false
}
