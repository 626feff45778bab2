package flow

import (
	"strings"

	"github.com/pontehub/ponte/internal/store"
)

// Code is a stable reason code: what the run log filters on and the user guide lists.
type Code string

// The reason codes of the customer flows. Each has one message in Reasons.
const (
	ReasonCreated          Code = "created"            // C-A4, C-E4
	ReasonCreatedDuplicate Code = "created_duplicate"  // C-A3, C-E3: the match is linked elsewhere
	ReasonLinkedDocument   Code = "linked_document"    // C-A3, C-E3: same document, not linked
	ReasonLinkedExternal   Code = "linked_external"    // the external code already named the record
	ReasonUpdated          Code = "updated"            // C-A8, C-E9
	ReasonConflict         Code = "updated_conflict"   // C-E11: both sides changed one field
	ReasonInactive         Code = "inactive"           // C-A1, C-A9, C-E1, C-E10
	ReasonNoDocument       Code = "no_document"        // C-A2, C-E2
	ReasonInvalidDocument  Code = "invalid_document"   // C-A2, C-E2
	ReasonAddressPattern   Code = "address_pattern"    // C-A5
	ReasonNotClientTag     Code = "not_client_tag"     // C-E5
	ReasonNotClientProfile Code = "not_client_profile" // C-E6
	ReasonNotClientType    Code = "not_client_type"    // C-E7
	ReasonLockedDeleted    Code = "locked_deleted"     // C-A7, C-E8
	ReasonLockedErased     Code = "locked_external_erased"
	ReasonLockedERPDeleted Code = "locked_erp_deleted"
	ReasonDuplicateRefused Code = "erp_duplicate_refused" // C-A3 last paragraph
	ReasonPartnerRefused   Code = "partner_refused"       // V3, KindInvalid
	ReasonPartnerError     Code = "partner_error"         // V3, transient: retried next cycle
)

// Reason is one reason code with its one Portuguese message, the rule it applies and what the
// user should do. {erp} in Message and Fix stands for the ERP's name.
type Reason struct {
	Code    Code
	Action  store.Action
	Rule    string // SPEC rule ids
	Message string
	Fix     string // empty when nothing is expected of the user
}

var reasons = []Reason{
	{ReasonCreated, store.ActionCreated, "C-A4 C-E4", "Cliente criado e vinculado (código externo)", ""},
	{ReasonCreatedDuplicate, store.ActionCreated, "C-A3 C-E3",
		"Já existia um cliente com o mesmo CPF/CNPJ, mas integrado a outro cadastro — criado um cliente novo e vinculado", ""},
	{ReasonLinkedDocument, store.ActionLinked, "C-A3 C-E3",
		"Já existia um cliente com o mesmo CPF/CNPJ, sem vínculo — cadastros vinculados (código externo gravado no Auvo)", ""},
	{ReasonLinkedExternal, store.ActionLinked, "C-E3",
		"O código externo do Auvo já apontava para este cliente — vínculo registrado", ""},
	{ReasonUpdated, store.ActionUpdated, "C-A8 C-E9", "Alterações copiadas para o outro sistema", ""},
	{ReasonConflict, store.ActionUpdated, "C-E11",
		"O mesmo campo mudou nos dois sistemas — vale a alteração mais recente, campo a campo", ""},
	{ReasonInactive, store.ActionSkipped, "C-A1 C-A9 C-E1 C-E10",
		"Cliente inativo — não integrado nem atualizado (o status no outro sistema não muda)",
		"Reative o cliente para que volte a ser integrado."},
	{ReasonNoDocument, store.ActionSkipped, "C-A2 C-E2", "Cliente sem CPF/CNPJ — não integrado",
		"Informe o CPF ou CNPJ no cadastro; ele será integrado na próxima alteração."},
	{ReasonInvalidDocument, store.ActionSkipped, "C-A2 C-E2", "CPF/CNPJ inválido — não integrado",
		"Corrija o CPF ou CNPJ (os dígitos verificadores não conferem ou o tamanho está errado)."},
	{ReasonAddressPattern, store.ActionSkipped, "C-A5", "Endereço fora do padrão aceito — não integrado",
		"Reescreva o endereço no Auvo em um dos padrões aceitos, por exemplo: Rua X, 123, Bairro, Cidade - UF, 01234-567."},
	{ReasonNotClientTag, store.ActionSkipped, "C-E5",
		"Cadastro do Omie sem a tag Cliente e com tags padrão de outro papel (Fornecedor, Transportadora…) — não integrado",
		"Inclua a tag Cliente no Omie se este cadastro for um cliente."},
	{ReasonNotClientProfile, store.ActionSkipped, "C-E6",
		"Pessoa do Conta Azul sem o perfil Cliente (apenas Fornecedor/Transportadora) — não integrada",
		"Marque o perfil Cliente no Conta Azul se esta pessoa for um cliente."},
	{ReasonNotClientType, store.ActionSkipped, "C-E7",
		"Contato do Bling sem o tipo Cliente (apenas outros tipos) — não integrado",
		"Marque o tipo de contato Cliente no Bling se este contato for um cliente."},
	{ReasonLockedDeleted, store.ActionLocked, "C-A7 C-E8",
		"Cliente já integrado antes e excluído no Auvo — trava; fale com o analista",
		"Fale com o analista de integração: ele pode liberar a trava."},
	{ReasonLockedErased, store.ActionLocked, "C-A7 C-E8",
		"Cliente já integrado antes e com o código externo apagado no Auvo — trava; fale com o analista",
		"Fale com o analista de integração: ele pode liberar a trava."},
	{ReasonLockedERPDeleted, store.ActionLocked, "C-A10",
		"Cliente já integrado antes e excluído no {erp} — trava (exclusões não são propagadas); fale com o analista",
		"Fale com o analista de integração: ele pode liberar a trava."},
	{ReasonDuplicateRefused, store.ActionFailed, "C-A3",
		"O {erp} recusou um segundo cliente com o mesmo CPF/CNPJ (o cadastro existente já está vinculado a outro cliente do Auvo)",
		"Resolva o cadastro duplicado no Auvo ou permita documentos repetidos no {erp}; o cliente será tentado de novo quando for alterado."},
	{ReasonPartnerRefused, store.ActionFailed, "V3", "O sistema parceiro recusou o cadastro",
		"Corrija o cadastro conforme a mensagem do parceiro; ele será tentado de novo quando for alterado."},
	{ReasonPartnerError, store.ActionFailed, "V3",
		"Erro temporário do sistema parceiro — nova tentativa automática no próximo ciclo", ""},
}

// Reasons lists every reason code with its message, for the run log and the user guide.
func Reasons() []Reason {
	return append([]Reason(nil), reasons...)
}

// ReasonOf returns the reason with code c; ok is false for an unknown code.
func ReasonOf(c Code) (Reason, bool) {
	for _, r := range reasons {
		if r.Code == c {
			return r, true
		}
	}
	return Reason{}, false
}

// Text returns the reason's message for one ERP.
func (r Reason) Text(erp store.ERP) string {
	return strings.ReplaceAll(r.Message, "{erp}", erp.Label())
}

// message is the outcome text: the reason's message, then the detail (the partner's own words,
// the address problem, the fields changed) when there is one.
func message(c Code, erp store.ERP, detail string) string {
	r, _ := ReasonOf(c)
	m := r.Text(erp)
	if detail != "" {
		m += ": " + detail
	}
	return m
}
