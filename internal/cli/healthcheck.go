package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/pontehub/ponte/internal/config"
)

// runHealthcheck asks this node's portal for /healthz and exits 0 only on 200. It exists for
// container health checks: the image has no shell, curl or wget, only this binary. An address
// given as an argument wins; otherwise PONTE_ADDR is used, with a wildcard host (0.0.0.0, [::])
// read as loopback, since the check runs inside the node's own container.
func runHealthcheck(ctx context.Context, env Env, args []string) int {
	addr := config.DefaultAddr
	if v, ok := env.LookupEnv("PONTE_ADDR"); ok && v != "" {
		addr = v
	}
	if len(args) > 0 {
		addr = args[0]
	}
	url, err := healthURL(addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte healthcheck: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte healthcheck: %v\n", err)
		return 2
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(env.Stderr, "ponte healthcheck: %s answered %s\n", url, resp.Status)
		return 1
	}
	fmt.Fprintf(env.Stdout, "ok %s\n", url)
	return 0
}

// healthURL turns a listening address into the URL of its /healthz.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
