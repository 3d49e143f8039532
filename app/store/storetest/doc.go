// Package storetest is the store.Store contract written once as a test
// suite. Every implementation runs it: the in-memory store natively, the
// IndexedDB store in headless Chromium.
//
//	func TestMemory(t *testing.T) {
//		storetest.Test(t, func(t *testing.T, tables []string) store.Store {
//			return store.NewMemory(tables...)
//		})
//	}
package storetest
