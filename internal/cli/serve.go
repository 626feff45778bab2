package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"

	"github.com/pontehub/ponte/internal/app"
	"github.com/pontehub/ponte/internal/config"
	"github.com/pontehub/ponte/internal/secret"
	"github.com/pontehub/ponte/internal/store"
)

// loadConfig reads the configuration and builds the logger it asks for; on error it prints
// every problem and returns false.
func loadConfig(env Env, name string) (config.Config, *slog.Logger, bool) {
	cfg, err := config.FromEnv(env.LookupEnv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ponte %s: configuration errors:\n%v\n", name, err)
		return cfg, nil, false
	}
	return cfg, newLogger(env, cfg), true
}

func newLogger(env Env, cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}

func runServe(ctx context.Context, env Env, args []string) int {
	cfg, log, ok := loadConfig(env, "serve")
	if !ok {
		return 2
	}
	return serve(ctx, cfg, log, app.Options{})
}

// serve runs one App until ctx ends.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, o app.Options) int {
	a, err := app.New(ctx, cfg, log, o)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	defer a.Close()
	if err := a.Run(ctx); err != nil {
		log.Error("stopped with an error", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

func runMigrate(ctx context.Context, env Env, args []string) int {
	cfg, log, ok := loadConfig(env, "migrate")
	if !ok {
		return 2
	}
	// Migrations touch no secret, but the store insists on a box; a throwaway key is enough.
	box, err := secret.New(randomKey())
	if err != nil {
		log.Error("migrate", "err", err)
		return 1
	}
	st, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Box: box})
	if err != nil {
		log.Error("migrate", "err", err)
		return 1
	}
	defer st.Close()
	if err := app.Migrate(ctx, st); err != nil {
		log.Error("migrate", "err", err)
		return 1
	}
	where := cfg.SQLitePath()
	if cfg.Postgres() {
		where = "PostgreSQL"
	}
	fmt.Fprintf(env.Stdout, "database is up to date (%s)\n", where)
	return 0
}

func randomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
