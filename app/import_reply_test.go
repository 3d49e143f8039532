package main

import (
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
)

func TestReplyResults(t *testing.T) {
	failed := message.FileResult{Name: "b.txt", Status: int(library.Failed), Code: "empty", Err: "the file is empty", Index: 1}
	brief := message.Reply{Statuses: "032", IDs: "aaa\n\nccc", Files: []message.FileResult{failed}}
	full := message.Reply{Files: []message.FileResult{
		{Name: "a.md", ID: "aaa", Status: int(library.Added)},
		{Name: "b.txt", Status: int(library.Failed), Code: "empty", Err: "the file is empty"},
		{Name: "c.md", ID: "ccc", Status: int(library.Unchanged)},
	}}
	want := []library.Result{
		{ID: "aaa", Status: library.Added},
		{Name: "b.txt", Status: library.Failed},
		{ID: "ccc", Status: library.Unchanged},
	}
	for _, tc := range []struct {
		name string
		rep  message.Reply
	}{{"brief", brief}, {"full", full}} {
		got := replyResults(tc.rep)
		if len(got) != len(want) {
			t.Fatalf("%s: replyResults = %d results, want %d", tc.name, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.ID != w.ID || g.Status != w.Status || (w.Name != "" && g.Name != w.Name) {
				t.Errorf("%s: replyResults[%d] = %q %q %v, want %q %q %v", tc.name, i, g.Name, g.ID, g.Status, w.Name, w.ID, w.Status)
			}
		}
		if err := got[1].Err; err == nil || err.Error() != "the file is empty" || library.ErrorCode(err) != "empty" {
			t.Errorf("%s: replyResults[1].Err = %v (code %q), want the file is empty (empty)", tc.name, err, library.ErrorCode(err))
		}
	}
}
