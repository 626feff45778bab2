package br

import "os"

// crashOnly reports whether the fuzz targets should only look for panics. CI's short fuzzing
// pass sets PONTE_FUZZ_CRASH_ONLY=1: the issue asks it to find no panic, and a property edge
// case met by chance there must not fail an unrelated change. Every property is still checked
// on the whole seed corpus by `go test` (deterministic, in CI too), and on everything a
// developer's `go test -fuzz` generates; what it finds is committed as a seed.
func crashOnly() bool { return os.Getenv("PONTE_FUZZ_CRASH_ONLY") != "" }
