package library

import (
	"strings"
	"time"
)

// Facet kinds: the first byte of index and count keys.
const (
	kindSource     = 's'
	kindAuthor     = 'a'
	kindYear       = 'y'
	kindSourceYear = 'S' // counts only: source, then year
	kindAuthorYear = 'A' // counts only: author, then year
)

// keyTotal is the count record of all articles.
const keyTotal = "#"

// dateLayout is the form of the date an order key starts with.
const dateLayout = "2006-01-02T15:04:05"

// undated starts the order key of an article without any date: it sorts
// after every inverted date, so such articles come last.
const undated = "~"

// sortDate is the date the list is ordered by: published, else savedAt,
// completed to the full dateLayout form; "" when the article has neither.
func sortDate(published string, saved time.Time) string {
	if len(published) >= 4 && isDigits(published[:4]) {
		const zero = "0000-01-01T00:00:00"
		if len(published) >= len(zero) {
			return published[:len(zero)]
		}
		return published + zero[len(published):]
	}
	if !saved.IsZero() {
		return saved.UTC().Format(dateLayout)
	}
	return ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// invert maps each digit d to 9-d, so that ascending key order is
// descending date order.
func invert(date string) string {
	b := []byte(date)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '9' - (c - '0')
		}
	}
	return string(b)
}

// orderKey is the key of an article in the list order: newest first, then
// by id. The id follows the first NUL.
func orderKey(date, id string) string {
	if date == "" {
		return undated + "\x00" + id
	}
	return invert(date) + "\x00" + id
}

// idOf returns the id part of an order key.
func idOf(key string) string {
	_, id, _ := strings.Cut(key, "\x00")
	return id
}

// yearOf returns the year of a sort date, or "".
func yearOf(date string) string {
	if len(date) >= 4 && isDigits(date[:4]) {
		return date[:4]
	}
	return ""
}

// cleanValue makes a facet value safe inside a key (no NUL) and trims it.
func cleanValue(v string) string {
	return strings.TrimSpace(strings.ReplaceAll(v, "\x00", ""))
}

// facetPrefix is the start of the keys of one facet value.
func facetPrefix(kind byte, value string) string {
	return string(kind) + value + "\x00"
}

// countKey is the key of a facet value's count; year may be "".
func countKey(kind byte, value, year string) string {
	if year == "" {
		return string(kind) + value
	}
	return string(kind) + value + "\x00" + year
}

// prefixEnd returns the smallest key greater than every key starting with
// p ("" when there is none).
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}
