// Package ghpages serves a static site directory the way GitHub Pages serves
// a project site, so that the viewer can be tried and tested locally under
// the same rules it meets once deployed.
//
// The rules, as GitHub Pages applies them to a site published under a base
// path B (such as /REPO/ for a project site, or / for a domain root):
//
//   - B without its trailing slash, and any directory asked for without one,
//     is answered with 301 to the same path with the slash (query kept).
//   - A path ending in a slash serves that directory's index.html.
//   - /x serves the file x when it exists, else x.html (no redirect): this is
//     how the pages that go-app's GenerateStaticWebsite writes as read.html
//     are reached as B/read?id=….
//   - /x/ for a file x, and every path that matches nothing, is answered by
//     B/404.html with status 404 when the site has one, else a plain 404.
//   - The query string plays no part in finding the file.
//   - Only GET and HEAD are served; other methods get 405.
//   - Content-Type comes from the file's extension (see ContentType), and
//     responses carry Cache-Control: max-age=600, as Pages sends.
//
// Options change what a test or a benchmark needs: NoStore sends
// Cache-Control: no-store so that the browser's HTTP cache cannot hide a
// mistake (for example a service worker that precaches a redirect), Gzip
// compresses on the fly as Pages does for clients that accept it, and
// Latency delays every response to imitate a distant server.
//
// Files are opened through an os.Root, so no request can reach outside the
// site directory.
package ghpages
