package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// sandboxPartners builds every partner simulator. Each partner package adds itself here.
func sandboxPartners() []sandbox.Partner {
	return []sandbox.Partner{
		auvosandbox.New(auvosandbox.Options{RateLimit: 400}), // Auvo's published 400/min
		blingsandbox.New(blingsandbox.Options{Demo: true}),
		contaazulsandbox.New(contaazulsandbox.Options{}),
		omiesandbox.New(omiesandbox.Options{Demo: true}),
	}
}

func runSandbox(ctx context.Context, env Env, args []string) int {
	addr := "127.0.0.1:9090"
	if v, ok := env.LookupEnv("PONTE_SANDBOX_ADDR"); ok && v != "" {
		addr = v
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte sandbox: %v\n", err)
		return 1
	}
	partners := sandboxPartners()
	srv := &http.Server{Handler: sandbox.NewHub(partners...), ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "Sandboxes listening on %s\n", base)
	for _, p := range partners {
		if d, ok := p.(interface{ Describe(base string) string }); ok {
			fmt.Fprintln(env.Stdout, d.Describe(base+"/"+p.Name()))
		}
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(env.Stderr, "ponte sandbox: %v\n", err)
		return 1
	}
	return 0
}
