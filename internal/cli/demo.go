package cli

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/demo"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/secret"
)

// demoPollInterval is the sync period in demo mode: short, so the second cycle (updates, locks)
// comes within the first minute. Only the demo shortens it (SPEC F2), and only when the user did
// not set PONTE_POLL_INTERVAL.
const demoPollInterval = "15s"

// runDemo runs Ponte and the partner sandboxes in one process, on the embedded database, with a
// demo company whose integrations are ready and whose sandbox data holds the tricky cases, so a
// newcomer sees every kind of outcome in the run log within a minute.
func runDemo(ctx context.Context, env Env, args []string) int {
	sbs, err := listenSandbox(env, nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte demo: sandbox: %v\n", err)
		return 1
	}
	sandboxes := demoSandboxes(sbs)
	sb := sbs.base
	// Demo defaults: the sandboxes instead of the real partners, their demo OAuth apps, and a
	// short period. Any variable the user set wins.
	defaults := map[string]string{
		"PONTE_POLL_INTERVAL":           demoPollInterval,
		"PONTE_AUVO_URL":                sb + "/auvo/v2",
		"PONTE_OMIE_URL":                sb + "/omie/api/v1",
		"PONTE_BLING_URL":               sb + "/bling/Api/v3",
		"PONTE_BLING_AUTH_URL":          sb + "/bling/Api/v3/oauth",
		"PONTE_BLING_CLIENT_ID":         blingsandbox.DemoClientID,
		"PONTE_BLING_CLIENT_SECRET":     blingsandbox.DemoClientSecret,
		"PONTE_CONTAAZUL_URL":           sb + "/contaazul",
		"PONTE_CONTAAZUL_AUTH_URL":      sb + "/contaazul",
		"PONTE_CONTAAZUL_CLIENT_ID":     contaazulsandbox.DemoClientID,
		"PONTE_CONTAAZUL_CLIENT_SECRET": contaazulsandbox.DemoClientSecret,
	}
	orig := env.LookupEnv
	lookup := orig
	// Port 0 ("any free port") is resolved now, so the public URL in links and OAuth redirects
	// names the port the portal really gets.
	if addr, ok := lookup("PONTE_ADDR"); ok && strings.HasSuffix(addr, ":0") {
		if addr, err = freeAddr(addr); err != nil {
			sbs.ln.Close()
			fmt.Fprintf(env.Stderr, "ponte demo: PONTE_ADDR: %v\n", err)
			return 1
		}
		defaults["PONTE_ADDR"] = addr
		lookup = func(k string) (string, bool) {
			if k == "PONTE_ADDR" {
				return "", false
			}
			return orig(k)
		}
	}
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
	// A demo's data is throwaway: its key is made here, quietly, so the first thing a newcomer
	// reads is the banner and not a warning about backing up a key that protects nothing real.
	if cfg.SecretKey == "" {
		if cfg.SecretKey, _, err = secret.LoadOrCreateKeyFile(cfg.DataDir); err != nil {
			sbs.ln.Close()
			log.Error("cannot start", "err", err)
			return 1
		}
	}
	sbCtx, stopSandbox := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSandbox()
	go func() {
		if err := sbs.serve(sbCtx); err != nil {
			log.Error("sandbox stopped", "err", err)
		}
	}()

	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer a.Close()
	dm, err := demo.Setup(ctx, demo.Deps{Store: a.Store(), Connector: a.Connector(), Sandboxes: sandboxes,
		BaseURL: cfg.BaseURL, Log: log})
	if err != nil {
		log.Error("cannot prepare the demo", "err", err)
		return 1
	}
	printDemoBanner(env, cfg.BaseURL, sb, cfg.DataDir, cfg.PollInterval, dm.Restarted)
	go func() {
		did, err := dm.Play(ctx, time.Second)
		if err != nil && ctx.Err() == nil {
			log.Warn("demo: could not make the changes that show updates and locks", "err", err)
			return
		}
		for _, d := range did {
			log.Info("demo: changed a record in the sandbox; the next cycle shows it", "change", d)
		}
	}()
	if err := a.Run(ctx); err != nil {
		log.Error("stopped with an error", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// demoSandboxes picks the simulators out of the sandbox server, so the demo seeds the very ones
// the partner URLs reach.
func demoSandboxes(s *sandboxServer) demo.Sandboxes {
	var out demo.Sandboxes
	for _, p := range s.partners {
		switch p := p.(type) {
		case *auvosandbox.Server:
			out.Auvo = p
		case *omiesandbox.Server:
			out.Omie = p
		case *contaazulsandbox.Sandbox:
			out.ContaAzul = p
		case *blingsandbox.Sandbox:
			out.Bling = p
		}
	}
	return out
}

// freeAddr turns host:0 into host:<a free port>.
func freeAddr(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func printDemoBanner(env Env, portal, sandboxes, dataDir string, poll time.Duration, restarted bool) {
	again := ""
	if restarted {
		again = " (data from an earlier start; the sandboxes start over)"
	}
	fmt.Fprintf(env.Stdout, `
Ponte demo%s
  portal:      %s
  company:     %s / %s
  operator:    %s / %s
  e-mails:     %s/operator/outbox (operator)
  sandboxes:   %s
  data:        %s
  Customers, products, tasks and quotations sync every %s: open "Execuções" or "Registros" of
  Auvo ⇄ Omie. Ctrl-C stops; the next start reuses the data.

`, again, portal, demo.TenantEmail, demo.TenantPassword, demo.OperatorEmail, demo.OperatorPassword,
		strings.TrimSuffix(portal, "/"), sandboxes, dataDir, poll)
}
