//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// siteOptions say where and how the static site is written.
type siteOptions struct {
	base    string // "/" or "/REPO/"
	out     string // output directory
	version string // go-app version string (the commit)
	web     string // the web/ assets directory, holding app.wasm
}

// siteCommand parses the flags of `broadsheet site` and writes the site.
func siteCommand(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("site", flag.ContinueOnError)
	var o siteOptions
	fl.StringVar(&o.base, "base", "/", "base path the site is served under, e.g. /REPO/")
	fl.StringVar(&o.out, "out", "dist", "output directory")
	fl.StringVar(&o.version, "version", "dev", "version string (e.g. the commit)")
	fl.StringVar(&o.web, "web", "web", "static assets directory holding app.wasm")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if err := writeSite(o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the site for %s into %s\n", o.base, o.out)
	return nil
}

// writeSite writes the complete static site: the pre-rendered pages
// (index.html, read.html), go-app's scripts, the web/ assets with
// app.wasm, and web/samples/index.json.
func writeSite(o siteOptions) error {
	base, err := normalizeBase(o.base)
	if err != nil {
		return err
	}
	wasm, err := os.Stat(filepath.Join(o.web, "app.wasm"))
	if err != nil {
		return fmt.Errorf("%w (run ./build.sh build first)", err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	h := siteHandler(base, o.version, wasm.Size())
	registerRoutes()
	if err := app.GenerateStaticWebsite(o.out, h, routeReader); err != nil {
		return fmt.Errorf("generating pages: %w", err)
	}
	if err := copyDir(o.web, filepath.Join(o.out, "web")); err != nil {
		return fmt.Errorf("copying assets: %w", err)
	}
	return writeSampleIndex(filepath.Join(o.out, "web", "samples"))
}

// normalizeBase checks a base path and gives it a leading and trailing slash.
func normalizeBase(b string) (string, error) {
	b = "/" + strings.Trim(b, "/") + "/"
	if b == "//" {
		return "/", nil
	}
	if path.Clean(b)+"/" != b || strings.ContainsAny(b, "?#% \\") {
		return "", fmt.Errorf("bad base path %q: want / or /NAME/", b)
	}
	return b, nil
}

// siteHandler is the go-app handler the pages are rendered with.
func siteHandler(base, version string, wasmSize int64) *app.Handler {
	var res app.ResourceResolver = app.LocalDir("")
	if base != "/" {
		res = app.PrefixedLocation(strings.TrimSuffix(base, "/"))
	}
	return &app.Handler{
		Name:              "Broadsheet",
		ShortName:         "Broadsheet",
		Title:             "Broadsheet",
		Description:       "Read archives of saved news articles offline, in the browser.",
		Lang:              "en",
		LoadingLabel:      "Broadsheet {progress}%",
		BackgroundColor:   "#fbfaf7",
		ThemeColor:        "#1f2a44",
		Resources:         res,
		Version:           version,
		WasmContentLength: strconv.FormatInt(wasmSize, 10),
		Styles:            []string{"/web/app.css"},
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-maskable-512.png",
			SVG:      "/web/icon.svg",
		},
		Env: map[string]string{envBase: base},
	}
}

// copyDir copies the regular files under src into dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, target)
	})
}

// copyFile copies one file.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeSampleIndex lists the sample articles of dir in dir/index.json.
func writeSampleIndex(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return errors.New("no sample articles in " + dir)
	}
	idx := sampleIndex{}
	for _, n := range names {
		idx.Files = append(idx.Files, filepath.Base(n))
	}
	sort.Strings(idx.Files)
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.json"), append(data, '\n'), 0o644)
}
