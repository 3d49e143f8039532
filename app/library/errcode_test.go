package library

import (
	"errors"
	"fmt"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

func TestErrorCodeRoundTrip(t *testing.T) {
	for _, err := range []error{parser.ErrNotArticle, fmt.Errorf("%w: 9 MB", parser.ErrTooLarge), ErrZip, store.ErrQuota} {
		code := ErrorCode(err)
		back := CodedError(code, err.Error())
		if code == "" || !errors.Is(back, errors.Unwrap(err)) && !errors.Is(back, err) {
			t.Errorf("CodedError(ErrorCode(%v)) = %v (code %q), want an error matching it", err, back, code)
		}
		if back.Error() != err.Error() {
			t.Errorf("CodedError(…).Error() = %q, want %q", back.Error(), err.Error())
		}
	}
	if code := ErrorCode(errors.New("other")); code != "" {
		t.Errorf("ErrorCode(other) = %q, want \"\"", code)
	}
	if back := CodedError("", "disk on fire"); back.Error() != "disk on fire" || errors.Is(back, store.ErrQuota) {
		t.Errorf("CodedError(\"\", …) = %v, want a plain error", back)
	}
}
