package library

import "context"

// Query selects a page of the list. Empty Source and Author and a zero
// Year select everything; Limit <= 0 means 50.
type Query struct {
	Source, Author string
	Year           int
	Offset, Limit  int
}

// Facet is one value of a filter with the number of articles that have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets are the values of the filters: sources and authors by count
// (then by name), years newest first (Value is the year in decimal).
type Facets struct {
	Sources []Facet `json:"sources"`
	Authors []Facet `json:"authors"`
	Years   []Facet `json:"years"`
}

// List returns a page of the articles matching q, newest first, and how
// many match in all.
func (l *Library) List(ctx context.Context, q Query) (items []Meta, total int, err error) {
	return nil, 0, errTODO
}

// Facets returns the filter values with their counts.
func (l *Library) Facets(ctx context.Context) (Facets, error) {
	return Facets{}, errTODO
}

// Neighbors returns the articles before and after id in the unfiltered list
// order ("" at either end).
func (l *Library) Neighbors(ctx context.Context, id string) (prev, next string, err error) {
	return "", "", errTODO
}
