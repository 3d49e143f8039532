package library

import (
	"context"
	"time"

	"github.com/broadsheet/broadsheet/parser"
)

// Parsed is a file parsed ahead of ImportParsed, possibly in another
// thread (the import's parse workers, app/searchworker): the records
// Import would store for it.
type Parsed struct {
	Name     string
	Modified time.Time
	// Err is why the file is not imported; the fields below are then
	// empty.
	Err      error
	Meta     Meta   // Imported is set by ImportParsed
	Article  []byte // parser.Article JSON
	Original []byte
}

// Parse parses f with parser.Parse as Import does, and returns the
// article too (for its search document), nil when Err is set.
func Parse(f File) (Parsed, *parser.Article) {
	return (&Library{}).Parse(f)
}

// Parse is the package's Parse with the library's parser (Options.Parse):
// what Import would store for f, made ahead on any goroutine.
func (l *Library) Parse(f File) (Parsed, *parser.Article) {
	a, data, err := l.parseFile(f)
	if err != nil {
		return Parsed{Name: f.Name, Modified: f.Modified, Err: err}, nil
	}
	return ParsedArticle(f, a, data), a
}

// ParsedArticle is what Parse returns for f when its article a was
// parsed and encoded as data (exactly its encoding/json form, the
// contract of the article table, or that form made compact:
// CompactArticle) elsewhere: by a builder that parses with its own
// workers and encodes without reflection.
func ParsedArticle(f File, a *parser.Article, data []byte) Parsed {
	return Parsed{Name: f.Name, Modified: f.Modified, Meta: newMeta(a, f, time.Time{}), Article: data, Original: f.Data}
}

// ImportParsed stores files parsed by Parse as Import stores them (one
// Write, newer copies only, one article per ID) and stamps them imported
// now. Its Results carry no Article.
func (l *Library) ImportParsed(ctx context.Context, ps []Parsed) ([]Result, error) {
	results := make([]Result, len(ps))
	now := l.now()
	cands := l.collect(results, func(i int) (*candidate, error) {
		p := ps[i]
		results[i].Name = p.Name
		if p.Err != nil {
			return nil, p.Err
		}
		m := p.Meta
		m.Imported = now
		return &candidate{rec: record{meta: m, article: p.Article, original: p.Original}}, nil
	})
	return l.storeAll(ctx, cands, results)
}
