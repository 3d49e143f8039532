package main

import "github.com/broadsheet/broadsheet/app/search"

// request is one message from the page.
type request struct {
	ID     int          `json:"id"`
	Op     string       `json:"op"`
	DB     string       `json:"db,omitempty"`
	Tables []string     `json:"tables,omitempty"`
	Docs   []search.Doc `json:"docs,omitempty"`
	IDs    []string     `json:"ids,omitempty"`
	Q      string       `json:"q,omitempty"`
	Sort   search.Sort  `json:"sort,omitempty"`
	Limit  int          `json:"limit,omitempty"`
}

// reply answers one request.
type reply struct {
	ID      int             `json:"id"`
	Err     string          `json:"err,omitempty"`
	Stats   *search.Stats   `json:"stats,omitempty"`
	Results *search.Results `json:"results,omitempty"`
	Micros  int64           `json:"micros,omitempty"`
	// Bytes and Sys answer "mem": the live Go heap and the memory the Go
	// runtime holds.
	Bytes uint64 `json:"bytes,omitempty"`
	Sys   uint64 `json:"sys,omitempty"`
}
