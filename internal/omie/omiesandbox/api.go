package omiesandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/sandbox"
)

// Published limits, as the sandbox enforces them.
const (
	limitPerMethod   = 240
	limitOverall     = 960 // [I] Omie counts it per IP; the sandbox counts it per account
	concurrentReads  = 4
	concurrentWrites = 1
	redundantWindow  = 60 * time.Second
	misuseAfter      = 10 // consecutive faults of one method [I] (one integrator's report)
	misuseBlock      = 1800 * time.Second
)

// method is one simulated Omie call.
type method struct {
	service string // "geral/clientes"
	param   *schema
	write   bool
	run     func(a *account, p record) (any, *fault)
}

func (s *Server) methodTable() map[string]method {
	sc := s.schemas
	m := map[string]method{}
	add := func(service, call string, param *schema, write bool, run func(*account, record) (any, *fault)) {
		m[service+"/"+call] = method{service: service, param: param, write: write, run: run}
	}
	add("geral/clientes", "ListarClientes", sc.clientesList, false, s.listarClientes)
	add("geral/clientes", "ConsultarCliente", sc.clienteChave, false, s.consultarCliente)
	add("geral/clientes", "IncluirCliente", sc.cliente, true, s.incluirCliente)
	add("geral/clientes", "AlterarCliente", sc.cliente, true, s.alterarCliente)
	add("geral/clientes", "UpsertCliente", sc.cliente, true, s.upsertCliente)
	add("geral/clientes", "AssociarCodIntCliente", sc.clienteChave, true, s.associarCodIntCliente)
	add("geral/clientetag", "ListarTags", sc.tagsReq, false, s.listarTags)
	add("geral/clientetag", "IncluirTags", sc.tagsReq, true, s.incluirTags)
	add("geral/clientetag", "ExcluirTags", sc.tagsReq, true, s.excluirTags)
	add("geral/produtos", "ListarProdutos", sc.produtosList, false, s.listarProdutos)
	add("geral/produtos", "ConsultarProduto", sc.produtoChave, false, s.consultarProduto)
	add("estoque/consulta", "ListarPosEstoque", sc.posEstoqueList, false, s.listarPosEstoque)
	add("estoque/local", "ListarLocaisEstoque", sc.locaisList, false, s.listarLocaisEstoque)
	add("geral/contacorrente", "ListarContasCorrentes", sc.contasList, false, s.listarContasCorrentes)
	add("geral/categorias", "ListarCategorias", sc.categoriasList, false, s.listarCategorias)
	add("servicos/servico", "ListarCadastroServico", sc.servicosList, false, s.listarCadastroServico)
	add("servicos/os", "IncluirOS", sc.os, true, s.incluirOS)
	add("servicos/os", "ConsultarOS", sc.osChave, false, s.consultarOS)
	add("produtos/pedido", "IncluirPedido", sc.pedido, true, s.incluirPedido)
	add("produtos/pedido", "ConsultarPedido", sc.pedidoChave, false, s.consultarPedido)
	return m
}

