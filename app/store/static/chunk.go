package static

// Packs are cut at content-defined boundaries, so that adding or removing
// records changes only the packs around them: whether a pack ends after a
// record depends on that record alone (a hash of its key and its size) and
// on the bytes gathered since the last cut, which resynchronise after a
// change as soon as one boundary is met on both sides of it.
//
// A pack ends after a record when the pack holds at least target/4 bytes
// and the key's hash, read as a fraction of 1, is below size/(3/4 target):
// records of any size then give packs of about target bytes on average.
// A pack always ends at 2×target bytes, and a record larger than target
// gets a pack of its own.

// DefaultTarget is the target uncompressed size of a pack when
// WriteOptions gives none for a table.
const DefaultTarget = 64 << 10

// maxTarget is the largest target a writer accepts (see maxKeyBytes).
const maxTarget = 16 << 20

// recordSize is the bytes a record counts for when cutting.
func recordSize(key string, value []byte) int {
	return len(key) + len(value) + 4
}

// chunker decides where one table's packs end.
type chunker struct {
	target int
	size   int // bytes in the current pack
}

// big reports whether a record of this size gets a pack of its own.
func (c *chunker) big(size int) bool { return size > c.target }

// add counts a record into the current pack and reports whether the pack
// ends after it.
func (c *chunker) add(key string, size int) bool {
	c.size += size
	if c.size >= 2*c.target {
		return true
	}
	if c.size < c.target/4 {
		return false
	}
	// cut when hash/2^64 < size/(0.75 target), i.e. hash>>32 < size·2^32/(0.75 target).
	threshold := uint64(size) << 32 / uint64(c.target*3/4)
	return keyHash(key)>>32 < threshold
}

// reset starts a new pack.
func (c *chunker) reset() { c.size = 0 }

// keyHash is FNV-1a of key, finished by a SplitMix64 mix so that its high
// bits are uniform. It is fixed forever: changing it moves every boundary.
func keyHash(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(key) {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}
