package config

import (
	"strings"
	"testing"
	"time"
)

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := FromEnv(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.PollInterval != 10*time.Minute ||
		!c.HasRole(RoleWeb) || !c.HasRole(RoleWorker) || c.Postgres() || c.LogFormat != "text" ||
		c.BaseURL != "http://127.0.0.1:8080" || c.SQLitePath() != "data/ponte.db" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEveryErrorReportedTogether(t *testing.T) {
	_, err := FromEnv(lookup(map[string]string{
		"PONTE_POLL_INTERVAL": "ten minutes",
		"PONTE_ROLES":         "web,chef",
		"PONTE_DATABASE_URL":  "mysql://u:hunter2@h/db",
		"PONTE_LOG_FORMAT":    "xml",
		"PONTE_SMTP_URL":      "mail.example.com",
		"PONTE_OMIE_URL":      "ftp://omie",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, v := range []string{"PONTE_POLL_INTERVAL", "PONTE_ROLES", "PONTE_DATABASE_URL", "PONTE_LOG_FORMAT", "PONTE_SMTP_URL", "PONTE_OMIE_URL"} {
		if !strings.Contains(msg, v) {
			t.Errorf("error does not mention %s:\n%s", v, msg)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("error shows a password:\n%s", msg)
	}
}

func TestPostgresAndRoles(t *testing.T) {
	c, err := FromEnv(lookup(map[string]string{"PONTE_DATABASE_URL": "postgres://u@h/db", "PONTE_ROLES": "worker", "PONTE_POLL_INTERVAL": "3s"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Postgres() || c.HasRole(RoleWeb) || !c.HasRole(RoleWorker) || c.PollInterval != 3*time.Second {
		t.Fatalf("%+v", c)
	}
}
