package search

import (
	"context"
	"fmt"
)

// TextsFrom makes the index read the titles and texts of its documents
// from t, and keep none of its own: a local add then writes where its
// documents went in one record (places.go), not a record a document
// with its title and text, which t must give as they were indexed. The
// app's search worker indexes the library's articles, which hold their
// texts already (an import wrote them twice, ~2 MB a thousand
// articles). Texts read from t are cached as the index's own. An index
// reopened must be told again.
func (ix *Index) TextsFrom(t Texts) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.source, ix.elsewhere = t, t != nil
}

// textsOf reads the titles and texts of the documents ids: from the
// text cache (but under UseTexts), then from the index's source
// (UseTexts, TextsFrom), and the ones it lacks from the index's table,
// in one read each. A document whose record holds its place alone, and
// that the source lacks, has an empty title and text, and is gone (when
// there is a source to lack it).
func (ix *Index) textsOf(ctx context.Context, ids []string) (titles, texts []string, gone []bool, err error) {
	titles, texts, gone = make([]string, len(ids)), make([]string, len(ids)), make([]bool, len(ids))
	var missing []int
	for i, id := range ids {
		// UseTexts: the source's texts before the table's (cached)
		rec, ok := ix.texts.get(id)
		if !ok || ix.source != nil && !ix.elsewhere {
			missing = append(missing, i)
			continue
		}
		if titles[i], texts[i], err = decodeText(rec); err != nil {
			return nil, nil, nil, err
		}
	}
	if missing, err = ix.sourceTexts(ctx, ids, missing, titles, texts); err != nil || len(missing) == 0 {
		return titles, texts, gone, err
	}
	recs, err := ix.textRecords(ctx, ids, missing)
	if err != nil {
		return nil, nil, nil, err
	}
	for j, i := range missing {
		if recs[j] == "" {
			gone[i] = ix.source != nil // kept elsewhere, and gone from there
			continue
		}
		if titles[i], texts[i], err = decodeText(recs[j]); err != nil {
			return nil, nil, nil, err
		}
	}
	return titles, texts, gone, nil
}

// sourceTexts fills in the titles and texts of the documents ids[i], i
// in which, that the index's source gives (and caches them), and
// returns those it lacks.
func (ix *Index) sourceTexts(ctx context.Context, ids []string, which []int, titles, texts []string) ([]int, error) {
	if ix.source == nil || len(which) == 0 {
		return which, nil
	}
	want := make([]string, len(which))
	for j, i := range which {
		want[j] = ids[i]
	}
	docs, err := ix.source(ctx, want)
	if err != nil {
		return nil, err
	}
	var rest []int
	for j, i := range which {
		if j >= len(docs) || docs[j] == nil {
			rest = append(rest, i)
			continue
		}
		rec := string(encodeText(docs[j].Title, docs[j].Text))
		if ix.elsewhere {
			ix.texts.replace(ids[i], rec)
		}
		titles[i], texts[i], _ = decodeText(rec) // slices of the cached record
	}
	return rest, nil
}

// textRecords returns the records of tableText of the documents
// ids[i] for i in which, in one read, and caches them; a document of
// none (its text kept elsewhere, TextsFrom, and not there) has "".
func (ix *Index) textRecords(ctx context.Context, ids []string, which []int) ([]string, error) {
	keys := make([]string, len(which))
	for j, i := range which {
		keys[j] = ids[i]
	}
	ix.reads++
	raws, err := ix.st.GetMany(ctx, tableText, keys)
	if err != nil {
		return nil, err
	}
	if len(raws) != len(keys) {
		return nil, fmt.Errorf("search: %d texts read for %d keys", len(raws), len(keys))
	}
	recs := make([]string, len(keys))
	for k, raw := range raws {
		if raw == nil {
			continue // "": kept elsewhere (TextsFrom), and not there
		}
		recs[k] = string(raw)
		ix.texts.put(keys[k], recs[k])
	}
	return recs, nil
}
