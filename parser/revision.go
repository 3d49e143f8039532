package parser

// Revision numbers what Parse makes of files. It goes up by one with each
// change that makes Parse give another Article for some file (a field
// added or filled, text cut or joined differently), so that an app that
// keeps articles with their original files can parse them again after an
// upgrade (the library's ReparseNext) and a stored parse says which
// parser made it. TestRevision fails when the output for the test files
// changes and Revision does not.
//
//	0: libraries that record no revision
//	1: media figures (Video, Audio), Pre lines with Indent, list Start;
//	   zero-width spaces, soft hyphens and ruby text no longer split
//	   words; data table rows as paragraphs
//	2: players of known video sites (YouTube, Vimeo, Bilibili, Facebook)
//	   as media figures; lists inside list items as items of their own
const Revision = 2
