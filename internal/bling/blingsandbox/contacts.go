package blingsandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/br"
)

func (s *Sandbox) routes() {
	m := s.api
	m.HandleFunc("GET /Api/v3/oauth/authorize", s.authorizeForm)
	m.HandleFunc("POST /Api/v3/oauth/authorize", s.authorizeDecision)
	m.HandleFunc("POST /Api/v3/oauth/token", s.token)
	m.HandleFunc("GET /Api/v3/contatos", s.call("GET /contatos", s.listContacts))
	m.HandleFunc("POST /Api/v3/contatos", s.call("POST /contatos", s.createContact))
	m.HandleFunc("GET /Api/v3/contatos/tipos", s.call("GET /contatos/tipos", s.listTypes))
	m.HandleFunc("GET /Api/v3/contatos/{id}", s.call("GET /contatos/{id}", s.getContact))
	m.HandleFunc("PUT /Api/v3/contatos/{id}", s.call("PUT /contatos/{id}", s.putContact))
	for _, p := range []string{"/Api/v3/contatos", "/Api/v3/contatos/{id}"} {
		m.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusMethodNotAllowed, bling.ErrTypeMethodNotAllowed, "Método não permitido",
				"O simulador não implementa "+r.Method+" "+r.URL.Path)
		})
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, bling.ErrTypeNotFound, "Recurso não encontrado",
			"O simulador não implementa "+r.Method+" "+r.URL.Path)
	})
}

// apiHandler serves one API call for the account that owns the access token; it runs with
// s.mu held.
type apiHandler func(w http.ResponseWriter, r *http.Request, a *account, body []byte)

// call wraps an API handler with what every Bling call goes through: counting, faults, the
// bearer token, and the per-account rate limits.
func (s *Sandbox) call(method string, h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.counter.Inc(method)
		if s.faults.Apply(w, r, method, throttle) {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, bling.ErrTypeInvalidBody, "Corpo da requisição inválido", err.Error())
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.bearer(r)
		if !ok {
			// Exact Bling wording unknown [U]; type and status per api/bling.md §3 [I].
			writeError(w, http.StatusUnauthorized, bling.ErrTypeUnauthorized, "invalid_token",
				"O token de acesso informado é inválido ou expirou")
			return
		}
		if msg := s.overLimit(a); msg != "" {
			writeError(w, http.StatusTooManyRequests, bling.ErrTypeTooManyRequests, "Limite de requisições atingido", msg)
			return
		}
		h(w, r, a, body)
	}
}

// throttle is Bling's 429 answer. Bling is not known to send Retry-After [U], so neither do we.
func throttle(w http.ResponseWriter) {
	writeError(w, http.StatusTooManyRequests, bling.ErrTypeTooManyRequests, "Limite de requisições atingido",
		"Limite de requisições por segundo atingido")
}

// overLimit counts one call against the account's limits and returns why it is refused, or "".
// Refused calls do not count.
func (s *Sandbox) overLimit(a *account) string {
	now := time.Now().Add(s.clock.Offset()) // the real clock, at the server's offset
	keep := a.recent[:0]
	for _, t := range a.recent {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	a.recent = keep
	if s.opt.RequestsPerSecond > 0 && len(a.recent) >= s.opt.RequestsPerSecond {
		return "Limite de requisições por segundo atingido"
	}
	day := s.opt.Now().In(bling.Brasilia()).Format(time.DateOnly)
	if a.day != day {
		a.day, a.dayCalls = day, 0
	}
	if s.opt.DailyLimit > 0 && a.dayCalls >= s.opt.DailyLimit {
		return "Limite diário de requisições atingido"
	}
	a.recent = append(a.recent, now)
	a.dayCalls++
	return ""
}

// invalidQuery answers a query parameter Bling would refuse.
func invalidQuery(w http.ResponseWriter, element, msg string) {
	writeError(w, http.StatusBadRequest, bling.ErrTypeValidation, "Parâmetros inválidos", msg,
		bling.ErrorField{Code: 1, Msg: msg, Element: element, Namespace: "CONTATOS"})
}

// parseFilterTime reads a date filter, with time ("2026-10-06 10:00:00") or without [I]. A
// date alone means the start of the day, or its end for the *Final filters.
func parseFilterTime(v string, end bool) (time.Time, error) {
	if t, err := time.ParseInLocation(bling.TimeLayout, v, bling.Brasilia()); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, bling.Brasilia())
	if err == nil && end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, err
}

