package omiesandbox

import (
	"fmt"
	"slices"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
)

// userAPI is the user Omie records for writes made through the API [C].
const userAPI = "WEBSERVICE"

// userScreen is the user recorded for edits made "by a person" through the admin API. [U] Real
// values are login names.
const userScreen = "USUARIO"

func (s *Server) listarClientes(a *account, p record) (any, *fault) {
	w, f := parseWindow(str(p, "filtrar_por_data_de"), str(p, "filtrar_por_hora_de"),
		str(p, "filtrar_por_data_ate"), str(p, "filtrar_por_hora_ate"),
		flag(p, "filtrar_apenas_inclusao"), flag(p, "filtrar_apenas_alteracao"))
	if f != nil {
		return nil, f
	}
	filtro := obj2(p, "clientesFiltro")
	porCodigo := list(p, "clientesPorCodigo")
	var rows []record
	for _, c := range a.clientes.sorted() {
		info := obj2(c, "info")
		switch {
		case flag(p, "apenas_importado_api") && !flag(c, "importado_api"):
		case !w.match(at(info, "dInc", "hInc"), at(info, "dAlt", "hAlt")):
		case filtro != nil && !matchFiltro(c, filtro):
		case len(porCodigo) > 0 && !slices.ContainsFunc(porCodigo, func(k record) bool { return matchChave(c, k) }):
		default:
			out := clone(c)
			// [C] exibir_obs defaults to N: lists leave the notes out. [U] The same is assumed of
			// exibir_caracteristicas.
			if !flag(p, "exibir_obs") {
				delete(out, "observacao")
				delete(out, "obs_detalhadas")
			}
			if !flag(p, "exibir_caracteristicas") {
				delete(out, "caracteristicas")
			}
			rows = append(rows, out)
		}
	}
	return listPage(p, rows, "clientes_cadastro")
}

// matchFiltro applies clientesFiltro. [U] Matching semantics are undocumented: the sandbox
// compares whole values, case- and accent-insensitively; cnpj_cpf by its digits; S/N flags with
// empty meaning N; tags match when the customer has any of the listed tags.
func matchFiltro(c, filtro record) bool {
	for k := range filtro {
		switch k {
		case "codigo_cliente_omie":
			if i64(filtro, k) != 0 && i64(filtro, k) != i64(c, k) {
				return false
			}
		case "cnpj_cpf":
			if want := digits(str(filtro, k)); want != "" && want != digits(str(c, k)) {
				return false
			}
		case "pessoa_fisica", "optante_simples_nacional", "inativo":
			if want := str(filtro, k); want != "" && (want == "S") != flag(c, k) {
				return false
			}
		case "tags":
			want := list(filtro, k)
			if len(want) > 0 && !slices.ContainsFunc(want, func(t record) bool { return hasTag(c, str(t, "tag")) }) {
				return false
			}
		default:
			if want := str(filtro, k); want != "" && br.Fold(want) != br.Fold(str(c, k)) {
				return false
			}
		}
	}
	return true
}

func matchChave(c, k record) bool {
	if id := i64(k, "codigo_cliente_omie"); id != 0 {
		return id == i64(c, "codigo_cliente_omie")
	}
	code := str(k, "codigo_cliente_integracao")
	return code != "" && code == str(c, "codigo_cliente_integracao")
}

func hasTag(c record, tag string) bool {
	return slices.ContainsFunc(list(c, "tags"), func(t record) bool { return br.Fold(str(t, "tag")) == br.Fold(tag) })
}

// findCliente looks a customer up by id or, when no id is given, by integration code.
func findCliente(a *account, id int64, code string) (record, *fault) {
	switch {
	case id != 0:
		if c, ok := a.clientes.rows[id]; ok {
			return c, nil
		}
		return nil, clientFault(omie.CodeNotFoundByID, "ERROR: Cliente não cadastrado para o Código [%d] !", id)
	case code != "":
		if c := clienteByCode(a, code); c != nil {
			return c, nil
		}
		// [U] faultcode: the OS service answers Client-103 for the same situation.
		return nil, clientFault(omie.CodeNotFoundByIntCod, "ERROR: Cliente não cadastrado para o Código de Integração [%s] !", code)
	}
	return nil, required("codigo_cliente_omie")
}

func clienteByCode(a *account, code string) record {
	return a.clientes.find(func(c record) bool { return str(c, "codigo_cliente_integracao") == code })
}

func (s *Server) consultarCliente(a *account, p record) (any, *fault) {
	c, f := findCliente(a, i64(p, "codigo_cliente_omie"), str(p, "codigo_cliente_integracao"))
	if f != nil {
		return nil, f
	}
	return clone(c), nil
}

