// Package archive builds a hosted archive: it parses every article file
// of a folder with the app's own parser and writes, as a static archive
// (package store/static), the tables of the library and of the search
// index, filled by the same library and search code the browser runs. The
// browser opens them with static.Open and then library and search over
// that store, exactly as over IndexedDB, so the two cannot disagree.
package archive
