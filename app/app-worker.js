// Broadsheet's service worker: the offline app shell under the site's base
// path. Written by `broadsheet site` from app/app-worker.js; go-app fills in
// the version and the resources, the site writer the base path.
//
// Strategy: cache first, one cache per version. The pages, scripts and
// app.wasm of one version are precached together and served together, so
// a start never mixes versions and never waits for the network; a new
// version arrives whole through the worker update (the browser checks this
// script on every navigation), and the page then offers a reload.
"use strict";

const base = "{{.Base}}";
const version = "{{.Version}}";
// A github.io origin is shared by all of a user's project sites: cache
// names carry the base path, and only this site's old caches are deleted.
const cachePrefix = "broadsheet:" + base + ":";
const cacheName = cachePrefix + version;
// go-app names the root without its trailing slash, which GitHub Pages
// answers with a 301: the shell is cached under the base path itself.
const resources = {{.ResourcesToCache}}.map((u) =>
  u + "/" === base ? base : u
);
// The pre-rendered pages, by path; any other navigation in scope gets the
// library page (the app routes it).
const pages = {
  [base]: base,
  [base + "index.html"]: base,
  [base + "read"]: base + "read",
  [base + "read.html"]: base + "read",
};

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

// precache stores every resource of this version, bypassing the HTTP
// cache so that a deploy is never mixed with stale copies.
async function precache() {
  const cache = await caches.open(cacheName);
  await Promise.all(
    resources.map(async (url) => {
      const res = await fetch(new Request(url, { cache: "reload" }));
      if (!res.ok) {
        throw new Error("precaching " + url + ": HTTP " + res.status);
      }
      // A redirected response cannot answer a navigation: keep its body.
      await cache.put(url, res.redirected ? new Response(await res.blob(), res) : res);
    })
  );
}

self.addEventListener("activate", (event) => {
  event.waitUntil(deleteOldCaches().then(() => self.clients.claim()));
});

// deleteOldCaches deletes this site's caches of other versions only.
async function deleteOldCaches() {
  const keys = await caches.keys();
  await Promise.all(
    keys
      .filter((k) => k.startsWith(cachePrefix) && k !== cacheName)
      .map((k) => caches.delete(k))
  );
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(base)) {
    return;
  }
  // A hosted archive is not part of the app: its manifest must be
  // revalidated on every visit (a rebuilt archive reaches visitors), its
  // packs are immutable and kept offline by the app in IndexedDB. The
  // browser fetches them as the app asks (cache "no-cache" for the
  // manifest).
  if (url.pathname.startsWith(base + "archive/")) {
    return;
  }
  if (req.mode === "navigate" && !url.pathname.startsWith(base + "web/")) {
    event.respondWith(shell(url, req));
    return;
  }
  event.respondWith(cacheFirst(req));
});

// shell answers a navigation with the cached page of its path, or the
// library page; the network only when the cache lost it.
async function shell(url, req) {
  const cache = await caches.open(cacheName);
  const page = pages[url.pathname] || base;
  const hit = await cache.match(page);
  return hit || fetch(req);
}

// cacheFirst answers from this version's cache, else from the network.
async function cacheFirst(req) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(req);
  return hit || fetch(req);
}

// The page asks which version this worker serves (update_js.go).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "broadsheet:version" && event.ports[0]) {
    event.ports[0].postMessage(version);
  }
});
