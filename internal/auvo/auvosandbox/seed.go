package auvosandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/br"
)

// demoCustomer is one seeded customer. doc is "cnpj", "cpf" or "" (none). The addresses are one
// free-text line, as Auvo stores them, in several of the SPEC C-A5 patterns (named per line),
// plus a few that match none, so the address rules have something to reject.
type demoCustomer struct {
	name, doc, address, complement string
	lat, lng                       float64
	group                          int // index into demoGroups(), -1 for none
	inactive                       bool
}

func demoGroups() []string { return []string{"Condomínios", "Restaurantes", "Indústria", "Varejo"} }

func demoCustomers() []demoCustomer {
	return []demoCustomer{
		{"Padaria Pão Dourado Ltda", "cnpj", "Rua Augusta, 1500, Consolação - São Paulo - SP", "Loja 2", -23.5558, -46.6622, 1, false},                                 // AD-O1
		{"Condomínio Edifício Solar das Palmeiras", "cnpj", "Avenida Afonso Pena, 3200, Funcionários, Belo Horizonte, MG", "", -19.9334, -43.9352, 0, false},           // AD-O2
		{"Metalúrgica Irmãos Bortolini S.A.", "cnpj", "Rua XV de Novembro, 250, Centro - Curitiba - PR, 80020-310", "Galpão 3", -25.4296, -49.2713, 2, false},          // AD-O3
		{"Restaurante Sabor do Mar Eireli", "cnpj", "Avenida Beira Mar, 1200, Meireles, Fortaleza, CE, 60165-121", "", -3.7253, -38.4951, 1, false},                    // AD-O4
		{"Clínica Odontológica Sorriso Ltda", "cnpj", "Rua da Aurora, 325, Sala 12, Boa Vista, PE, 50050-000", "Sala 12", -8.0578, -34.8829, -1, false},                // AD-C1
		{"Mercado Bom Preço Ltda", "cnpj", "Rua das Flores, 100 - Centro, Campinas - SP, 13010-050, Brasil", "", -22.9056, -47.0608, 3, false},                         // geocoder (HERE)
		{"Ana Paula Ferreira", "cpf", "Rua Padre Chagas, Apto 402, Moinhos de Vento, Porto Alegre - RS, 90570-080, Brasil", "Apto 402", -30.0277, -51.2038, -1, false}, // AD-C8
		{"Carlos Eduardo Lima", "cpf", "Rua Chile - 45 - Loja 3 - Comércio - BA - 40020-000", "Loja 3", -12.9730, -38.5130, -1, false},                                 // AD-C7
		{"Farmácia Vida Saudável Ltda", "cnpj", "Avenida Sete de Setembro, 1020, Vitória, Salvador, BA, 40080-001", "", -12.9868, -38.5186, 3, false},                  // AD-O4
		{"Hotel Serra Verde Ltda", "cnpj", "Rua Teresa, 880, Alto da Serra - Petrópolis - RJ", "", -22.5112, -43.1779, -1, false},                                      // AD-O1
		{"Escola Pequeno Príncipe", "", "Rua Marechal Deodoro, 500, Centro, Joinville, SC, 89201-000", "", -26.3045, -48.8487, -1, false},                              // no document
		{"Sorveteria Gelato Nostro", "", "Avenida Paulista, 1000 - Bela Vista, São Paulo - SP, 01310-100, Brasil", "", -23.5651, -46.6523, 1, false},                   // no document
		{"Transportadora Rota Sul Ltda", "cnpj", "Rodovia BR-116, km 12, Distrito Industrial, Caxias do Sul, RS, 95059-520", "", -29.1678, -51.1794, 2, true},          // inactive
		{"Marcos Antônio Souza", "cpf", "Rua Goiás, 77, Setor Central, Goiânia, GO", "", -16.6799, -49.2550, -1, true},                                                 // inactive, AD-O2
		{"Condomínio Residencial Jardim Europa", "cnpj", "Alameda Lorena, 1234, Jardim Paulista - São Paulo - SP, 01424-001", "Bloco B", -23.5671, -46.6661, 0, false}, // AD-O3
		{"Lanchonete Esquina", "cnpj", "perto da rodoviária, em frente ao posto", "", 0, 0, 1, false},                                                                  // no pattern
		{"Oficina Mecânica Dois Irmãos", "cnpj", "Rua Sete de Setembro 1500 Centro Blumenau", "", -26.9194, -49.0661, -1, false},                                       // no pattern
		{"Juliana Costa Ribeiro", "cpf", "Rua Frei Caneca, 89, 5º andar, Consolação, SP, 01307-001", "5º andar", -23.5536, -46.6530, -1, false},                        // AD-C1
		{"Supermercado Econômico Ltda", "cnpj", "Avenida Brasil, 4500, Penha, Rio de Janeiro, RJ, 21012-351", "", -22.8423, -43.2760, 3, false},                        // AD-O4
		{"Panificadora Trigo de Ouro Ltda", "cnpj", "Rua Barão do Rio Branco, 310, Centro - Manaus - AM", "", -3.1316, -60.0232, 1, false},                             // AD-O1
	}
}

