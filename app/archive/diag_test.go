package archive

import (
	"os"
	"runtime/debug"
	"strconv"
	"testing"
)

func TestDiag(t *testing.T) {
	dir := os.Getenv("DIAG_DIR")
	level, _ := strconv.Atoi(os.Getenv("LEVEL"))
	if lim, _ := strconv.Atoi(os.Getenv("LIMIT")); lim > 0 {
		debug.SetMemoryLimit(int64(lim) << 20)
	}
	out := t.TempDir()
	p := watchMemory()
	c := cpuTime()
	r, err := Build(ctx, Options{Dir: dir, Out: out, Generator: "d", Level: level, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p.stop()
	t.Logf("%s cpu %v peak %d MB tables %v", r.Summary(), cpuTime()-c, p.max>>20, r.Output.Tables)
}
