// Package search is Broadsheet's full-text index: exact for Chinese, fast
// at a hundred thousand articles, and kept in a store.Store so that a
// reload opens it without rebuilding anything.
//
// # The model
//
// Text is first folded, one character to one character (so positions in
// folded text are positions in the original): full-width ASCII to
// half-width, letters to lower case, Traditional Chinese to Simplified
// (習近平 finds 习近平) by a table generated from OpenCC (t2s.txt).
//
// One tokenizer, shared by the indexer, the query parser and the
// highlighter, cuts folded text into runs of Han characters and runs of
// other letters and digits; spaces, punctuation and changes of script end
// a run ("2025年" is "2025" then "年"). A Han run gives every overlapping
// bigram with its character position, and its first and last characters
// as edge terms with positions; every Han character is also kept per
// document, without positions. A word run gives the folded word with its
// position. There is no dictionary.
//
// A query's Han string of length L ≥ 2 is looked up as bigrams that must
// sit at consecutive positions: exactly the documents holding the string
// as a substring. A single Han character uses its per-document term (or,
// beside a word, an edge term). Words match whole, except the last word of
// a query still being typed, which matches as a prefix. See ParseQuery for
// the syntax: AND of parts, "phrases", -exclusions, author:, source:,
// after: and before:.
//
// # The index
//
// Documents are indexed in batches; each batch becomes an immutable
// segment, built by sorting packed (term, document, position) records.
// A segment holds a sorted term table in blocks, a docs stream per term
// (delta varints in blocks of 128 with skip entries), a positions stream,
// and a doc table (ID, length, title and lead extents, date, source,
// authors). It is stored as pages of 16 KB (64 KB in an index made
// before those) plus a small header kept in the manifest. A query reads
// only the pages it needs, through a segmented LRU page cache (what
// later queries ask for again is kept over what one query read), in
// one batch (one round trip) per step: the term blocks of its terms,
// then their postings (with the doc tables, the first time), then the
// texts of the hits shown; decoded term blocks and texts are cached too.
// Deleting or replacing a document sets its bit in the segment's
// tombstones; a Bloom filter of the indexed IDs (idfilter.go) spares an
// import the lookup of IDs never indexed. Segments of a similar size are
// merged (deleted documents dropped) as they accumulate, their pages
// read a range of terms at a time (mergeread.go); a merge of
// segments with nothing deleted joins their encoded lists (join.go)
// instead of decoding them. A batch's records are 8-byte integers,
// (term, document, position) packed, radix-sorted (posbuild.go). A
// manifest lists the live segments and is written in the same atomic
// batch as every change, so the index is always consistent.
//
// The titles and texts of the hits shown come from the index's own text
// table, one record a document that also says where the document is, or,
// when the caller keeps them (TextsFrom: the app's library holds every
// article it indexes), from the caller: the index then writes no record
// a document, only one record a batch listing its documents' IDs in
// order (places.go), read when an import or a delete must find IDs
// already indexed.
//
// # Ranking
//
// BM25 (k1 1.2, b 0.75) over each part's exact phrase frequency, with title
// and lead-paragraph occurrences weighted up, a proximity bonus for
// several parts found close together and a mild preference for recent
// documents; ties go to the newer document. Totals are exact. Hits carry
// a snippet, the ~120-character window with the most query parts, and the
// matches as byte spans of the title and snippet (Highlight gives them for
// any text).
//
// # Shipped indexes
//
// A hosted archive ships its index to visitors, who fetch only the pages a
// query needs (OpenShipped, shipped.go): its segments have no positions,
// keep a weighted and capped frequency in the docs stream's spare bits,
// and number documents by date, so that a query ranks every candidate
// without the doc table and reads the doc table only for the hits shown.
// A part of one token stays exact; a longer phrase's candidates (which
// must hold all its bigrams) are verified on the text of the hits shown,
// and a total that counts unverified candidates is marked
// Results.Estimated. Their lists are Rice-coded (rice.go), a Han
// bigram's relative to its first character's, a superset (relative.go),
// and their headers locate each term block's lists, so that a cold query
// reads its term blocks and lists (its bigrams' characters' too) in one
// round trip, the doc-table chunks of
// its hits in a second, and their texts in a third. A site builder makes
// a new one with Bulk (bulk.go): batches tokenized into sorted runs on
// every core and merged once into one segment, the bytes that Add of each
// batch and Compact would write.
//
// The package imports neither go-app nor syscall/js: in the browser it
// runs in a worker over the IndexedDB store.
package search
