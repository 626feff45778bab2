package flow_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// lossyNet stands between Ponte and the sandboxes. While lose is set, the next create of a
// customer in the ERP is applied but its answer never arrives; with crash set as well, every
// listing of the ERP's customers fails from then on, so the run cannot find what it created
// and stops without its link — what a node killed after the create leaves behind.
type lossyNet struct {
	create, list string // path suffixes of the ERP's create and listing
	lose, crash  atomic.Bool
	down         atomic.Bool
}

func (n *lossyNet) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, n.create) && n.lose.CompareAndSwap(true, false):
			h.ServeHTTP(httptest.NewRecorder(), r)
			if n.crash.Load() {
				n.down.Store(true)
			}
			panic(http.ErrAbortHandler)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, n.list) && n.down.Load():
			http.Error(w, "indisponível", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// SPEC C-A4 V3 (issue 22 item 6, issue 23): a customer created in Conta Azul or Bling whose
// answer is lost is found again by its "auvo-{id}" code and linked in the same run; and when
// the run stopped before the link (a crash) and the Auvo document changed before the retry, the
// retry finds that record by the code instead of creating a second one.
func TestERPCreateIdempotentOnAuvoID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		erp          store.ERP
		create, list string
		count        func(*flowtest.Env) (n int, ids []string)
	}{
		{store.ContaAzul, "/v1/pessoas", "/v1/pessoas", func(env *flowtest.Env) (int, []string) {
			var ids []string
			for _, p := range env.ContaAzul.Pessoas(env.CAAccount) {
				ids = append(ids, p.ID)
			}
			return len(ids), ids
		}},
		{store.Bling, "/contatos", "/contatos", func(env *flowtest.Env) (int, []string) {
			var ids []string
			for _, c := range env.Bling.Contacts(env.BlingAccount) {
				ids = append(ids, strconv.FormatInt(c.Contact.ID, 10))
			}
			return len(ids), ids
		}},
	} {
		t.Run(string(tc.erp), func(t *testing.T) {
			t.Parallel()
			flowtest.Each(t, func(t *testing.T, d store.Dialect) {
				for _, crash := range []bool{false, true} {
					net := &lossyNet{create: tc.create, list: tc.list}
					o := customersOnly(flowtest.Options{ERP: tc.erp, Wrap: net.wrap})
					o.Off = append(o.Off, store.FlowCustomersToAuvo)
					env := flowtest.New(t, d, o)
					c := seedAuvo(t, env, auvo.Customer{Description: "Clínica Boa Vista", CPFCNPJ: cnpj()})
					net.lose.Store(true)
					net.crash.Store(crash)
					err := env.Cycle()
					if crash {
						if err == nil {
							// The record failed and waits for the next run; the cycle itself may succeed.
							t.Log("the run ended without error; the record is left for the next one")
						}
						if n, _ := tc.count(env); n != 1 {
							t.Fatalf("crash: %d records in the ERP after the lost create, want 1", n)
						}
						net.down.Store(false)
						editAuvo(t, env, c.ID, func(c *auvo.Customer) { c.CPFCNPJ = cnpj() })
						if err := env.Cycle(); err != nil {
							t.Fatal(err)
						}
					} else if err != nil {
						t.Fatal(err)
					}
					n, ids := tc.count(env)
					var external string
					for _, r := range env.Auvo.Customers(env.AuvoKey) {
						if r.Value.ID == c.ID {
							external = r.Value.ExternalID
						}
					}
					if n != 1 || external != ids[0] {
						t.Fatalf("crash %v: %d records in the ERP %v, Auvo external code %q; want 1, linked", crash, n, ids, external)
					}
				}
			})
		})
	}
}
