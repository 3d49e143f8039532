// Package scratch is a store.Store kept in a temporary file, for native
// batch jobs whose data outgrows memory (the archive builder holds a
// hundred thousand articles and their search index in one).
//
// The keys stay in memory, one table of them per store table (keys.go):
// each key's bytes, and values of a few dozen bytes or less, in one byte
// arena, found through a map from the key's hash, sorted when a scan needs
// them; nothing in it is a pointer, so the garbage collector does not
// visit the keys one by one. Longer values are appended to the file and
// read back with ReadAt, so the Go heap holds the keys and not the data.
// Nothing is ever written in place in the file: a value replaced or
// deleted leaves its old bytes behind, unreferenced, until Close removes
// the file. The store is not durable and cannot be reopened; it is a
// scratch space.
//
// Writes are atomic: a batch's values are appended (short ones gathered
// into few writes, long ones written from where they are, never copied)
// before any key is changed, so a failed write (a full disk) changes
// nothing.
package scratch
