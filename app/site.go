//go:build !(js && wasm)

package main

import (
	"context"
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

	"github.com/broadsheet/broadsheet/app/archive"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

//go:generate go run ./internal/iconsgen -out ../web/icons

// siteOptions say where and how the static site is written.
type siteOptions struct {
	base    string // "/" or "/REPO/"
	out     string // output directory
	version string // go-app version string (the commit)
	web     string // the web/ assets directory, holding app.wasm
	domain  string // host name for og:url (e.g. USER.github.io), optional
	// archive is the folder of article files published beside the app as
	// a hosted archive ("" for none); the pages then tell the app to open
	// it (envArchive).
	archive string
	name    string // the archive's name for the app (default: the folder's name)
}

// siteCommand parses the flags of `broadsheet site` and writes the site.
func siteCommand(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("site", flag.ContinueOnError)
	var o siteOptions
	fl.StringVar(&o.base, "base", "/", "base path the site is served under, e.g. /REPO/")
	fl.StringVar(&o.out, "out", "dist", "output directory")
	fl.StringVar(&o.version, "version", "dev", "version string (e.g. the commit)")
	fl.StringVar(&o.web, "web", "web", "static assets directory holding app.wasm")
	fl.StringVar(&o.domain, "domain", "", "host name the site is published on (for og:url)")
	fl.StringVar(&o.archive, "archive", "", "folder of article files to publish with the site, as OUT/archive/")
	fl.StringVar(&o.name, "archive-name", "", "the archive's name shown by the app (default: the folder's name)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if err := writeSite(o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the site for %s into %s\n", o.base, o.out)
	if o.archive == "" {
		return nil
	}
	r, err := archive.Build(context.Background(), archive.Options{Dir: o.archive, Out: o.out, Name: o.name, Generator: o.version})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, r.Summary())
	return nil
}

// writeSite writes the complete static site: the pre-rendered pages
// (index.html, read.html) with the Content-Security-Policy first in their
// head, go-app's scripts, the service worker (app-worker.js), the manifest
// for the base path, the web/ assets with app.wasm, and
// web/samples/index.json.
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
	h.Domain = o.domain
	if o.archive != "" {
		h.Env[envArchive] = archiveDir
	}
	assets, err := webResources(o.web)
	if err != nil {
		return err
	}
	h.CacheableResources = append(h.CacheableResources, assets...)
	registerRoutes()
	if err := app.GenerateStaticWebsite(o.out, h, routeReader); err != nil {
		return fmt.Errorf("generating pages: %w", err)
	}
	if err := addCSP(o.out); err != nil {
		return fmt.Errorf("adding the CSP: %w", err)
	}
	if err := writeManifest(o.out, base); err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	if err := deferRegistration(o.out); err != nil {
		return err
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

// The app's names and colours (also in the manifest and web/app.css).
const (
	appName         = "Broadsheet"
	appDescription  = "Read archives of saved news articles offline, in the browser."
	backgroundColor = "#fbfaf7"
	themeColor      = "#1f2a44"
)

// siteHandler is the go-app handler the pages are rendered with.
func siteHandler(base, version string, wasmSize int64) *app.Handler {
	return &app.Handler{
		Name:                  appName,
		ShortName:             appName,
		Title:                 appName,
		Description:           appDescription,
		Lang:                  "en",
		LoadingLabel:          appName + " {progress}%",
		BackgroundColor:       backgroundColor,
		ThemeColor:            themeColor,
		Resources:             baseResolver{prefix: strings.TrimSuffix(base, "/")},
		Version:               version,
		WasmContentLength:     strconv.FormatInt(wasmSize, 10),
		Styles:                []string{"/web/app.css", "/web/pwa.css"},
		CacheableResources:    append([]string{iconSVG}, cachedPages...),
		ServiceWorkerTemplate: workerTemplate(base),
		Icon: app.Icon{
			Default:  iconDefault,
			Large:    iconLarge,
			Maskable: iconMaskable,
			SVG:      iconSVG,
		},
		Env: map[string]string{envBase: base},
	}
}

// baseResolver resolves the root-relative paths of the pages (go-app's
// files, /web/ assets, links) under the base path prefix ("/REPO", or ""
// for a domain root). Unlike app.PrefixedLocation it leaves paths already
// under the prefix alone: links built from siteBase() are not prefixed
// twice.
type baseResolver struct{ prefix string }

// Resolve implements app.ResourceResolver.
func (r baseResolver) Resolve(loc string) string {
	switch {
	case strings.HasPrefix(loc, "https://") || strings.HasPrefix(loc, "http://"):
		return loc
	case loc == "" || loc == "/":
		return r.prefix + "/"
	case strings.HasPrefix(loc, "web/"):
		return r.prefix + "/" + loc
	case !strings.HasPrefix(loc, "/"):
		return loc
	case r.prefix != "" && (loc == r.prefix || strings.HasPrefix(loc, r.prefix+"/")):
		return loc
	}
	return r.prefix + loc
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
