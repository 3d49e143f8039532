package parser

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The lexer cuts feed HTML into tokens the way golang.org/x/net/html's
// Tokenizer does (the differential tests hold it to that), but over a
// string and without copying: names, attribute values and text are
// substrings of the source, unescaped only when they hold a '&'. It
// expects text without CR and NUL bytes; buildTree leaves such text to
// html.ParseFragment.

// tokenKind is the kind of a token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota // the end of the input, or a tag cut off by it
	tokText
	tokStartTag
	tokEndTag
	tokComment
	tokDoctype
)

// rawAttr is one attribute of a start tag as written: the key is lower
// case, the value not yet unescaped.
type rawAttr struct{ key, val string }

// lexer is the tokenizer's state and its current token.
type lexer struct {
	src    string
	pos    int
	rawTag string // the element whose raw text comes next, "" for none

	kind    tokenKind
	data    string // text, the tag name as written, or the comment's text
	rawText bool   // data is text not to unescape (script, style, …)
	attrs   []rawAttr
}

// next reads the next token.
func (z *lexer) next() tokenKind {
	z.attrs, z.rawText = z.attrs[:0], false
	if z.pos >= len(z.src) {
		z.kind = tokEOF
		return z.kind
	}
	if z.rawTag != "" {
		start := z.pos
		z.rawText = z.rawTag != "textarea" && z.rawTag != "title"
		z.readRaw()
		z.rawTag = ""
		if z.pos > start {
			return z.token(tokText, z.src[start:z.pos])
		}
		z.rawText = false
	}
	start := z.pos
	i := z.textEnd(start)
	if i > start {
		z.pos = i
		return z.token(tokText, z.src[start:i])
	}
	return z.markup()
}

func (z *lexer) token(k tokenKind, data string) tokenKind {
	z.kind, z.data = k, data
	return k
}

// textEnd returns where the text that starts at i ends: at a '<' that
// opens markup, or at the end.
func (z *lexer) textEnd(i int) int {
	s := z.src
	for {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			return len(s)
		}
		i += j
		if c := s[i+1]; isASCIILetter(c) || c == '/' || c == '!' || c == '?' {
			return i
		}
		i++
	}
}

// markup reads the tag, comment or declaration at z.pos, which holds '<'
// and one more byte.
func (z *lexer) markup() tokenKind {
	s, p := z.src, z.pos
	switch c := s[p+1]; {
	case isASCIILetter(c):
		z.pos = p + 1
		return z.startTag()
	case c == '/':
		if p+2 >= len(s) {
			z.pos = len(s)
			return z.token(tokText, s[p:])
		}
		switch c := s[p+2]; {
		case c == '>':
			z.pos = p + 3
			return z.token(tokComment, "")
		case isASCIILetter(c):
			z.pos = p + 2
			name, ok := z.tag(false)
			if !ok {
				return z.token(tokEOF, "")
			}
			return z.token(tokEndTag, name)
		}
		z.pos = p + 2
		return z.token(tokComment, z.untilCloseAngle())
	case c == '!':
		z.pos = p + 2
		return z.declaration()
	default: // '?'
		z.pos = p + 1
		return z.token(tokComment, z.untilCloseAngle())
	}
}

// startTag reads a start tag; z.pos is at its name.
func (z *lexer) startTag() tokenKind {
	name, ok := z.tag(true)
	if !ok {
		return z.token(tokEOF, "")
	}
	if rawTextElement(name) {
		z.rawTag = asciiLower(name)
	}
	// A self-closing mark ("<br/>") changes nothing in HTML content.
	return z.token(tokStartTag, name)
}

// rawTextElement reports the elements whose content is raw text.
func rawTextElement(name string) bool {
	switch name[0] | 0x20 {
	case 'i':
		return foldEq(name, "iframe")
	case 'n':
		return foldEq(name, "noembed") || foldEq(name, "noframes") || foldEq(name, "noscript")
	case 'p':
		return foldEq(name, "plaintext")
	case 's':
		return foldEq(name, "script") || foldEq(name, "style")
	case 't':
		return foldEq(name, "textarea") || foldEq(name, "title")
	case 'x':
		return foldEq(name, "xmp")
	}
	return false
}

