//go:build js && wasm

package indexeddb

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/storetest"
)

var ctx = context.Background()

var dbCount int

// newName returns a database name not used before in this run.
func newName(t *testing.T) string {
	dbCount++
	name := fmt.Sprintf("broadsheet-test-%d", dbCount)
	t.Cleanup(func() { Delete(ctx, name) })
	return name
}

func open(t *testing.T, name string, tables []string) *Store {
	t.Helper()
	s, err := Open(ctx, name, tables)
	if err != nil {
		t.Fatalf("Open(%q, %q) = %v", name, tables, err)
	}
	return s
}

func TestStore(t *testing.T) {
	names := map[store.Store]string{}
	storetest.Test(t, func(t *testing.T, tables []string) store.Store {
		name := newName(t)
		s := open(t, name, tables)
		names[s] = name
		t.Cleanup(func() { s.Close() })
		return s
	}, storetest.WithReopen(func(t *testing.T, s store.Store, tables []string) store.Store {
		if err := s.Close(); err != nil {
			t.Fatalf("Close = %v", err)
		}
		s2 := open(t, names[s], tables)
		t.Cleanup(func() { s2.Close() })
		return s2
	}))
}

// TestAddTables reopens a database with one more table: the upgrade keeps
// the data, and the older connection gives way and reports it.
func TestAddTables(t *testing.T) {
	name := newName(t)
	old := open(t, name, []string{"a"})
	var b store.Batch
	b.Put("a", "k", []byte("v"))
	if err := old.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	s := open(t, name, []string{"a", "b"})
	defer s.Close()
	select {
	case <-old.Done():
	default:
		t.Errorf("older connection not closed by the upgrade")
	}
	if _, err := old.Get(ctx, "a", "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get on the older connection = %v, want ErrClosed", err)
	}
	if v, err := s.Get(ctx, "a", "k"); err != nil || string(v) != "v" {
		t.Errorf("Get after upgrade = %q, %v, want \"v\"", v, err)
	}
	b = store.Batch{}
	b.Put("b", "k", []byte("w"))
	if err := s.Write(ctx, &b); err != nil {
		t.Errorf("Write to the added table = %v", err)
	}
}

// TestBlocked holds the database open from JavaScript, ignoring
// versionchange like an old tab would: an upgrade reports ErrBlocked.
func TestBlocked(t *testing.T) {
	name := newName(t)
	s := open(t, name, []string{"a"})
	s.Close()
	req := js.Global().Get("indexedDB").Call("open", name)
	raw, err := await(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, name, []string{"a", "b"})
	if !errors.Is(err, store.ErrBlocked) {
		t.Errorf("Open(upgrade) while another connection stays open = %v, want ErrBlocked", err)
	}
	raw.Call("close")
	s = open(t, name, []string{"a", "b"})
	s.Close()
}

func TestDOMErrors(t *testing.T) {
	dom := js.Global().Get("DOMException")
	for _, c := range []struct {
		name string
		want error
	}{
		{"QuotaExceededError", store.ErrQuota},
		{"AbortError", store.ErrQuota},
		{"InvalidStateError", store.ErrClosed},
		{"VersionError", store.ErrVersion},
		{"NotFoundError", store.ErrUnknownTable},
	} {
		err := domError(dom.New("test message", c.name))
		if !errors.Is(err, c.want) {
			t.Errorf("domError(%s) = %v, want %v", c.name, err, c.want)
		}
	}
	if err := domError(dom.New("m", "DataError")); err == nil || errors.Is(err, store.ErrQuota) {
		t.Errorf("domError(DataError) = %v", err)
	}
	err := try(func() { js.Global().Get("JSON").Call("parse", "{") })
	if err == nil {
		t.Errorf("try(a throwing call) = nil")
	}
}

// TestNotBytes reads a value some other code stored as a string.
func TestNotBytes(t *testing.T) {
	name := newName(t)
	s := open(t, name, []string{"a"})
	defer s.Close()
	tx := s.db.Call("transaction", "a", "readwrite")
	tx.Call("objectStore", "a").Call("put", "a string", jsKey("k"))
	if err := awaitTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "a", "k"); err == nil {
		t.Errorf("Get(a string value) = %q, want an error", v)
	}
}

// TestStorePutBatch runs the contract with the requests of Write and
// GetMany queued by the batch functions, as in a worker (a test runs in
// a page with no policy).
func TestStorePutBatch(t *testing.T) {
	t.Cleanup(func() { setBatchCalls(false) })
	if setBatchCalls(true); batchQueue == nil || batchGet == nil {
		t.Fatal("setBatchCalls(true) made no batch functions, want them (no policy forbids them here)")
	}
	TestStore(t)
}
