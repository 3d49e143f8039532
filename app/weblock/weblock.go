// Package weblock runs a function while holding a lock that every tab and
// worker of the site sees by name: the Web Locks API (navigator.locks) in
// the browser, where the page and the workers of several tabs write one
// IndexedDB database, and a process-wide mutex natively (its twin, for
// tests and tools). Without the Web Locks API (an old browser) the
// function runs unlocked.
package weblock
