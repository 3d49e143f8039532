//go:build js && wasm

// Package indexeddb is the store.Store kept in the browser's IndexedDB: one
// database per store, one object store per table. It is the only package
// of Broadsheet that touches IndexedDB.
//
// Keys are stored as binary keys (the key's bytes in a Uint8Array), so that
// IndexedDB orders them byte-wise as the contract says (JavaScript strings
// would order by UTF-16 code units and could not hold arbitrary bytes).
// Values are stored as Uint8Array.
//
// Every call is a blocking Go call that waits for IndexedDB's events: call
// it off the UI goroutine (in ctx.Async or an action handler), never in an
// event callback. Write queues every put and delete of a batch in one
// readwrite transaction and waits for nothing else until it completes, so
// the transaction does not commit early. Scan reads in batches, each its
// own transaction, so fn may call the store.
//
// Costs measured in headless Chromium: a transaction is a round trip to
// the browser process, so GetMany reads many keys in one; Count walks the
// keys (about 45 ms for 10,000 on a busy machine), so keep counts of large
// tables as records; a Scan batch copies each key and value across the
// JavaScript boundary. Each request costs the browser about as much
// whatever its size (a put of 1 KB under load: ~100 µs to queue, more
// to commit), and each call from Go into JavaScript a few µs more: a
// program that calls UseBatchCalls (the workers) queues a Write's, or a
// GetMany's, requests by one call (putbatch.go).
//
// Failures of JavaScript become Go errors matching the store errors: a full
// quota store.ErrQuota, a closed database store.ErrClosed, an upgrade that
// another tab blocks store.ErrBlocked, a database of a newer version
// store.ErrVersion. No panic crosses the boundary.
//
// When another tab opens the database to add tables (a newer app version),
// the store closes itself so the upgrade can go ahead; its calls then fail
// with store.ErrClosed and Done is closed, so the app can ask for a reload.
package indexeddb
