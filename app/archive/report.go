package archive

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Report says what a build did.
type Report struct {
	Name      string    `json:"name"`
	Generator string    `json:"generator"`
	Built     time.Time `json:"built,omitzero"`
	// Files is the number of files found (hidden ones left out), of
	// InputBytes in all.
	Files      int   `json:"files"`
	InputBytes int64 `json:"inputBytes"`
	// Articles is the number of articles in the archive; Added, Updated
	// and Removed compare it with the previous build (Reused) or nothing.
	Articles int  `json:"articles"`
	Added    int  `json:"added"`
	Updated  int  `json:"updated"`
	Removed  int  `json:"removed"`
	Reused   bool `json:"reused"`
	// Skipped lists the files that are not in the archive, and why;
	// ParserErrors counts those the parser failed on (a bug to report).
	Skipped      []Skipped `json:"skipped"`
	ParserErrors int       `json:"parserErrors"`
	Output       Output    `json:"output"`
	// TextBytes is the UTF-8 bytes of the articles' titles and texts as
	// indexed; IndexBytes the pack bytes of the search tables; IndexRatio
	// the one over the other.
	TextBytes  int64         `json:"textBytes"`
	IndexBytes int64         `json:"indexBytes"`
	IndexRatio float64       `json:"indexRatio"`
	Elapsed    time.Duration `json:"elapsedNs"`
	// Stages are the times, from the start, at which the build's stages
	// ended, in order: where a build's time goes.
	Stages []Stage `json:"stages"`
}

// Stage is a stage of the build and when it ended, from the start.
type Stage struct {
	Name  string        `json:"name"`
	Ended time.Duration `json:"endedNs"`
}

// Skipped is a file left out of the archive.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Error  string `json:"error,omitempty"`
}

// Output describes the archive folder written.
type Output struct {
	Files   int              `json:"files"`   // manifest and packs
	Bytes   int64            `json:"bytes"`   // all of them
	Reused  int              `json:"reused"`  // packs already there
	Written int64            `json:"written"` // bytes written
	Deleted int              `json:"deleted"` // old packs removed
	Tables  map[string]int64 `json:"tables"`  // pack bytes per table
}

// write writes the report as JSON to path.
func (r *Report) write(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("archive: writing the report: %w", err)
	}
	return nil
}

// Summary is the report in a few lines, for a terminal.
func (r *Report) Summary() string {
	var b strings.Builder
	how := "first build"
	if r.Reused {
		how = "previous build reused"
	}
	fmt.Fprintf(&b, "archive %q: %d articles from %d files (%.1f MB) in %v (%s: %d added, %d updated, %d removed)\n",
		r.Name, r.Articles, r.Files, float64(r.InputBytes)/1e6, r.Elapsed.Round(time.Millisecond), how, r.Added, r.Updated, r.Removed)
	fmt.Fprintf(&b, "  %d files skipped (not articles, or duplicates)", len(r.Skipped))
	if r.ParserErrors > 0 {
		fmt.Fprintf(&b, ", %d of them because the parser failed", r.ParserErrors)
	}
	fmt.Fprintf(&b, "; see %s\n", ReportName)
	fmt.Fprintf(&b, "  %s/: %d files, %.1f MB (%d packs kept, %.1f MB written, %d removed); index %.2f× the text\n",
		Dir, r.Output.Files, float64(r.Output.Bytes)/1e6, r.Output.Reused, float64(r.Output.Written)/1e6, r.Output.Deleted, r.IndexRatio)
	return b.String()
}
