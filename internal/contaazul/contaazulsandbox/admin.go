package contaazulsandbox

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/pontehub/ponte/internal/sandbox"
)

// Account is one Conta Azul company (an ERP account a person can connect an app to).
type Account struct {
	ID           string `json:"id"`
	RazaoSocial  string `json:"razao_social"`
	NomeFantasia string `json:"nome_fantasia"`
	Documento    string `json:"documento"`
	Email        string `json:"email"`
	DataFundacao string `json:"data_fundacao"`
}

// ErrNotFound is returned by the Go helpers for an unknown account or person.
var ErrNotFound = errors.New("contaazulsandbox: not found")

// NewAccount creates an empty company and returns it.
func (s *Sandbox) NewAccount() Account {
	return s.addAccount(defaultAccount())
}

func defaultAccount() Account {
	id := "conta-" + randomToken(6)
	return Account{ID: id, RazaoSocial: "Empresa " + id + " Ltda", NomeFantasia: "Empresa " + id,
		Email: "financeiro@" + id + ".example", DataFundacao: "2015-03-10"}
}

func (s *Sandbox) addAccount(a Account) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addAccountLocked(a)
}

func (s *Sandbox) addAccountLocked(a Account) Account {
	s.accounts[a.ID] = &account{info: a, pessoas: map[string]*record{}}
	return a
}

// SeedPessoa stores p in the account as if it had been typed in Conta Azul and returns it as the
// API shows it. An empty ID gets a new UUID; empty CriadoEm/DataAlteracao take the sandbox
// clock, and set ones are kept, so tests can seed old records.
func (s *Sandbox) SeedPessoa(accountID string, p Pessoa) (Pessoa, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc, ok := s.accounts[accountID]
	if !ok {
		return Pessoa{}, ErrNotFound
	}
	return s.seedLocked(acc, p)
}

func (s *Sandbox) seedLocked(acc *account, p Pessoa) (Pessoa, error) {
	p = clonePessoa(p)
	if p.ID == "" {
		p.ID = newUUID()
	}
	if err := normalize(&p); err != nil {
		return Pessoa{}, err
	}
	now := s.now()
	rec := &record{p: p, created: now, changed: now}
	if p.CriadoEm != "" {
		t, err := parseTime(p.CriadoEm)
		if err != nil {
			return Pessoa{}, err
		}
		rec.created = t
	}
	if p.DataAlteracao != "" {
		t, err := parseTime(p.DataAlteracao)
		if err != nil {
			return Pessoa{}, err
		}
		rec.changed = t
	}
	stamp(rec)
	acc.pessoas[p.ID] = rec
	return rec.p, nil
}

// Pessoas returns the account's people sorted by name, or nil for an unknown account.
func (s *Sandbox) Pessoas(accountID string) []Pessoa {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc, ok := s.accounts[accountID]
	if !ok {
		return nil
	}
	out := make([]Pessoa, 0, len(acc.pessoas))
	for _, rec := range acc.pessoas {
		out = append(out, clonePessoa(rec.p))
	}
	slices.SortFunc(out, func(a, b Pessoa) int {
		return strings.Compare(strings.ToLower(a.Nome)+a.ID, strings.ToLower(b.Nome)+b.ID)
	})
	return out
}

// EditPessoa changes a person as a user would in Conta Azul: edit runs on a copy, which is
// validated, stored, and gets a new data_alteracao from the sandbox clock.
func (s *Sandbox) EditPessoa(accountID, id string, edit func(*Pessoa)) (Pessoa, error) {
	return s.edit(accountID, id, func(p *Pessoa) error { edit(p); return nil })
}

func (s *Sandbox) edit(accountID, id string, edit func(*Pessoa) error) (Pessoa, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acc, ok := s.accounts[accountID]
	if !ok {
		return Pessoa{}, ErrNotFound
	}
	rec, ok := acc.pessoas[id]
	if !ok {
		return Pessoa{}, ErrNotFound
	}
	p := clonePessoa(rec.p)
	if err := edit(&p); err != nil {
		return Pessoa{}, err
	}
	p.ID = id
	if err := normalize(&p); err != nil {
		return Pessoa{}, err
	}
	rec.p = p
	rec.changed = s.now()
	stamp(rec)
	return rec.p, nil
}

