package omiesandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/sandbox"
)

// Clock is the sandbox's own clock: Now plus an offset changeable while it runs (issue 16).
func (s *Server) Clock() *sandbox.Skew { return s.clock }

// Admin implements sandbox.Partner: the routes listed in the package doc.
func (s *Server) Admin() http.Handler {
	mux := http.NewServeMux()
	// The clock knob (issue 16): GET shows the offset, POST {"offset":"+2h"} moves it.
	mux.Handle("/clock", s.clock)
	mux.HandleFunc("POST /accounts", func(w http.ResponseWriter, r *http.Request) {
		var opts AccountOptions
		if err := decodeBody(r, &opts); err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, s.NewAccount(opts))
	})
	mux.HandleFunc("GET /accounts/{key}", func(w http.ResponseWriter, r *http.Request) {
		opts, err := s.Options(r.PathValue("key"))
		answer(w, opts, err)
	})
	mux.HandleFunc("PUT /accounts/{key}/options", func(w http.ResponseWriter, r *http.Request) {
		var opts AccountOptions
		if err := decodeBody(r, &opts); err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		answer(w, opts, s.SetOptions(r.PathValue("key"), opts))
	})
	mux.HandleFunc("POST /accounts/{key}/reset", func(w http.ResponseWriter, r *http.Request) {
		answer(w, nil, s.ResetAccount(r.PathValue("key")))
	})
	mux.HandleFunc("POST /accounts/{key}/block", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Seconds int `json:"seconds"`
		}
		if err := decodeBody(r, &in); err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		answer(w, nil, s.Block(r.PathValue("key"), time.Duration(in.Seconds)*time.Second))
	})
	mux.HandleFunc("GET /accounts/{key}/{kind}", func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.dump(r.PathValue("key"), r.PathValue("kind"))
		answer(w, rows, err)
	})
	mux.HandleFunc("POST /accounts/{key}/{kind}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		var many []json.RawMessage
		if json.Unmarshal(body, &many) != nil {
			many = []json.RawMessage{body}
		}
		out := make([]record, 0, len(many))
		for _, raw := range many {
			rec, err := decodeRecord(raw)
			if err != nil {
				adminError(w, http.StatusBadRequest, err)
				return
			}
			saved, err := s.seed(r.PathValue("key"), r.PathValue("kind"), rec)
			if err != nil {
				adminError(w, statusOf(err), err)
				return
			}
			out = append(out, saved)
		}
		sandbox.WriteJSON(w, http.StatusCreated, out)
	})
	mux.HandleFunc("PATCH /accounts/{key}/customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		change, err := decodeRecord(body)
		if err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		rec, err := s.editCustomer(r.PathValue("key"), id, func(c record) record {
			for k, v := range change {
				c[k] = v
			}
			return c
		})
		answer(w, rec, err)
	})
	mux.HandleFunc("DELETE /accounts/{key}/customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		answer(w, nil, s.DeleteCustomer(r.PathValue("key"), id))
	})
	return mux
}

var (
	errNotFound = errors.New("não encontrado")
	errInvalid  = errors.New("inválido")
)

func statusOf(err error) int {
	switch {
	case errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, errInvalid):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func answer(w http.ResponseWriter, v any, err error) {
	switch {
	case err != nil:
		adminError(w, statusOf(err), err)
	case v == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		sandbox.WriteJSON(w, http.StatusOK, v)
	}
}

func adminError(w http.ResponseWriter, status int, err error) {
	sandbox.WriteJSON(w, status, map[string]string{"error": err.Error()})
}

func decodeBody(r *http.Request, v any) error {
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v)
	if errors.Is(err, io.EOF) {
		return nil // an empty body means the defaults
	}
	return err
}

// withAccount runs fn under the lock with the account of key.
func (s *Server) withAccount(key string, fn func(a *account) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[key]
	if !ok {
		return fmt.Errorf("omiesandbox: conta %q: %w", key, errNotFound)
	}
	return fn(a)
}

// Options returns an account's switches.
func (s *Server) Options(appKey string) (AccountOptions, error) {
	var out AccountOptions
	err := s.withAccount(appKey, func(a *account) error { out = a.opts; return nil })
	return out, err
}

