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
	// Preload names tables whose index files Open starts reading at once,
	// in the background, so that a first read in the middle of them (a
	// search) costs no round trip for the index.
	Preload []string
}

// Store is a read-only store.Store over an archive: a manifest, index
// files and pack files read through a Fetcher. It is safe for concurrent
// use.
type Store struct {
	f      Fetcher
	opts   Options
	m      *Manifest
	sizes  map[string]int // every distinct pack and index file -> bytes
	tables map[string]*table

	mu       sync.Mutex
	cache    *lru
	inflight map[string]*load
	closed   bool
	keeping  int        // files being written to Keep
	kept     *sync.Cond // on mu: broadcast when keeping falls to 0
}

var _ store.Store = (*Store)(nil)

// table is a table of the archive being read: its packs, once known.
type table struct {
	name  string
	info  TableInfo
	mu    sync.Mutex
	packs []PackRef     // all of them: from the manifest or the index file
	raw   []byte        // the index file's bytes, once read
	load  chan struct{} // closed when a read of the index file ends
}

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
	s := &Store{f: f, opts: opts, m: m, sizes: map[string]int{}, tables: map[string]*table{}, cache: newLRU(opts.CacheBytes), inflight: map[string]*load{}}
	s.kept = sync.NewCond(&s.mu)
	for name, t := range m.Tables {
		tb := &table{name: name, info: t}
		if t.Index == "" {
			tb.packs = t.Inline
		} else {
			s.sizes[t.Index] = t.IndexBytes
		}
		s.tables[name] = tb
		for _, p := range t.Inline {
			s.sizes[p.File] = p.Bytes
		}
	}
	if online && opts.Keep != nil {
		if err := s.keepManifest(ctx, data); err != nil {
			return nil, err
		}
	}
	for _, name := range opts.Preload {
		if t := s.tables[name]; t != nil && t.known() == nil {
			go s.index(context.WithoutCancel(ctx), t) // best effort: a read that needs it tries again
		}
	}
	return s, nil
}

// Warm starts reading the first pack of each of tables, in the
// background: the packs that reads about to come are known to need (a
// library's schema record and newest page, a search index's manifest),
// which would otherwise be read one after the other. A read joins the
// one under way.
func (s *Store) Warm(ctx context.Context, tables []string) {
	for _, t := range tables {
		go s.Scan(context.WithoutCancel(ctx), t, "", "", 1, func(string, []byte) bool { return false })
	}
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

// table returns a table of the archive.
func (s *Store) table(ctx context.Context, name string) (*table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, store.ErrClosed
	}
	t, ok := s.tables[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", store.ErrUnknownTable, name)
	}
	return t, nil
}

// Packs returns every pack of a table, in key order, reading its index
// file when the manifest does not list them all.
func (s *Store) Packs(ctx context.Context, table string) ([]PackRef, error) {
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	packs, err := s.index(ctx, t)
	return slices.Clone(packs), err
}

// known returns the table's packs if they are known without a fetch.
func (t *table) known() []PackRef {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.packs
}

// index returns every pack of the table, reading its index file (from
// Keep, else fetched) the first time. Concurrent callers read it once.
func (s *Store) index(ctx context.Context, t *table) ([]PackRef, error) {
	return s.indexFrom(ctx, t, s.readFile)
}