// adminRoutes serves /_sandbox/contaazul/…:
//
//	POST  /apps                           {"redirect_uri"} → App
//	PUT   /apps/{client_id}               {"redirect_uri"} → 204
//	GET   /apps                           [App]
//	POST  /accounts                       {optional Account fields} → Account
//	GET   /accounts                       [Account]
//	POST  /authorize                      {"client_id","account_id"} → {"code"} (skips the page)
//	GET   /accounts/{id}/pessoas          [Pessoa]
//	POST  /accounts/{id}/pessoas          Pessoa → Pessoa (seed)
//	PATCH /accounts/{id}/pessoas/{pid}    partial Pessoa JSON → Pessoa (edit as a user would)
//	POST  /accounts/{id}/revoke           revoke every authorization of the account
func (s *Sandbox) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	// The clock knob (issue 16): GET shows the offset, POST {"offset":"+2h"} moves it.
	mux.Handle("/clock", s.clock)
	mux.HandleFunc("POST /apps", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RedirectURI string `json:"redirect_uri"`
		}
		if err := decodeJSON(r, &in); err != nil || in.RedirectURI == "" {
			http.Error(w, `body must be {"redirect_uri": "…"}`, http.StatusBadRequest)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, s.NewApp(in.RedirectURI))
	})
	mux.HandleFunc("PUT /apps/{client_id}", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RedirectURI string `json:"redirect_uri"`
		}
		if err := decodeJSON(r, &in); err != nil || in.RedirectURI == "" {
			http.Error(w, `body must be {"redirect_uri": "…"}`, http.StatusBadRequest)
			return
		}
		if err := s.SetRedirectURI(r.PathValue("client_id"), in.RedirectURI); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /apps", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		out := make([]App, 0, len(s.apps))
		for _, a := range s.apps {
			out = append(out, a)
		}
		s.mu.Unlock()
		slices.SortFunc(out, func(a, b App) int { return strings.Compare(a.ClientID, b.ClientID) })
		sandbox.WriteJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /accounts", func(w http.ResponseWriter, r *http.Request) {
		var in Account
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &in); err != nil {
				http.Error(w, "account: "+err.Error(), http.StatusBadRequest)
				return
			}
		}
		sandbox.WriteJSON(w, http.StatusCreated, s.addAccount(mergeAccount(defaultAccount(), in)))
	})
	mux.HandleFunc("GET /accounts", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		out := make([]Account, 0, len(s.accounts))
		for _, a := range s.accounts {
			out = append(out, a.info)
		}
		s.mu.Unlock()
		slices.SortFunc(out, func(a, b Account) int { return strings.Compare(a.ID, b.ID) })
		sandbox.WriteJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /authorize", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ClientID  string `json:"client_id"`
			AccountID string `json:"account_id"`
		}
		if err := decodeJSON(r, &in); err != nil {
			http.Error(w, "authorize: "+err.Error(), http.StatusBadRequest)
			return
		}
		code, err := s.IssueCode(in.ClientID, in.AccountID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		sandbox.WriteJSON(w, http.StatusOK, map[string]string{"code": code})
	})
	mux.HandleFunc("GET /accounts/{id}/pessoas", func(w http.ResponseWriter, r *http.Request) {
		ps := s.Pessoas(r.PathValue("id"))
		if ps == nil {
			http.Error(w, "unknown account", http.StatusNotFound)
			return
		}
		sandbox.WriteJSON(w, http.StatusOK, ps)
	})
	mux.HandleFunc("POST /accounts/{id}/pessoas", func(w http.ResponseWriter, r *http.Request) {
		var p Pessoa
		if err := decodeJSON(r, &p); err != nil {
			http.Error(w, "pessoa: "+err.Error(), http.StatusBadRequest)
			return
		}
		out, err := s.SeedPessoa(r.PathValue("id"), p)
		writeAdminResult(w, http.StatusCreated, out, err)
	})
	mux.HandleFunc("PATCH /accounts/{id}/pessoas/{pid}", func(w http.ResponseWriter, r *http.Request) {
		var in pessoaWrite
		if err := decodeJSON(r, &in); err != nil {
			http.Error(w, "pessoa: "+err.Error(), http.StatusBadRequest)
			return
		}
		out, err := s.edit(r.PathValue("id"), r.PathValue("pid"), in.apply)
		writeAdminResult(w, http.StatusOK, out, err)
	})
	mux.HandleFunc("POST /accounts/{id}/revoke", func(w http.ResponseWriter, r *http.Request) {
		s.RevokeRefreshTokens(r.PathValue("id"))
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func writeAdminResult(w http.ResponseWriter, status int, v any, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
	default:
		sandbox.WriteJSON(w, status, v)
	}
}

// mergeAccount fills in's empty fields from def.
func mergeAccount(def, in Account) Account {
	for _, f := range []struct{ dst, src *string }{{&def.ID, &in.ID}, {&def.RazaoSocial, &in.RazaoSocial},
		{&def.NomeFantasia, &in.NomeFantasia}, {&def.Documento, &in.Documento}, {&def.Email, &in.Email},
		{&def.DataFundacao, &in.DataFundacao}} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	return def
}