// SetOptions replaces an account's switches (credentials and data are kept).
func (s *Server) SetOptions(appKey string, opts AccountOptions) error {
	return s.withAccount(appKey, func(a *account) error {
		opts.AppKey, opts.AppSecret, opts.Seed = "", "", a.opts.Seed
		a.opts = opts
		return nil
	})
}

// ResetAccount forgets an account's records, call history and block.
func (s *Server) ResetAccount(appKey string) error {
	return s.withAccount(appKey, func(a *account) error { a.clear(); return nil })
}

// Block misuse-blocks a key for d, as Omie does after repeated faults.
func (s *Server) Block(appKey string, d time.Duration) error {
	return s.withAccount(appKey, func(a *account) error { a.blockedUntil = s.now().Add(d); return nil })
}

// seed stores one record of a kind, as if a person had created it on Omie's screens.
func (s *Server) seed(key, kind string, r record) (record, error) {
	var out record
	err := s.withAccount(key, func(a *account) error {
		var err error
		out, err = s.seedLocked(a, kind, r)
		return err
	})
	return out, err
}

func (s *Server) seedLocked(a *account, kind string, r record) (record, error) {
	sc := s.schemas
	r = clone(r)
	check := func(sch *schema) error {
		if f := sch.check(r); f != nil {
			return fmt.Errorf("%s: %w", f.text, errInvalid)
		}
		return nil
	}
	now := s.now()
	switch kind {
	case "customers":
		if err := check(sc.cliente); err != nil {
			return nil, err
		}
		if code := str(r, "codigo_cliente_integracao"); code != "" && clienteByCode(a, code) != nil {
			return nil, fmt.Errorf("codigo_cliente_integracao %q já existe: %w", code, errInvalid)
		}
		if doc, err := br.ParseDocument(str(r, "cnpj_cpf")); err == nil {
			r["cnpj_cpf"], r["pessoa_fisica"] = doc.Formatted(), string(omie.FlagOf(doc.Kind == br.CPF))
		}
		for _, t := range list(r, "tags") {
			s.registerTag(a, str(t, "tag"))
		}
		for k, v := range map[string]string{"inativo": "N", "exterior": "N"} {
			if str(r, k) == "" {
				r[k] = v
			}
		}
		return s.insert(a.clientes, r, "info", now), nil
	case "products":
		if err := check(sc.produto); err != nil {
			return nil, err
		}
		if str(r, "inativo") == "" {
			r["inativo"] = "N"
		}
		return s.insert(a.produtos, r, "info", now), nil
	case "services":
		if err := check(sc.servico); err != nil {
			return nil, err
		}
		return s.insert(a.servicos, r, "info", now), nil
	case "locations":
		if err := check(sc.local); err != nil {
			return nil, err
		}
		for k, v := range map[string]string{"padrao": "N", "inativo": "N", "tipo": "1"} {
			if str(r, k) == "" {
				r[k] = v
			}
		}
		if str(r, "dInc") == "" {
			stamp(r, now, true, userScreen)
		}
		return s.insert(a.locais, r, "", now), nil
	case "bank-accounts":
		if err := check(sc.conta); err != nil {
			return nil, err
		}
		if str(r, "data_inc") == "" {
			d, h := omie.FormatDate(now), omie.FormatTime(now)
			r["data_inc"], r["hora_inc"], r["user_inc"] = d, h, userScreen
			r["data_alt"], r["hora_alt"], r["user_alt"] = d, h, userScreen
		}
		if str(r, "inativo") == "" {
			r["inativo"] = "N"
		}
		return s.insert(a.contas, r, "", now), nil
	case "categories":
		if err := check(sc.categoria); err != nil {
			return nil, err
		}
		if str(r, "codigo") == "" {
			return nil, fmt.Errorf("categoria sem codigo: %w", errInvalid)
		}
		for i, c := range a.categorias {
			if str(c, "codigo") == str(r, "codigo") {
				a.categorias[i] = r
				return clone(r), nil
			}
		}
		a.categorias = append(a.categorias, r)
		return clone(r), nil
	case "stock":
		if err := check(sc.posicao); err != nil {
			return nil, err
		}
		local, prod := i64(r, "codigo_local_estoque"), i64(r, "nCodProd")
		if _, ok := a.locais.rows[local]; !ok {
			return nil, fmt.Errorf("local de estoque %d: %w", local, errNotFound)
		}
		if _, ok := a.produtos.rows[prod]; !ok {
			return nil, fmt.Errorf("produto %d: %w", prod, errNotFound)
		}
		a.estoque[[2]int64{local, prod}] = r
		return clone(r), nil
	case "tags":
		if err := check(sc.tagRecord); err != nil {
			return nil, err
		}
		return clone(s.registerTag(a, str(r, "tag"))), nil
	}
	return nil, fmt.Errorf("tipo de registro %q: %w", kind, errNotFound)
}

