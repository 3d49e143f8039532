package store

import (
	"errors"
	"fmt"
)

// Errors of every Store implementation; match them with errors.Is.
var (
	// ErrNotFound is returned by Get for a key that is not stored.
	ErrNotFound = errors.New("store: not found")
	// ErrUnknownTable is returned for a table the store was not opened with.
	ErrUnknownTable = errors.New("store: unknown table")
	// ErrClosed is returned by every call after Close.
	ErrClosed = errors.New("store: closed")
	// ErrQuota is returned when the browser refuses to store more data.
	ErrQuota = errors.New("store: storage quota exceeded")
	// ErrBlocked is returned by Open when a schema upgrade waits for another
	// tab that keeps an older version of the database open.
	ErrBlocked = errors.New("store: upgrade blocked by another open tab")
	// ErrVersion is returned when the stored data is newer than this app.
	ErrVersion = errors.New("store: data written by a newer version of the app")
)

func notFound(table, key string) error {
	return fmt.Errorf("%w: %s %q", ErrNotFound, table, key)
}

func unknownTable(name string) error {
	return fmt.Errorf("%w: %q", ErrUnknownTable, name)
}
