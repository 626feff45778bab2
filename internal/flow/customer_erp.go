package flow

import (
	"context"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/store"
)

// erpCustomers is one ERP's side of the customer flows. Each ERP implements it in its own file
// (customer_omie.go, customer_contaazul.go, customer_bling.go); the rules live in the engine and
// never see a partner's wire types.
type erpCustomers interface {
	// erp names the ERP, for messages and the address patterns (C-A5).
	erp() store.ERP
	// fieldSet says which fields the ERP syncs (C-A8, C-E9).
	fieldSet() FieldSet
	// notClient is the reason code of the ERP's client-role rule (C-E5, C-E6, C-E7).
	notClient() Code
	// changed lists the customers changed at or after since, on the partner's clock, (all of them when since is zero),
	// active or not, with their role already judged (Customer.Client).
	changed(ctx context.Context, since time.Time) ([]Customer, error)
	// byDocument returns the customers with the document.
	byDocument(ctx context.Context, doc br.Document) ([]Customer, error)
	// get returns one customer, or a partner.KindNotFound error.
	get(ctx context.Context, id string) (Customer, error)
	// create makes the customer of Auvo customer auvoID. It must be idempotent: after an
	// ambiguous failure the record is looked up (by an integration code derived from auvoID)
	// before any second attempt.
	create(ctx context.Context, f Fields, doc br.Document, auvoID string) (Customer, error)
	// update writes the synced fields f over cur and returns the customer as the ERP now holds it.
	update(ctx context.Context, cur Customer, f Fields) (Customer, error)
}

// auvoCode is the code an ERP record created for an Auvo customer carries (Omie's integration
// code, Conta Azul's and Bling's código): the key a lost create is looked up by.
func auvoCode(auvoID string) string { return "auvo-" + auvoID }
