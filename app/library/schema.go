package library

import "context"

// Table names (see Tables).
const (
	tInfo     = "info"     // "schema" -> version
	tIDs      = "ids"      // id -> order key
	tOrder    = "order"    // order key -> Meta JSON
	tArticle  = "article"  // id -> parser.Article JSON
	tOriginal = "original" // id -> original file bytes
	tIndex    = "index"    // facet key + order key -> id
	tCount    = "count"    // facet key -> count
)

// Version is the schema version this package writes.
const Version = 1

func (l *Library) upgrade(ctx context.Context) error {
	return nil
}
