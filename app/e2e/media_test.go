package e2e

import (
	"strings"
	"testing"
)

// jsReaderMedia describes what the reader drew of the media fixture: its
// links to recordings, its lines of preformatted text with their leading
// no-break spaces, its ordered lists' first numbers and any player.
const jsReaderMedia = `(() => {
	const r = document.querySelector('article#reader');
	return {
		links: [...r.querySelectorAll('figure a.media-link')].map(a => a.href + ' ' + a.target + ' ' + (a.querySelector('img') ? 'poster' : a.textContent.trim())),
		pre: [...r.querySelectorAll('p.pre')].map(p => p.textContent.replace(/\u00a0/g, '_').trim()),
		starts: [...r.querySelectorAll('ol')].map(o => o.start),
		players: r.querySelectorAll('video, audio, source').length,
		captions: [...r.querySelectorAll('figure figcaption')].map(c => c.textContent.trim()),
		mono: r.querySelector('p.pre') ? getComputedStyle(r.querySelector('p.pre')).fontFamily : '',
	};
})()`

type readerMedia struct {
	Links    []string `json:"links"`
	Pre      []string `json:"pre"`
	Starts   []int    `json:"starts"`
	Players  int      `json:"players"`
	Captions []string `json:"captions"`
	Mono     string   `json:"mono"`
}

// TestReaderMediaAndPre imports an article with a video, an audio clip,
// a list that starts at 3 and preformatted code and verse, and reads it:
// the recordings are links that play them in a new tab (no player in the
// page), each line of the code and the verse is its own line with its
// indentation, and the list counts from 3.
func TestReaderMediaAndPre(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	b.importFiles(fixtures(t, "media"))
	if st := b.waitImport(1); st.State != "done" || st.Done != 1 {
		t.Fatalf("importing the media fixture: %+v; report %+v", st, b.report())
	}
	if n := b.settle(); n != n0+1 {
		t.Errorf("#library-count = %d, want %d", n, n0+1)
	}
	it, ok := b.findItemFunc(func(it listItem) bool { return strings.HasPrefix(it.Title, "渡口重开") })
	if !ok {
		t.Fatal("the library does not list the media fixture")
	}
	b.do("opening the media fixture", clickLink(it.ID))
	if r := b.waitReader(it.ID); r.Status != "loaded" {
		t.Fatalf("reader of the media fixture: data-status = %q", r.Status)
	}
	got := eval[readerMedia](b, jsReaderMedia)
	wantLinks := []string{
		"https://media.example.invalid/ferry-opening.mp4 _blank poster",
		"https://media.example.invalid/clips/captain-interview.mp3 _blank captain-interview.mp3",
	}
	if strings.Join(got.Links, "\n") != strings.Join(wantLinks, "\n") {
		t.Errorf("links to recordings = %q, want %q", got.Links, wantLinks)
	}
	if w, ok := containsAll(strings.Join(got.Captions, "|"), "首航当天的码头。", "船长谈新航线。"); !ok {
		t.Errorf("figure captions %q lack %q", got.Captions, w)
	}
	wantPre := []string{"ferry:", "__route: north", "__departures:", `____- "07:00"`, `____- "09:00"`, "江水东流去", "渡船载客归"}
	if strings.Join(got.Pre, "\n") != strings.Join(wantPre, "\n") {
		t.Errorf("lines of preformatted text = %q, want %q", got.Pre, wantPre)
	}
	if len(got.Starts) != 1 || got.Starts[0] != 3 {
		t.Errorf("ordered lists start at %v, want [3]", got.Starts)
	}
	if got.Players != 0 {
		t.Errorf("the reader holds %d video, audio or source elements, want none", got.Players)
	}
	if !strings.Contains(got.Mono, "monospace") {
		t.Errorf("p.pre font-family = %q, want a monospace font", got.Mono)
	}
	b.screenshot("reader-media")
}
