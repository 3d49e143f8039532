package static

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// Options change how a Store reads an archive.
type Options struct {
	// Keep, optional, is a store opened with the table KeepTable where
	// packs are kept for offline reading (see KeepTable).
	Keep store.Store
	// KeepFetched stores every pack fetched into Keep, so that what was
	// read once stays readable offline.
	KeepFetched bool
	// CacheBytes bounds the decoded packs kept in memory; 0 means
	// DefaultCacheBytes.
	CacheBytes int
}

// Store is a read-only store.Store over an archive: a manifest and pack
// files read through a Fetcher. It is safe for concurrent use.
type Store struct {
	f     Fetcher
	opts  Options
	m     *Manifest
	sizes map[string]int // every distinct pack file -> bytes

	mu       sync.Mutex
	cache    *lru
	inflight map[string]*load
	closed   bool
	keeping  int        // packs being written to Keep
	kept     *sync.Cond // on mu: broadcast when keeping falls to 0
}

var _ store.Store = (*Store)(nil)

// load is a pack being read; waiters block on done.
type load struct {
	done chan struct{}
	p    *pack
	err  error
}

// Open fetches the manifest and returns the store it describes. When the
// manifest cannot be fetched, or what is fetched is not a manifest (a
// captive portal's page), and opts.Keep holds one from an earlier visit,
// it opens that one (offline). After a fetched manifest that differs from
// the kept one, it keeps the new one and deletes the kept packs the new
// one no longer refers to.
func Open(ctx context.Context, f Fetcher, opts Options) (*Store, error) {
	m, data, err := fetchManifest(ctx, f)
	online := err == nil
	if !online {
		if ctx.Err() != nil || opts.Keep == nil || errors.Is(err, store.ErrVersion) {
			return nil, err
		}
		kept, kerr := opts.Keep.Get(ctx, KeepTable, ManifestName)
		if kerr != nil {
			return nil, fmt.Errorf("%w (and no kept manifest: %v)", err, kerr)
		}
		if m, err = parseManifest(kept); err != nil {
			return nil, fmt.Errorf("static: the kept manifest: %w", err)
		}
	}
	if opts.CacheBytes <= 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	s := &Store{f: f, opts: opts, m: m, sizes: map[string]int{}, cache: newLRU(opts.CacheBytes), inflight: map[string]*load{}}
	s.kept = sync.NewCond(&s.mu)
	for _, t := range m.Tables {
		for _, p := range t.Packs {
			s.sizes[p.File] = p.Bytes
		}
	}
	if online && opts.Keep != nil {
		if err := s.keepManifest(ctx, data); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// fetchManifest fetches and parses the manifest.
func fetchManifest(ctx context.Context, f Fetcher) (*Manifest, []byte, error) {
	data, err := f.Fetch(ctx, ManifestName)
	if err != nil {
		return nil, nil, fmt.Errorf("static: open: %w", err)
	}
	m, err := parseManifest(data)
	return m, data, err
}

// Manifest returns the manifest the store reads; do not change it.
func (s *Store) Manifest() *Manifest { return s.m }

// table returns a table's packs.
func (s *Store) table(ctx context.Context, name string) (TableInfo, error) {
	if err := ctx.Err(); err != nil {
		return TableInfo{}, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return TableInfo{}, store.ErrClosed
	}
	t, ok := s.m.Tables[name]
	if !ok {
		return TableInfo{}, fmt.Errorf("%w: %q", store.ErrUnknownTable, name)
	}
	return t, nil
}

// findPack returns the index of the pack whose range holds key, or -1.
func findPack(packs []PackRef, key string) int {
	i := sort.Search(len(packs), func(i int) bool { return packs[i].Last >= key })
	if i < len(packs) && packs[i].First <= key {
		return i
	}
	return -1
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	if i := findPack(t.Packs, key); i >= 0 {
		p, err := s.pack(ctx, t.Packs[i])
		if err != nil {
			return nil, err
		}
		if v, ok := p.get(key); ok {
			return slices.Clone(v), nil
		}
	}
	return nil, fmt.Errorf("%w: %s %q", store.ErrNotFound, table, key)
}

// get returns the value of key in the pack.
func (p *pack) get(key string) ([]byte, bool) {
	i, ok := slices.BinarySearch(p.keys, key)
	if !ok {
		return nil, false
	}
	return p.values[i], true
}

// maxParallel bounds the pack fetches GetMany runs at once: enough for
// one round in practice (HTTP/2 multiplexes them on one connection).
const maxParallel = 64

// GetMany implements store.Store: the packs of all the keys are read in
// one parallel round.
func (s *Store) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	at := make([]int, len(keys))
	var need []int
	seen := map[int]bool{}
	for i, k := range keys {
		at[i] = findPack(t.Packs, k)
		if at[i] >= 0 && !seen[at[i]] {
			seen[at[i]] = true
			need = append(need, at[i])
		}
	}
	packs, err := s.packs(ctx, t.Packs, need)
	if err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	for i, k := range keys {
		if at[i] < 0 {
			continue
		}
		if v, ok := packs[at[i]].get(k); ok {
			values[i] = slices.Clone(v)
		}
	}
	return values, nil
}

// packs reads the packs of refs at the indexes need, in parallel.
func (s *Store) packs(ctx context.Context, refs []PackRef, need []int) (map[int]*pack, error) {
	out := make(map[int]*pack, len(need))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var first error
	sem := make(chan struct{}, maxParallel)
	for _, i := range need {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := s.pack(ctx, refs[i])
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			out[i] = p
		}()
	}
	wg.Wait()
	return out, first
}

