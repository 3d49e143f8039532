package parser

import "strings"

// The footer stage: contributors, author bios, the translator and the link
// to the original-language version. The current feed shape gives them in a
// <footer>; older shapes end the story with them, so the story's last
// blocks from the first translator line or original-language link on are
// moved to the footer.

// translatorLabels open the translator's line.
var translatorLabels = [...]string{"翻译：", "翻譯：", "翻译:", "翻譯:", "译者：", "譯者：", "译者/", "譯者/", "译者／", "譯者／"}

// originalLabels are the texts of the link to the original-language version.
var originalLabels = [...]string{"点击查看本文英文版", "點擊查看本文英文版", "点击查看英文原文", "點擊查看英文原文"}

// tailBlocks is how far from its end a story is searched for footer lines.
const tailBlocks = 8

// splitFooter moves footer lines that end the body to the footer.
func splitFooter(body, footer []Block) ([]Block, []Block) {
	start := len(body) - tailBlocks
	if start < 0 {
		start = 0
	}
	for i := start; i < len(body); i++ {
		if translatorOf(body[i]) != "" || originalOf(body[i]) != "" {
			moved := append([]Block(nil), body[i:]...)
			return body[:i], append(moved, footer...)
		}
	}
	return body, footer
}

// readFooter returns the translator and the original-language address
// named in footer blocks.
func readFooter(footer []Block) (translator, original string) {
	for _, b := range footer {
		if translator == "" {
			translator = translatorOf(b)
		}
		if original == "" {
			original = originalOf(b)
		}
	}
	return translator, original
}

// translatorOf returns the name in a "翻译：NAME" block, or "".
func translatorOf(b Block) string {
	if b.Type != BlockParagraph {
		return ""
	}
	for _, label := range translatorLabels {
		if name, ok := strings.CutPrefix(b.Text, label); ok {
			return strings.TrimSpace(name)
		}
	}
	return ""
}

// originalOf returns the address of an original-language link in b, or "".
func originalOf(b Block) string {
	for _, in := range b.Inlines {
		if in.Href == "" {
			continue
		}
		for _, label := range originalLabels {
			if strings.Contains(in.Text, label) {
				return in.Href
			}
		}
	}
	return ""
}
