package library

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// record is everything stored for one article.
type record struct {
	meta     Meta
	article  []byte // parser.Article JSON
	original []byte // nil: not kept
}

// newMeta returns the Meta of article a imported from f at time now.
func newMeta(a *parser.Article, f File, now time.Time) Meta {
	m := Meta{
		ID:        a.ID,
		Title:     a.Title,
		Source:    cleanValue(a.Source),
		Published: a.Published,
		SavedAt:   a.SavedAt,
		Lang:      a.Lang,
		FileName:  f.Name,
		Size:      len(f.Data),
		Modified:  f.Modified,
		Imported:  now,
	}
	for _, au := range a.Authors {
		if au = cleanValue(au); au != "" && !slices.Contains(m.Authors, au) {
			m.Authors = append(m.Authors, au)
		}
	}
	return m
}

func (m *Meta) date() string { return sortDate(m.Published, m.SavedAt) }

func (m *Meta) orderKey() string { return orderKey(m.date(), m.ID) }

// indexValue is what an index entry holds: the source and the authors, so
// that a second filter is checked without reading the Meta.
func (m *Meta) indexValue() string {
	return strings.Join(append([]string{m.Source}, m.Authors...), "\x00")
}

// matches reports whether an index value matches source and author
// ("" matches anything).
func matches(indexValue, source, author string) bool {
	parts := strings.Split(indexValue, "\x00")
	if source != "" && parts[0] != source {
		return false
	}
	return author == "" || slices.Contains(parts[1:], author)
}

// facetPrefixes returns the prefixes of m's index entries: its source's
// and its authors'.
func (m *Meta) facetPrefixes() []string {
	var ps []string
	if m.Source != "" {
		ps = append(ps, facetPrefix(kindSource, m.Source))
	}
	for _, a := range m.Authors {
		ps = append(ps, facetPrefix(kindAuthor, a))
	}
	return ps
}

// countKeys returns the count keys m adds one to.
func (m *Meta) countKeys() []string {
	y := yearOf(m.date())
	keys := []string{keyTotal}
	add := func(kind, kindYear byte, v string) {
		keys = append(keys, countKey(kind, v, ""))
		if y != "" {
			keys = append(keys, countKey(kindYear, v, y))
		}
	}
	if m.Source != "" {
		add(kindSource, kindSourceYear, m.Source)
	}
	for _, a := range m.Authors {
		add(kindAuthor, kindAuthorYear, a)
	}
	if y != "" {
		keys = append(keys, countKey(kindYear, y, ""))
	}
	return keys
}

// An article record (table "article") is the article's JSON; since
// schema 3, an article kept with its original file is one record of
// both: the byte withOriginal, the JSON's length (uvarint), the JSON,
// then the file's bytes. Each record costs an IndexedDB write about
// 0.15-0.2 ms whatever its size: the original's record of its own was one
// of six or seven an article. (Written before, the originals are in
// table "original", still read.)
const withOriginal = 0x01

// joinArticle is the article record of an article's JSON and its
// original file (nil: not kept).
func joinArticle(article, original []byte) []byte {
	if original == nil {
		return article
	}
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(article)+len(original))
	b = binary.AppendUvarint(append(b, withOriginal), uint64(len(article)))
	return append(append(b, article...), original...)
}

var errArticleRecord = errors.New("library: a malformed article record")

// splitArticle returns the article JSON of an article record and the
// original file it holds (nil: not in it).
func splitArticle(v []byte) (article, original []byte, err error) {
	if len(v) == 0 || v[0] != withOriginal {
		return v, nil, nil
	}
	n, k := binary.Uvarint(v[1:])
	if k <= 0 || n > uint64(len(v)-1-k) {
		return nil, nil, errArticleRecord
	}
	v = v[1+k:]
	return v[:n:n], v[n:], nil
}

// changes gathers the writes of one Import or Delete: the batch, and the
// count changes, "ids" records and index groups added to it at the end
// (commit).
type changes struct {
	b      store.Batch
	counts map[string]int
	added  []string // ids moved to by Reparse
	// joined: an article record holds its original (schema 3 on)
	joined bool
	// ids are the articles put (ID, order key): their "ids" records name
	// the batch their index entries are grouped in, numbered at commit.
	ids []idOrder
	// adds are the index entries put, by facet prefix (one group each);
	// drops the entries to take out of stored groups (their order keys),
	// by group key.
	adds, drops map[string][]entry
}

// idOrder is an article's ID and order key.
type idOrder struct{ id, ok string }

func newChanges() *changes {
	return &changes{counts: map[string]int{}, adds: map[string][]entry{}, drops: map[string][]entry{}}
}

// put adds the records of r.
func (c *changes) put(r *record) error {
	mj, err := json.Marshal(&r.meta)
	if err != nil {
		return err
	}
	ok := r.meta.orderKey()
	c.b.Put(tArticle, r.meta.ID, joinArticle(r.article, r.original)) // original nil: Options.NoOriginals
	c.joined = c.joined || r.original != nil
	c.ids = append(c.ids, idOrder{r.meta.ID, ok})
	c.b.Put(tOrder, ok, mj)
	iv := r.meta.indexValue()
	for _, p := range r.meta.facetPrefixes() {
		c.adds[p] = append(c.adds[p], entry{ok: ok, iv: iv})
	}
	for _, k := range r.meta.countKeys() {
		c.counts[k]++
	}
	return nil
}

// remove adds the deletes of the index entries of m, whose groups are
// those of batch ("": entries of their own); with all, of its article
// and original too (an update overwrites the article record, which holds
// the new original: an original of its own, written before schema 3, is
// deleted).
func (c *changes) remove(m *Meta, batch string, all bool) {
	if all {
		c.b.Delete(tArticle, m.ID)
		c.b.Delete(tIDs, m.ID)
	}
	c.b.Delete(tOriginal, m.ID)
	ok := m.orderKey()
	c.b.Delete(tOrder, ok)
	for _, p := range m.facetPrefixes() {
		if batch == "" {
			c.b.Delete(tIndex, p+ok)
			continue
		}
		k := groupKey(p, batch)
		c.drops[k] = append(c.drops[k], entry{ok: ok})
	}
	for _, k := range m.countKeys() {
		c.counts[k]--
	}
}
