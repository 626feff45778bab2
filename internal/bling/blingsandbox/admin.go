package blingsandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/sandbox"
)

// NewAccount creates a Bling account with the default contact types and returns its id.
func (s *Sandbox) NewAccount(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newAccount(name)
}

func (s *Sandbox) newAccount(name string) int64 {
	a := &account{id: s.st.nextAccount, name: name, contacts: map[int64]*storedContact{}}
	s.st.nextAccount++
	if a.name == "" {
		a.name = fmt.Sprintf("Conta %d", a.id)
	}
	// The default list of a new Bling account is not documented [I]; these are the types Bling's
	// screens show.
	for _, d := range []string{"Cliente", "Fornecedor", "Transportador", "Técnico", "Vendedor"} {
		a.types = append(a.types, bling.ContactType{ID: s.st.nextID, Description: d})
		s.st.nextID++
	}
	s.st.accounts[a.id] = a
	return a.id
}

// AddContactType adds a custom contact type to the account and returns its id.
func (s *Sandbox) AddContactType(accountID int64, description string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.acct(accountID)
	if err != nil {
		return 0, err
	}
	id := s.st.nextID
	s.st.nextID++
	a.types = append(a.types, bling.ContactType{ID: id, Description: description})
	return id, nil
}

// ContactTypes returns the account's contact types.
func (s *Sandbox) ContactTypes(accountID int64) []bling.ContactType {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, err := s.acct(accountID); err == nil {
		return slices.Clone(a.types)
	}
	return nil
}

// TypeID returns the id of the account's contact type with that description, or 0.
func (s *Sandbox) TypeID(accountID int64, description string) int64 {
	t, _ := bling.FindType(s.ContactTypes(accountID), description)
	return t.ID
}

// SeedContact stores c in the account as if it had been created in Bling's screens, without the
// API's validation (real accounts hold old or imported contacts with bad documents). Types are
// given by id; unknown ids are an error. It returns the new id.
func (s *Sandbox) SeedContact(accountID int64, c bling.Contact) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.acct(accountID)
	if err != nil {
		return 0, err
	}
	if missing := fillTypes(a, &c); len(missing) > 0 {
		return 0, fmt.Errorf("blingsandbox: account %d has no contact type %d", a.id, missing[0])
	}
	if c.Status == "" {
		c.Status = bling.StatusActive
	}
	return s.insert(a, c), nil
}

// fillTypes completes the contact's types from the account's, as Bling answers them with their
// descriptions, and returns the ids the account does not have.
func fillTypes(a *account, c *bling.Contact) (missing []int64) {
	for i, t := range c.Types {
		j := slices.IndexFunc(a.types, func(x bling.ContactType) bool { return x.ID == t.ID })
		if j < 0 {
			missing = append(missing, t.ID)
			continue
		}
		c.Types[i] = a.types[j]
	}
	return missing
}

// StoredContact is a contact with the times the sandbox tracks for it.
type StoredContact struct {
	Contact  bling.Contact `json:"contato"`
	Created  time.Time     `json:"criado"`
	Modified time.Time     `json:"alterado"`
}

// SetDailyLimit changes the per-account daily quota from now on (negative turns it off), so a
// test or demo can run an account out of it.
func (s *Sandbox) SetDailyLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opt.DailyLimit = n
}

// Contacts returns the account's contacts (deleted ones included), ordered by id.
func (s *Sandbox) Contacts(accountID int64) []StoredContact {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.acct(accountID)
	if err != nil {
		return nil
	}
	out := make([]StoredContact, 0, len(a.contacts))
	for _, sc := range a.contacts {
		out = append(out, StoredContact{Contact: sc.c, Created: sc.created, Modified: sc.modified})
	}
	slices.SortFunc(out, func(x, y StoredContact) int { return int(x.Contact.ID - y.Contact.ID) })
	return out
}

// EditContact changes a contact as a user would in Bling's screens: edit gets the stored record
// and the modification time moves to now.
func (s *Sandbox) EditContact(accountID, id int64, edit func(*bling.Contact)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.acct(accountID)
	if err != nil {
		return err
	}
	sc, ok := a.contacts[id]
	if !ok {
		return fmt.Errorf("blingsandbox: account %d has no contact %d", accountID, id)
	}
	c := sc.c
	edit(&c)
	c.ID = id
	if missing := fillTypes(a, &c); len(missing) > 0 {
		return fmt.Errorf("blingsandbox: account %d has no contact type %d", a.id, missing[0])
	}
	sc.c = c
	sc.modified = s.opt.Now()
	return nil
}

