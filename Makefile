# Broadsheet: every target is a one-line alias; build.sh knows the artefacts.
.DEFAULT_GOAL := help
.PHONY: help serve test test-native test-wasm test-browser bench bench-archive fuzz build site clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

serve: ## build the site with its sample library and serve it on http://127.0.0.1:8080/
	./build.sh serve

test: ## vet, native tests, wasm tests (Node and headless Chromium), browser tests
	./build.sh test

test-native: ## native unit tests only (no browser)
	go test -short ./...

test-wasm: ## the parser under Node; the stores, the search worker and search in headless Chromium
	./build.sh test-wasm

test-browser: ## the viewer's tests in headless Chromium (builds the site for /REPO/)
	./build.sh test-browser

bench: ## benchmarks: parser native and wasm, browser import and search, archive builder at 100k
	./build.sh bench

bench-archive: ## the hosted-archive builder and a cold visit: 10,000 and 100,000 generated articles
	./build.sh bench-archive

fuzz: ## fuzz the parser for FUZZTIME (default 60s)
	./build.sh fuzz $(FUZZTIME)

build: ## build web/app.wasm and the native binary bin/broadsheet
	./build.sh build

site: ## write the static site for BASE (default /) into OUT (default dist), with ARCHIVE (a folder) if set
	./build.sh site --base $(or $(BASE),/) --out $(or $(OUT),dist) $(if $(ARCHIVE),--archive $(ARCHIVE))

clean: ## remove build output
	./build.sh clean
