package message

import (
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/internal/jsonstr"
)

// AppendJSON appends r's JSON, the bytes json.Marshal writes, without
// reflection. A search worker replies to every request: its first
// json.Marshal of a Reply built the encoders of all the types Reply
// holds, in cold wasm code, ~8 ms in Chromium before the reply of the
// first "open" left, and ~4 ms more for the first "search" reply's hits.
// A score that is not a number fails, as with json.Marshal.
func (r *Reply) AppendJSON(b []byte) ([]byte, error) {
	b = strconv.AppendInt(append(b, `{"id":`...), int64(r.ID), 10)
	if r.Ready {
		b = append(b, `,"ready":true`...)
	}
	b = appendStringField(b, `,"err":`, r.Err)
	b = appendStats(b, `,"stats":`, r.Stats)
	b = appendStats(b, `,"hosted":`, r.Hosted)
	b = appendStringField(b, `,"hostedErr":`, r.HostedErr)
	if r.Results != nil {
		var err error
		if b, err = appendResults(append(b, `,"results":`...), r.Results); err != nil {
			return nil, err
		}
	}
	b = appendIntField(b, `,"micros":`, r.Micros)
	if r.Bytes != 0 {
		b = strconv.AppendUint(append(b, `,"bytes":`...), r.Bytes, 10)
	}
	if r.Sys != 0 {
		b = strconv.AppendUint(append(b, `,"sys":`...), r.Sys, 10)
	}
	if len(r.Files) > 0 {
		b = append(b, `,"files":[`...)
		for i := range r.Files {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Files[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = appendIntField(b, `,"readMicros":`, r.ReadMicros)
	b = appendStringField(b, `,"statuses":`, r.Statuses)
	b = appendStringField(b, `,"ids":`, r.IDs)
	if r.Cancelled {
		b = append(b, `,"cancelled":true`...)
	}
	b = appendIntField(b, `,"parsers":`, int64(r.Parsers))
	b = appendIntField(b, `,"count":`, int64(r.Count))
	if len(r.Stages) > 0 {
		b = append(b, `,"stages":{`...)
		keys := make([]string, 0, len(r.Stages))
		for k := range r.Stages {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(append(jsonstr.Append(b, k), ':'), r.Stages[k], 10)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func (f *FileResult) appendJSON(b []byte) []byte {
	b = jsonstr.Append(append(b, `{"name":`...), f.Name)
	b = appendStringField(b, `,"id":`, f.ID)
	b = strconv.AppendInt(append(b, `,"status":`...), int64(f.Status), 10)
	b = appendStringField(b, `,"code":`, f.Code)
	b = appendStringField(b, `,"err":`, f.Err)
	b = appendIntField(b, `,"index":`, int64(f.Index))
	return append(b, '}')
}

// appendStats appends a field of search.Stats (no tags: its fields'
// names), left out when nil.
func appendStats(b []byte, name string, st *search.Stats) []byte {
	if st == nil {
		return b
	}
	b = strconv.AppendInt(append(b, name+`{"Docs":`...), int64(st.Docs), 10)
	b = strconv.AppendInt(append(b, `,"Deleted":`...), int64(st.Deleted), 10)
	b = strconv.AppendInt(append(b, `,"Segments":`...), int64(st.Segments), 10)
	b = strconv.AppendInt(append(b, `,"IndexBytes":`...), int64(st.IndexBytes), 10)
	b = strconv.AppendInt(append(b, `,"TextBytes":`...), st.TextBytes, 10)
	b = strconv.AppendInt(append(b, `,"Reads":`...), int64(st.Reads), 10)
	return append(b, '}')
}

func appendResults(b []byte, res *search.Results) ([]byte, error) {
	b = strconv.AppendInt(append(b, `{"Total":`...), int64(res.Total), 10)
	if res.Estimated {
		b = append(b, `,"Estimated":true`...)
	}
	b = append(b, `,"Hits":`...)
	if res.Hits == nil {
		return append(b, `null}`...), nil
	}
	b = append(b, '[')
	for i := range res.Hits {
		h := &res.Hits[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(append(b, `{"ID":`...), h.ID)
		var err error
		if b, err = appendFloat(append(b, `,"Score":`...), h.Score); err != nil {
			return nil, err
		}
		date, err := h.Date.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"Date":`...), date...)
		b = jsonstr.Append(append(b, `,"Source":`...), h.Source)
		b = jsonstr.Append(append(b, `,"Title":`...), h.Title)
		b = jsonstr.Append(append(b, `,"Snippet":`...), h.Snippet)
		b = appendSpans(append(b, `,"TitleMatches":`...), h.TitleMatches)
		b = appendSpans(append(b, `,"SnippetMatches":`...), h.SnippetMatches)
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

func appendSpans(b []byte, spans [][2]int) []byte {
	if spans == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, '['), int64(s[0]), 10)
		b = strconv.AppendInt(append(b, ','), int64(s[1]), 10)
		b = append(b, ']')
	}
	return append(b, ']')
}

var errNotNumber = errors.New("message: json: unsupported value: a score that is not a finite number")

// appendFloat appends f as encoding/json writes a float64 (ES6 number
// to string: like %g with other exponent cutoffs, exponents unpadded).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotNumber
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-09 to e-9
		b = b[:n-1]
	}
	return b, nil
}

// appendIntField appends an int field left out when 0 (omitempty).
func appendIntField(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(append(b, name...), v, 10)
}

// appendStringField appends a string field left out when empty
// (omitempty).
func appendStringField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return jsonstr.Append(append(b, name...), s)
}
