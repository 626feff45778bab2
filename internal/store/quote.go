package store

// The links of the quotation flow (SPEC Q1): a quotation becomes an Omie sale of its products
// and, for its services, a service order, each keyed by an integration code derived from the
// quotation id. EntityQuote (link.go) is not used by the flows.
const (
	EntityQuoteOrder Entity = "quote_order"
	EntityQuoteOS    Entity = "quote_os"
)
