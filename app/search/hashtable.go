package search

// hanTable maps packed Han term keys (never 0) to term IDs: an
// open-addressing table with linear probing, several times faster than a
// Go map for the builder's one lookup per character.
type hanTable struct {
	keys  []uint64
	vals  []uint32
	n     int
	shift uint
}

func (h *hanTable) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> h.shift }

func (h *hanTable) get(k uint64) (uint32, bool) {
	if h.n == 0 {
		return 0, false
	}
	mask := uint64(len(h.keys) - 1)
	for i := h.slot(k); ; i = (i + 1) & mask {
		switch h.keys[i] {
		case k:
			return h.vals[i], true
		case 0:
			return 0, false
		}
	}
}

func (h *hanTable) put(k uint64, v uint32) {
	if 4*(h.n+1) > 3*len(h.keys) {
		h.grow()
	}
	mask := uint64(len(h.keys) - 1)
	for i := h.slot(k); ; i = (i + 1) & mask {
		if h.keys[i] == 0 || h.keys[i] == k {
			if h.keys[i] == 0 {
				h.n++
			}
			h.keys[i], h.vals[i] = k, v
			return
		}
	}
}

func (h *hanTable) grow() {
	keys, vals := h.keys, h.vals
	size := max(2*len(keys), 1<<12)
	h.keys, h.vals, h.n = make([]uint64, size), make([]uint32, size), 0
	h.shift = 64
	for s := size; s > 1; s >>= 1 {
		h.shift--
	}
	for i, k := range keys {
		if k != 0 {
			h.put(k, vals[i])
		}
	}
}
