package flow_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/store"
)

// TestOmieClockSkewLosesNothing (issue 16): with Omie's clock ahead of or behind Ponte's, an
// Omie customer created or edited after the first full listing still reaches Auvo, exactly
// once: no bound of Ponte's own clock cuts Omie's modification times off.
func TestOmieClockSkewLosesNothing(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{-15 * time.Minute, 5 * time.Minute, 2 * time.Hour} {
		t.Run(fmt.Sprint(skew), func(t *testing.T) {
			t.Parallel()
			flowtest.Each(t, func(t *testing.T, d store.Dialect) {
				env := flowtest.New(t, d, flowtest.Options{OmieAhead: skew})
				first := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Primeiro Ltda", CnpjCpf: cnpj()})
				env.MustCycle() // the first, full listing
				later := seedOmie(t, env, omie.ClienteCadastro{RazaoSocial: "Depois Ltda", CnpjCpf: cnpj()})
				editOmie(t, env, first.CodigoClienteOmie, func(c *omie.ClienteCadastro) { c.NomeFantasia = "Primeiro Editado" })
				env.MustCycle()
				env.MustCycle()
				names := map[string]int{}
				for _, c := range env.Auvo.Customers(env.AuvoKey) {
					names[c.Value.Description]++
				}
				if names[later.RazaoSocial] != 1 {
					t.Errorf("skew %v: the customer created in Omie after the first listing is in Auvo %d times, want 1 (%v)",
						skew, names[later.RazaoSocial], names)
				}
			})
		})
	}
}
