package bling_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/oauth"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/sandbox"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/store/storetest"
)

func company(name, cnpj string) bling.Contact {
	return bling.Contact{Name: name, PersonType: bling.PersonCompany, Document: cnpj, Phone: "(54) 3333-4444",
		Email: "contato@" + strings.ToLower(strings.Fields(name)[0]) + ".com.br",
		Addresses: &bling.Addresses{Main: &bling.Address{Street: "R. Olavo Bilac", ZIP: "95702-000",
			District: "Imigrante", City: "Bento Gonçalves", State: "RS", Number: "914"}}}
}

// TestPagingToTheEnd: Bling sends no totals; a listing ends on a short or empty page
// (api/bling.md §2), and the pager must read every contact exactly once.
func TestPagingToTheEnd(t *testing.T) {
	t.Parallel()
	for _, n := range []int{250, 200, 0} {
		t.Run(fmt.Sprintf("%d contacts", n), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOptions{})
			e.connect()
			for i := range n {
				e.seed(bling.Contact{Name: fmt.Sprintf("Cliente %03d", i), PersonType: bling.PersonIndividual})
			}
			seen := map[int64]bool{}
			p := e.client.ContactPages(bling.ContactFilter{})
			for p.More() {
				cs, err := p.Next(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cs {
					if seen[c.ID] {
						t.Fatalf("contact %d listed twice", c.ID)
					}
					seen[c.ID] = true
				}
			}
			if len(seen) != n {
				t.Errorf("read %d contacts, want %d", len(seen), n)
			}
			// 250 → 100+100+50; 200 → 100+100+0 (a full page says nothing about the next); 0 → one empty page.
			want := int64(n/bling.MaxPageSize + 1)
			if got := e.calls("GET /contatos"); got != want {
				t.Errorf("%d list calls, want %d", got, want)
			}
		})
	}
}

// TestChangedSince: the incremental read (DESIGN "List changed records … Bling
// dataAlteracaoInicial") returns only contacts changed at or after the cursor, although Bling
// returns no modification time in the contact itself.
func TestChangedSince(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	old := e.seed(company("Padaria Pão Dourado", "11.222.333/0001-81"))
	edited := e.seed(company("Hotel Vista Mar", "45.997.418/0001-53"))
	e.clock.Advance(2 * time.Hour)
	cursor := e.clock.Now().Add(-time.Minute)
	if err := e.sb.EditContact(e.account, edited, func(c *bling.Contact) { c.Phone = "(54) 3030-1010" }); err != nil {
		t.Fatal(err)
	}
	created := e.seed(company("Clínica Sorriso", "34.028.316/0001-03"))

	cs, more, err := e.client.ListContacts(context.Background(), bling.ContactFilter{ChangedSince: cursor}, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]bool{}
	for _, c := range cs {
		got[c.ID] = true
	}
	if more || len(cs) != 2 || !got[edited] || !got[created] || got[old] {
		t.Errorf("changed since cursor: %+v (more %v); want %d and %d, not %d", cs, more, edited, created, old)
	}
}

// TestFindContactsByDocument: numeroDocumento must be sent bare (api/bling.md §2) while Bling
// keeps documents formatted or not; matching ignores punctuation on both sides.
func TestFindContactsByDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	want := e.seed(company("Padaria Pão Dourado", "11.222.333/0001-81"))
	twin := e.seed(company("Padaria Pão Dourado Filial", "11222333000181"))
	e.seed(company("Hotel Vista Mar", "45.997.418/0001-53"))

	found, err := e.client.FindContactsByDocument(context.Background(), "11.222.333/0001-81")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].ID != want || found[1].ID != twin {
		t.Errorf("found %+v, want contacts %d and %d", found, want, twin)
	}
	if _, err := e.client.FindContactsByDocument(context.Background(), " ./-"); partner.KindOf(err) != partner.KindInvalid {
		t.Errorf("empty document: %v, want an Invalid error before any call", err)
	}
}

// TestContactTypes: type ids are per account, so "Cliente" is found by description
// (SPEC C-E7), and the list filter idTipoContato selects the account's clients.
func TestContactTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	ctx := context.Background()
	types, err := e.client.ListContactTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client, ok := bling.FindType(types, "CLIENTE")
	supplier, ok2 := bling.FindType(types, "fornecedor")
	if !ok || !ok2 {
		t.Fatalf("types %+v lack Cliente or Fornecedor", types)
	}
	c := company("Distribuidora Frio Sul", "11.222.333/0001-81")
	c.Types = []bling.ContactType{{ID: supplier.ID}}
	e.seed(c)
	c.Types = []bling.ContactType{{ID: supplier.ID}, {ID: client.ID}}
	both := e.seed(c)
	cs, _, err := e.client.ListContacts(ctx, bling.ContactFilter{TypeID: client.ID}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != both {
		t.Errorf("clients: %+v, want only %d", cs, both)
	}
	full, err := e.client.GetContact(ctx, both)
	if err != nil {
		t.Fatal(err)
	}
	if !full.HasType(client.ID) || full.Types[1].Description != "Cliente" {
		t.Errorf("GetContact types %+v, want Cliente with its description", full.Types)
	}
}

