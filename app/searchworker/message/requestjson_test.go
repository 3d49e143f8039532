package message

import (
	"encoding/json"
	"reflect"
	"testing"
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
	`{"op":"add","docs":[{"ID":"a","Title":"t","Text":"x","Date":"2024-01-02T03:04:05Z"}],"id":5}`,
	`{"op":"import","modified":[1700000000000],"id":6}`,
	`{"ID":1,"OP":"search"}`, `{"id":1.5}`, `{"id":1e3}`, `{"id":01}`, `{"id":99999999999999999999}`,
	`{"q":null}`, `{"q":"\ud800"}`, `{"q":"\ud800\u0041"}`, `{"q":"a` + "\xff" + `"}`, `{"q":"a` + "\x01" + `"}`,
	`{"Reopen":{}}`, `{"reopen":[1]}`, `{"LIMIT":3}`, `{"n":01}`, `{"n":1.}`, `{"n":1e}`, `{"n":-}`, `{"n":.5}`, `{"n":tru}`,
	`{"q":"\x"}`, `{"brief":"true"}`, `{"limit":true}`, `{"unknown":1}`, `{"id":1} x`, `{"id":1,}`, `[]`, `null`, ``, `{`, `{"q":"\u12"}`,
}

// TestParseRequest: ParseRequest sets what json.Unmarshal sets, and
// fails where it fails.
func TestParseRequest(t *testing.T) {
	for _, c := range requestCases {
		checkParse(t, c)
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
	for _, c := range requestCases[:11] {
		var r Request
		if !r.parseFlat([]byte(c)) {
			t.Errorf("parseFlat(%q) = false, want it read without json.Unmarshal", c)
		}
	}
}

// FuzzParseRequest: any bytes give what json.Unmarshal gives.
func FuzzParseRequest(f *testing.F) {
	for _, c := range requestCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data string) { checkParse(t, data) })
}
