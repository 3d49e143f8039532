package main

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// A shelf keeps the titles and texts of documents that are nowhere else
// (a benchmark's: "open" with message.TextsTable) in message.DocsTable,
// as the app's library keeps its articles': the index reads its hits'
// texts from it (search.Index.TextsFrom). Each batch is written
// before it is indexed, in a relaxed write of its own (stage "library").
type shelf struct{ s store.Store }

// errShelf: a record of the shelf is corrupt.
var errShelf = errors.New("searchworker: a text of " + message.DocsTable + " is corrupt")

// put writes the titles and texts of docs; a nil shelf writes nothing.
func (sh *shelf) put(ctx context.Context, docs []search.Doc) error {
	if sh == nil || len(docs) == 0 {
		return nil
	}
	b := store.Batch{Relaxed: true}
	for _, d := range docs {
		v := binary.AppendUvarint(make([]byte, 0, len(d.Title)+len(d.Text)+4), uint64(len(d.Title)))
		v = append(append(v, d.Title...), d.Text...)
		b.Put(message.DocsTable, d.ID, v)
	}
	return sh.s.Write(ctx, &b)
}

// texts reads the titles and texts of ids (search.Texts).
func (sh *shelf) texts(ctx context.Context, ids []string) ([]*search.Doc, error) {
	vals, err := sh.s.GetMany(ctx, message.DocsTable, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*search.Doc, len(ids))
	for i, v := range vals {
		if v == nil {
			continue
		}
		n, w := binary.Uvarint(v)
		if w <= 0 || n > uint64(len(v)-w) {
			return nil, errShelf
		}
		out[i] = &search.Doc{ID: ids[i], Title: string(v[w : w+int(n)]), Text: string(v[w+int(n):])}
	}
	return out, nil
}