// foldEq reports whether s is lower, a lower-case ASCII word, in any case.
func foldEq(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != lower[i] && c|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// tag reads a tag's name and attributes (kept when keep) and the closing
// '>'. It reports false when the input ends first.
func (z *lexer) tag(keep bool) (string, bool) {
	s := z.src
	start := z.pos
	i := start
	for i < len(s) && !isTagSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	name := s[start:i]
	if i < len(s) && isTagSpace(s[i]) {
		i++
	}
	z.pos = i
	if !z.skipSpace() {
		return name, false
	}
	for {
		if z.pos >= len(s) {
			return name, false
		}
		if s[z.pos] == '>' {
			z.pos++
			return name, true
		}
		key := z.attrKey()
		val, ok := z.attrVal()
		if keep && key != "" {
			z.keepAttr(rawAttr{key, val})
		}
		if !ok || !z.skipSpace() {
			return name, false
		}
	}
}

// keepAttr keeps an attribute unless one of the same name came first.
func (z *lexer) keepAttr(a rawAttr) {
	a.key = asciiLower(a.key)
	for _, b := range z.attrs {
		if b.key == a.key {
			return
		}
	}
	z.attrs = append(z.attrs, a)
}

// skipSpace steps over white space and reports whether input remains.
func (z *lexer) skipSpace() bool {
	for z.pos < len(z.src) && isTagSpace(z.src[z.pos]) {
		z.pos++
	}
	return z.pos < len(z.src)
}

func isTagSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// attrKey reads an attribute's name; an '=' that opens it is part of it.
func (z *lexer) attrKey() string {
	s, start := z.src, z.pos
	i := start
	for ; i < len(s); i++ {
		c := s[i]
		if c == '=' && i == start {
			continue
		}
		if c == '=' || isTagSpace(c) || c == '/' || c == '>' {
			break
		}
	}
	z.pos = i
	return s[start:i]
}

// attrVal reads an attribute's value, if it has one. It reports false
// when the input ends.
func (z *lexer) attrVal() (string, bool) {
	s := z.src
	if !z.skipSpace() {
		return "", false
	}
	switch s[z.pos] {
	case '/':
		z.pos++
		return "", true
	case '=':
		z.pos++
	default:
		return "", true
	}
	if !z.skipSpace() {
		return "", false
	}
	switch q := s[z.pos]; q {
	case '>':
		return "", true
	case '\'', '"':
		start := z.pos + 1
		j := strings.IndexByte(s[start:], q)
		if j < 0 {
			z.pos = len(s)
			return s[start:], false
		}
		z.pos = start + j + 1
		return s[start : start+j], true
	}
	start := z.pos
	i := start
	for i < len(s) && !isTagSpace(s[i]) && s[i] != '>' {
		i++
	}
	z.pos = i
	if i < len(s) && isTagSpace(s[i]) {
		z.pos++
	}
	return s[start:i], i < len(s)
}

// untilCloseAngle reads a bogus comment up to the next '>'.
func (z *lexer) untilCloseAngle() string {
	s, start := z.src, z.pos
	j := strings.IndexByte(s[start:], '>')
	if j < 0 {
		z.pos = len(s)
		return s[start:]
	}
	z.pos = start + j + 1
	return s[start : start+j]
}

// declaration reads what follows "<!": a comment, a doctype or a bogus
// comment.
func (z *lexer) declaration() tokenKind {
	s, p := z.src, z.pos
	switch {
	case len(s)-p < 2:
		z.pos = len(s)
		return z.token(tokComment, strings.TrimSuffix(s[p:], ">"))
	case s[p] == '-' && s[p+1] == '-':
		z.pos = p + 2
		return z.token(tokComment, z.comment())
	case len(s)-p >= len("doctype") && foldEq(s[p:p+len("doctype")], "doctype"):
		z.pos = p + len("DOCTYPE")
		if z.skipSpace() {
			z.untilCloseAngle()
		}
		return z.token(tokDoctype, "")
	}
	return z.token(tokComment, z.untilCloseAngle())
}

// comment reads a comment's text after "<!--", as the tokenizer does:
// "-->" or "--!>" ends it, and so do "<!-->" and "<!--->".
func (z *lexer) comment() string {
	s, start := z.src, z.pos
	dashes, beginning := 0, true
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				z.pos = i + 1
				return s[start:max(start, i-2)]
			}
		case '!':
			if dashes >= 2 && i+1 < len(s) {
				i++
				if s[i] == '>' {
					z.pos = i + 1
					return s[start:max(start, i-3)]
				}
				if s[i] == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	z.pos = len(s)
	text := s[start:]
	for _, suffix := range [...]string{"--!", "--", "-"} {
		if strings.HasSuffix(text, suffix) {
			return text[:len(text)-len(suffix)]
		}
	}
	return text
}

// readRaw reads the raw text of the element z.rawTag up to its end tag.
func (z *lexer) readRaw() {
	switch z.rawTag {
	case "plaintext":
		z.pos = len(z.src)
	case "script":
		z.readScript()
	default:
		z.pos = z.rawEnd(z.pos)
	}
}

// rawEnd returns where the raw text from i ends: at the next end tag of
// z.rawTag, or at the end of the input.
func (z *lexer) rawEnd(i int) int {
	s := z.src
	for {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		i += j
		if z.isRawEndTag(i) {
			return i
		}
		i += 2
	}
}

// isRawEndTag reports whether "</" + z.rawTag + a space, '/' or '>' is at i.
func (z *lexer) isRawEndTag(i int) bool {
	s, t := z.src, z.rawTag
	end := i + 2 + len(t)
	if end >= len(s) || !foldEq(s[i+2:end], t) {
		return false
	}
	c := s[end]
	return isTagSpace(c) || c == '/' || c == '>'
}

// unescapeText resolves the character references of text, as the
// tokenizer does outside attributes.
func unescapeText(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return html.UnescapeString(s)
}

// unescapeAttr resolves the character references of an attribute value
// as the tokenizer does: a named reference without ';' followed by '=' or
// by more letters than a name it knows stays as written ("?a=1&copy=2").
func unescapeAttr(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for ; i >= 0; i = strings.IndexByte(s, '&') {
		b.WriteString(s[:i])
		s = s[i:]
		n := attrRef(s)
		if n == 0 {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		b.WriteString(html.UnescapeString(s[:n]))
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// attrRef returns the length of the character reference that opens s (at
// its '&') when an attribute value resolves it, or 0.
func attrRef(s string) int {
	if len(s) > 1 && s[1] == '#' {
		if j := strings.IndexByte(s[1:], '&'); j >= 0 {
			return j + 1 // a numeric reference ends itself
		}
		return len(s)
	}
	j := 1
	for j < len(s) && isASCIIAlnum(s[j]) {
		j++
	}
	if j == 1 {
		return 0
	}
	if j < len(s) && s[j] == ';' {
		j++
	} else if j < len(s) && s[j] == '=' {
		return 0
	}
	ref := s[:j]
	r := html.UnescapeString(ref)
	if r == ref {
		return 0
	}
	// Outside attributes a longer name falls back to a known prefix
	// ("&notit;" is "¬it;"); in attributes it stays as written.
	_, size := utf8.DecodeRuneInString(r)
	if rest := r[size:]; rest != "" && strings.HasSuffix(ref, rest) {
		return 0
	}
	return j
}

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }

// readScript reads a script's text up to its end tag, following the
// rules by which "<!--" and "<script>" inside it hide a "</script>".
func (z *lexer) readScript() {
	s, i := z.src, z.pos
	var c byte
	var end, eof bool
	next := func() bool {
		if i >= len(s) {
			return false
		}
		c = s[i]
		i++
		return true
	}
data:
	if j := strings.IndexByte(s[i:], '<'); j >= 0 {
		i += j + 1
	} else {
		goto eof
	}
	// after '<'
	if !next() {
		goto eof
	}
	switch c {
	case '/':
		if i, end, eof = z.scriptEndTag(i); end {
			goto endTag
		} else if eof {
			goto eof
		}
		goto data
	case '!':
		if !next() {
			goto eof
		}
		if c != '-' {
			i--
			goto data
		}
		if !next() {
			goto eof
		}
		if c != '-' {
			i--
			goto data
		}
		goto escapedDashDash
	}
	i--
	goto data
escaped:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto escapedDash
	case '<':
		goto escapedLessThan
	}
	goto escaped
escapedDash:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto escapedDashDash
	case '<':
		goto escapedLessThan
	}
	goto escaped
escapedDashDash:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto escapedDashDash
	case '<':
		goto escapedLessThan
	case '>':
		goto data
	}
	goto escaped
escapedLessThan:
	if !next() {
		goto eof
	}
	if c == '/' {
		if i, end, eof = z.scriptEndTag(i); end {
			goto endTag
		} else if eof {
			goto eof
		}
		goto escaped
	}
	if !isASCIILetter(c) {
		i--
		goto data
	}
	i--
	for k := 0; k < len("script"); k++ {
		if !next() {
			goto eof
		}
		if c != "script"[k] && c != "SCRIPT"[k] {
			i--
			goto escaped
		}
	}
	if !next() {
		goto eof
	}
	if !isTagSpace(c) && c != '/' && c != '>' {
		i--
		goto escaped
	}
doubleEscaped:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto doubleEscapedDash
	case '<':
		goto doubleEscapedLessThan
	}
	goto doubleEscaped
