//go:build unix || (js && wasm)

package search

import "github.com/broadsheet/broadsheet/internal/proccpu"

// processCPU is the process's CPU time for the benchmarks: natively, and
// in wasm under Node (0 in a browser).
var processCPU = proccpu.Used
