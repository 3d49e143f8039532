package main

import (
	"fmt"
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
)

func TestTopFacets(t *testing.T) {
	var facets []library.Facet
	for i := range 1000 {
		facets = append(facets, library.Facet{Value: fmt.Sprint("author ", i), Count: 1000 - i})
	}
	if got := len(topFacets(facets, "")); got != maxFacetOptions {
		t.Errorf("len(topFacets(1000 facets)) = %d, want %d", got, maxFacetOptions)
	}
	got := topFacets(facets, "author 999")
	if len(got) != maxFacetOptions+1 || got[len(got)-1].Value != "author 999" {
		t.Errorf("topFacets with a rare current value: %d facets ending in %q, want %d ending in %q",
			len(got), got[len(got)-1].Value, maxFacetOptions+1, "author 999")
	}
	if facets[maxFacetOptions].Value != fmt.Sprint("author ", maxFacetOptions) {
		t.Error("topFacets changed its input")
	}
	if got := topFacets(facets[:3], "x"); len(got) != 3 {
		t.Errorf("topFacets(3 facets) = %d facets, want 3", len(got))
	}
}
