// Package e2e holds Broadsheet's browser tests and browser benchmarks. It
// has no code of its own outside its tests.
//
// The tests build the static site once per test binary, exactly as it is
// deployed (./build.sh site --base /REPO/ --out DIR, from the repository
// root), serve it on 127.0.0.1 with package ghpages the way GitHub Pages
// serves a project site (with Cache-Control: no-store, so the browser's
// HTTP cache cannot hide a mistake), and drive Debian's headless Chromium
// with chromedp through the ids and classes of the UI contract: the file
// input #import-files, drag and drop on #drop-zone, #import-status,
// #import-report, #library, #article-list, article#reader and so on.
//
// Every test starts Chromium with a fresh profile, so each one sees a
// first visit (and the built-in sample library). Console errors, uncaught
// exceptions, crashes and failed loads from the test server fail the test.
// Host names other than 127.0.0.1 resolve to nothing, so a page cannot
// reach the network.
//
// The fixtures in testdata/ are text written for these tests. The larger
// tests and the benchmarks read the real corpus from ../shared/corpus
// beside the repository at run time, and write what they build from it
// (the 10,000- and 100,000-article libraries) to temporary directories.
// Without Chromium or ../shared the tests fail when CI=true and are
// skipped otherwise; with -short they are skipped and the site is not
// built.
//
// Screenshots of the library and the reader are written to $E2E_SHOTS, or
// to shots/ in the system's temporary directory.
//
// Run the tests with `go test ./app/e2e` and the benchmarks with
// `go test -run '^$' -bench Browser -timeout 60m ./app/e2e`.
package e2e