func (s *Server) incluirCliente(a *account, p record) (any, *fault) {
	code := str(p, "codigo_cliente_integracao")
	if code == "" {
		// [I] Third parties treat it as required; it is also what makes creates idempotent.
		return nil, required("codigo_cliente_integracao")
	}
	if str(p, "razao_social") == "" {
		return nil, required("razao_social") // [C] "Preenchimento Obrigatório"
	}
	if dup := clienteByCode(a, code); dup != nil {
		return nil, clientFault(omie.CodeDuplicate, "ERROR: Cliente já cadastrado para o Código de Integração [%s] com o nCod [%d] !",
			code, i64(dup, "codigo_cliente_omie"))
	}
	c := clone(p)
	delete(c, "info")
	id := s.newID(a.clientes)
	c["codigo_cliente_omie"] = id
	if f := s.normalizeCliente(a, c, id); f != nil {
		return nil, f
	}
	for k, v := range map[string]string{"inativo": "N", "exterior": "N", "bloquear_faturamento": "N"} {
		if str(c, k) == "" {
			c[k] = v
		}
	}
	c["importado_api"] = "S"
	info := ensure(c, "info")
	stamp(info, s.now(), true, userAPI)
	info["cImpAPI"] = "S"
	a.clientes.rows[id] = c
	return clienteStatus(c, "Cliente cadastrado com sucesso!"), nil
}

// normalizeCliente checks and formats the document the way Omie stores it, refuses a duplicate
// document when the account is set to, derives pessoa_fisica and registers new tags.
func (s *Server) normalizeCliente(a *account, c record, id int64) *fault {
	if raw := str(c, "cnpj_cpf"); raw != "" {
		doc, err := br.ParseDocument(raw)
		if err != nil {
			// [U] The real text for an invalid document is unknown.
			return validation(fmt.Sprintf("ERROR: O CPF/CNPJ informado [%s] é inválido !", raw))
		}
		// [C] Omie answers documents formatted.
		c["cnpj_cpf"] = doc.Formatted()
		c["pessoa_fisica"] = string(omie.FlagOf(doc.Kind == br.CPF))
		if a.opts.RefuseDuplicateDocument {
			dup := a.clientes.find(func(o record) bool {
				return i64(o, "codigo_cliente_omie") != id && digits(str(o, "cnpj_cpf")) == doc.Digits
			})
			if dup != nil {
				// [C] text; [U] faultcode, so none is sent, as in the captured sample.
				return &fault{status: 500, text: fmt.Sprintf(
					"ERROR: Cliente já cadastrado para o CPF/CNPJ [%s] com o Id [%d] e código de integração [%s] ! (add)",
					doc.Formatted(), i64(dup, "codigo_cliente_omie"), str(dup, "codigo_cliente_integracao"))}
			}
		}
	}
	for _, t := range list(c, "tags") {
		s.registerTag(a, str(t, "tag"))
	}
	return nil
}

// registerTag gives a tag its account-wide id on first use ("criada pelo Omie no momento da
// inclusão" [C]).
func (s *Server) registerTag(a *account, tag string) record {
	k := br.Fold(tag)
	if t, ok := a.tags[k]; ok {
		return t
	}
	t := record{"tag": tag, "nCodTag": 1_000_000 + s.rng.Int64N(9_000_000)}
	a.tags[k] = t
	return t
}

func clienteStatus(c record, msg string) record {
	return record{"codigo_cliente_omie": i64(c, "codigo_cliente_omie"),
		"codigo_cliente_integracao": str(c, "codigo_cliente_integracao"),
		"codigo_status":             "0", "descricao_status": msg}
}

// alterarCliente merges the sent keys into the stored customer: keys not sent are kept, tags
// replace the whole list [I]. [I] The record is found by codigo_cliente_integracao whenever it is
// sent, and fails when no record has it, even if codigo_cliente_omie matches one.
func (s *Server) alterarCliente(a *account, p record) (any, *fault) {
	c, f := findCliente(a, func() int64 {
		if str(p, "codigo_cliente_integracao") != "" {
			return 0
		}
		return i64(p, "codigo_cliente_omie")
	}(), str(p, "codigo_cliente_integracao"))
	if f != nil {
		return nil, f
	}
	id := i64(c, "codigo_cliente_omie")
	next := clone(c)
	for k, v := range p {
		switch k {
		case "codigo_cliente_omie", "codigo_cliente_integracao", "info", "importado_api", "pessoa_fisica":
		default:
			next[k] = v
		}
	}
	if f := s.normalizeCliente(a, next, id); f != nil {
		return nil, f
	}
	stamp(ensure(next, "info"), s.now(), false, userAPI)
	a.clientes.rows[id] = next
	return clienteStatus(next, "Cliente alterado com sucesso!"), nil
}

