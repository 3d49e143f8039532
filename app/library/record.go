package library

import (
	"encoding/json"
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
func (m *Meta) indexValue() []byte {
	return []byte(strings.Join(append([]string{m.Source}, m.Authors...), "\x00"))
}

// matches reports whether an index value matches source and author
// ("" matches anything).
func matches(indexValue []byte, source, author string) bool {
	parts := strings.Split(string(indexValue), "\x00")
	if source != "" && parts[0] != source {
		return false
	}
	return author == "" || slices.Contains(parts[1:], author)
}

// indexKeys returns the index keys of m.
func (m *Meta) indexKeys() []string {
	ok := m.orderKey()
	var keys []string
	if m.Source != "" {
		keys = append(keys, facetPrefix(kindSource, m.Source)+ok)
	}
	for _, a := range m.Authors {
		keys = append(keys, facetPrefix(kindAuthor, a)+ok)
	}
	return keys
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

// changes gathers the writes of one Import or Delete: the batch, and the
// count changes applied to it at the end.
type changes struct {
	b      store.Batch
	counts map[string]int
	added  []string // ids moved to by Reparse
}

func newChanges() *changes { return &changes{counts: map[string]int{}} }

// put adds the records of r.
func (c *changes) put(r *record) error {
	mj, err := json.Marshal(&r.meta)
	if err != nil {
		return err
	}
	ok := r.meta.orderKey()
	c.b.Put(tArticle, r.meta.ID, r.article)
	if r.original != nil { // nil: kept without (Options.NoOriginals)
		c.b.Put(tOriginal, r.meta.ID, r.original)
	}
	c.b.Put(tIDs, r.meta.ID, []byte(ok))
	c.b.Put(tOrder, ok, mj)
	iv := r.meta.indexValue()
	for _, k := range r.meta.indexKeys() {
		c.b.Put(tIndex, k, iv)
	}
	for _, k := range r.meta.countKeys() {
		c.counts[k]++
	}
	return nil
}

// remove adds the deletes of the index entries of m; with all, of its
// article and original too (an update overwrites those instead).
func (c *changes) remove(m *Meta, all bool) {
	if all {
		c.b.Delete(tArticle, m.ID)
		c.b.Delete(tOriginal, m.ID)
		c.b.Delete(tIDs, m.ID)
	}
	c.b.Delete(tOrder, m.orderKey())
	for _, k := range m.indexKeys() {
		c.b.Delete(tIndex, k)
	}
	for _, k := range m.countKeys() {
		c.counts[k]--
	}
}
