package flow

import "github.com/pontehub/ponte/internal/store"

// The reason codes of the product, stock, task and quotation flows (SPEC §6–8). Each has one
// message in opsReasons, which init adds to Reasons.
const (
	ReasonProductCreated       Code = "product_created"          // PR1
	ReasonProductLinked        Code = "product_linked"           // PR1: Auvo already had it (externalId)
	ReasonProductUpdated       Code = "product_updated"          // PR2
	ReasonProductOtherLocation Code = "product_other_location"   // PR4
	ReasonStockUpdated         Code = "stock_updated"            // PR3
	ReasonTaskSent             Code = "task_sent"                // K2
	ReasonTaskFound            Code = "task_found"               // K4: already in Omie under its code
	ReasonTaskNoItems          Code = "task_no_items"            // K2: nothing to send
	ReasonCustomerNotLinked    Code = "customer_not_linked"      // K3
	ReasonItemNotLinked        Code = "item_not_linked"          // K5
	ReasonQuoteSent            Code = "quote_sent"               // Q1
	ReasonQuoteFound           Code = "quote_found"              // Q1, K4
	ReasonQuoteNoItems         Code = "quote_no_items"           // Q1
	ReasonOrderDiscount        Code = "order_discount_too_large" // K2 Q1: would change the total
)

var opsReasons = []Reason{
	{ReasonProductCreated, store.ActionCreated, "PR1",
		"Produto criado no Auvo e vinculado (código externo = id do produto no {erp})", ""},
	{ReasonProductLinked, store.ActionLinked, "PR1",
		"O Auvo já tinha um produto com o código externo deste produto do {erp} — vínculo registrado", ""},
	{ReasonProductUpdated, store.ActionUpdated, "PR2", "Alterações do produto no {erp} copiadas para o Auvo", ""},
	{ReasonProductOtherLocation, store.ActionSkipped, "PR4 S9",
		"Produto sem posição de estoque no local escolhido — não integrado nem atualizado",
		"Se este produto deve ir para o Auvo, registre-o no local de estoque escolhido na integração."},
	{ReasonStockUpdated, store.ActionUpdated, "PR3", "Saldo do local de estoque copiado para o estoque do produto no Auvo", ""},
	{ReasonTaskSent, store.ActionCreated, "K2 K4",
		"Tarefa enviada ao {erp} (serviços como ordem de serviço, produtos como pedido de venda)", ""},
	{ReasonTaskFound, store.ActionLinked, "K4",
		"A tarefa já estava no {erp} com o mesmo código de integração — vínculo registrado, nada criado em dobro", ""},
	{ReasonTaskNoItems, store.ActionSkipped, "K2", "Tarefa sem produtos nem serviços — nada a enviar ao {erp}",
		"Inclua os produtos ou serviços na tarefa; ela será enviada quando for alterada."},
	{ReasonCustomerNotLinked, store.ActionSkipped, "K3",
		"O cliente ainda não está vinculado a um cliente do {erp} — aguardando; nova tentativa a cada ciclo",
		"Veja o motivo no fluxo Clientes Auvo → ERP (por exemplo CPF/CNPJ ou endereço) ou ligue esse fluxo."},
	{ReasonItemNotLinked, store.ActionSkipped, "K5",
		"Itens sem correspondente no {erp} — nada enviado; nova tentativa a cada ciclo",
		"Vincule os itens citados: produtos vêm do fluxo Produtos ERP → Auvo; serviços são achados pelo código externo ou pelo nome igual ao do {erp}."},
	{ReasonQuoteSent, store.ActionCreated, "Q1",
		"Orçamento enviado ao {erp} como pedido em etapa inicial (serviços como ordem de serviço)", ""},
	{ReasonQuoteFound, store.ActionLinked, "Q1 K4",
		"O orçamento já estava no {erp} com o mesmo código de integração — vínculo registrado, nada criado em dobro", ""},
	{ReasonQuoteNoItems, store.ActionSkipped, "Q1", "Orçamento sem produtos — nada a enviar ao {erp}",
		"Inclua produtos no orçamento; ele será enviado no próximo ciclo."},
	{ReasonOrderDiscount, store.ActionSkipped, "K2 Q1",
		"Desconto maior que o valor que ele desconta — nada enviado ao {erp}, para não gravar outro total",
		"Corrija o desconto no Auvo; o documento será enviado quando for alterado."},
}

// init adds the reasons of these flows to the package's list, once, before anything reads it,
// so that Reasons and ReasonOf know them without reason.go listing them.
func init() {
	reasons = append(reasons, opsReasons...)
}
