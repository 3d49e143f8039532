package message

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
)

func checkParse(t *testing.T, data string) {
	t.Helper()
	var want, got Request
	wantErr := json.Unmarshal([]byte(data), &want)
	err := ParseRequest([]byte(data), &got)
	if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRequest(%q) = %+v, %v; want (json.Unmarshal) %+v, %v", data, got, err, want, wantErr)
	}
}

// requestCases are requests as pages send them, and others that
// ParseRequest leaves to json.Unmarshal.
var requestCases = []string{
	`{"op":"open","db":"broadsheet:/REPO/","tables":["search_meta","search_pages"],"texts":"library","archive":"https://a.example/archive/","id":1}`,
	`{"op":"search","q":"习近平 -美国","limit":20,"sort":1,"id":12}`,
	`{"op":"search","q":"\"人民 政府\" a\\b\/c\n\t\r\b\f\u00e9\u4e2d\ud83d\ude00","id":3}`,
	`{"op":"stats","id":2}`, `{"op":"mem","id":-0}`, `{}`, ` { "id" : 7 , "op" : "delete" , "ids" : [ "a" , "b" ] } `,
	`{"op":"import","names":["a.html",""],"brief":true,"last":false,"id":4}`,
	`{"ids":[]}`, `{"id":1,"id":2,"ids":["a"],"ids":["b","c"]}`,
	`{"op":"open","db":"bench","reopen":true,"x":null,"n":-1.5e+3,"s":"\u4e2d","id":2}`,
	// left to json.Unmarshal
	`{"docs":[{"ID":"a"}],"docs":[{"Title":"t"}]}`, `{"docs":null}`, `{"Docs":[]}`, `{"docs":{}}`, `{"docs":[null]}`,
	`{"docs":[{"id":"a"}]}`, `{"docs":[{"TEXT":"a"}]}`, `{"docs":[{"Title":null}]}`, `{"docs":[{"ID":1}]}`,
	`{"docs":[{"Authors":[1]}]}`, `{"docs":[{"Authors":"a"}]}`, `{"docs":[{"Date":"2024-01-02"}]}`,
	`{"docs":[{"Date":"2024-01-02T03:04:05\u005a"}]}`, `{"docs":[{"Date":null}]}`, `{"docs":[{"Date":1}]}`,
	`{"docs":[{"X":{}}]}`, `{"docs":[{"y":[]}]}`, `{"docs":[{"ID":"a",}]}`, `{"docs":[{"ID":"a"},]}`, `{"docs":[{"ID":"a"}`, `{"docs":[{"ID":"a"` + "\xff" + `"}]}`,
	`{"op":"import","modified":[1700000000000],"id":6}`,
	`{"ID":1,"OP":"search"}`, `{"id":1.5}`, `{"id":1e3}`, `{"id":01}`, `{"id":99999999999999999999}`,
	`{"q":null}`, `{"q":"\ud800"}`, `{"q":"\ud800\u0041"}`, `{"q":"a` + "\xff" + `"}`, `{"q":"a` + "\x01" + `"}`,
	`{"Reopen":{}}`, `{"reopen":[1]}`, `{"LIMIT":3}`, `{"n":01}`, `{"n":1.}`, `{"n":1e}`, `{"n":-}`, `{"n":.5}`, `{"n":tru}`,
	`{"q":"\x"}`, `{"brief":"true"}`, `{"limit":true}`, `{"unknown":1}`, `{"id":1} x`, `{"id":1,}`, `[]`, `null`, ``, `{`, `{"q":"\u12"}`,
}

// docsCases are adds that ParseRequest reads without json.Unmarshal:
// as the benchmark posts them (IDs alone) and as json.Marshal writes a
// search.Doc (the app's: TestParseRequestAdd).
var docsCases = []string{
	`{"op":"add","docs":[{"ID":"bench-00-0000"},{"ID":"bench-00-0001"}],"id":2}`,
	`{"op":"add","docs":[{"ID":"a","Title":"t","Text":"x\n\u003cp\u003e 中文","Source":"s","Authors":null,"Date":"2024-01-02T03:04:05Z"}],"id":5}`,
	`{"docs":[{"Date":"2020-07-17T15:14:53.25+08:00","Authors":["林晓","Dana"],"Authors":[],"ID":"x","ID":"y","x":1}]}`,
	`{"docs":[]}`, `{"docs":[{}]}`, ` { "docs" : [ { "ID" : "a" , "Authors" : [ ] } , { } ] } `,
}

// TestParseRequest: ParseRequest sets what json.Unmarshal sets, and
// fails where it fails.
func TestParseRequest(t *testing.T) {
	for _, c := range append(requestCases, docsCases...) {
		checkParse(t, c)
	}
	// json.Unmarshal decodes documents into those already there
	want, got := Request{Docs: []search.Doc{{ID: "a", Title: "kept"}}}, Request{Docs: []search.Doc{{ID: "a", Title: "kept"}}}
	const add = `{"docs":[{"ID":"b"},{"ID":"c"}]}`
	wantErr, err := json.Unmarshal([]byte(add), &want), ParseRequest([]byte(add), &got)
	if err != wantErr || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRequest(%q) over documents = %+v, %v; want (json.Unmarshal) %+v, %v", add, got, err, want, wantErr)
	}
	// fields already set are kept, as json.Unmarshal keeps them
	r := Request{Q: "kept", Limit: 3}
	if err := ParseRequest([]byte(`{"op":"search","limit":5}`), &r); err != nil || r.Q != "kept" || r.Limit != 5 || r.Op != "search" {
		t.Errorf("ParseRequest over a set request = %+v, %v; want Q kept, Limit 5, Op search", r, err)
	}
}

// TestParseRequestFlat: the requests a page sends to open, search and
// count are read without json.Unmarshal.
func TestParseRequestFlat(t *testing.T) {
	for _, c := range append(requestCases[:11:11], docsCases...) {
		var r Request
		if !r.parseFlat([]byte(c)) {
			t.Errorf("parseFlat(%q) = false, want it read without json.Unmarshal", c)
		}
	}
}

// TestParseRequestAdd: an add as the app posts it (json.Marshal of a
// Request of documents, library.SearchDoc's) is read without
// json.Unmarshal, as json.Unmarshal reads it.
func TestParseRequestAdd(t *testing.T) {
	docs := []search.Doc{
		{ID: "00500a9cce49", Title: "中国经济全年料增2.5%左右 <b>&</b>", Text: "路透北京6月30日 - 中国银行\n第二段\t\"引号\"\u2028\x01é😀", Source: "https://cn.reuters.com/a?b=1&c=2",
			Authors: []string{"林晓", "Dana Whitfield"}, Date: time.Date(2020, 6, 30, 5, 16, 37, 0, time.UTC)},
		{ID: "b", Date: time.Date(2020, 7, 17, 15, 14, 53, 250_000_000, time.FixedZone("", 8*3600))},
		{},
	}
	data, err := json.Marshal(Request{ID: 7, Op: "add", Docs: docs})
	if err != nil {
		t.Fatal(err)
	}
	checkParse(t, string(data))
	var r Request
	if !r.parseFlat(data) {
		t.Errorf("parseFlat(%s) = false, want it read without json.Unmarshal", data)
	}
}

// FuzzParseRequest: any bytes give what json.Unmarshal gives.
func FuzzParseRequest(f *testing.F) {
	for _, c := range append(requestCases, docsCases...) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data string) { checkParse(t, data) })
}
