package flow

import (
	"github.com/pontehub/ponte/internal/bling"
)

func newBlingCustomers(c *bling.Client) erpCustomers { return unsupported{"bling"} }
