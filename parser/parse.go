package parser

import "errors"

// Errors for inputs that are not articles; match them with errors.Is.
var (
	ErrEmpty      = errors.New("parser: empty file")
	ErrBinary     = errors.New("parser: binary file, not text")
	ErrTooLarge   = errors.New("parser: file too large")
	ErrNotArticle = errors.New("parser: not an article")
	ErrEncoding   = errors.New("parser: unreadable text encoding")
)

// MaxSize is the largest input Parse accepts.
const MaxSize = 16 << 20

// Parse reads one article file. (Placeholder until the parser lands.)
func Parse(data []byte) (*Article, error) {
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	return nil, ErrNotArticle
}
