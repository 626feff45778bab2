package cli

import (
	"context"
	"fmt"

	"github.com/pontehub/ponte/internal/app"
)

// runDemo runs Ponte and the partner sandboxes in one process, on the embedded database, with a
// short poll interval so a newcomer sees records move within a minute.
func runDemo(ctx context.Context, env Env, args []string) int {
	sbs, err := listenSandbox(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte demo: sandbox: %v\n", err)
		return 1
	}
	sb := sbs.base
	// Demo defaults: the sandboxes instead of the real partners, and a one-minute period. Any
	// variable the user set wins.
	defaults := map[string]string{
		"PONTE_POLL_INTERVAL":      "1m",
		"PONTE_AUVO_URL":           sb + "/auvo/v2",
		"PONTE_OMIE_URL":           sb + "/omie/api/v1",
		"PONTE_BLING_URL":          sb + "/bling/Api/v3",
		"PONTE_BLING_AUTH_URL":     sb + "/bling/Api/v3/oauth",
		"PONTE_CONTAAZUL_URL":      sb + "/contaazul",
		"PONTE_CONTAAZUL_AUTH_URL": sb + "/contaazul",
	}
	lookup := env.LookupEnv
	env.LookupEnv = func(k string) (string, bool) {
		if v, ok := lookup(k); ok && v != "" {
			return v, true
		}
		v, ok := defaults[k]
		return v, ok
	}
	cfg, log, ok := loadConfig(env, "demo")
	if !ok {
		sbs.ln.Close()
		return 2
	}
	sbCtx, stopSandbox := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSandbox()
	go func() {
		if err := sbs.serve(sbCtx); err != nil {
			log.Error("sandbox stopped", "err", err)
		}
	}()
	log.Info("partner sandboxes listening", "addr", sb)
	fmt.Fprintf(env.Stdout, "Ponte demo: portal at %s, partner sandboxes at %s (data in %s)\n", cfg.BaseURL, sb, cfg.DataDir)
	return serve(ctx, cfg, log, app.Options{})
}