// TestCreateGetModify: create answers 201 {"data":{"id"}}, get returns the full record, and
// PUT replaces the whole record (api/bling.md §2), so ModifyContact keeps what it did not touch.
func TestCreateGetModify(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	ctx := context.Background()
	in := company("Padaria Pão Dourado", "11.222.333/0001-81")
	in.Code = "AUVO-1001"
	id, err := e.client.CreateContact(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.client.GetContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Name != in.Name || got.Status != bling.StatusActive || got.Addresses.Main.City != "Bento Gonçalves" {
		t.Errorf("GetContact = %+v", got)
	}

	after, err := e.client.ModifyContact(ctx, id, func(c *bling.Contact) { c.Phone = "(54) 3030-1010" })
	if err != nil {
		t.Fatal(err)
	}
	stored := e.sb.Contacts(e.account)[0].Contact
	if stored.Phone != "(54) 3030-1010" || stored.Email != in.Email || stored.Addresses.Main.Street != in.Addresses.Main.Street || after.Phone != stored.Phone {
		t.Errorf("after ModifyContact Bling holds %+v", stored)
	}

	// A bare PUT erases what it leaves out: that is why callers must send the full record.
	if err := e.client.UpdateContact(ctx, id, bling.Contact{Name: in.Name, PersonType: bling.PersonCompany}); err != nil {
		t.Fatal(err)
	}
	if stored := e.sb.Contacts(e.account)[0].Contact; stored.Email != "" || stored.Addresses != nil {
		t.Errorf("PUT did not replace the whole record: %+v", stored)
	}
	err = e.client.UpdateContact(ctx, id, bling.Contact{Phone: "1"})
	if partner.KindOf(err) != partner.KindInvalid || e.calls("PUT /contatos/{id}") != 2 {
		t.Errorf("partial update: %v after %d PUTs; want Invalid with no call", err, e.calls("PUT /contatos/{id}"))
	}
}

// TestErrors maps Bling's answers to partner error kinds (api/bling.md §3): 404 NotFound, 400
// VALIDATION_ERROR Invalid with the field messages, 403 Auth naming the scope, 5xx and
// malformed bodies Transient.
func TestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.connect()
	ctx := context.Background()

	_, err := e.client.GetContact(ctx, 999)
	if partner.KindOf(err) != partner.KindNotFound {
		t.Errorf("unknown id: %v, want NotFound", err)
	}

	bad := company("Padaria Pão Dourado", "11.222.333/0001-00")
	bad.Name = ""
	_, err = e.client.CreateContact(ctx, bad)
	var pe *partner.Error
	if partner.KindOf(err) != partner.KindInvalid || !errors.As(err, &pe) || pe.Code != bling.ErrTypeValidation ||
		!strings.Contains(pe.Message, "CNPJ informado é inválido") || !strings.Contains(pe.Message, "nome do contato") {
		t.Errorf("invalid contact: %v, want Invalid with both field messages", err)
	}

	e.sb.Faults().Add(sandbox.Fault{Method: "GET /contatos/tipos", Kind: sandbox.FaultError, Status: http.StatusForbidden, Count: 1})
	_, err = e.client.ListContactTypes(ctx)
	if partner.KindOf(err) != partner.KindAuth || !strings.Contains(err.Error(), "escopo") {
		t.Errorf("403: %v, want Auth naming the missing escopo", err)
	}

	e.sb.Faults().Add(sandbox.Fault{Method: "GET /contatos/tipos", Kind: sandbox.FaultError, Count: 1})
	_, err = e.client.ListContactTypes(ctx)
	if partner.KindOf(err) != partner.KindTransient || !partner.IsRetryable(err) || partner.IsAmbiguous(err) {
		t.Errorf("500 on a read: %v, want Transient, retryable, not ambiguous", err)
	}

	e.sb.Faults().Add(sandbox.Fault{Method: "GET /contatos", Kind: sandbox.FaultMalformed, Count: 1})
	_, _, err = e.client.ListContacts(ctx, bling.ContactFilter{}, 1)
	if partner.KindOf(err) != partner.KindTransient {
		t.Errorf("malformed page: %v, want Transient", err)
	}
}