// adminRoutes are served under /_sandbox/bling/:
//
//	POST  /apps                                {"redirect_uri"} → App
//	GET   /apps                                every App
//	PUT   /apps/{client_id}                    {"redirect_uri"}: change the redirect link
//	POST  /accounts                            {"name"} → {"id"}
//	GET   /accounts                            [{"id","name","contatos"}]
//	POST  /authorize                           {"client_id","account"} → {"code"}: approve without the page
//	POST  /accounts/{id}/revoke                revoke the account's refresh tokens → {"revoked"}
//	GET   /accounts/{id}/contacts              [StoredContact]
//	POST  /accounts/{id}/contacts              seed a bling.Contact → {"id"}
//	PATCH /accounts/{id}/contacts/{cid}        merge JSON fields into a contact, as a user edit
//	GET   /accounts/{id}/contact-types         [bling.ContactType]
//	POST  /accounts/{id}/contact-types         {"descricao"} → {"id"}
func (s *Sandbox) adminRoutes() {
	m := s.admin
	// The clock knob (issue 16): GET shows the offset, POST {"offset":"+2h"} moves it.
	m.Handle("/clock", s.clock)
	m.HandleFunc("POST /apps", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RedirectURI string `json:"redirect_uri"`
		}
		if !decode(w, r, &in) {
			return
		}
		if in.RedirectURI == "" {
			http.Error(w, "redirect_uri is required: a Bling app has exactly one redirect link", http.StatusBadRequest)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, s.NewApp(in.RedirectURI))
	})
	m.HandleFunc("GET /apps", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		out := []App{}
		for _, a := range s.st.apps {
			out = append(out, *a)
		}
		s.mu.Unlock()
		slices.SortFunc(out, func(x, y App) int { return strings.Compare(x.ClientID, y.ClientID) })
		sandbox.WriteJSON(w, http.StatusOK, out)
	})
	m.HandleFunc("PUT /apps/{client_id}", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RedirectURI string `json:"redirect_uri"`
		}
		if !decode(w, r, &in) {
			return
		}
		if err := s.SetRedirectURI(r.PathValue("client_id"), in.RedirectURI); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /accounts", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name string `json:"name"`
		}
		if r.ContentLength != 0 && !decode(w, r, &in) {
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, map[string]int64{"id": s.NewAccount(in.Name)})
	})
	m.HandleFunc("GET /accounts", func(w http.ResponseWriter, r *http.Request) {
		type row struct {
			ID       int64  `json:"id"`
			Name     string `json:"name"`
			Contacts int    `json:"contatos"`
		}
		s.mu.Lock()
		out := []row{}
		for _, a := range s.st.accounts {
			out = append(out, row{ID: a.id, Name: a.name, Contacts: len(a.contacts)})
		}
		s.mu.Unlock()
		slices.SortFunc(out, func(x, y row) int { return int(x.ID - y.ID) })
		sandbox.WriteJSON(w, http.StatusOK, out)
	})
	m.HandleFunc("POST /authorize", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ClientID string `json:"client_id"`
			Account  int64  `json:"account"`
		}
		if !decode(w, r, &in) {
			return
		}
		code, err := s.IssueCode(in.ClientID, in.Account)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		sandbox.WriteJSON(w, http.StatusOK, map[string]string{"code": code})
	})
	m.HandleFunc("POST /accounts/{id}/revoke", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		sandbox.WriteJSON(w, http.StatusOK, map[string]int{"revoked": s.RevokeRefreshTokens(id)})
	}))
	m.HandleFunc("GET /accounts/{id}/contacts", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		sandbox.WriteJSON(w, http.StatusOK, s.Contacts(id))
	}))
	m.HandleFunc("POST /accounts/{id}/contacts", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		var c bling.Contact
		if !decode(w, r, &c) {
			return
		}
		cid, err := s.SeedContact(id, c)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, map[string]int64{"id": cid})
	}))
	m.HandleFunc("PATCH /accounts/{id}/contacts/{cid}", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		cid, _ := strconv.ParseInt(r.PathValue("cid"), 10, 64)
		var patch json.RawMessage
		if !decode(w, r, &patch) {
			return
		}
		var uerr error
		err := s.EditContact(id, cid, func(c *bling.Contact) { uerr = json.Unmarshal(patch, c) })
		if err = errors.Join(err, uerr); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	m.HandleFunc("GET /accounts/{id}/contact-types", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		sandbox.WriteJSON(w, http.StatusOK, s.ContactTypes(id))
	}))
	m.HandleFunc("POST /accounts/{id}/contact-types", s.withAccount(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in struct {
			Description string `json:"descricao"`
		}
		if !decode(w, r, &in) {
			return
		}
		tid, err := s.AddContactType(id, in.Description)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		sandbox.WriteJSON(w, http.StatusCreated, map[string]int64{"id": tid})
	}))
}

// withAccount resolves {id} to an existing account or answers 404.
func (s *Sandbox) withAccount(h func(w http.ResponseWriter, r *http.Request, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err == nil {
			s.mu.Lock()
			_, err = s.acct(id)
			s.mu.Unlock()
		}
		if err != nil {
			http.Error(w, "no such account", http.StatusNotFound)
			return
		}
		h(w, r, id)
	}
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}