// ServeHTTP serves the Omie API under /api/v1/{modulo}/{servico}/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !strings.HasSuffix(rest, "/") {
		// [C] One integrator reports a 301 without the trailing slash; a client that follows it
		// turns the POST into a GET, which is why Ponte's HTTP client does not follow redirects.
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	service := strings.TrimSuffix(rest, "/")
	if r.Method != http.MethodPost {
		// [U] Omie's answer to other methods is unknown.
		writeFault(w, clientFault("SOAP-ENV:Client", "ERROR: Utilize o método POST para chamar a API !"))
		return
	}
	var env struct {
		Call      string            `json:"call"`
		AppKey    json.RawMessage   `json:"app_key"`
		AppSecret string            `json:"app_secret"`
		Param     []json.RawMessage `json:"param"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil || json.Unmarshal(body, &env) != nil {
		// [U] The real text for a body that is not the JSON envelope is unknown.
		writeFault(w, clientFault("SOAP-ENV:Client", "ERROR: A requisição não está no formato JSON esperado !"))
		return
	}
	s.counter.Inc(env.Call)
	m, ok := s.methods[service+"/"+env.Call]
	if !ok {
		// [U] Unknown method text and code.
		writeFault(w, clientFault("SOAP-ENV:Client", "ERROR: O método [%s] não existe no serviço [%s] !", env.Call, service))
		return
	}
	a := s.authenticate(appKeyOf(env.AppKey), env.AppSecret)
	if a == nil {
		writeFault(w, &fault{status: http.StatusForbidden, text: "A chave de acesso não está preenchida ou não é válida."})
		return
	}
	if f := s.admit(a, env.Call, m.write); f != nil {
		writeFault(w, f)
		return
	}
	defer s.leave(a, env.Call)
	if s.faults.Apply(w, r, env.Call, writeTooMany) {
		return
	}
	res, f := s.handle(a, m, env.Call, env.Param)
	if f != nil {
		writeFault(w, f)
		return
	}
	sandbox.WriteJSON(w, http.StatusOK, res)
}

// appKeyOf reads app_key as a string or a number: [I] one of Omie's help articles sends a number.
func appKeyOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func (s *Server) authenticate(key, secret string) *account {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[key]
	if !ok || a.AppSecret != secret {
		// [U] A wrong secret with a right key is assumed to answer like a wrong key.
		return nil
	}
	return a
}

// admit applies the misuse block and the concurrency limit, and counts the call in flight.
func (s *Server) admit(a *account, call string, write bool) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if now.Before(a.blockedUntil) {
		secs := int(math.Ceil(a.blockedUntil.Sub(now).Seconds()))
		return &fault{status: http.StatusTooEarly, code: omie.CodeMisuse,
			text: fmt.Sprintf("ERROR: API bloqueada por consumo indevido. Tente novamente em %d segundos.", secs)}
	}
	limit := concurrentReads
	if write {
		limit = concurrentWrites
	}
	if !a.opts.DisableRateLimits && a.inflight[call] >= limit {
		f := clientFault(omie.CodeMethodBusy, "ERROR: Já existe uma requisição desse método sendo executada e você pode tentar novamente em alguns instantes. (1)")
		s.countFault(a, call, f, now)
		return f
	}
	a.inflight[call]++
	return nil
}

func (s *Server) leave(a *account, call string) {
	s.mu.Lock()
	a.inflight[call]--
	s.mu.Unlock()
}

// handle runs one admitted call: rate limits, REDUNDANT, strict validation, then the method.
func (s *Server) handle(a *account, m method, call string, params []json.RawMessage) (any, *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !a.opts.DisableRateLimits && s.overLimit(a, call, now) {
		return nil, tooMany()
	}
	if len(params) != 1 {
		// [U] param must be a one-element array; the real text for anything else is unknown.
		f := validation("ERROR: O parâmetro [param] deve ser uma lista com um único elemento !")
		s.countFault(a, call, f, now)
		return nil, f
	}
	p, err := decodeRecord(params[0])
	if err != nil {
		f := validation("ERROR: O parâmetro [param] deve conter um objeto JSON !")
		s.countFault(a, call, f, now)
		return nil, f
	}
	canon, _ := json.Marshal(p) // encoding/json sorts map keys: equal params, equal bytes
	key := call + "\x00" + string(canon)
	if !a.opts.DisableRedundant {
		if last, ok := a.recent[key]; ok && now.Sub(last) < redundantWindow {
			secs := int(math.Ceil((redundantWindow - now.Sub(last)).Seconds()))
			f := clientFault(omie.CodeRedundant, "ERROR: Consumo redundante detectado. Aguarde %d segundos para tentar novamente (REDUNDANT).", secs)
			s.countFault(a, call, f, now)
			return nil, f
		}
	}
	f := m.param.check(p)
	var out any
	if f == nil {
		out, f = m.run(a, p)
	}
	if m.write && f == nil {
		clear(a.recent)
	}
	a.recent[key] = now
	if f != nil {
		s.countFault(a, call, f, now)
		return nil, f
	}
	a.faultRun[call] = 0
	return out, nil
}

// overLimit counts the call against the per-minute limits and reports whether it exceeds one.
func (s *Server) overLimit(a *account, call string, now time.Time) bool {
	over := false
	for _, k := range []string{"", call} {
		n := limitOverall
		if k != "" {
			n = limitPerMethod
		}
		times := a.calls[k][:0]
		for _, t := range a.calls[k] {
			if now.Sub(t) < time.Minute {
				times = append(times, t)
			}
		}
		if len(times) >= n {
			over = true
		}
		a.calls[k] = times
	}
	if !over {
		a.calls[""] = append(a.calls[""], now)
		a.calls[call] = append(a.calls[call], now)
	}
	return over
}

// countFault moves the key towards the misuse block.
func (s *Server) countFault(a *account, call string, f *fault, now time.Time) {
	if a.opts.DisableRateLimits || !f.countsAsMisuse() {
		return
	}
	a.faultRun[call]++
	if a.faultRun[call] >= misuseAfter {
		a.blockedUntil = now.Add(misuseBlock)
		a.faultRun[call] = 0
	}
}

// tooMany is the per-minute overflow answer. [C] HTTP 429 "Too many requests"; [U] the body
// shape and whether a Retry-After header is sent (the sandbox sends none).
func tooMany() *fault {
	return &fault{status: http.StatusTooManyRequests, text: "Too many requests"}
}

func writeTooMany(w http.ResponseWriter) { writeFault(w, tooMany()) }

func writeFault(w http.ResponseWriter, f *fault) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(f.body())
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.status)
	_, _ = w.Write(b.Bytes())
}