// TestThrottled: beyond 3 calls per second per account Bling answers 429 TOO_MANY_REQUESTS
// (api/bling.md §3); the client reports Throttled with a RetryAfter. With Ponte's limiter on, a
// burst of calls is paced and meets no 429.
func TestThrottled(t *testing.T) {
	t.Parallel()
	t.Run("no limiter: 429 becomes Throttled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{noLimiter: true})
		e.connect()
		var err error
		for range 6 {
			if _, err = e.client.ListContactTypes(context.Background()); err != nil {
				break
			}
		}
		var pe *partner.Error
		if partner.KindOf(err) != partner.KindThrottled || !errors.As(err, &pe) || pe.Code != bling.ErrTypeTooManyRequests || pe.RetryAfter <= 0 {
			t.Fatalf("burst of 6 calls: %v, want Throttled TOO_MANY_REQUESTS with RetryAfter", err)
		}
		time.Sleep(pe.RetryAfter)
		if _, err := e.client.ListContactTypes(context.Background()); err != nil {
			t.Errorf("after waiting RetryAfter: %v", err)
		}
	})
	t.Run("limiter: paced under Bling's limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{})
		e.connect()
		for i := range 7 {
			if _, err := e.client.ListContactTypes(context.Background()); err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
		}
	})
}

// TestCreateNeverBlind: a create whose outcome is unknown is settled by looking the contact up by
// its code before anything is sent again (house rule "never retry a create blindly").
func TestCreateNeverBlind(t *testing.T) {
	t.Parallel()
	in := company("Padaria Pão Dourado", "11.222.333/0001-81")
	in.Code = "AUVO-1001"

	t.Run("answer lost after the create: the created id is returned", func(t *testing.T) {
		t.Parallel()
		sb, client := lossyEnv(t)
		id, err := client.CreateContact(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		cs := sb.Contacts(1)
		if len(cs) != 1 || cs[0].Contact.ID != id {
			t.Errorf("Bling holds %+v, want one contact with id %d", cs, id)
		}
		if n := sb.Counter().Snapshot()["POST /contatos"]; n != 1 {
			t.Errorf("%d creates sent, want 1", n)
		}
	})
	t.Run("server error before the create: settled as not created", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{})
		e.connect()
		e.sb.Faults().Add(sandbox.Fault{Method: "POST /contatos", Kind: sandbox.FaultError, Count: 1})
		_, err := e.client.CreateContact(context.Background(), in)
		if partner.KindOf(err) != partner.KindTransient || partner.IsAmbiguous(err) {
			t.Errorf("got %v, want Transient and no longer ambiguous", err)
		}
		if n := len(e.sb.Contacts(e.account)); n != 0 || e.calls("POST /contatos") != 1 {
			t.Errorf("%d contacts after %d creates, want 0 after 1", n, e.calls("POST /contatos"))
		}
	})
	t.Run("no code to look up: the caller gets the ambiguity", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, envOptions{})
		e.connect()
		e.sb.Faults().Add(sandbox.Fault{Method: "POST /contatos", Kind: sandbox.FaultError, Count: 1})
		noCode := in
		noCode.Code = ""
		_, err := e.client.CreateContact(context.Background(), noCode)
		if !partner.IsAmbiguous(err) || e.calls("POST /contatos") != 1 {
			t.Errorf("got %v after %d creates, want an ambiguous error after 1", err, e.calls("POST /contatos"))
		}
	})
}

// lossyEnv serves the sandbox so that the first create is applied but its answer never arrives,
// as when a connection drops after Bling committed.
func lossyEnv(t *testing.T) (*blingsandbox.Sandbox, *bling.Client) {
	t.Helper()
	sb := blingsandbox.New(blingsandbox.Options{})
	app := sb.NewApp(redirectURI)
	account := sb.NewAccount("")
	var dropped atomic.Bool
	hub := sandbox.NewHub(sb)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/contatos") && dropped.CompareAndSwap(false, true) {
			hub.ServeHTTP(httptest.NewRecorder(), r)
			panic(http.ErrAbortHandler)
		}
		hub.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	st := storetest.Open(t, store.SQLite)
	tenant, err := st.CreateTenant(context.Background(), "T")
	if err != nil {
		t.Fatal(err)
	}
	hc := partner.NewHTTPClient(partner.HTTPOptions{Timeout: 5 * time.Second})
	mgr := oauth.NewManager(bling.OAuthConfig(app.ClientID, app.ClientSecret, srv.URL+"/bling/Api/v3/oauth"), st.OAuthTokens(tenant.ID), hc)
	code, err := sb.IssueCode(app.ClientID, account)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.Exchange(context.Background(), "integration:1", code); err != nil {
		t.Fatal(err)
	}
	return sb, bling.New(srv.URL+"/bling/Api/v3", mgr, "integration:1",
		&partner.Doer{HTTP: hc, Limiter: partner.NewLocalLimiter(), Backoff: 10 * time.Millisecond})
}