// Scan implements store.Store. Packs are read in order, only as far as
// the scan goes; while one is visited, the next is read ahead when the
// limit allows more records than this one holds.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	t, err := s.table(ctx, table)
	if err != nil {
		return err
	}
	first := sort.Search(len(t.Packs), func(i int) bool { return t.Packs[i].Last >= start })
	last := len(t.Packs) - 1
	if end != "" {
		last = sort.Search(len(t.Packs), func(i int) bool { return t.Packs[i].First >= end }) - 1
	}
	return s.scanPacks(ctx, t.Packs, first, last, +1, start, end, limit, fn)
}

// ScanReverse implements store.Store, reading packs from the last one down
// as Scan reads them up.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	t, err := s.table(ctx, table)
	if err != nil {
		return err
	}
	first := sort.Search(len(t.Packs), func(i int) bool { return t.Packs[i].Last >= start })
	last := len(t.Packs) - 1
	if end != "" {
		last = sort.Search(len(t.Packs), func(i int) bool { return t.Packs[i].First >= end }) - 1
	}
	return s.scanPacks(ctx, t.Packs, last, first, -1, start, end, limit, fn)
}

// scanPacks visits the records of [start, end) in the packs from index
// from to index to (inclusive) in direction step.
func (s *Store) scanPacks(ctx context.Context, packs []PackRef, from, to, step int, start, end string, limit int, fn func(string, []byte) bool) error {
	seen := 0
	var ahead func() (*pack, error)
	for i := from; (to-i)*step >= 0; i += step {
		var p *pack
		var err error
		if ahead != nil {
			p, err = ahead()
		} else {
			p, err = s.pack(ctx, packs[i])
		}
		if err != nil {
			return err
		}
		lo, hi := p.bounds(start, end)
		ahead = nil
		if i != to && (limit <= 0 || limit-seen > hi-lo) {
			ahead = s.readAhead(ctx, packs[i+step])
		}
		for j := range hi - lo {
			k := lo + j
			if step < 0 {
				k = hi - 1 - j
			}
			seen++
			if !fn(p.keys[k], slices.Clone(p.values[k])) || (limit > 0 && seen >= limit) {
				return nil
			}
		}
	}
	return nil
}

// readAhead starts reading a pack and returns a function that waits for it.
func (s *Store) readAhead(ctx context.Context, ref PackRef) func() (*pack, error) {
	type result struct {
		p   *pack
		err error
	}
	ch := make(chan result, 1)
	go func() {
		p, err := s.pack(ctx, ref)
		ch <- result{p, err}
	}()
	return func() (*pack, error) {
		r := <-ch
		return r.p, r.err
	}
}