doubleEscapedDash:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto doubleEscapedDashDash
	case '<':
		goto doubleEscapedLessThan
	}
	goto doubleEscaped
doubleEscapedDashDash:
	if !next() {
		goto eof
	}
	switch c {
	case '-':
		goto doubleEscapedDashDash
	case '<':
		goto doubleEscapedLessThan
	case '>':
		goto data
	}
	goto doubleEscaped
doubleEscapedLessThan:
	if !next() {
		goto eof
	}
	if c != '/' {
		i--
		goto doubleEscaped
	}
	if i, end, eof = z.scriptEndTag(i); end {
		i++ // past the byte after "</script"
		goto escaped
	} else if eof {
		goto eof
	}
	goto doubleEscaped
endTag:
	z.pos = i - len("</script")
	return
eof:
	z.pos = len(s)
}

// scriptEndTag reads "script" and a space, '/' or '>' after "</" at i.
// It returns where reading stopped (after "</script" when it is an end
// tag, at the byte that is not), and whether it is one or the input ended.
func (z *lexer) scriptEndTag(i int) (next int, end, eof bool) {
	s := z.src
	for k := 0; k < len("script"); k++ {
		if i >= len(s) {
			return i, false, true
		}
		if c := s[i]; c != "script"[k] && c != "SCRIPT"[k] {
			return i, false, false
		}
		i++
	}
	if i >= len(s) {
		return i, false, true
	}
	if c := s[i]; isTagSpace(c) || c == '/' || c == '>' {
		return i, true, false
	}
	return i, false, false
}

// asciiLower lowers the ASCII letters of s, as the tokenizer lowers names.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
