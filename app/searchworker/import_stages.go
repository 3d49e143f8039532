package main

import "time"

// stages adds up where an import's time goes, in microseconds by stage,
// for benchmarks (message.Reply.Stages). A parse worker measures
//
//	read    reading the posted files
//	parse   unpacking and parsing them (library.Parse)
//	doc     making their search documents
//	encode  encoding its reply
//
// and the import worker adds to those of its parse workers
//
//	wait    waiting for the parse workers
//	decode  decoding their replies
//	store   storing (library.ImportParsed, under the write lock), made of
//	lock    taking the write lock and reopening the index
//	put     the library's write (library.ImportParsed), made of
//	get     its reads (the stored copies of the articles, the counts)
//	write   its transaction of the articles' records (import_timing.go)
//	defer   recording the stored articles to index (search.Index.Defer)
//	index   indexing stored articles during the import (a batch
//	        every indexBytes of text; the rest is indexed after it)
type stages map[string]int64

// since adds the time since start to stage name (none to nil stages)
// and returns now.
func (s stages) since(name string, start time.Time) time.Time {
	now := time.Now()
	if s != nil {
		s[name] += now.Sub(start).Microseconds()
	}
	return now
}

// merge adds the times of o.
func (s stages) merge(o map[string]int64) {
	for k, v := range o {
		s[k] += v
	}
}