// listContacts is GET /contatos: filters of api/bling.md §2, ordered by id, base fields only.
func (s *Sandbox) listContacts(w http.ResponseWriter, r *http.Request, a *account, _ []byte) {
	q := r.URL.Query()
	intParam := func(name string, def int) (int, bool) {
		v := q.Get(name)
		if v == "" {
			return def, true
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			invalidQuery(w, name, "O parâmetro "+name+" deve ser um número inteiro")
			return 0, false
		}
		return n, true
	}
	page, ok := intParam("pagina", 1)
	if !ok {
		return
	}
	limit, ok := intParam("limite", bling.MaxPageSize)
	if !ok {
		return
	}
	page = max(page, 1)
	if limit < 1 || limit > bling.MaxPageSize {
		limit = bling.MaxPageSize // Bling's handling of larger limits is unknown [U]; we clamp
	}
	var times [4]time.Time
	for i, name := range []string{"dataInclusaoInicial", "dataInclusaoFinal", "dataAlteracaoInicial", "dataAlteracaoFinal"} {
		if v := q.Get(name); v != "" {
			t, err := parseFilterTime(v, i%2 == 1)
			if err != nil {
				invalidQuery(w, name, "Data inválida em "+name+"; use AAAA-MM-DD HH:MM:SS")
				return
			}
			times[i] = t
		}
	}
	for i := 0; i < 4; i += 2 {
		// Windows over a year are refused [I]; with one end open nothing is known, so allowed.
		if !times[i].IsZero() && !times[i+1].IsZero() && times[i+1].Sub(times[i]) > 366*24*time.Hour {
			invalidQuery(w, "periodo", "O período informado não pode ser maior que um ano")
			return
		}
	}
	criterion, ok := intParam("criterio", 1)
	if !ok {
		return
	}
	if criterion < 1 || criterion > 4 {
		invalidQuery(w, "criterio", "Critério inválido; use 1, 2, 3 ou 4")
		return
	}
	typeID, _ := strconv.ParseInt(q.Get("idTipoContato"), 10, 64)
	sellerID, _ := strconv.ParseInt(q.Get("idVendedor"), 10, 64)
	personType := map[string]string{"1": bling.PersonIndividual, "2": bling.PersonCompany, "3": bling.PersonForeign}[q.Get("tipoPessoa")]
	ids := map[int64]bool{}
	for _, v := range q["idsContatos[]"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids[id] = true
		}
	}
	search := strings.ToLower(q.Get("pesquisa"))
	doc := q.Get("numeroDocumento") // compared as given: Bling expects digits only [C]

	var hits []*storedContact
	for _, sc := range a.contacts {
		c := sc.c
		deleted := c.Status == bling.StatusDeleted
		switch {
		case criterion == 2 && !deleted, criterion != 2 && deleted,
			criterion == 4 && c.Status != bling.StatusNoActivity,
			!inWindow(sc.created, times[0], times[1]), !inWindow(sc.modified, times[2], times[3]),
			typeID != 0 && !c.HasType(typeID),
			sellerID != 0 && (c.Seller == nil || c.Seller.ID != sellerID),
			personType != "" && c.PersonType != personType,
			q.Get("uf") != "" && !strings.EqualFold(mainState(c), q.Get("uf")),
			q.Get("telefone") != "" && c.Phone != q.Get("telefone") && c.Mobile != q.Get("telefone"),
			len(ids) > 0 && !ids[c.ID],
			doc != "" && bling.DocumentKey(c.Document) != doc,
			search != "" && !matchesSearch(c, search):
			continue
		}
		hits = append(hits, sc)
	}
	slices.SortFunc(hits, func(x, y *storedContact) int {
		if criterion == 3 { // últimos incluídos
			return y.created.Compare(x.created)
		}
		return int(x.c.ID - y.c.ID)
	})
	out := []bling.Contact{}
	for i := (page - 1) * limit; i < len(hits) && i < page*limit; i++ {
		c := hits[i].c
		out = append(out, bling.Contact{ID: c.ID, Name: c.Name, Code: c.Code, Status: c.Status,
			Document: c.Document, Phone: c.Phone, Mobile: c.Mobile})
	}
	writeData(w, http.StatusOK, out)
}

