//go:build !unix && !(js && wasm)

package proccpu

import "time"

// Used is unknown here.
func Used() time.Duration { return 0 }

// System is unknown here.
func System() time.Duration { return 0 }
