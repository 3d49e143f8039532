package parser

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// isMedia reports the elements that play a recording: <video> and <audio>.
func isMedia(a atom.Atom) bool { return a == atom.Video || a == atom.Audio }

// media keeps a <video> or <audio> of the story as a figure that gives the
// recording's address (Video or Audio) and, for a video, its poster as the
// picture; the caption that follows it is gathered as an image's is. Only
// the address is kept: the element, its scripts and its fallback content
// are gone. A recording with no safe address, or a video that only
// decorates the page (playing muted in a loop with no controls), is
// removed with a warning, as before.
func (w *walker) media(n *html.Node) {
	if w.credit != nil || w.rules.classify(n) == roleFurniture {
		return
	}
	src := mediaSource(n, w.base)
	if src == "" || decorativeVideo(n) {
		w.warn.add("removed <" + n.Data + ">")
		return
	}
	fig := Block{Type: BlockFigure}
	if n.DataAtom == atom.Video {
		fig.Video = src
		if poster, ok := attr(n, "poster"); ok {
			fig.Src = imageAddress(poster, w.base)
			fig.Original = originalImage(fig.Src)
			fig.Width = dimensionAttr(n, "width")
			fig.Height = dimensionAttr(n, "height")
		}
	} else {
		fig.Audio = src
	}
	if title := foldText(attrVal(n, "title")); title != "" {
		fig.Caption, fig.Text = title, title
	}
	w.addFigure(fig)
}

// mediaSource is the first safe address of a recording: its src, else
// that of its first <source> child that has one.
func mediaSource(n *html.Node, base *url.URL) string {
	if v, ok := attr(n, "src"); ok {
		if src := imageAddress(v, base); src != "" {
			return src
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Source {
			continue
		}
		if v, ok := attr(c, "src"); ok {
			if src := imageAddress(v, base); src != "" {
				return src
			}
		}
	}
	return ""
}

// decorativeVideo reports a video that plays by itself, muted and in a
// loop, with no controls: a moving background, not part of the story.
func decorativeVideo(n *html.Node) bool {
	if n.DataAtom != atom.Video {
		return false
	}
	_, controls := attr(n, "controls")
	_, auto := attr(n, "autoplay")
	_, loop := attr(n, "loop")
	_, muted := attr(n, "muted")
	return !controls && auto && (loop || muted)
}

// listStart is an ordered list's start attribute when it is a number
// from 2 up (1, the default, and nonsense give 0: from 1).
func listStart(n *html.Node) int {
	v, ok := attr(n, "start")
	if !ok {
		return 0
	}
	s, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || s < 2 || s > maxListStart {
		return 0
	}
	return s
}

// maxListStart bounds a list's first number, which a hostile file could
// make as long as it likes.
const maxListStart = 1_000_000_000
