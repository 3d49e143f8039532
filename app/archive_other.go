//go:build !(js && wasm)

package main

import "github.com/broadsheet/broadsheet/app/store/static"

// archiveURL is "" natively: the native program has no hosted archive.
func archiveURL() string { return "" }

// archiveFetcher reads the archive over HTTP natively.
func archiveFetcher(url string) static.Fetcher { return static.BrowserFetcher(url) }