// upsertCliente alters the customer with the sent integration code (or id) or includes it [I].
func (s *Server) upsertCliente(a *account, p record) (any, *fault) {
	code := str(p, "codigo_cliente_integracao")
	if code != "" && clienteByCode(a, code) != nil {
		return s.alterarCliente(a, p)
	}
	if code == "" {
		if id := i64(p, "codigo_cliente_omie"); id != 0 {
			if _, ok := a.clientes.rows[id]; ok {
				return s.alterarCliente(a, p)
			}
		}
	}
	return s.incluirCliente(a, p)
}

// associarCodIntCliente attaches an integration code to a customer that has none. [U] Changing an
// existing code is refused (the sandbox picks the stricter behaviour); attaching the same code
// again succeeds.
func (s *Server) associarCodIntCliente(a *account, p record) (any, *fault) {
	code := str(p, "codigo_cliente_integracao")
	if code == "" {
		return nil, required("codigo_cliente_integracao")
	}
	id := i64(p, "codigo_cliente_omie")
	if id == 0 {
		return nil, required("codigo_cliente_omie")
	}
	c, f := findCliente(a, id, "")
	if f != nil {
		return nil, f
	}
	if other := clienteByCode(a, code); other != nil && i64(other, "codigo_cliente_omie") != id {
		return nil, clientFault(omie.CodeDuplicate, "ERROR: Cliente já cadastrado para o Código de Integração [%s] com o nCod [%d] !",
			code, i64(other, "codigo_cliente_omie"))
	}
	if old := str(c, "codigo_cliente_integracao"); old != "" && old != code {
		return nil, validation(fmt.Sprintf("ERROR: O cliente [%d] já possui o Código de Integração [%s] !", id, old))
	}
	c["codigo_cliente_integracao"] = code
	stamp(ensure(c, "info"), s.now(), false, userAPI)
	return clienteStatus(c, "Código de Integração associado com sucesso!"), nil
}

// tagsTarget finds the customer of a clientetag call.
func tagsTarget(a *account, p record) (record, *fault) {
	return findCliente(a, i64(p, "nCodCliente"), str(p, "cCodIntCliente"))
}

func (s *Server) tagsAnswer(a *account, c record, status string) record {
	lista := []any{}
	for _, t := range list(c, "tags") {
		reg := s.registerTag(a, str(t, "tag"))
		lista = append(lista, record{"tag": str(t, "tag"), "nCodTag": i64(reg, "nCodTag")})
	}
	out := record{"nCodCliente": i64(c, "codigo_cliente_omie"), "cCodIntCliente": str(c, "codigo_cliente_integracao"),
		"tagsLista": lista}
	if status != "" {
		out["cCodStatus"], out["cDesStatus"] = "0", status
	}
	return out
}

// listarTags answers a customer's tags. [U] A customer without tags answers an empty tagsLista.
func (s *Server) listarTags(a *account, p record) (any, *fault) {
	c, f := tagsTarget(a, p)
	if f != nil {
		return nil, f
	}
	return s.tagsAnswer(a, c, ""), nil
}

// incluirTags adds tags the customer lacks. [U] Whether a tag change moves the customer's dAlt is
// unknown; the sandbox says yes, so incremental lists see it.
func (s *Server) incluirTags(a *account, p record) (any, *fault) {
	c, f := tagsTarget(a, p)
	if f != nil {
		return nil, f
	}
	tags, _ := c["tags"].([]any)
	for _, t := range list(p, "tags") {
		name := str(t, "tag")
		if name != "" && !hasTag(c, name) {
			s.registerTag(a, name)
			tags = append(tags, record{"tag": name})
			c["tags"] = tags
		}
	}
	stamp(ensure(c, "info"), s.now(), false, userAPI)
	return s.tagsAnswer(a, c, "Tags incluídas com sucesso!"), nil
}

func (s *Server) excluirTags(a *account, p record) (any, *fault) {
	c, f := tagsTarget(a, p)
	if f != nil {
		return nil, f
	}
	remove := list(p, "tags")
	kept := []any{}
	for _, t := range list(c, "tags") {
		if !slices.ContainsFunc(remove, func(r record) bool { return br.Fold(str(r, "tag")) == br.Fold(str(t, "tag")) }) {
			kept = append(kept, t)
		}
	}
	c["tags"] = kept
	stamp(ensure(c, "info"), s.now(), false, userAPI)
	return s.tagsAnswer(a, c, "Tags excluídas com sucesso!"), nil
}
