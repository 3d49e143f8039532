package library

import (
	"errors"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// ErrUnreadable is wrapped by the error of a file that could not be read
// (the browser refused it, a folder entry vanished).
var ErrUnreadable = errors.New("the file could not be read")

// codes names the errors an import can report, so that a Result crossing
// to another thread (an import in a Web Worker) keeps an error that
// errors.Is still recognises.
var codes = []struct {
	code string
	err  error
}{
	{"empty", parser.ErrEmpty},
	{"binary", parser.ErrBinary},
	{"too-large", parser.ErrTooLarge},
	{"not-article", parser.ErrNotArticle},
	{"encoding", parser.ErrEncoding},
	{"zip", ErrZip},
	{"parser", ErrParser},
	{"unreadable", ErrUnreadable},
	{"quota", store.ErrQuota},
	{"closed", store.ErrClosed},
	{"blocked", store.ErrBlocked},
	{"version", store.ErrVersion},
	{"not-found", store.ErrNotFound},
}

// ErrorCodes lists the known errors' code names.
func ErrorCodes() []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.code
	}
	return out
}

// ErrorCode names the known error err matches, "" for another.
func ErrorCode(err error) string {
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return ""
}

// CodedError is an error with the text msg that matches the known error
// code names (ErrorCode), or a plain error when code is unknown.
func CodedError(code, msg string) error {
	for _, c := range codes {
		if c.code == code {
			return codedError{msg: msg, err: c.err}
		}
	}
	return errors.New(msg)
}

// codedError is an error read back from its code and text.
type codedError struct {
	msg string
	err error
}

func (e codedError) Error() string { return e.msg }

func (e codedError) Unwrap() error { return e.err }
