package flow

import (
	"github.com/pontehub/ponte/internal/contaazul"
)

func newContaAzulCustomers(c *contaazul.Client) erpCustomers { return unsupported{"contaazul"} }
