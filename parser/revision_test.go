package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// revisionFile records the Revision that gave the golden inputs' output
// and that output's SHA-256: "REVISION HASH".
var revisionFile = filepath.Join("testdata", "revision.sum")

// outputHash is the SHA-256 of the JSON of Parse over every golden
// input, errors included.
func outputHash(t *testing.T) string {
	h := sha256.New()
	for _, in := range goldenInputs(t) {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Parse(data)
		out, _ := json.Marshal(a)
		fmt.Fprintf(h, "%s\n%v\n%s\n", filepath.Base(in), err, out)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestRevision fails when Parse's output for the golden inputs changed
// and Revision did not: an app would keep the old parses of the articles
// it stores. After a deliberate change, raise Revision and run
// `go test ./parser -run 'Golden|Revision' -update`.
func TestRevision(t *testing.T) {
	got := outputHash(t)
	data, err := os.ReadFile(revisionFile)
	if err != nil && !*update {
		t.Fatalf("%v (run go test ./parser -run Revision -update)", err)
	}
	var rev int
	var hash string
	if err == nil {
		f := strings.Fields(string(data))
		if len(f) != 2 {
			t.Fatalf("%s: %q, want \"REVISION HASH\"", revisionFile, data)
		}
		if rev, err = strconv.Atoi(f[0]); err != nil {
			t.Fatal(err)
		}
		hash = f[1]
	}
	switch {
	case got == hash && rev == Revision:
		return
	case got != hash && rev >= Revision && hash != "":
		t.Fatalf("Parse's output for the golden inputs changed, and Revision is still %d (%s records %d): "+
			"raise parser.Revision, then run go test ./parser -run 'Golden|Revision' -update", Revision, revisionFile, rev)
	case !*update:
		t.Fatalf("%s records revision %d, output %s; Revision is %d, output %s: run go test ./parser -run Revision -update",
			revisionFile, rev, hash, Revision, got)
	}
	if err := os.WriteFile(revisionFile, []byte(fmt.Sprintf("%d %s\n", Revision, got)), 0o644); err != nil {
		t.Fatal(err)
	}
}
