//go:build !(js && wasm)

package main

import (
	"fmt"
	"io"
)

// usage is printed for a missing or unknown subcommand.
const usage = `usage:
  broadsheet site --base /REPO/ --out DIR [--version V] [--web DIR]
  broadsheet serve --dir DIR [--addr 127.0.0.1:8080] [--base /]
  broadsheet parse FILE...
`

// runCommand runs one native subcommand and returns the exit code.
func runCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "site":
		err = siteCommand(args[1:], stdout)
	case "serve":
		err = serveCommand(args[1:], stdout)
	case "parse":
		return parseCommand(args[1:], stdout, stderr)
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "broadsheet %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