// insert stores r in t under its own id or a new one, stamping the info block (when infoKey is
// set and the caller sent none) as a screen-made record.
func (s *Server) insert(t *table, r record, infoKey string, now time.Time) record {
	id := t.idOf(r)
	if id == 0 {
		id = s.newID(t)
		t.setID(r, id)
	}
	if infoKey != "" && obj2(r, infoKey) == nil {
		info := ensure(r, infoKey)
		stamp(info, now, true, userScreen)
		info["cImpAPI"] = "N"
	}
	t.rows[id] = r
	return clone(r)
}

// dump returns copies of every record of a kind.
func (s *Server) dump(key, kind string) ([]record, error) {
	var out []record
	err := s.withAccount(key, func(a *account) error {
		var rows []record
		switch kind {
		case "customers":
			rows = a.clientes.sorted()
		case "products":
			rows = a.produtos.sorted()
		case "services":
			rows = a.servicos.sorted()
		case "locations":
			rows = a.locais.sorted()
		case "bank-accounts":
			rows = a.contas.sorted()
		case "categories":
			rows = a.categorias
		case "service-orders":
			rows = a.os.sorted()
		case "orders":
			rows = a.pedidos.sorted()
		case "stock":
			for _, l := range a.locais.sorted() {
				for _, p := range a.produtos.sorted() {
					if pos, ok := a.estoque[[2]int64{a.locais.idOf(l), a.produtos.idOf(p)}]; ok {
						rows = append(rows, pos)
					}
				}
			}
		case "tags":
			for _, t := range a.tags {
				rows = append(rows, t)
			}
		default:
			return fmt.Errorf("tipo de registro %q: %w", kind, errNotFound)
		}
		out = make([]record, len(rows))
		for i, r := range rows {
			out[i] = clone(r)
		}
		return nil
	})
	return out, err
}

// editCustomer changes a stored customer the way a person on Omie's screens would: the change
// time moves to now and the user is not WEBSERVICE.
func (s *Server) editCustomer(key string, id int64, change func(record) record) (record, error) {
	var out record
	err := s.withAccount(key, func(a *account) error {
		c, ok := a.clientes.rows[id]
		if !ok {
			return fmt.Errorf("cliente %d: %w", id, errNotFound)
		}
		info := clone(obj2(c, "info"))
		next := change(clone(c))
		if f := s.schemas.cliente.check(next); f != nil {
			return fmt.Errorf("%s: %w", f.text, errInvalid)
		}
		next["codigo_cliente_omie"] = id
		if info == nil {
			info = record{}
		}
		stamp(info, s.now(), false, userScreen)
		next["info"] = info
		if doc, err := br.ParseDocument(str(next, "cnpj_cpf")); err == nil {
			next["cnpj_cpf"], next["pessoa_fisica"] = doc.Formatted(), string(omie.FlagOf(doc.Kind == br.CPF))
		}
		a.clientes.rows[id] = next
		out = clone(next)
		return nil
	})
	return out, err
}

// DeleteCustomer deletes a customer, as a person could on Omie's screens.
func (s *Server) DeleteCustomer(appKey string, id int64) error {
	return s.withAccount(appKey, func(a *account) error {
		if _, ok := a.clientes.rows[id]; !ok {
			return fmt.Errorf("cliente %d: %w", id, errNotFound)
		}
		delete(a.clientes.rows, id)
		return nil
	})
}
