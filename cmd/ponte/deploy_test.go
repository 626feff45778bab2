package main

import (
	"bytes"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pontehub/ponte/internal/cli"
	"github.com/pontehub/ponte/internal/config"
)

// composeFile is the part of compose.yaml that the test reads; YAML merge keys (<<) are resolved
// by the decoder, so each service's environment is the one Compose would use.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]any    `yaml:"depends_on"`
		Healthcheck struct {
			Disable bool `yaml:"disable"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

// TestDeployFiles checks the container files without a Docker daemon (CI has none): compose.yaml
// starts PostgreSQL, a web+worker node, a worker-only node, the sandboxes and Mailpit; every Ponte
// service's environment is a configuration Ponte accepts; every host it names is a service of the
// file; both nodes share one secret key and database. The Dockerfile builds with go.mod's Go,
// runs as a non-root user on the /data volume, and its health check is a real ponte command.
func TestDeployFiles(t *testing.T) {
	raw, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, want := range []string{"postgres", "sandbox", "ponte-web", "ponte-worker", "mailpit"} {
		if _, ok := cf.Services[want]; !ok {
			t.Errorf("compose.yaml: no service %q", want)
		}
	}
	roles := map[string]string{}
	var keys, dbs []string
	for name, svc := range cf.Services {
		if !strings.HasPrefix(name, "ponte-") {
			continue
		}
		env := svc.Environment
		cfg, err := config.FromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Errorf("%s: Ponte refuses its environment: %v", name, err)
			continue
		}
		if !cfg.Postgres() {
			t.Errorf("%s: not on PostgreSQL", name)
		}
		roles[name] = env["PONTE_ROLES"]
		keys = append(keys, env["PONTE_SECRET_KEY"])
		dbs = append(dbs, env["PONTE_DATABASE_URL"])
		if _, ok := svc.DependsOn["postgres"]; !ok {
			t.Errorf("%s: does not wait for postgres", name)
		}
		for k, v := range env {
			if !strings.HasSuffix(k, "_URL") || k == "PONTE_BASE_URL" {
				continue
			}
			u, err := url.Parse(v)
			if err != nil || u.Hostname() == "" {
				t.Errorf("%s: %s=%q is not a URL with a host", name, k, v)
				continue
			}
			if _, ok := cf.Services[u.Hostname()]; !ok {
				t.Errorf("%s: %s names host %q, which is no service of compose.yaml", name, k, u.Hostname())
			}
		}
		if cfg.HasRole(config.RoleWeb) == svc.Healthcheck.Disable {
			t.Errorf("%s: the /healthz check must run exactly on nodes with the web role", name)
		}
	}
	if roles["ponte-web"] != "web,worker" || roles["ponte-worker"] != "worker" {
		t.Errorf("roles = %v, want ponte-web web,worker and ponte-worker worker", roles)
	}
	if len(slices.Compact(keys)) != 1 || len(slices.Compact(dbs)) != 1 {
		t.Fatalf("the nodes must share one secret key and one database: keys %q, databases %q", keys, dbs)
	}
	pg := cf.Services["postgres"].Environment
	if u, err := url.Parse(dbs[0]); err != nil || u.User.Username() != pg["POSTGRES_USER"] ||
		strings.TrimPrefix(u.Path, "/") != pg["POSTGRES_DB"] {
		t.Errorf("database URL %q does not match the postgres service %v", dbs[0], pg)
	}
	if got := cf.Services["sandbox"].Command; !slices.Equal(got, []string{"sandbox"}) {
		t.Errorf("sandbox service runs %q, want ponte sandbox", got)
	}

	checkDockerfile(t)
}

func checkDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goVersion == nil || !strings.Contains(df, "FROM golang:"+string(goVersion[1])+"-") {
		t.Errorf("Dockerfile does not build with go.mod's Go %s", goVersion)
	}
	if !strings.Contains(df, "CGO_ENABLED=0") {
		t.Error("Dockerfile: the binary must be static (CGO_ENABLED=0)")
	}
	final := df[strings.LastIndex(df, "\nFROM "):]
	user := regexp.MustCompile(`(?m)^USER (\S+)`).FindStringSubmatch(final)
	if user == nil || strings.HasPrefix(user[1], "0") || strings.HasPrefix(user[1], "root") {
		t.Errorf("the image must run as a non-root user, got USER %v", user)
	}
	for _, want := range []string{"VOLUME /data", "PONTE_DATA_DIR=/data", `ENTRYPOINT ["/ponte"]`} {
		if !strings.Contains(final, want) {
			t.Errorf("Dockerfile's final stage lacks %q", want)
		}
	}
	hc := regexp.MustCompile(`(?m)^HEALTHCHECK .*CMD \["/ponte", "(\w+)"\]`).FindStringSubmatch(final)
	if hc == nil {
		t.Fatal("Dockerfile: no HEALTHCHECK running /ponte")
	}
	var out bytes.Buffer
	cli.Run([]string{"help"}, cli.Env{Stdout: &out, Stderr: &out})
	if !regexp.MustCompile(`(?m)^\s+` + hc[1] + `\s`).MatchString(out.String()) {
		t.Errorf("HEALTHCHECK runs `ponte %s`, which is no command:\n%s", hc[1], out.String())
	}
}

// TestSystemdUnit: the example unit in docs/operations.md is deploy/ponte.service, word for word,
// and keeps the hardening the docs promise.
func TestSystemdUnit(t *testing.T) {
	unit, err := os.ReadFile("../../deploy/ponte.service")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, append([]byte("```ini\n"), unit...)) {
		t.Error("docs/operations.md does not show deploy/ponte.service as it is")
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=ponte",
		"Environment=PONTE_DATA_DIR=/var/lib/ponte", "ExecStart=/usr/local/bin/ponte serve", "NoNewPrivileges=yes"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(unit) {
			t.Errorf("deploy/ponte.service lacks %q", want)
		}
	}
}
