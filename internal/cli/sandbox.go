package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/auvo/auvosandbox"
	"github.com/pontehub/ponte/internal/bling/blingsandbox"
	"github.com/pontehub/ponte/internal/contaazul/contaazulsandbox"
	"github.com/pontehub/ponte/internal/omie/omiesandbox"
	"github.com/pontehub/ponte/internal/sandbox"
)

// sandboxPartners builds every partner simulator, each clock at its offset from clocks (by
// partner name, "" for every partner). Each partner package adds itself here.
func sandboxPartners(clocks map[string]time.Duration) []sandbox.Partner {
	off := func(name string) time.Duration {
		if d, ok := clocks[name]; ok {
			return d
		}
		return clocks[""]
	}
	return []sandbox.Partner{
		auvosandbox.New(auvosandbox.Options{RateLimit: 400, ClockOffset: off("auvo")}), // Auvo's published 400/min
		blingsandbox.New(blingsandbox.Options{Demo: true, ClockOffset: off("bling")}),
		contaazulsandbox.New(contaazulsandbox.Options{ClockOffset: off("contaazul")}),
		omiesandbox.New(omiesandbox.Options{Demo: true, ClockOffset: off("omie")}),
	}
}

// parseClockOffsets reads --clock-offset: one offset for every partner ("+2h") or a
// comma-separated list by partner ("omie=+2h,auvo=-15m"). Every mistake is reported at once.
func parseClockOffsets(v string) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	known := map[string]bool{"auvo": true, "bling": true, "contaazul": true, "omie": true}
	var errs []error
	for _, part := range strings.Split(v, ",") {
		name, val, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			name, val = "", name
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if named && !known[name] {
			errs = append(errs, fmt.Errorf("unknown partner %q (auvo, bling, contaazul, omie)", name))
			continue
		}
		d, err := sandbox.ParseSkew(strings.TrimSpace(val))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[name] = d
	}
	return out, errors.Join(errs...)
}

// sandboxServer is the partner simulators listening on one address.
type sandboxServer struct {
	srv      *http.Server
	ln       net.Listener
	partners []sandbox.Partner
	base     string // like http://127.0.0.1:9090
}

// listenSandbox binds PONTE_SANDBOX_ADDR (default 127.0.0.1:9090) with every partner simulator,
// their clocks at the offsets of clocks (see sandboxPartners).
func listenSandbox(env Env, clocks map[string]time.Duration) (*sandboxServer, error) {
	addr := "127.0.0.1:9090"
	if v, ok := env.LookupEnv("PONTE_SANDBOX_ADDR"); ok && v != "" {
		addr = v
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	partners := sandboxPartners(clocks)
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
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	offset := fs.String("clock-offset", "", `run the partners' clocks ahead (or behind, "-15m") of this host's: "+2h" for all, or "omie=+2h,auvo=-15m"; POST /_sandbox/<partner>/clock changes it while running`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "ponte sandbox: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	clocks, err := parseClockOffsets(*offset)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte sandbox: --clock-offset: %v\n", err)
		return 2
	}
	sb, err := listenSandbox(env, clocks)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte sandbox: %v\n", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Sandboxes listening on %s\n", sb.base)
	for name, d := range clocks {
		if name == "" {
			name = "every partner"
		}
		fmt.Fprintf(env.Stdout, "Clock of %s: %v from this host's\n", name, d)
	}
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
