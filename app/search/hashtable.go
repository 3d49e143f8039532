package search

// hanTable maps packed Han term keys (never 0, below 1<<hanKeyBits) to
// term IDs (below 1<<hanValBits): an open-addressing table with linear
// probing, several times faster than a Go map for the builder's one
// lookup per character. Key and value share one 8-byte slot, so a lookup
// touches one cache line and the table stays small.
type hanTable struct {
	slots []uint64 // key<<hanValBits | value; 0 is empty
	n     int
	shift uint
}

const (
	hanKeyBits = 38 // kind (2 bits), two characters of 18 bits
	hanValBits = 64 - hanKeyBits
)

func (h *hanTable) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> h.shift }

func (h *hanTable) get(k uint64) (uint32, bool) {
	if h.n == 0 {
		return 0, false
	}
	mask := uint64(len(h.slots) - 1)
	for i := h.slot(k); ; i = (i + 1) & mask {
		switch s := h.slots[i]; s >> hanValBits {
		case k:
			return uint32(s & (1<<hanValBits - 1)), true
		case 0:
			return 0, false
		}
	}
}

func (h *hanTable) put(k uint64, v uint32) {
	if 3*(h.n+1) > 2*len(h.slots) {
		h.grow()
	}
	mask := uint64(len(h.slots) - 1)
	for i := h.slot(k); ; i = (i + 1) & mask {
		if s := h.slots[i]; s == 0 || s>>hanValBits == k {
			if s == 0 {
				h.n++
			}
			h.slots[i] = k<<hanValBits | uint64(v)
			return
		}
	}
}

func (h *hanTable) grow() {
	old := h.slots
	size := max(2*len(old), 1<<12)
	h.slots, h.n = make([]uint64, size), 0
	h.shift = 64
	for s := size; s > 1; s >>= 1 {
		h.shift--
	}
	for _, s := range old {
		if s != 0 {
			h.put(s>>hanValBits, uint32(s&(1<<hanValBits-1)))
		}
	}
}
