package message

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
)

// full is a Reply with every field set, strings that need escapes.
func full() Reply {
	return Reply{
		ID: 7, Ready: true, Err: "bad <b>&\"\\\n\t\b\f\r\x01\x7f", Stats: &search.Stats{Docs: 1, Deleted: 2, Segments: 3, IndexBytes: 4, TextBytes: 1 << 40, Reads: 6},
		Hosted: &search.Stats{Docs: 9}, HostedErr: "offline\u2028\u2029",
		Results: &search.Results{Total: 2, Estimated: true, Hits: []search.Hit{
			{ID: "a", Score: 1.5, Date: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC), Source: "新华社", Title: "习近平\xffx", Snippet: "…中国…", TitleMatches: [][2]int{{0, 9}, {12, 15}}, SnippetMatches: [][2]int{}},
			{ID: "b", Score: 1e-7, Date: time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("", 8*3600))},
			{ID: "c", Score: 1e21},
			{ID: "d", Score: -0.000123, Date: time.Unix(1.6e9, 0).UTC()},
		}},
		Micros: -3, Bytes: math.MaxUint64, Sys: 12,
		Files:      []FileResult{{Name: "a.html", ID: "x", Status: 1, Code: "c", Err: "e", Index: 3}, {Name: ""}},
		ReadMicros: 5, Statuses: "012", IDs: "a\nb", Cancelled: true, Parsers: 2, Count: 4,
		Stages: map[string]int64{"rank": 3, "terms": -1, "lists": 1 << 50, "<": 0},
	}
}

func checkSame(t *testing.T, r Reply) {
	t.Helper()
	want, wantErr := json.Marshal(r)
	got, err := r.AppendJSON(nil)
	if (err != nil) != (wantErr != nil) || string(got) != string(want) {
		t.Errorf("AppendJSON(%+v) =\n%s, %v\nwant (json.Marshal)\n%s, %v", r, got, err, want, wantErr)
	}
}

// TestAppendJSON: AppendJSON writes what json.Marshal writes, for empty
// replies, replies with every field set, and each field alone.
func TestAppendJSON(t *testing.T) {
	checkSame(t, Reply{})
	checkSame(t, Reply{ID: 1, Results: &search.Results{}})
	checkSame(t, Reply{ID: 1, Results: &search.Results{Hits: []search.Hit{}}, Files: []FileResult{}, Stages: map[string]int64{}})
	all := full()
	checkSame(t, all)
	// each field alone: a field AppendJSON does not know is caught here
	// (reflection sets the field of full() alone)
	v := reflect.ValueOf(all)
	for i := range v.NumField() {
		var one Reply
		reflect.ValueOf(&one).Elem().Field(i).Set(v.Field(i))
		checkSame(t, one)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		r := Reply{Results: &search.Results{Hits: []search.Hit{{Score: bad}}}}
		if _, err := r.AppendJSON(nil); err == nil {
			t.Errorf("AppendJSON of a score %v: no error, want one", bad)
		}
	}
	r := Reply{Results: &search.Results{Hits: []search.Hit{{Date: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}}
	if _, err := r.AppendJSON(nil); err == nil {
		t.Errorf("AppendJSON of a date in year 10000: no error, want one (as json.Marshal)")
	}
}

// TestAppendJSONFields: every field of Reply, of search.Results,
// search.Hit and search.Stats, and of FileResult is one TestAppendJSON
// sets: a field added to them must be added to AppendJSON (and to full),
// unless tagged json:"-".
func TestAppendJSONFields(t *testing.T) {
	all := full()
	for _, v := range []reflect.Value{reflect.ValueOf(all), reflect.ValueOf(*all.Stats), reflect.ValueOf(*all.Results), reflect.ValueOf(all.Results.Hits[0]), reflect.ValueOf(all.Files[0])} {
		for i := range v.NumField() {
			if v.Type().Field(i).Tag.Get("json") == "-" {
				continue // not in the JSON
			}
			if v.Field(i).IsZero() {
				t.Errorf("full().%s.%s is zero: set it, and write it in AppendJSON", v.Type().Name(), v.Type().Field(i).Name)
			}
		}
	}
}

// FuzzAppendJSON: strings, numbers and spans of any value give the bytes
// json.Marshal gives.
func FuzzAppendJSON(f *testing.F) {
	f.Add("id", "标题<&>", "片段\u2028", "err\x00\xff", 1.25, int64(-5), 3, int64(1e9))
	f.Add("", "", "", "", 0.0, int64(0), 0, int64(0))
	f.Add("\"", "\\", "\x7f", "\xe2\x80", 1e-300, int64(math.MinInt64), -1, int64(-1e12))
	f.Fuzz(func(t *testing.T, id, title, snippet, err string, score float64, micros int64, n int, unix int64) {
		r := Reply{ID: n, Err: err, Micros: micros, Statuses: title, Stages: map[string]int64{snippet: micros, id: int64(n)},
			Results: &search.Results{Total: n, Hits: []search.Hit{{ID: id, Score: score, Date: time.Unix(unix%(1<<34), micros%1e9), Source: err, Title: title, Snippet: snippet, TitleMatches: [][2]int{{n, -n}}}}},
			Files:   []FileResult{{Name: title, ID: id, Status: n, Err: err, Index: n}}}
		checkSame(t, r)
	})
}
