package search

import (
	"fmt"
	"time"
)

// BuildTimes splits the time Add, Delete and their merges have taken
// since the index was opened: where an import's indexing goes.
type BuildTimes struct {
	// Tokenize: documents cut into records; Encode: records sorted and
	// a segment written (in memory); Lookup: the store read for the
	// earlier versions of the documents added; Write: the store writes
	// of new segments, with their texts and IDs.
	Tokenize, Encode, Lookup, Write time.Duration
	// MergeRead: merged segments read (from the page cache or the
	// store); Merge: their lists merged and encoded; MergeWrite: the
	// merged segment written.
	MergeRead, Merge, MergeWrite time.Duration
	// Segments counts the segments written by adds, Merges the merges
	// (Joined those that joined their inputs' lists), MergedBytes the
	// bytes the merges wrote.
	Segments, Merges, Joined, MergedBytes int
}

// BuildTimes returns the split of the building time so far.
func (ix *Index) BuildTimes() BuildTimes {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.times
}

// lap adds the time since *t to *d and restarts *t.
func lap(d *time.Duration, t *time.Time) {
	now := time.Now()
	*d += now.Sub(*t)
	*t = now
}

// String gives the times in milliseconds.
func (t BuildTimes) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("tokenize %v, encode %v, lookup %v, write %v; merges %d (%d joined, %.1f MB): read %v, merge %v, write %v",
		r(t.Tokenize), r(t.Encode), r(t.Lookup), r(t.Write), t.Merges, t.Joined, float64(t.MergedBytes)/1e6, r(t.MergeRead), r(t.Merge), r(t.MergeWrite))
}