func inWindow(t, from, to time.Time) bool {
	t = t.Truncate(time.Second)
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

func mainState(c bling.Contact) string {
	if c.Addresses == nil || c.Addresses.Main == nil {
		return ""
	}
	return c.Addresses.Main.State
}

// matchesSearch is pesquisa: name, CPF/CNPJ, trade name, e-mail or code.
func matchesSearch(c bling.Contact, search string) bool {
	if key := bling.DocumentKey(search); len(key) >= 3 && strings.Contains(bling.DocumentKey(c.Document), key) {
		return true
	}
	for _, f := range []string{c.Name, c.TradeName, c.Email, c.Code} {
		if strings.Contains(strings.ToLower(f), search) {
			return true
		}
	}
	return false
}

// contactID reads {id} and finds the contact, answering 404 when it is not in the account.
func contactID(w http.ResponseWriter, r *http.Request, a *account) (*storedContact, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	sc, ok := a.contacts[id]
	if err != nil || !ok {
		writeError(w, http.StatusNotFound, bling.ErrTypeNotFound, "Recurso não encontrado",
			"O contato "+r.PathValue("id")+" não foi encontrado")
		return nil, false
	}
	return sc, true
}

func (s *Sandbox) getContact(w http.ResponseWriter, r *http.Request, a *account, _ []byte) {
	if sc, ok := contactID(w, r, a); ok {
		writeData(w, http.StatusOK, sc.c)
	}
}

// decodeContact reads a contact body and validates it, answering Bling's errors itself.
func decodeContact(w http.ResponseWriter, a *account, body []byte) (bling.Contact, bool) {
	var c bling.Contact
	if len(strings.TrimSpace(string(body))) == 0 {
		writeError(w, http.StatusBadRequest, bling.ErrTypeEmptyBody, "Corpo da requisição vazio", "Envie o contato em JSON")
		return c, false
	}
	if msg := checkWire(body); msg != "" {
		writeError(w, http.StatusBadRequest, bling.ErrTypeInvalidBody, "Corpo da requisição inválido", msg)
		return c, false
	}
	if err := json.Unmarshal(body, &c); err != nil {
		writeError(w, http.StatusBadRequest, bling.ErrTypeInvalidBody, "Corpo da requisição inválido", err.Error())
		return c, false
	}
	if fields := validate(a, &c); len(fields) > 0 {
		writeError(w, http.StatusBadRequest, bling.ErrTypeValidation, "Não foi possível salvar o contato",
			"O contato não pode ser salvo, pois ocorreram problemas em sua validação.", fields...)
		return c, false
	}
	return c, true
}

// validate checks what Bling requires of a contact and fills type descriptions. Whether Bling
// checks CPF/CNPJ digits is not documented [I]; it does in its own screens, so we do too.
// Duplicate documents are accepted: SPEC C-A3 relies on them being possible.
func validate(a *account, c *bling.Contact) []bling.ErrorField {
	var fs []bling.ErrorField
	bad := func(code int, element, msg string) {
		fs = append(fs, bling.ErrorField{Code: code, Msg: msg, Element: element, Namespace: "CONTATOS"})
	}
	if strings.TrimSpace(c.Name) == "" {
		bad(1, "nome", "O nome do contato deve ser informado")
	}
	switch c.PersonType {
	case bling.PersonIndividual:
		if c.Document != "" && !br.ValidCPF(c.Document) {
			bad(2, "numeroDocumento", "O CPF informado é inválido")
		}
	case bling.PersonCompany:
		if c.Document != "" && !br.ValidCNPJ(c.Document) {
			bad(2, "numeroDocumento", "O CNPJ informado é inválido")
		}
	case bling.PersonForeign:
	default:
		bad(3, "tipo", "O tipo de pessoa deve ser F, J ou E")
	}
	switch c.Status {
	case "":
		c.Status = bling.StatusActive
	case bling.StatusActive, bling.StatusInactive, bling.StatusDeleted, bling.StatusNoActivity:
	default:
		bad(4, "situacao", "A situação deve ser A, I, E ou S")
	}
	for _, id := range fillTypes(a, c) {
		bad(5, "tiposContato", "Tipo de contato "+strconv.FormatInt(id, 10)+" não encontrado")
	}
	return fs
}

func (s *Sandbox) createContact(w http.ResponseWriter, _ *http.Request, a *account, body []byte) {
	c, ok := decodeContact(w, a, body)
	if !ok {
		return
	}
	id := s.insert(a, c)
	writeData(w, http.StatusCreated, map[string]int64{"id": id})
}

// insert stores a new contact; callers hold s.mu.
func (s *Sandbox) insert(a *account, c bling.Contact) int64 {
	c.ID = s.st.nextID
	s.st.nextID++
	now := s.opt.Now()
	a.contacts[c.ID] = &storedContact{c: c, created: now, modified: now}
	return c.ID
}

// putContact replaces the whole contact: fields left out are erased, as Bling's PUT does.
func (s *Sandbox) putContact(w http.ResponseWriter, r *http.Request, a *account, body []byte) {
	sc, ok := contactID(w, r, a)
	if !ok {
		return
	}
	c, ok := decodeContact(w, a, body)
	if !ok {
		return
	}
	c.ID = sc.c.ID
	sc.c = c
	sc.modified = s.opt.Now()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sandbox) listTypes(w http.ResponseWriter, _ *http.Request, a *account, _ []byte) {
	writeData(w, http.StatusOK, a.types)
}
