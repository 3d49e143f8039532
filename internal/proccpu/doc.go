// Package proccpu gives the CPU time of the running process, for
// benchmarks that report CPU time beside wall time on a shared machine:
// natively from getrusage, in wasm under Node from process.cpuUsage (V8's
// threads included, as a browser worker's). Where neither exists (wasm
// in a browser) it returns 0, and callers fall back to the wall clock.
package proccpu
