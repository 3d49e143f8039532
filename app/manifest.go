//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// manifest is the web app manifest (manifest.webmanifest). go-app writes
// one with scope "/", start_url "/REPO" and no id; writeManifest replaces
// it so that the app installs under the base path and opens files.
type manifest struct {
	ID              string         `json:"id"`
	Scope           string         `json:"scope"`
	StartURL        string         `json:"start_url"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
	FileHandlers    []fileHandler  `json:"file_handlers"`
	LaunchHandler   launchHandler  `json:"launch_handler"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// fileHandler lets the installed app open files from the operating system;
// the app receives them through window.launchQueue (launch_js.go).
type fileHandler struct {
	Action string              `json:"action"`
	Accept map[string][]string `json:"accept"`
}

type launchHandler struct {
	ClientMode string `json:"client_mode"`
}

// Icon files under web/, drawn by app/internal/iconsgen.
const (
	iconDefault  = "/web/icons/icon-192.png"
	iconLarge    = "/web/icons/icon-512.png"
	iconMaskable = "/web/icons/icon-maskable-512.png"
	iconSVG      = "/web/icon.svg"
)

// newManifest is the manifest of the site under base. Its id is the base
// path: changing it later would make installed copies a different app.
func newManifest(base string) manifest {
	web := base + "web/"
	return manifest{
		ID:              base,
		Scope:           base,
		StartURL:        base,
		Name:            appName,
		ShortName:       appName,
		Description:     appDescription,
		Lang:            "en",
		Display:         "standalone",
		BackgroundColor: backgroundColor,
		ThemeColor:      themeColor,
		Icons: []manifestIcon{
			{Src: base + iconDefault[1:], Sizes: "192x192", Type: "image/png", Purpose: "any"},
			{Src: base + iconLarge[1:], Sizes: "512x512", Type: "image/png", Purpose: "any"},
			{Src: base + iconMaskable[1:], Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
			{Src: web + "icon.svg", Sizes: "any", Type: "image/svg+xml", Purpose: "any"},
		},
		FileHandlers: []fileHandler{{
			Action: base,
			Accept: map[string][]string{
				"text/markdown":   {".md", ".markdown"},
				"text/plain":      {".txt"},
				"text/html":       {".html", ".htm"},
				"application/zip": {".zip"},
			},
		}},
		LaunchHandler: launchHandler{ClientMode: "focus-existing"},
	}
}

// writeManifest writes the manifest of the site under base into dir.
func writeManifest(dir, base string) error {
	data, err := json.MarshalIndent(newManifest(base), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.webmanifest"), append(data, '\n'), 0o644)
}
