package static

import (
	"context"
	"encoding/json"
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
		{File: "p/0123456789abcdef0123.pack", First: "a", Last: "中文", Count: 2, Bytes: 10},
		{File: "p/0123456789abcdef0123.pack", First: "\x00\xff", Last: "\xff", Count: 2, Bytes: 10},
		{File: "p/0123456789abcdef0123.pack", First: "", Last: "", Count: 1, Bytes: 1},
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

// FuzzManifest: no manifest makes Open or a read panic; a pack the
// fetcher lacks gives an error.
func FuzzManifest(f *testing.F) {
	recs := []record{{"a", []byte("1")}, {"b", []byte("2")}}
	data := encodeRecords(f, recs)
	name := PackName(data)
	m, _ := json.Marshal(Manifest{Version: 1, Tables: map[string]TableInfo{
		"t": {Count: 2, Bytes: int64(len(data)), Packs: []PackRef{{File: name, First: "a", Last: "b", Count: 2, Bytes: len(data)}}},
		"e": {Packs: []PackRef{}},
	}})
	f.Add(m)
	f.Add([]byte(`{"version":1,"tables":{"t":{"count":1,"bytes":5,"packs":[{"file":"p/0123456789abcdef0123.pack","first64":"/w==","last64":"/w==","count":1,"bytes":5}]}}}`))
	f.Fuzz(func(t *testing.T, manifest []byte) {
		s, err := Open(ctx, mapFetcher{ManifestName: manifest, name: data}, Options{CacheBytes: 1})
		if err != nil {
			return
		}
		for table := range s.Manifest().Tables {
			s.Count(ctx, table)
			for _, k := range []string{"", "a", "b", "\xff"} {
				s.Get(ctx, table, k)
				s.Scan(ctx, table, k, "", 3, func(string, []byte) bool { return true })
				s.ScanReverse(ctx, table, "", k, 0, func(string, []byte) bool { return true })
			}
			s.GetMany(ctx, table, []string{"a", "z"})
		}
		s.Close()
	})
}
