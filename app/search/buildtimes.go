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

// Plus returns the sum of t and u: the split of several opens of an
// index (the search worker opens it again before each write).
func (t BuildTimes) Plus(u BuildTimes) BuildTimes {
	t.Tokenize += u.Tokenize
	t.Encode += u.Encode
	t.Lookup += u.Lookup
	t.Write += u.Write
	t.MergeRead += u.MergeRead
	t.Merge += u.Merge
	t.MergeWrite += u.MergeWrite
	t.Segments += u.Segments
	t.Merges += u.Merges
	t.Joined += u.Joined
	t.MergedBytes += u.MergedBytes
	return t
}

// Minus returns t less u: the split of what an index built between two
// calls of BuildTimes.
func (t BuildTimes) Minus(u BuildTimes) BuildTimes {
	u.Tokenize, u.Encode, u.Lookup, u.Write = -u.Tokenize, -u.Encode, -u.Lookup, -u.Write
	u.MergeRead, u.Merge, u.MergeWrite = -u.MergeRead, -u.Merge, -u.MergeWrite
	u.Segments, u.Merges, u.Joined, u.MergedBytes = -u.Segments, -u.Merges, -u.Joined, -u.MergedBytes
	return t.Plus(u)
}

// AddStages adds the times to stages, in microseconds, under their
// names in lower case ("tokenize", "mergeRead"…): the search worker
// reports them as a reply's stages.
func (t BuildTimes) AddStages(stages map[string]int64) {
	for name, d := range map[string]time.Duration{
		"tokenize": t.Tokenize, "encode": t.Encode, "lookup": t.Lookup, "write": t.Write,
		"mergeRead": t.MergeRead, "merge": t.Merge, "mergeWrite": t.MergeWrite,
	} {
		stages[name] += d.Microseconds()
	}
}