// bounds returns the indexes of the pack's keys in [start, end).
func (p *pack) bounds(start, end string) (lo, hi int) {
	lo, _ = slices.BinarySearch(p.keys, start)
	hi = len(p.keys)
	if end != "" {
		hi, _ = slices.BinarySearch(p.keys, end)
	}
	return lo, max(lo, hi)
}

// Count implements store.Store, from the manifest.
func (s *Store) Count(ctx context.Context, table string) (int, error) {
	t, err := s.table(ctx, table)
	return t.Count, err
}

// Write implements store.Store: it returns ErrReadOnly.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	return ErrReadOnly
}

// Close implements store.Store. It waits for the packs being kept, and
// does not close Options.Keep.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.cache = newLRU(0)
	s.mu.Unlock()
	s.waitKept()
	return nil
}

// keepInBackground stores a fetched pack in Keep without making the read
// wait for it: best effort, the pack is read either way. Close, Kept and
// Download wait for it.
func (s *Store) keepInBackground(ctx context.Context, file string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.keeping++
	go func() {
		s.keepPack(context.WithoutCancel(ctx), file, data)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.keeping--; s.keeping == 0 {
			s.kept.Broadcast()
		}
	}()
}

// waitKept waits until no pack is being kept in the background.
func (s *Store) waitKept() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.keeping > 0 {
		s.kept.Wait()
	}
}

// pack returns the decoded pack of ref: from the cache, else from Keep,
// else fetched. Concurrent calls for one pack read it once.
func (s *Store) pack(ctx context.Context, ref PackRef) (*pack, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, store.ErrClosed
		}
		if p := s.cache.get(ref.File); p != nil {
			s.mu.Unlock()
			return p, nil
		}
		if l := s.inflight[ref.File]; l != nil {
			s.mu.Unlock()
			select {
			case <-l.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if l.err != nil && ctx.Err() == nil && (errors.Is(l.err, context.Canceled) || errors.Is(l.err, context.DeadlineExceeded)) {
				continue // the reader's context ended, not ours: read again
			}
			return l.p, l.err
		}
		l := &load{done: make(chan struct{})}
		s.inflight[ref.File] = l
		s.mu.Unlock()
		l.p, l.err = s.read(ctx, ref)
		s.mu.Lock()
		delete(s.inflight, ref.File)
		if l.err == nil {
			s.cache.add(ref.File, l.p)
		}
		s.mu.Unlock()
		close(l.done)
		return l.p, l.err
	}
}

// read reads and decodes a pack from Keep or else through the fetcher.
func (s *Store) read(ctx context.Context, ref PackRef) (*pack, error) {
	if s.opts.Keep != nil {
		if data, err := s.opts.Keep.Get(ctx, KeepTable, ref.File); err == nil {
			if p, err := decodeRef(ref, data); err == nil {
				return p, nil
			}
			s.unkeep(ctx, ref.File) // damaged: fetch it again below
		}
	}
	data, err := s.f.Fetch(ctx, ref.File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrStale, err)
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	p, err := decodeRef(ref, data)
	if err != nil {
		return nil, err
	}
	if s.opts.Keep != nil && s.opts.KeepFetched {
		s.keepInBackground(ctx, ref.File, data)
	}
	return p, nil
}

// decodeRef decodes the bytes of pack ref, checking them against its name
// and its manifest entry.
func decodeRef(ref PackRef, data []byte) (*pack, error) {
	if err := checkPackBytes(ref.File, ref.Bytes, data); err != nil {
		return nil, err
	}
	p, err := decodePack(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref.File, err)
	}
	if len(p.keys) != ref.Count || p.keys[0] != ref.First || p.keys[len(p.keys)-1] != ref.Last {
		return nil, fmt.Errorf("%w: %s: records differ from the manifest", ErrCorrupt, ref.File)
	}
	return p, nil
}

// checkPackBytes checks that data is the pack file named name, of size bytes.
func checkPackBytes(name string, size int, data []byte) error {
	if len(data) != size {
		return fmt.Errorf("%w: %s: %d bytes, the manifest says %d", ErrCorrupt, name, len(data), size)
	}
	if got := PackName(data); got != name {
		return fmt.Errorf("%w: %s: bytes hash to %s", ErrCorrupt, name, got)
	}
	return nil
}
