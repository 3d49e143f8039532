//go:build !(js && wasm)

package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
)

// contentSecurityPolicy is the policy of every page. GitHub Pages sets no
// headers, so it is a <meta> tag. The app needs 'wasm-unsafe-eval' to
// compile app.wasm and nothing inline: no inline scripts, no style
// attributes (components use classes). Article images may come from any
// https address; links open elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self' https: data: blob:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'"

// cspMeta is the policy's meta tag.
const cspMeta = `<meta http-equiv="Content-Security-Policy" content="` + contentSecurityPolicy + `">`

// addCSP puts the policy's meta tag first in the head of every page of
// the site's top directory: it only applies to what follows it.
func addCSP(dir string) error {
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	if len(pages) == 0 {
		return errors.New("no pages in " + dir)
	}
	for _, p := range pages {
		if err := addCSPTo(p); err != nil {
			return err
		}
	}
	return nil
}

// addCSPTo inserts the meta tag right after <head> in one page.
func addCSPTo(page string) error {
	data, err := os.ReadFile(page)
	if err != nil {
		return err
	}
	head := []byte("<head>")
	i := bytes.Index(data, head)
	if i < 0 {
		return errors.New(page + ": no <head>")
	}
	i += len(head)
	out := make([]byte, 0, len(data)+len(cspMeta))
	out = append(out, data[:i]...)
	out = append(out, cspMeta...)
	out = append(out, data[i:]...)
	return os.WriteFile(page, out, 0o644)
}
