package archive

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/archive/archivegen"
	"github.com/broadsheet/broadsheet/internal/proccpu"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
)

// BenchmarkBuild builds archives of 10,000 and 100,000 articles generated
// from the paragraphs of ../shared/corpus/dev (new titles, URLs, authors
// and dates), then grows each by 1% (one in a thousand files changed, as
// many removed) and builds again over it. Besides MB/s of input (wall
// time, on a shared machine) it reports the process CPU time and MB per
// CPU second, the garbage collector's cycles and CPU time, the peak
// memory (VmHWM of the process, and the Go runtime's peak), the archive's
// files and bytes, the index/text ratio, and the rebuild's time and share
// of packs kept.
func BenchmarkBuild(b *testing.B) {
	corpus := sharedtest.Need(b, "corpus", "dev")
	paras, err := archivegen.Paragraphs(corpus)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchBuild(b, n, paras) })
	}
}

func benchBuild(b *testing.B, n int, paras []string) {
	dir := b.TempDir()
	size, err := archivegen.Write(dir, n, paras, archivegen.Options{Seed: 1, Min: 5, Max: 20})
	if err != nil {
		b.Fatal(err)
	}
	var r *Report
	var out string
	var peak *peakMemory
	var cpu, sys time.Duration
	var gc gcStats
	create := fileCreation(b, b.TempDir())
	b.ResetTimer()
	for range b.N {
		out = b.TempDir()
		peak = watchMemory()
		c0, s0, g0 := proccpu.Used(), proccpu.System(), readGC()
		stopProfile := profileBuild(b)
		r, err = Build(ctx, Options{Dir: dir, Out: out, Generator: "bench", TempDir: b.TempDir()})
		cpu, sys, gc = proccpu.Used()-c0, proccpu.System()-s0, readGC().since(g0)
		stopProfile()
		peak.stop()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.SetBytes(size)
	mb := float64(size) / 1e6
	b.ReportMetric(cpu.Seconds(), "cpu-s")
	b.ReportMetric(mb/cpu.Seconds(), "MB/cpu-s")
	b.ReportMetric(sys.Seconds(), "sys-cpu-s")
	b.ReportMetric(float64(create.Microseconds()), "create-us/file")
	b.ReportMetric(float64(gc.cycles), "gc-cycles")
	b.ReportMetric(gc.cpu, "gc-cpu-s")
	b.ReportMetric(float64(peak.max)/1e6, "go-peak-MB")
	b.ReportMetric(float64(vmHWM())/1e6, "VmHWM-MB")
	b.ReportMetric(float64(r.Output.Files), "files")
	b.ReportMetric(float64(r.Output.Bytes)/1e6, "out-MB")
	b.ReportMetric(r.IndexRatio, "index/text")
	b.ReportMetric(float64(r.TextBytes)/1e6, "text-MB")
	b.Logf("%d articles, %.1f MB in; tables: %v; manifest %d bytes", r.Articles, mb, r.Output.Tables, fileSize(filepath.Join(out, Dir, "manifest.json")))
	b.Logf("stages: %s", stages(r.Stages))

	grow := n / 100
	if _, err := archivegen.Write(dir, grow, paras, archivegen.Options{Seed: 1, First: n, Min: 5, Max: 20}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 1000 {
		os.Remove(archivegen.Path(dir, i))
		p := archivegen.Path(dir, i+1)
		data, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(data), "</section>", "<p>更正：本文已更新。</p></section>", 1)), 0o644)
	}
	start := time.Now()
	c0 := proccpu.Used()
	r2, err := Build(ctx, Options{Dir: dir, Out: out, Generator: "bench", TempDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(start).Seconds(), "rebuild-s")
	b.ReportMetric((proccpu.Used() - c0).Seconds(), "rebuild-cpu-s")
	b.ReportMetric(100*float64(r2.Output.Reused)/float64(r2.Output.Files-1), "rebuild-kept-%")
	b.Logf("rebuild: %d added, %d updated, %d removed; %d of %d packs kept, %.1f MB written",
		r2.Added, r2.Updated, r2.Removed, r2.Output.Reused, r2.Output.Files-1, float64(r2.Output.Written)/1e6)
}

// stages lists when each stage of a build ended, in seconds.
func stages(ss []Stage) string {
	var sb strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&sb, " %s %.2f", s.Name, s.Ended.Seconds())
	}
	return sb.String()
}

// profileBuild writes a CPU profile of the first build alone (not the
// generation of its files, nor the rebuild) to $BUILDBENCH_CPUPROFILE
// when it is set; it returns what stops it.
func profileBuild(b *testing.B) (stop func()) {
	name := os.Getenv("BUILDBENCH_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// gcStats are the garbage collector's cycles and its CPU time (the
// runtime's estimate: the time its workers held a processor, which a busy
// machine inflates as it does every class) since the process started.
type gcStats struct {
	cycles uint64
	cpu    float64
}

func readGC() gcStats {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return gcStats{s[0].Value.Uint64(), s[1].Value.Float64()}
}

func (g gcStats) since(g0 gcStats) gcStats { return gcStats{g.cycles - g0.cycles, g.cpu - g0.cpu} }

// vmHWM is the peak resident memory of the process (Linux), or 0.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// peakMemory samples the memory the Go runtime holds from the system
// (mapped and not released) until stop.
type peakMemory struct {
	max  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func watchMemory() *peakMemory {
	p := &peakMemory{done: make(chan struct{})}
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	p.wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			p.max = max(p.max, samples[0].Value.Uint64()-samples[1].Value.Uint64())
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	})
	return p
}

func (p *peakMemory) stop() { close(p.done); p.wg.Wait() }

// fileCreation is the time this machine takes, now, to create a file of
// a pack's size in dir (the mean of 500): the builder creates ~12,000
// at 100k, and on a file system that has just deleted large trees a
// creation here has cost from 40 µs to over 800, a baseline to read
// the build's sys-cpu-s against. The cause, on the dev VM's ext4
// mounted without a journal: a new inode skips every free inode of its
// group deleted in the last 60 s (360 s while its inode table block is
// dirty), each looked up in the buffer cache, from the group's first on
// (recently_deleted in fs/ext4/ialloc.c, used only without a journal).
// A 100k build after the previous run's tree was deleted spent 13% of
// its CPU samples there (perf: recently_deleted, find_get_block_common,
// ext4_get_group_desc under static.writeNamed's open), ~240 µs a pack.
func fileCreation(b *testing.B, dir string) time.Duration {
	const n = 500
	data := make([]byte, 26<<10)
	t0 := time.Now()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(t0) / n
}
