// Command ponte is the whole of Ponte in one binary: portal, scheduler, workers, partner
// sandboxes and support tools. See `ponte help`.
package main

import (
	"os"

	"github.com/pontehub/ponte/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, LookupEnv: os.LookupEnv}))
}
