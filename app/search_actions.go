package main

import (
	"sync/atomic"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Search actions and states.
const (
	actionSearch     = "search/run"  // Value: searchRequest
	actionOpenIndex  = "search/open" // opens the index (and builds it if missing)
	stateSearch      = "search"      // searchState
	stateSearchInput = "search/q"    // searchRequest: what the box holds
)

// searchLimit is the number of results shown.
const searchLimit = 20

// searchRequest is a query and its order.
type searchRequest struct {
	Q    string
	Sort search.Sort
}

// searchState is the results of the latest query.
type searchState struct {
	Status status
	Err    error
	Req    searchRequest
	Total  int
	// Estimated: Total is at most that many (a hosted archive's phrases
	// are checked only on the hits shown)
	Estimated bool
	Hits      []search.Hit
	Took      time.Duration
}

// searchSeq numbers queries so that a slow answer never replaces the
// answer to a later query.
var searchSeq, searchShown atomic.Int64

// handleSearchActions registers the search action handlers.
func handleSearchActions() {
	app.Handle(actionSearch, handleSearch)
	app.Handle(actionOpenIndex, func(ctx app.Context, a app.Action) { openIndex(ctx) })
}

// handleSearch runs a query and publishes its results.
func handleSearch(ctx app.Context, a app.Action) {
	req, _ := a.Value.(searchRequest)
	seq := searchSeq.Add(1)
	if req.Q == "" {
		ctx.SetState(stateSearch, searchState{Status: statusLoaded})
		return
	}
	ix, err := openIndex(ctx)
	st := searchState{Status: statusLoading, Req: req}
	start := time.Now()
	if err == nil {
		var res *search.Results
		res, err = ix.Search(ctx, req.Q, search.Options{Sort: req.Sort, Limit: searchLimit})
		if err == nil {
			st.Total, st.Estimated, st.Hits = res.Total, res.Estimated, res.Hits
		}
	}
	st.Took = time.Since(start)
	st.Status, st.Err = loadedOrFailed(err)
	if seq < searchShown.Load() {
		return // a later query was answered first
	}
	searchShown.Store(seq)
	ctx.SetState(stateSearch, st)
}

// bumpSearch runs the shown query again (after the index changed).
func bumpSearch(ctx app.Context) {
	var req searchRequest
	ctx.GetState(stateSearchInput, &req)
	if req.Q != "" {
		ctx.NewActionWithValue(actionSearch, req)
	}
}