func demoTaskTypes() []string {
	return []string{"Manutenção preventiva", "Manutenção corretiva", "Instalação", "Visita técnica"}
}

type demoProduct struct {
	code, name    string
	price, cost   int64 // cents
	stock, minimo int
}

func demoProducts() []demoProduct {
	return []demoProduct{
		{"1001", "Filtro de ar para split 9000 BTU", 4590, 2100, 40, 10},
		{"1002", "Gás refrigerante R410A (kg)", 12000, 7800, 25, 10},
		{"1003", "Rolamento 6203", 4400, 1900, 60, 20},
		{"1004", "Capacitor 35 uF", 3850, 1500, 8, 10},
		{"1005", "Correia em V A-32", 5200, 2600, 15, 5},
		{"1006", "Óleo para compressor 1 L", 8900, 5200, 12, 4},
		{"1007", "Termostato digital", 15900, 9100, 3, 5},
		{"1008", "Contator 25 A", 11250, 6400, 9, 3},
	}
}

type demoService struct {
	title string
	price int64 // cents
}

func demoServices() []demoService {
	return []demoService{
		{"Limpeza de ar-condicionado split", 18000},
		{"Carga de gás refrigerante", 25000},
		{"Instalação de split 12000 BTU", 65000},
		{"Visita técnica", 12000},
		{"Troca de compressor", 95000},
	}
}

// seedDemo fills an account with realistic Brazilian data: valid CNPJs and CPFs, addresses in
// Auvo's one-line form, some customers without a document or inactive, customer groups, task
// types, products, services, tasks in every status with items, and quotations in each stage.
// The data is the same on every run.
func seedDemo(a *account, now time.Time) {
	r := rand.New(rand.NewPCG(2026, 3))
	k := newKinds()
	clock := func() time.Time { return now }
	var groups []auvo.CustomerGroup
	for _, g := range demoGroups() {
		groups = append(groups, k.groups.seed(a, auvo.CustomerGroup{Description: g}, clock))
	}
	var types []auvo.TaskType
	for i, d := range demoTaskTypes() {
		types = append(types, k.taskTypes.seed(a, auvo.TaskType{Description: d, Active: true, StandardTime: "01:00:00",
			ToleranceTime: "00:15:00", Requirements: auvo.TaskRequirements{FillReport: true, GetSignature: i != 3}}, clock))
	}
	var products []auvo.Product
	for _, p := range demoProducts() {
		products = append(products, k.products.seed(a, auvo.Product{Code: p.code, ExternalID: "", Name: p.name,
			Description: p.name, UnitaryValue: auvo.DecimalFromCents(p.price), UnitaryCost: auvo.DecimalFromCents(p.cost),
			TotalStock: auvo.DecimalFromCents(int64(p.stock) * 100), MinimumStock: auvo.DecimalFromCents(int64(p.minimo) * 100),
			Active: true}, clock))
	}
	var services []auvo.Service
	for _, sv := range demoServices() {
		services = append(services, k.services.seed(a, auvo.Service{Title: sv.title, Description: sv.title,
			Price: auvo.DecimalFromCents(sv.price), Active: true}, clock))
	}
	var customers []auvo.Customer
	for i, d := range demoCustomers() {
		c := auvo.Customer{Description: d.name, Address: d.address, AdressComplement: d.complement,
			Latitude: auvo.Float(d.lat), Longitude: auvo.Float(d.lng), Active: !d.inactive,
			MaximumVisitTime: 1, UnitMaximumTime: 3,
			PhoneNumber: []string{fmt.Sprintf("11%d", 900000000+r.IntN(99999999))},
			Email:       []string{strings.Fields(br.Fold(d.name))[0] + "@exemplo.com.br"}}
		switch d.doc {
		case "cnpj":
			c.CPFCNPJ = br.GenerateCNPJ(r)
		case "cpf":
			c.CPFCNPJ = br.GenerateCPF(r)
		}
		if d.group >= 0 {
			c.GroupsID = []int64{groups[d.group].ID}
		}
		if i%4 == 0 {
			c.Contacts = []auvo.Contact{{ID: a.newID(), Name: "Maria Souza", JobPosition: "gerente", Phone: c.PhoneNumber[0]}}
		}
		// Spread creation and change times over the last weeks, so dateLastUpdate filters bite.
		c.CreationDate = auvo.NewTime(now.Add(-time.Duration(40-i) * 24 * time.Hour))
		c.DateLastUpdate = auvo.NewTime(now.Add(-time.Duration(20-i) * 24 * time.Hour))
		customers = append(customers, k.customers.seed(a, c, clock))
	}
	seedDemoTasks(a, k, r, now, customers, types, products, services)
}

