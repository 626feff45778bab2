package omie

import "context"

var (
	opListarTags  = op{service: "geral/clientetag/", call: "ListarTags"}
	opIncluirTags = op{service: "geral/clientetag/", call: "IncluirTags", write: true}
	opExcluirTags = op{service: "geral/clientetag/", call: "ExcluirTags", write: true}
)

// TagsRequest names a customer (by Omie id or integration code) and, for IncluirTags and
// ExcluirTags, the tags to add or remove.
type TagsRequest struct {
	NCodCliente    int64  `json:"nCodCliente,omitempty"`
	CCodIntCliente string `json:"cCodIntCliente,omitempty"`
	Tags           []Tag  `json:"tags,omitempty"`
}

// TagLista is one tag of a customer with the account-wide tag id Omie gave it.
type TagLista struct {
	Tag     string `json:"tag"`
	NCodTag int64  `json:"nCodTag"`
}

// TagsResponse is the answer of the clientetag service.
type TagsResponse struct {
	NCodCliente    int64      `json:"nCodCliente"`
	CCodIntCliente string     `json:"cCodIntCliente,omitempty"`
	CCodStatus     string     `json:"cCodStatus,omitempty"`
	CDesStatus     string     `json:"cDesStatus,omitempty"`
	TagsLista      []TagLista `json:"tagsLista,omitempty"`
}

// ListarTags returns a customer's tags.
func (c *Client) ListarTags(ctx context.Context, req TagsRequest) (TagsResponse, error) {
	return call[TagsResponse](ctx, c, opListarTags, TagsRequest{NCodCliente: req.NCodCliente, CCodIntCliente: req.CCodIntCliente})
}

// IncluirTags adds tags to a customer, keeping the ones it has; unknown tags are created.
func (c *Client) IncluirTags(ctx context.Context, req TagsRequest) (TagsResponse, error) {
	return call[TagsResponse](ctx, c, opIncluirTags, req)
}

// ExcluirTags removes tags from a customer.
func (c *Client) ExcluirTags(ctx context.Context, req TagsRequest) (TagsResponse, error) {
	return call[TagsResponse](ctx, c, opExcluirTags, req)
}
