package main

import (
	"strings"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
)

// replyResults reads an import's results from its reply, brief (only
// the failed files have a name) or not.
func replyResults(rep message.Reply) []library.Result {
	if rep.Statuses == "" {
		results := make([]library.Result, len(rep.Files))
		for i, f := range rep.Files {
			results[i] = fileResult(f)
		}
		return results
	}
	results := make([]library.Result, len(rep.Statuses))
	ids := strings.Split(rep.IDs, "\n")
	for i := range results {
		results[i].Status = library.Status(rep.Statuses[i] - '0')
		if i < len(ids) {
			results[i].ID = ids[i]
		}
	}
	for _, f := range rep.Files {
		if f.Index >= 0 && f.Index < len(results) {
			results[f.Index] = fileResult(f)
		}
	}
	return results
}

// fileResult is a file's result in a reply as a library.Result.
func fileResult(f message.FileResult) library.Result {
	r := library.Result{Name: f.Name, ID: f.ID, Status: library.Status(f.Status)}
	if r.Status == library.Failed {
		r.Err = library.CodedError(f.Code, f.Err)
	}
	return r
}
