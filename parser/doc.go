// Package parser reads the files of a news archive, one saved article per
// file, into a typed model.
//
// # The model
//
// An Article is what one file says: its id, URL and title; when it was
// saved (SavedAt, UTC) and published (Published, the source's civil time
// as written, with the source's own date text beside it); authors, source
// publication, tags and language; a lead picture; the story as Blocks; the
// footer (contributors, bios, translator, link to the original-language
// version) as Blocks too; and the warnings collected on the way.
//
// A Block is a paragraph ("p"), a heading ("h", Level 2 to 4), a figure
// ("figure": Src, Original, Width, Height, Caption, Credit; a story's
// video or audio is a figure with its address in Video or Audio, and a
// video's poster as Src), a quote ("quote", nested Blocks) or a list
// ("list", Items; Start when an ordered list does not count from 1).
// Text is always the block's plain text with white space folded;
// paragraphs and list items also carry Inlines: runs of text with an
// optional link and emphasis. Preformatted text (<pre>, a Markdown code
// fence) is a paragraph a line, marked Pre, with the line's Indent in
// columns.
// The encoding/json form of *Article is the contract the viewer stores:
// field names never change, absent values are omitted.
//
// # The file format
//
//	---                                 Jekyll front matter (optional):
//	title: "…"                          title, date, author, from (URL),
//	from: https://…                     tags, categories
//	categories: [ news, 法广 ]
//	---
//	<!--1739434021000-->                saved-at, Unix ms (optional; "NaN" = none)
//	[Title text](https://source/url/)   title link; the title may hold brackets
//	------                              setext underline, --- or ===
//
//	<address>…</address><time …>…</time><figure>…</figure><section>…</section><footer>…</footer>
//
// A file may also be front matter followed directly by a whole HTML page
// or a Markdown body, or an HTML page whose <title>, og:title or <h1>
// names the article.
//
// The title line may also be an ATX heading ("# [Title](url)"). A title
// with no link ("# Title", or "Title" over an underline) is taken when
// only feed HTML follows it, so a README stays not an article.
//
// # The stages
//
// Parse runs small named stages in order:
//
//  1. decode: the bytes become UTF-8 text. A byte order mark wins; then a
//     file that is valid UTF-8 as a whole is UTF-8; then an explicit meta
//     charset; else the file is decoded as GB18030 and as Big5 and the text
//     with more common ideographs and fewer replacement characters wins
//     ("decoded from GB18030" is then a warning, and Article.Encoding says
//     which). Western text that reads as neither (few accented letters among
//     ASCII ones), or that declares Latin-1, is read as Windows-1252. Binary
//     files (images, archives, NUL bytes) are refused here.
//  2. document: front matter, the preamble (timestamp, title link,
//     underline) or an HTML head give title, URL and save time; what
//     follows is the body. A Markdown body is rendered to HTML.
//  3. body: the feed HTML becomes a node tree (tree.go: a lexer over the
//     text and the HTML5 rules for the content of a <body>, building the
//     tree html.ParseFragment would; fragments with tables, forms, SVG or
//     misnested formatting go to html.ParseFragment itself), then authors,
//     dates, lead picture, body and footer blocks, translator and original
//     URL (parseBody). Relative
//     links and pictures resolve against the article's URL; the sites'
//     promotions (subscribe, join, donate, follow-an-account lines) are
//     left out (promo.go).
//  4. finish: the source is the publication's name from publications.txt
//     (by host and path), else the front matter's category, else the
//     URL's host; tags from front matter; a first block that only repeats
//     the title or names the publication is dropped; the language from
//     the text (character tables in hanzi.bin); and the id from the URL
//     (see articleID) or, without a URL, from a hash of the text.
//
// Errors are for inputs that are not articles: empty or white space only
// (ErrEmpty), binary (ErrBinary), larger than MaxSize (ErrTooLarge),
// undecodable (ErrEncoding), or text with no title link, front matter
// title or titled HTML (ErrNotArticle). They wrap the sentinel with the
// reason; match them with errors.Is. A file with a title and nothing else
// is an article with an empty body.
//
// # Security
//
// Article files are untrusted. The feed HTML can carry scripts, event
// handlers, javascript: and data: URLs, frames, objects, SVG, MathML and
// styles; the body stage keeps none of them. The model holds no HTML at
// all, only text, and its URLs are absolute http or https (mailto too for
// links), so a viewer that renders the model as text and attributes, and
// never as raw HTML, shows nothing that the file could make run.
//
// The parser does not panic on any input (a fuzz test checks it), reads
// at most MaxSize bytes, and bounds its look-ahead: front matter must
// close within 64 KiB, the encoding guess reads 64 KiB, the HTML head scan
// reads a bounded number of tokens. Markdown bodies are rendered with
// raw HTML passed through to the body stage, which sanitises it like any
// feed HTML.
package parser