// seedDemoTasks adds tasks in every status, some with products and services, and quotations.
func seedDemoTasks(a *account, k kinds, r *rand.Rand, now time.Time, customers []auvo.Customer,
	types []auvo.TaskType, products []auvo.Product, services []auvo.Service) {
	clock := func() time.Time { return now }
	const technician = 166471
	for i := range 15 {
		c := customers[i%len(customers)]
		when := now.Add(time.Duration(i-10) * 24 * time.Hour).Truncate(time.Hour)
		t := auvo.Task{CustomerID: c.ID, TaskType: types[i%len(types)].ID, IDUserFrom: technician, IDUserTo: technician,
			UserFromName: "Técnico Demonstração", UserToName: "Técnico Demonstração",
			TaskDate: auvo.NewTime(when), CreationDate: auvo.NewTime(when.Add(-48 * time.Hour)),
			Orientation: "Verificar o equipamento e registrar as peças trocadas.", Priority: auvo.Int(1 + i%3),
			CheckinType: auvo.Int(1 + i%2), Expense: auvo.DecimalFromCents(0)}
		switch i % 5 {
		case 0, 1: // finished, with items
			t.Finished, t.CheckIn, t.CheckOut, t.TaskStatus = true, true, true, auvo.TaskFinished
			t.CheckInDate, t.CheckOutDate = auvo.NewTime(when.Add(time.Hour)), auvo.NewTime(when.Add(2*time.Hour))
			t.Report = "Serviço executado conforme solicitado."
			if i%5 == 1 {
				t.Pendency = "Cliente pediu retorno para troca do termostato."
			}
			p, sv := products[r.IntN(len(products))], services[r.IntN(len(services))]
			t.Products = []auvo.TaskProduct{{ProductID: p.ProductID, Code: p.Code, Name: p.Name, Description: p.Description,
				Quantity: auvo.DecimalFromCents(100), UnitaryValue: p.UnitaryValue, TotalValue: p.UnitaryValue,
				UserResponsibleCode: technician, DateRegister: t.CheckOutDate, DateEdit: t.CheckOutDate,
				Discount: auvo.Discount{Type: "Valor"}}}
			t.Services = []auvo.TaskService{{ID: sv.ID, Name: sv.Title, Quantity: auvo.DecimalFromCents(100),
				UnitaryValue: sv.Price, TotalValue: sv.Price, UserResponsibleCode: technician,
				DateRegister: t.CheckOutDate, DateEdit: t.CheckOutDate, Discount: auvo.Discount{Type: "Valor"}}}
		case 2: // checked in
			t.CheckIn, t.TaskStatus = true, auvo.TaskCheckedIn
			t.CheckInDate = auvo.NewTime(when.Add(time.Hour))
		case 3: // paused
			t.CheckIn, t.TaskStatus, t.ReasonForPause = true, auvo.TaskPaused, "Aguardando peça"
		default: // opened
			t.TaskStatus = auvo.TaskOpened
		}
		t.DateLastUpdate = auvo.NewTime(when.Add(3 * time.Hour))
		if t.DateLastUpdate.After(now) {
			t.DateLastUpdate = t.CreationDate
		}
		k.tasks.seed(a, t, clock)
	}
	for i, st := range defaultStages() {
		c := customers[i]
		p := products[i]
		k.quotations.seed(a, auvo.Quotation{CustomerID: c.ID, RequesterUserID: technician,
			Observations: "Orçamento de demonstração", Descount: auvo.DecimalFromCents(0),
			RequestDate: auvo.NewTime(now.Add(-time.Duration(10-i) * 24 * time.Hour)),
			Products:    []auvo.QuotationProduct{{ProductID: auvo.Ref(p.Code), Amout: auvo.DecimalFromCents(200), UnitaryValue: p.UnitaryValue}},
			Summary: auvo.QuotationSummary{TotalProducts: auvo.DecimalFromCents(2 * p.UnitaryValue.Cents()),
				GrossTotalValue: auvo.DecimalFromCents(2 * p.UnitaryValue.Cents()), NetTotalValue: auvo.DecimalFromCents(2 * p.UnitaryValue.Cents()),
				Discount: auvo.Discount{Type: "Monetario"}},
			CurrentStage: st}, clock)
	}
}