// indexFrom is index reading the index file with read.
func (s *Store) indexFrom(ctx context.Context, t *table, read func(context.Context, string, func([]byte) error) ([]byte, error)) ([]PackRef, error) {
	for {
		t.mu.Lock()
		packs, wait := t.packs, t.load
		if packs != nil || t.info.Packs == 0 {
			t.mu.Unlock()
			return packs, nil
		}
		if wait != nil {
			t.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		t.load = done
		t.mu.Unlock()
		var err error
		var raw []byte
		raw, err = read(ctx, t.info.Index, func(data []byte) error {
			packs, err = decodeIndex(t.info, data)
			return err
		})
		if err == nil {
			s.addSizes(packs)
		}
		t.mu.Lock()
		t.load = nil
		if err == nil {
			t.packs, t.raw = packs, raw
		}
		t.mu.Unlock()
		close(done)
		if err != nil {
			return nil, err
		}
	}
}

// addSizes notes the sizes of packs.
func (s *Store) addSizes(packs []PackRef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range packs {
		s.sizes[p.File] = p.Bytes
	}
}

// packAt returns the pack i of the table: the first and the last are
// known from the manifest, the others from the index file.
func (s *Store) packAt(ctx context.Context, t *table, i int) (PackRef, error) {
	if packs := t.known(); packs != nil {
		return packs[i], nil
	}
	if i == 0 {
		return t.info.Inline[0], nil
	}
	if i == t.info.Packs-1 {
		return t.info.Inline[1], nil
	}
	packs, err := s.index(ctx, t)
	if err != nil {
		return PackRef{}, err
	}
	return packs[i], nil
}

// packOf returns the index of the pack whose range holds key, reading the
// table's index file unless the pack is the first or the last; -1 when
// the table has none.
func (s *Store) packOf(ctx context.Context, t *table, key string) (int, error) {
	n := t.info.Packs
	if n == 0 {
		return -1, nil
	}
	packs := t.known()
	if packs == nil {
		first, last := t.info.Inline[0], t.info.Inline[1]
		switch {
		case key < first.Hi:
			return 0, nil
		case key >= last.Lo:
			return n - 1, nil
		}
		var err error
		if packs, err = s.index(ctx, t); err != nil {
			return 0, err
		}
	}
	return sort.Search(n, func(i int) bool { return packs[i].Hi == "" || packs[i].Hi > key }), nil
}

// lastBefore returns the index of the last pack that may hold keys below
// end ("": no bound), or -1.
func (s *Store) lastBefore(ctx context.Context, t *table, end string) (int, error) {
	if end == "" {
		return t.info.Packs - 1, nil
	}
	i, err := s.packOf(ctx, t, end)
	if err != nil || i <= 0 {
		return i, err
	}
	ref, err := s.packAt(ctx, t, i)
	if err != nil {
		return 0, err
	}
	if ref.Lo >= end {
		return i - 1, nil
	}
	return i, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	i, err := s.packOf(ctx, t, key)
	if err != nil {
		return nil, err
	}
	if i >= 0 {
		ref, err := s.packAt(ctx, t, i)
		if err != nil {
			return nil, err
		}
		p, err := s.pack(ctx, ref)
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
// one parallel round (after the table's index file, when a key is in
// neither its first nor its last pack and the index was not read yet).
func (s *Store) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	at := make([]int, len(keys))
	refs := map[int]PackRef{}
	for i, k := range keys {
		if at[i], err = s.packOf(ctx, t, k); err != nil {
			return nil, err
		}
		if _, ok := refs[at[i]]; !ok && at[i] >= 0 {
			if refs[at[i]], err = s.packAt(ctx, t, at[i]); err != nil {
				return nil, err
			}
		}
	}
	packs, err := s.packs(ctx, refs)
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

// packs reads the packs of refs in parallel: the ones Keep holds in one
// read of it, then the others fetched all at once (a lookup in Keep for
// each pack, on its own, would start their fetches at scattered times).
func (s *Store) packs(ctx context.Context, refs map[int]PackRef) (map[int]*pack, error) {
	kept := s.keptOf(ctx, refs)
	out := make(map[int]*pack, len(refs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var first error
	sem := make(chan struct{}, maxParallel)
	for i, ref := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := s.packFrom(ctx, ref, kept)
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

// keptOf reads from Keep, in one GetMany, the files of refs that are
// neither cached nor being read, and returns them by name (nil bytes
// for a file Keep lacks); nil without Keep, or if the read fails (each
// pack then looks in Keep on its own).
func (s *Store) keptOf(ctx context.Context, refs map[int]PackRef) map[string][]byte {
	if s.opts.Keep == nil {
		return nil
	}
	var files []string
	s.mu.Lock()
	for _, ref := range refs {
		if s.cache.get(ref.File) == nil && s.inflight[ref.File] == nil {
			files = append(files, ref.File)
		}
	}
	s.mu.Unlock()
	if len(files) < 2 {
		return nil
	}
	data, err := s.opts.Keep.GetMany(ctx, KeepTable, files)
	if err != nil {
		return nil
	}
	kept := make(map[string][]byte, len(files))
	for i, f := range files {
		kept[f] = data[i]
	}
	return kept
}

// Scan implements store.Store. Packs are read in order, only as far as
// the scan goes; while one is visited, the next is read ahead when the
// limit allows more records than this one holds.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	t, first, last, err := s.scanRange(ctx, table, start, end)
	if err != nil {
		return err
	}
	return s.scanPacks(ctx, t, first, last, +1, start, end, limit, fn)
}

// ScanReverse implements store.Store, reading packs from the last one down
// as Scan reads them up.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	t, first, last, err := s.scanRange(ctx, table, start, end)
	if err != nil {
		return err
	}
	return s.scanPacks(ctx, t, last, first, -1, start, end, limit, fn)
}

// scanRange returns the table and the indexes of the first and last packs
// that may hold keys of [start, end).
func (s *Store) scanRange(ctx context.Context, table, start, end string) (t *table, first, last int, err error) {
	if t, err = s.table(ctx, table); err != nil {
		return nil, 0, 0, err
	}
	if end != "" && end <= start || t.info.Packs == 0 {
		return t, 0, -1, nil
	}
	if first, err = s.packOf(ctx, t, start); err != nil {
		return nil, 0, 0, err
	}
	if last, err = s.lastBefore(ctx, t, end); err != nil {
		return nil, 0, 0, err
	}
	return t, first, last, nil
}

// scanPacks visits the records of [start, end) in the packs from index
// from to index to (inclusive) in direction step.
func (s *Store) scanPacks(ctx context.Context, t *table, from, to, step int, start, end string, limit int, fn func(string, []byte) bool) error {
	seen := 0
	var ahead func() (*pack, error)
	for i := from; (to-i)*step >= 0; i += step {
		var p *pack
		var err error
		if ahead != nil {
			p, err = ahead()
		} else {
			p, err = s.packNumber(ctx, t, i)
		}
		if err != nil {
			return err
		}
		lo, hi := p.bounds(start, end)
		ahead = nil
		if i != to && (limit <= 0 || limit-seen > hi-lo) {
			ahead = s.readAhead(ctx, t, i+step)
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

// packNumber reads the pack i of a table.
func (s *Store) packNumber(ctx context.Context, t *table, i int) (*pack, error) {
	ref, err := s.packAt(ctx, t, i)
	if err != nil {
		return nil, err
	}
	return s.pack(ctx, ref)
}

// readAhead starts reading pack i of a table and returns a function that
// waits for it.
func (s *Store) readAhead(ctx context.Context, t *table, i int) func() (*pack, error) {
	type result struct {
		p   *pack
		err error
	}
	ch := make(chan result, 1)
	go func() {
		p, err := s.packNumber(ctx, t, i)
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
	if err != nil {
		return 0, err
	}
	return t.info.Count, nil
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

// keepInBackground stores a fetched file in Keep without making the read
// wait for it: best effort, the file is read either way. Close, Kept and
// Download wait for it.
func (s *Store) keepInBackground(ctx context.Context, file string, data []byte) {
	s.inBackground(func() { s.keepPack(context.WithoutCancel(ctx), file, data) })
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
	return s.packFrom(ctx, ref, nil)
}

// packFrom is pack, with what Keep holds of some files already read
// (keptOf): a file named in kept is not looked up in Keep again.
func (s *Store) packFrom(ctx context.Context, ref PackRef, kept map[string][]byte) (*pack, error) {
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
		l.p, l.err = s.read(ctx, ref, kept)
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

// read reads and decodes a pack from Keep or else through the fetcher;
// kept (see packFrom) may already hold what Keep has of it.
func (s *Store) read(ctx context.Context, ref PackRef, kept map[string][]byte) (*pack, error) {
	var p *pack
	check := func(data []byte) error {
		var err error
		p, err = decodeRef(ref, data)
		return err
	}
	var err error
	if data, looked := kept[ref.File]; looked {
		_, err = s.readLooked(ctx, ref.File, data, check)
	} else {
		_, err = s.readFile(ctx, ref.File, check)
	}
	return p, err
}

// readFile reads an archive file from Keep, or else through the fetcher,
// and returns its bytes once check accepts them. A kept file check
// refuses is deleted and fetched again; a fetched one is kept when
// Options.KeepFetched says so.
func (s *Store) readFile(ctx context.Context, file string, check func([]byte) error) ([]byte, error) {
	var kept []byte
	if s.opts.Keep != nil {
		kept, _ = s.opts.Keep.Get(ctx, KeepTable, file)
	}
	return s.readLooked(ctx, file, kept, check)
}

// readLooked is readFile once Keep was read: kept is what it holds of
// file, nil if nothing.
func (s *Store) readLooked(ctx context.Context, file string, kept []byte, check func([]byte) error) ([]byte, error) {
	if kept != nil {
		if check(kept) == nil {
			return kept, nil
		}
		s.unkeep(ctx, file) // damaged: fetch it again below
	}
	data, err := s.f.Fetch(ctx, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrStale, err)
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	if err := check(data); err != nil {
		return nil, err
	}
	if s.opts.Keep != nil && s.opts.KeepFetched {
		s.keepInBackground(ctx, file, data)
	}
	return data, nil
}

// decodeRef decodes the bytes of pack ref, checking them against its name
// and its entry: size, count and range.
func decodeRef(ref PackRef, data []byte) (*pack, error) {
	if err := checkFileBytes(ref.File, ref.Bytes, data); err != nil {
		return nil, err
	}
	p, err := decodePack(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref.File, err)
	}
	if len(p.keys) != ref.Count || p.keys[0] < ref.Lo || ref.Hi != "" && p.keys[len(p.keys)-1] >= ref.Hi {
		return nil, fmt.Errorf("%w: %s: records differ from the manifest", ErrCorrupt, ref.File)
	}
	return p, nil
}

// checkFileBytes checks that data is the archive file named name, of size
// bytes.
func checkFileBytes(name string, size int, data []byte) error {
	if len(data) != size {
		return fmt.Errorf("%w: %s: %d bytes, the manifest says %d", ErrCorrupt, name, len(data), size)
	}
	if got := fileName(name, data); got != name {
		return fmt.Errorf("%w: %s: bytes hash to %s", ErrCorrupt, name, got)
	}
	return nil
}
