package parser

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// embed keeps the player a story embeds from a known video site (an
// <iframe> of YouTube, Vimeo, Bilibili or a Facebook video) as a media
// figure whose Video is the video's own page, with YouTube's thumbnail as
// its poster; the frame itself is gone, as every frame is. It reports
// whether n was such a player.
func (w *walker) embed(n *html.Node) bool {
	if w.credit != nil {
		return false
	}
	page, poster := embeddedVideo(attrVal(n, "src"))
	if page == "" {
		return false
	}
	if w.rules.classify(n) == roleFurniture {
		return true
	}
	fig := Block{Type: BlockFigure, Video: page, Src: poster}
	if title := foldText(attrVal(n, "title")); title != "" && !genericTitle(title) {
		fig.Caption, fig.Text = title, title
	}
	w.addFigure(fig)
	return true
}

// embeddedVideo returns the page of the video a player's address plays,
// and a poster picture when the site has a known one; "" when the address
// is not a known site's player.
func embeddedVideo(src string) (page, poster string) {
	src = strings.TrimSpace(src)
	if strings.HasPrefix(src, "//") {
		src = "https:" + src
	}
	u, err := url.Parse(src)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" {
		return "", ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	seg := strings.Split(strings.Trim(u.Path, "/"), "/")
	q := u.Query()
	switch {
	case (host == "youtube.com" || host == "youtube-nocookie.com") && len(seg) == 2 && seg[0] == "embed":
		if seg[1] == "videoseries" {
			if list := q.Get("list"); safeToken(list) {
				return "https://www.youtube.com/playlist?list=" + list, ""
			}
			return "", ""
		}
		if safeToken(seg[1]) {
			return "https://www.youtube.com/watch?v=" + seg[1], "https://i.ytimg.com/vi/" + seg[1] + "/hqdefault.jpg"
		}
	case host == "player.vimeo.com" && len(seg) == 2 && seg[0] == "video" && safeToken(seg[1]):
		return "https://vimeo.com/" + seg[1], ""
	case host == "player.bilibili.com":
		if bv := q.Get("bvid"); safeToken(bv) {
			return "https://www.bilibili.com/video/" + bv, ""
		}
		if aid := q.Get("aid"); safeToken(aid) {
			return "https://www.bilibili.com/video/av" + aid, ""
		}
	case host == "facebook.com" && u.Path == "/plugins/video.php":
		if href := linkURL(q.Get("href")); strings.HasPrefix(href, "https://www.facebook.com/") || strings.HasPrefix(href, "https://facebook.com/") {
			return href, ""
		}
	}
	return "", ""
}

// safeToken reports a video or list ID: letters, digits, - and _ only.
func safeToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isASCIILetter(c) || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// genericTitle reports a player's title that names the player, not the
// video ("YouTube video player").
func genericTitle(t string) bool {
	t = strings.ToLower(t)
	return strings.Contains(t, "video player") || t == "youtube" || t == "vimeo" || strings.HasPrefix(t, "embedded")
}
