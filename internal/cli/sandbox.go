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

// sandboxServer is the partner simulators listening on one address.
type sandboxServer struct {
	srv      *http.Server
	ln       net.Listener
	partners []sandbox.Partner
	base     string // like http://127.0.0.1:9090
}

// listenSandbox binds PONTE_SANDBOX_ADDR (default 127.0.0.1:9090) with every partner simulator.
func listenSandbox(env Env) (*sandboxServer, error) {
	addr := "127.0.0.1:9090"
	if v, ok := env.LookupEnv("PONTE_SANDBOX_ADDR"); ok && v != "" {
		addr = v
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	partners := sandboxPartners()
	return &sandboxServer{
		srv:      &http.Server{Handler: sandbox.NewHub(partners...), ReadHeaderTimeout: 10 * time.Second},
		ln:       ln,
		partners: partners,
		base:     "http://" + ln.Addr().String(),
	}, nil
}

// serve answers until ctx ends.
func (s *sandboxServer) serve(ctx context.Context) error {
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.srv.Shutdown(sctx)
	}()
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func runSandbox(ctx context.Context, env Env, args []string) int {
	sb, err := listenSandbox(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte sandbox: %v\n", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Sandboxes listening on %s\n", sb.base)
	for _, p := range sb.partners {
		if d, ok := p.(interface{ Describe(base string) string }); ok {
			fmt.Fprintln(env.Stdout, d.Describe(sb.base+"/"+p.Name()))
		}
	}
	if err := sb.serve(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "ponte sandbox: %v\n", err)
		return 1
	}
	return 0
}
