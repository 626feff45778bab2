// Package cli implements the ponte subcommands. Each command lives in its own file; this file
// holds the table that lists them all.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Env is what a command may touch of the outside world, so tests can run commands in-process.
type Env struct {
	Stdin     io.Reader // nil when the command has no input to read
	Stdout    io.Writer
	Stderr    io.Writer
	LookupEnv func(string) (string, bool)
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) int
}

// commands is the table of every subcommand.
var commands = map[string]command{
	"version":        {"prints the version", runVersion},
	"serve":          {"runs the portal, the scheduler and the workers (PONTE_ROLES)", runServe},
	"migrate":        {"brings the database schema up to date", runMigrate},
	"demo":           {"runs Ponte with the partner sandboxes on the embedded database", runDemo},
	"sandbox":        {"serves simulators of the Auvo, Omie, Bling and Conta Azul APIs", runSandbox},
	"check-address":  {"splits an Auvo address as the customer flows do; prints JSON, exits 1 if refused", runCheckAddress},
	"check-document": {"validates a CPF or CNPJ (numeric or alphanumeric); prints JSON, exits 1 if refused", runCheckDocument},
	"healthcheck":    {"exits 0 when this node's portal answers /healthz (for container health checks)", runHealthcheck},
	"operator":       {"creates operator accounts (prints the password once) and approves pending integrations", runOperator},
}

// Version is set at build time with -ldflags "-X github.com/pontehub/ponte/internal/cli.Version=…".
var Version = "dev"

// Run runs the subcommand named by args[0] and returns the process exit code. SIGINT and SIGTERM
// cancel the command's context, which every long-running command treats as "shut down cleanly".
func Run(args []string, env Env) int {
	if env.LookupEnv == nil {
		env.LookupEnv = os.LookupEnv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "ponte: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cmd.run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: ponte <command> [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
}

func runVersion(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stdout, "ponte", Version)
	return 0
}
