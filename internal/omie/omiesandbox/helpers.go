package omiesandbox

import (
	"github.com/pontehub/ponte/internal/omie"
)

// Typed helpers for in-process tests. Each is the Go form of an admin route and takes the
// account's app key. Records go through their Omie JSON shape, so they hold exactly what the API
// would answer.

func seedTyped[T any](s *Server, appKey, kind string, v T) (T, error) {
	r, err := s.seed(appKey, kind, toRecord(v))
	if err != nil {
		var zero T
		return zero, err
	}
	return fromRecord[T](r), nil
}

func dumpTyped[T any](s *Server, appKey, kind string) []T {
	rows, _ := s.dump(appKey, kind)
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = fromRecord[T](r)
	}
	return out
}

// SeedCustomer stores a customer as if created on Omie's screens (info stamped now by USUARIO
// unless set) and returns it with its id. Info, when set, is kept: seed old dAlt values with it.
func (s *Server) SeedCustomer(appKey string, c omie.ClienteCadastro) (omie.ClienteCadastro, error) {
	return seedTyped(s, appKey, "customers", c)
}

// Customers returns every customer of the account, in id order.
func (s *Server) Customers(appKey string) []omie.ClienteCadastro {
	return dumpTyped[omie.ClienteCadastro](s, appKey, "customers")
}

// EditCustomer changes a customer as a person would on Omie's screens: edit gets the stored
// record, what it leaves is stored whole, and dAlt/hAlt move to the sandbox clock.
func (s *Server) EditCustomer(appKey string, id int64, edit func(*omie.ClienteCadastro)) (omie.ClienteCadastro, error) {
	r, err := s.editCustomer(appKey, id, func(r record) record {
		c := fromRecord[omie.ClienteCadastro](r)
		edit(&c)
		return toRecord(c)
	})
	if err != nil {
		return omie.ClienteCadastro{}, err
	}
	return fromRecord[omie.ClienteCadastro](r), nil
}

// SeedProduct stores a product and returns it with its id.
func (s *Server) SeedProduct(appKey string, p omie.Produto) (omie.Produto, error) {
	return seedTyped(s, appKey, "products", p)
}

// Products returns every product of the account.
func (s *Server) Products(appKey string) []omie.Produto {
	return dumpTyped[omie.Produto](s, appKey, "products")
}

// SeedLocation stores a stock location and returns it with its id.
func (s *Server) SeedLocation(appKey string, l omie.LocalEstoque) (omie.LocalEstoque, error) {
	return seedTyped(s, appKey, "locations", l)
}

// Locations returns every stock location of the account.
func (s *Server) Locations(appKey string) []omie.LocalEstoque {
	return dumpTyped[omie.LocalEstoque](s, appKey, "locations")
}

// SetStock sets a product's position in a location (CodigoLocalEstoque, NCodProd, NSaldo,
// Reservado, NCMC, NPendente, EstoqueMinimo; the rest is derived from the product).
func (s *Server) SetStock(appKey string, p omie.PosEstoque) error {
	_, err := s.seed(appKey, "stock", record{"codigo_local_estoque": p.CodigoLocalEstoque, "nCodProd": p.NCodProd,
		"nSaldo": p.NSaldo, "reservado": p.Reservado, "nCMC": p.NCMC, "nPendente": p.NPendente,
		"estoque_minimo": p.EstoqueMinimo})
	return err
}

// Stock returns the account's stored positions (only the fields SetStock takes).
func (s *Server) Stock(appKey string) []omie.PosEstoque {
	return dumpTyped[omie.PosEstoque](s, appKey, "stock")
}

// SeedContaCorrente stores a bank account and returns it with its id.
func (s *Server) SeedContaCorrente(appKey string, c omie.ContaCorrente) (omie.ContaCorrente, error) {
	return seedTyped(s, appKey, "bank-accounts", c)
}

// ContasCorrentes returns every bank account of the account.
func (s *Server) ContasCorrentes(appKey string) []omie.ContaCorrente {
	return dumpTyped[omie.ContaCorrente](s, appKey, "bank-accounts")
}

// SeedCategoria stores (or replaces, by Codigo) a category.
func (s *Server) SeedCategoria(appKey string, c omie.Categoria) (omie.Categoria, error) {
	return seedTyped(s, appKey, "categories", c)
}

// Categorias returns every category of the account.
func (s *Server) Categorias(appKey string) []omie.Categoria {
	return dumpTyped[omie.Categoria](s, appKey, "categories")
}

// SeedServico stores a service and returns it with its id (IntListar.NCodServ).
func (s *Server) SeedServico(appKey string, sv omie.Servico) (omie.Servico, error) {
	return seedTyped(s, appKey, "services", sv)
}

// Servicos returns every service of the account.
func (s *Server) Servicos(appKey string) []omie.Servico {
	return dumpTyped[omie.Servico](s, appKey, "services")
}

// ServiceOrders returns every service order created in the account (IncluirOS).
func (s *Server) ServiceOrders(appKey string) []omie.OS {
	return dumpTyped[omie.OS](s, appKey, "service-orders")
}

// Orders returns every sale created in the account (IncluirPedido).
func (s *Server) Orders(appKey string) []omie.Pedido {
	return dumpTyped[omie.Pedido](s, appKey, "orders")
}

// Tags returns the account's tags with their ids.
func (s *Server) Tags(appKey string) []omie.TagLista {
	return dumpTyped[omie.TagLista](s, appKey, "tags")
}
