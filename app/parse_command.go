//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/broadsheet/broadsheet/parser"
)

// parseCommand prints the parsed JSON of each file (indented), reports
// each failure on stderr, and returns 1 if any file failed.
func parseCommand(files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprint(stderr, "usage: broadsheet parse FILE...\n")
		return 2
	}
	code := 0
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	for _, name := range files {
		if err := parseFile(name, enc); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = 1
		}
	}
	return code
}

// parseFile parses one file and encodes its article.
func parseFile(name string, enc *json.Encoder) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	a, err := parser.Parse(data)
	if err != nil {
		return err
	}
	return enc.Encode(a)
}
