package static

import (
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io/fs"
	"testing"
)

// mapFetcher serves archive files from a map.
type mapFetcher map[string][]byte

func (m mapFetcher) Fetch(_ context.Context, name string) ([]byte, error) {
	if data, ok := m[name]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

func TestPackRefJSON(t *testing.T) {
	for _, p := range []PackRef{
		{File: "p/0123456789abcdef0123.pack", Lo: "a", Hi: "中文", Count: 2, Bytes: 10},
		{File: "p/0123456789abcdef0123.pack", Lo: "\x00\xff", Hi: "\xff", Count: 2, Bytes: 10},
		{File: "p/0123456789abcdef0123.pack", Lo: "", Hi: "", Count: 1, Bytes: 1},
	} {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q PackRef
		if err := json.Unmarshal(data, &q); err != nil || q != p {
			t.Errorf("PackRef %+v through JSON %s = %+v, %v", p, data, q, err)
		}
	}
}

func TestSeparator(t *testing.T) {
	for _, c := range []struct{ prev, next, want string }{
		{"a", "b", "b"},
		{"abc", "abd", "abd"},
		{"abc", "abzzz", "abz"},
		{"ab", "abc", "abc"},
		{"", "x", "x"},
		{"2015-01-01\x00a", "2015-01-02\x00b", "2015-01-02"},
		{"\xff", "\xff\x00", "\xff\x00"},
	} {
		got := separator(c.prev, c.next)
		if got != c.want || !(c.prev < got && got <= c.next) {
			t.Errorf("separator(%q, %q) = %q, want %q", c.prev, c.next, got, c.want)
		}
	}
}

// indexedArchive returns the files of an archive whose table "x" has one
// record a pack in packs packs, listed by an index file.
func indexedArchive(t testing.TB, keys []string) (files map[string][]byte, info TableInfo) {
	files = map[string][]byte{}
	var packs []PackRef
	for i, k := range keys {
		data := encodeRecords(t, []record{{k, []byte("v" + k)}})
		p := PackRef{File: PackName(data), Count: 1, Bytes: len(data)}
		if i > 0 {
			p.Lo = separator(keys[i-1], k)
			packs[i-1].Hi = p.Lo
		}
		files[p.File] = data
		packs = append(packs, p)
		info.Count++
		info.Bytes += int64(len(data))
	}
	data, err := encodeIndex(packs, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	info.Packs, info.Index, info.IndexBytes = len(packs), IndexName(data), len(data)
	info.Inline = []PackRef{packs[0], packs[len(packs)-1]}
	files[info.Index] = data
	return files, info
}

func TestIndexRoundTrip(t *testing.T) {
	keys := []string{"a", "ab", "b", "b\xff", "中文", "中文2"}
	files, info := indexedArchive(t, keys)
	packs, err := decodeIndex(info, files[info.Index])
	if err != nil {
		t.Fatal(err)
	}
	if len(packs) != len(keys) {
		t.Fatalf("decodeIndex: %d packs, want %d", len(packs), len(keys))
	}
	for i, p := range packs {
		if _, err := decodeRef(p, files[p.File]); err != nil {
			t.Errorf("pack %d %q..%q: %v", i, p.Lo, p.Hi, err)
		}
	}
	bad := info
	bad.Count++
	if _, err := decodeIndex(bad, files[info.Index]); !errors.Is(err, ErrCorrupt) {
		t.Errorf("decodeIndex with a wrong count = %v, want ErrCorrupt", err)
	}
}

// FuzzManifest: no manifest makes Open or a read panic; a pack the
// fetcher lacks gives an error.
func FuzzManifest(f *testing.F) {
	files, info := indexedArchive(f, []string{"a", "b", "c", "d"})
	recs := []record{{"a", []byte("1")}, {"b", []byte("2")}}
	data := encodeRecords(f, recs)
	name := PackName(data)
	files[name] = data
	m, _ := json.Marshal(Manifest{Version: FormatVersion, Tables: map[string]TableInfo{
		"t": {Count: 2, Bytes: int64(len(data)), Packs: 1, Inline: []PackRef{{File: name, Count: 2, Bytes: len(data)}}},
		"e": {},
		"x": info,
	}})
	f.Add(m)
	f.Add([]byte(`{"version":2,"tables":{"t":{"count":1,"bytes":5,"packs":1,"inline":[{"file":"p/0123456789abcdef0123.pack","lo64":"/w==","count":1,"bytes":5}]}}}`))
	f.Fuzz(func(t *testing.T, manifest []byte) {
		fs := mapFetcher{ManifestName: manifest}
		for k, v := range files {
			fs[k] = v
		}
		s, err := Open(ctx, fs, Options{CacheBytes: 1})
		if err != nil {
			return
		}
		for table := range s.Manifest().Tables {
			s.Count(ctx, table)
			for _, k := range []string{"", "a", "b", "c", "\xff"} {
				s.Get(ctx, table, k)
				s.Scan(ctx, table, k, "", 3, func(string, []byte) bool { return true })
				s.ScanReverse(ctx, table, "", k, 0, func(string, []byte) bool { return true })
			}
			s.GetMany(ctx, table, []string{"a", "c", "z"})
		}
		s.Close()
	})
}

// FuzzDecodeIndex: no index file makes decodeEntries panic, and what it
// accepts has ordered ranges.
func FuzzDecodeIndex(f *testing.F) {
	files, info := indexedArchive(f, []string{"a", "ab", "b", "中"})
	rest := files[info.Index][len(indexMagic):]
	rawLen, n := binary.Uvarint(rest)
	_, m := binary.Uvarint(rest[n:])
	raw, err := inflate(rest[n+m:], int(rawLen))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw, uint16(4))
	f.Fuzz(func(t *testing.T, raw []byte, n uint16) {
		packs, err := decodeEntries(raw, int(n))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decodeEntries error %v does not match ErrCorrupt", err)
			}
			return
		}
		for i := 1; i < len(packs); i++ {
			if packs[i-1].Hi != packs[i].Lo {
				t.Fatalf("pack %d: Hi %q, next Lo %q", i-1, packs[i-1].Hi, packs[i].Lo)
			}
		}
	})
}
