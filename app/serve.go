//go:build !(js && wasm)

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/broadsheet/broadsheet/app/ghpages"
)

// serveCommand serves a site directory the way GitHub Pages serves a
// project site (app/ghpages, with no-store so reloads see every build),
// and prints its address.
func serveCommand(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fl.String("dir", "dist", "site directory written by `broadsheet site`")
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	base := fl.String("base", "/", "base path the site was built for")
	if err := fl.Parse(args); err != nil {
		return err
	}
	b, err := normalizeBase(*base)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("%s is not a site: %w", *dir, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Broadsheet: serving %s on http://%s%s (Ctrl-C stops)\n", *dir, ln.Addr(), b)
	err = http.Serve(ln, ghpages.New(*dir, b, ghpages.Options{NoStore: true, Gzip: true}))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
