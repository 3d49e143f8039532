#!/usr/bin/env bash
# build.sh: the one place that knows Broadsheet's artefact paths and GOOS/GOARCH.
#
#   ./build.sh build                 web/app.wasm and web/search-worker.wasm (GOOS=js GOARCH=wasm)
#                                    and bin/broadsheet (native)
#   ./build.sh site --base /REPO/ --out DIR [--archive DIR]
#                                    the complete static site for a GitHub Pages project
#                                    site under /REPO/ (or --base / for a domain root)
#   ./build.sh serve [--addr A]      build the site for / and serve it like GitHub Pages
#   ./build.sh test                  vet, native tests, wasm tests, browser tests (as CI)
#   ./build.sh test-wasm             parser tests under Node; IndexedDB, static-archive, search-worker and search tests in Chromium
#   ./build.sh test-browser          the browser tests (app/e2e: builds the site, drives Chromium)
#   ./build.sh bench                 the benchmarks (native, wasm, browser)
#   ./build.sh bench-archive         the hosted-archive builder at 10,000 and 100,000 articles,
#                                    and a cold visit of each (bytes and round trips)
#   ./build.sh fuzz [TIME]           fuzz the parser (default 60s)
#   ./build.sh clean                 remove build output
#
# It does not install anything: .ci/run installs Chromium and Node for CI.
set -euo pipefail
cd "$(dirname "$0")"

GOROOT_WASM="$(go env GOROOT)/lib/wasm"
WASM_EXEC_NODE="$GOROOT_WASM/go_js_wasm_exec"
BIN=bin/broadsheet

# version is the service worker's version: the commit, plus a hash of web/
# when the work tree differs from it (so every local build is an update).
version() {
	local v
	v=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo dev; return; }
	if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		v="$v-dirty-$(find web -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-8)"
	fi
	echo "$v"
}

build() {
	mkdir -p bin web
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/app.wasm ./app
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/search-worker.wasm ./app/searchworker
	go build -trimpath -o "$BIN" ./app
}

cmd=${1:-help}
shift || true
case "$cmd" in
build) build ;;
site)
	build
	"$BIN" site --version "$(version)" "$@"
	;;
serve)
	build
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	"$BIN" site --version "$(version)" --base / --out "$out" >/dev/null
	"$BIN" serve --dir "$out" "$@"
	;;
test)
	go vet ./...
	# app/e2e drives Chromium from the host: it is native only.
	GOOS=js GOARCH=wasm go vet $(go list ./... | grep -v '/app/e2e$')
	# the site builder runs on the owners' machines too
	GOOS=darwin go build ./... && GOOS=windows go build ./...
	go test -count=1 $(go list ./... | grep -v '/app/e2e$')
	"$0" test-wasm
	"$0" test-browser
	;;
test-browser)
	go test -count=1 -timeout=60m ./app/e2e
	;;
test-wasm)
	GOOS=js GOARCH=wasm go test -count=1 -exec="$WASM_EXEC_NODE" ./parser/...
	GOOS=js GOARCH=wasm go test -count=1 -exec="env -u GOOS -u GOARCH go tool -modfile=$PWD/tools/go.mod wasmbrowsertest" ./app/store/indexeddb/ ./app/store/static/ ./app/weblock/ ./app/searchworker/
	# app/search is pure Go, tested natively; in Chromium its link checks
	# (TestDeps) and its merge, join and cache tests (the whole suite runs
	# past 10 minutes there)
	GOOS=js GOARCH=wasm go test -count=1 -run 'Merge|Join|Cache|AddMakesRoom' -exec="env -u GOOS -u GOARCH go tool -modfile=$PWD/tools/go.mod wasmbrowsertest" ./app/search/
	;;
bench)
	go test -run='^$' -bench=. -benchmem ./parser/...
	GOOS=js GOARCH=wasm go test -run='^$' -bench=. -benchmem -exec="$WASM_EXEC_NODE" ./parser/...
	go test -run='^$' -bench=. -benchmem ./app/library
	go test -run='^$' -bench='Corpus|Build/10k|FoldBaseline' -benchtime=1x ./app/search
	go test -run='^$' -bench='^Benchmark(Engine|Query|ScanBaseline|Reopen)$/10k' -benchtime=300x ./app/search
	go test -run='^$' -bench=Browser -benchtime=1x -timeout=120m ./app/e2e
	go test -run='^$' -bench=Startup -benchtime=1x -timeout=60m ./app/e2e
	go test -run='^$' -bench=SearchPeers -benchtime=1x -timeout=180m ./app/e2e
	"$0" bench-archive
	;;
bench-archive)
	go test -run='^$' -bench='Build/(10k|100k)' -benchtime=1x -timeout=120m ./app/archive
	go test -run='^$' -bench='Visit' -benchtime=1x -timeout=120m ./app/store/static
	go test -run='^$' -bench='ShippedQuery' -benchtime=2000x -timeout=60m ./app/search
	;;
fuzz)
	go test -run='^$' -fuzz=FuzzParse -fuzztime="${1:-60s}" ./parser
	;;
clean) rm -rf bin web/app.wasm web/search-worker.wasm dist ;;
*) sed -n '2,17p' "$0"; exit 2 ;;
esac
