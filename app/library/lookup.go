package library

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
)

// An import looks up the IDs of its articles, mostly new ones: one
// IndexedDB get each, about as dear as a put (a request and its event
// each), was a sixth of an import's store. IDs taken from URLs start
// with their host and sort with the site's others, so the IDs of one
// site in a write span a range that holds few stored IDs besides, when
// the site is new or its articles come in order: one bounded Scan of
// that range (a request or two) answers for them all, and a range that
// holds more than scanSlack other IDs is looked up key by key after all.
// The Scans of a write's sites run at once (one after the other, each a
// transaction, they took longer than the gets they saved). A site's IDs
// of one directory are scanned apart when enough of them come together
// (dirRuns).

// scanSlack bounds the stored IDs besides the wanted ones a range may
// hold for its Scan to answer.
const scanSlack = 64

// minRun is the fewest IDs of a range worth a Scan.
const minRun = 8

// idRecords returns the "ids" records of ids, in order, nil for an ID not
// stored: as GetMany, with Scans of the ranges of a site's IDs.
func (l *Library) idRecords(ctx context.Context, ids []string) ([][]byte, error) {
	var runs, rest []string
	var starts []int
	sorted := slices.Compact(slices.Sorted(slices.Values(ids)))
	for len(sorted) > 0 {
		site := siteRun(sorted)
		sorted = sorted[len(site):]
		for _, run := range dirRuns(site) {
			if len(run) < minRun {
				rest = append(rest, run...)
				continue
			}
			starts, runs = append(starts, len(runs)), append(runs, run...)
		}
	}
	found := map[string][]byte{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, start := range starts { // at once: each waits on the store
		end := len(runs)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		run := runs[start:end]
		wg.Go(func() {
			got, ok := l.scanIDs(ctx, run)
			mu.Lock()
			defer mu.Unlock()
			if !ok {
				rest = append(rest, run...)
			}
			for k, v := range got {
				found[k] = v
			}
		})
	}
	wg.Wait()
	vals, err := l.s.GetMany(ctx, tIDs, rest)
	if err != nil {
		return nil, err
	}
	for i, id := range rest {
		if vals[i] != nil {
			found[id] = vals[i]
		}
	}
	out := make([][]byte, len(ids))
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

// siteRun returns the first IDs of sorted (at least one) that share its
// first's site: the part before the first "/" (an ID without one is a
// run of its own kind: all such IDs).
func siteRun(sorted []string) []string {
	site, _, _ := strings.Cut(sorted[0], "/")
	n := 1
	for n < len(sorted) {
		if s, _, _ := strings.Cut(sorted[n], "/"); s != site {
			break
		}
		n++
	}
	return sorted[:n]
}

// dirRuns splits the IDs of a site (sorted) into the runs to scan: the
// IDs of one directory (up to their last "/") that come together, when
// minRun or more do, and the others as one run. A site's IDs often name
// dated directories ("site/2016/…"), and an import of another period
// than the stored one then spans a range of the site full of stored IDs
// (too many for a Scan), while each of its directories' ranges holds
// none.
func dirRuns(site []string) [][]string {
	var runs [][]string
	var others []string
	for len(site) > 0 {
		dir := site[0][:strings.LastIndexByte(site[0], '/')+1]
		n := 1
		for n < len(site) && strings.HasPrefix(site[n], dir) && strings.LastIndexByte(site[n], '/') == len(dir)-1 {
			n++
		}
		if n >= minRun && n < len(site)+len(others) {
			runs = append(runs, site[:n])
		} else {
			others = append(others, site[:n]...)
		}
		site = site[n:]
	}
	if len(others) > 0 {
		runs = append(runs, others)
	}
	return runs
}

// scanIDs returns the stored "ids" records of run (sorted) by one Scan
// of the range it spans, and reports whether that answered: false when
// the range holds more than scanSlack other IDs, or the Scan failed
// (GetMany then looks them up, or reports the store's error).
func (l *Library) scanIDs(ctx context.Context, run []string) (map[string][]byte, bool) {
	limit := len(run) + scanSlack
	seen := 0
	got := map[string][]byte{}
	err := l.s.Scan(ctx, tIDs, run[0], run[len(run)-1]+"\x00", limit, func(k string, v []byte) bool {
		seen++
		if i := sort.SearchStrings(run, k); i < len(run) && run[i] == k {
			got[k] = slices.Clone(v)
		}
		return true
	})
	if err != nil || seen >= limit {
		return nil, false
	}
	return got, true
}
