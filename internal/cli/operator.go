package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/store"
	"github.com/pontehub/ponte/internal/web"
)

const operatorUsage = `usage:
  ponte operator create <email>            creates an operator account and prints its password once
  ponte operator approve <integration-id>  does the internal activation of a pending integration (SPEC A2)`

// runOperator manages the support team's side from the shell. The generated password of a new
// operator is printed here, once: the terminal is the one place it may appear. It must be
// changed at the first login.
func runOperator(ctx context.Context, env Env, args []string) int {
	if len(args) != 2 || (args[0] != "create" && args[0] != "approve") {
		fmt.Fprintln(env.Stderr, operatorUsage)
		return 2
	}
	cfg, log, ok := loadConfig(env, "operator")
	if !ok {
		return 2
	}
	st, err := app.OpenStore(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte operator: %v\n", err)
		return 1
	}
	defer st.Close()
	switch args[0] {
	case "create":
		password, err := web.CreateOperator(ctx, st, args[1])
		if err != nil {
			fmt.Fprintf(env.Stderr, "ponte operator create: %v\n", err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "operator %s created\npassword (shown only now; change it at the first login): %s\n", store.NormalizeEmail(args[1]), password)
	case "approve":
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || id <= 0 {
			fmt.Fprintf(env.Stderr, "ponte operator approve: %q is not an integration id (a number, see /operator/integrations)\n", args[1])
			return 2
		}
		in, err := web.ApproveIntegration(ctx, st, store.IntegrationID(id), "linha de comando")
		switch {
		case errors.Is(err, store.ErrNotFound):
			fmt.Fprintf(env.Stderr, "ponte operator approve: integration %d does not exist\n", id)
			return 1
		case errors.Is(err, web.ErrNotPending):
			fmt.Fprintf(env.Stderr, "ponte operator approve: integration %d is %s, not awaiting internal activation\n", id, in.State)
			return 1
		case err != nil:
			fmt.Fprintf(env.Stderr, "ponte operator approve: %v\n", err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "integration %d (tenant %d, Auvo ⇄ %s) is active; its first cycle starts now\n", in.ID, in.TenantID, in.ERP.Label())
	}
	return 0
}
