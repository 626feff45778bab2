package blingsandbox

import (
	"bytes"
	"encoding/json"
	"strings"
)

// The sandbox reads a contact body into its own wire types, written from Bling's OpenAPI
// (ContatosDadosBaseDTO + ContatosDadosDTO, api/bling.md §2), not from the client's structs: a
// tag the client misspells is a field Bling does not know, and the sandbox refuses it (400
// INVALID_REQUEST_BODY naming it) instead of dropping it silently. [U] Whether the real API
// refuses unknown fields or ignores them is not documented; refusing is what makes a misspelt
// name fail a test.

type wireContato struct {
	ID                 *int64          `json:"id"`
	Nome               *string         `json:"nome"`
	Codigo             *string         `json:"codigo"`
	Situacao           *string         `json:"situacao"`
	NumeroDocumento    *string         `json:"numeroDocumento"`
	Telefone           *string         `json:"telefone"`
	Celular            *string         `json:"celular"`
	Fantasia           *string         `json:"fantasia"`
	Tipo               *string         `json:"tipo"`
	IndicadorIe        *int            `json:"indicadorIe"`
	Ie                 *string         `json:"ie"`
	Rg                 *string         `json:"rg"`
	InscricaoMunicipal *string         `json:"inscricaoMunicipal"`
	OrgaoEmissor       *string         `json:"orgaoEmissor"`
	Email              *string         `json:"email"`
	EmailNotaFiscal    *string         `json:"emailNotaFiscal"`
	OrgaoPublico       *string         `json:"orgaoPublico"`
	Endereco           *wireEnderecos  `json:"endereco"`
	Vendedor           *wireRef        `json:"vendedor"`
	DadosAdicionais    *wireAdicionais `json:"dadosAdicionais"`
	Financeiro         *wireFinanceiro `json:"financeiro"`
	Pais               *wirePais       `json:"pais"`
	TiposContato       []wireTipo      `json:"tiposContato"`
	PessoasContato     []wireTipo      `json:"pessoasContato"`
}

type wireEnderecos struct {
	Geral    *wireEndereco `json:"geral"`
	Cobranca *wireEndereco `json:"cobranca"`
}

type wireEndereco struct {
	Endereco    *string `json:"endereco"`
	Cep         *string `json:"cep"`
	Bairro      *string `json:"bairro"`
	Municipio   *string `json:"municipio"`
	Uf          *string `json:"uf"`
	Numero      *string `json:"numero"`
	Complemento *string `json:"complemento"`
}

type wireRef struct {
	ID *int64 `json:"id"`
}

type wireAdicionais struct {
	DataNascimento *string `json:"dataNascimento"`
	Sexo           *string `json:"sexo"`
	Naturalidade   *string `json:"naturalidade"`
}

type wireFinanceiro struct {
	LimiteCredito     *float64 `json:"limiteCredito"`
	CondicaoPagamento *string  `json:"condicaoPagamento"`
	Categoria         *wireRef `json:"categoria"`
}

type wirePais struct {
	Nome *string `json:"nome"`
}

type wireTipo struct {
	ID        *int64  `json:"id"`
	Descricao *string `json:"descricao"`
}

// checkWire decodes body strictly into the wire contact. It returns the unknown field's name
// (from encoding/json's message) or another decoding error's text, "" when the body fits.
func checkWire(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var c wireContato
	if err := dec.Decode(&c); err != nil {
		msg := err.Error()
		if _, field, ok := strings.Cut(msg, "unknown field "); ok {
			return "O campo " + field + " não existe no contato"
		}
		return msg
	}
	return ""
}
