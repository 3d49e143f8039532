package main

import (
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
)

// TestReasonsCoverErrorCodes checks that every error an import can report
// (library.ErrorCodes: the errors that cross from the import worker) is
// told in both interface languages, not in library's English fallback.
func TestReasonsCoverErrorCodes(t *testing.T) {
	defer func(l string) { uiLang = l }(uiLang)
	for _, code := range library.ErrorCodes() {
		if code == "not-found" { // a store lookup, never a file's failure
			continue
		}
		r := library.Result{Name: "a.md", Status: library.Failed, Err: library.CodedError(code, "library words")}
		for _, lang := range []string{"en", "zh"} {
			uiLang = lang
			if got := failureReason(r); got == "library words" || got == "" {
				t.Errorf("failureReason(%s) in %s = %q, want words of the app's own", code, lang, got)
			}
		}
	}
}
