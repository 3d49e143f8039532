package parser

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Encodings reported in Article.Encoding.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF16   = "utf-16"
	EncodingGB18030 = "gb18030"
	EncodingBig5    = "big5"
	EncodingLatin   = "windows-1252"
)

// decoded is the text of a file and how it was read.
type decoded struct {
	text     string
	encoding string
	warnings []string
}

// legacyEncoding returns the multi-byte encoding named name that
// Broadsheet reads besides UTF-8 and UTF-16 (Windows-1252 is in
// latin.go), or nil.
func legacyEncoding(name string) encoding.Encoding {
	switch name {
	case EncodingGB18030:
		return simplifiedchinese.GB18030
	case EncodingBig5:
		return traditionalchinese.Big5
	}
	return nil
}

// decode turns the bytes of a file into valid UTF-8 text. The order is the
// one that works on real archives (see the package documentation): a byte
// order mark; the whole file valid UTF-8; an explicit meta charset; else
// the file is decoded as GB18030 and as Big5 and the better-scoring text
// wins. Binary files are refused before any of that.
func decode(data []byte) (decoded, error) {
	if d, ok := decodeBOM(data); ok {
		return d, nil
	}
	if err := sniffBinary(data); err != nil {
		return decoded{}, err
	}
	if validUTF8(data) {
		return decoded{text: string(data), encoding: EncodingUTF8}, nil
	}
	if err := sniffControls(data); err != nil {
		return decoded{}, err
	}
	name := metaCharset(data)
	if enc := legacyEncoding(name); enc != nil {
		return decodeWith(data, enc, name), nil
	}
	return decodeByScore(data, name == EncodingLatin)
}

// decodeBOM reads a file that starts with a UTF-8 or UTF-16 byte order mark.
func decodeBOM(data []byte) (decoded, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		d := decodeUTF8Lossy(data[3:])
		d.warnings = append(d.warnings, "removed UTF-8 byte order mark")
		return d, true
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false), true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true), true
	}
	return decoded{}, false
}

// decodeUTF16 reads UTF-16 text; an odd trailing byte is dropped.
func decodeUTF16(data []byte, bigEndian bool) decoded {
	units := make([]uint16, len(data)/2)
	for i := range units {
		lo, hi := data[2*i], data[2*i+1]
		if bigEndian {
			lo, hi = hi, lo
		}
		units[i] = uint16(lo) | uint16(hi)<<8
	}
	text := string(utf16.Decode(units))
	return decoded{text: text, encoding: EncodingUTF16, warnings: []string{"decoded from UTF-16"}}
}

// decodeUTF8Lossy reads UTF-8 text, replacing invalid bytes with U+FFFD.
func decodeUTF8Lossy(data []byte) decoded {
	if validUTF8(data) {
		return decoded{text: string(data), encoding: EncodingUTF8}
	}
	return decoded{
		text:     strings.ToValidUTF8(string(data), "\uFFFD"),
		encoding: EncodingUTF8,
		warnings: []string{"replaced invalid UTF-8 bytes"},
	}
}

// binaryMagic are the first bytes of common non-text files.
var binaryMagic = []struct {
	prefix string
	kind   string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"\xFF\xD8\xFF", "JPEG image"},
	{"RIFF", "RIFF media (WebP, WAV, AVI)"},
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "zip archive"},
	{"\x1F\x8B", "gzip archive"},
	{"\x7FELF", "executable"},
	{"\x00asm", "WebAssembly module"},
}

// sniffBinary refuses files that are not text: known magic numbers, or
// NUL bytes near the start.
func sniffBinary(data []byte) error {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return fmt.Errorf("%w: looks like a %s", ErrBinary, m.kind)
		}
	}
	head := data[:min(len(data), 8192)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	return nil
}

// sniffControls refuses a file that is not UTF-8 and has many control
// characters near its start. (Valid UTF-8 skips this scan: it costs a pass
// over every file, and such text fails later as no article anyway.)
func sniffControls(data []byte) error {
	head := data[:min(len(data), 8192)]
	controls := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B {
			controls++
		}
	}
	if controls*20 > len(head) {
		return fmt.Errorf("%w: %d control bytes in the first %d", ErrBinary, controls, len(head))
	}
	return nil
}

// metaCharset finds an explicit charset declaration (`<meta charset=…>` or
// `content="…; charset=…"`) near the start of the file, and returns the
// name of the encoding when it is one Broadsheet reads, else "".
func metaCharset(data []byte) string {
	head := bytes.ToLower(data[:min(len(data), 64<<10)])
	for off := 0; ; {
		i := bytes.Index(head[off:], []byte("charset="))
		if i < 0 {
			return ""
		}
		off += i + len("charset=")
		label := charsetLabel(head[off:])
		switch label {
		case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn", "hz-gb-2312":
			return EncodingGB18030
		case "big5", "big5-hkscs", "x-x-big5", "cp950", "windows-950":
			return EncodingBig5
		case "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii":
			return EncodingLatin // browsers read all of these as windows-1252
		}
	}
}

// charsetLabel reads the label after "charset=", without quotes.
func charsetLabel(b []byte) string {
	b = bytes.TrimLeft(b, `"' `)
	end := bytes.IndexFunc(b, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z')
	})
	if end < 0 {
		end = len(b)
	}
	return string(b[:end])
}

// decodeWith decodes the whole file with one encoding.
func decodeWith(data []byte, enc encoding.Encoding, name string) decoded {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil { // x/text decoders replace bad input; stay safe anyway
		out = []byte(strings.ToValidUTF8(string(data), "\uFFFD"))
	}
	return decoded{
		text:     strings.ToValidUTF8(string(out), "\uFFFD"),
		encoding: name,
		warnings: []string{"decoded from " + displayEncoding(name)},
	}
}

// displayEncoding is the name used in warnings.
func displayEncoding(name string) string {
	switch name {
	case EncodingGB18030:
		return "GB18030"
	case EncodingBig5:
		return "Big5"
	case EncodingLatin:
		return "Windows-1252"
	}
	return name
}

// scoreSample is how much of a file the encoding guess looks at.
const scoreSample = 64 << 10

// decodeByScore guesses the encoding of a file that is not valid UTF-8.
// Mostly-UTF-8 text with a few bad bytes stays UTF-8; otherwise the file
// is decoded as GB18030 and as Big5, and the candidate whose text reads
// most like Chinese wins. Western text is read as Windows-1252: before the
// Chinese guesses when the file declares Latin-1 or Windows-1252, after
// them (when neither reads as Chinese) when it does not, so that a few
// Chinese words in an English file and a stale declaration over Chinese
// text both stay Chinese.
func decodeByScore(data []byte, declaredLatin bool) (decoded, error) {
	sample := data[:min(len(data), scoreSample)]
	if mostlyUTF8(sample) {
		return decodeUTF8Lossy(data), nil
	}
	if declaredLatin && latinText(sample) {
		return decodeWindows1252(data), nil
	}
	gb := textScore(decodeSample(sample, simplifiedchinese.GB18030))
	big5 := textScore(decodeSample(sample, traditionalchinese.Big5))
	best, name, enc := gb, EncodingGB18030, encoding.Encoding(simplifiedchinese.GB18030)
	if big5 > gb {
		best, name, enc = big5, EncodingBig5, traditionalchinese.Big5
	}
	if best < 0.5 && (declaredLatin || latinText(sample)) { // stale declarations lose to Chinese
		return decodeWindows1252(data), nil
	}
	if best < 0.5 {
		return decoded{}, fmt.Errorf("%w: not UTF-8, and neither GB18030 (score %.2f) nor Big5 (score %.2f) reads as text", ErrEncoding, gb, big5)
	}
	return decodeWith(data, enc, name), nil
}

// decodeSample decodes the start of a file; a multi-byte sequence cut at
// the end of the sample becomes one replacement character at most.
func decodeSample(sample []byte, enc encoding.Encoding) string {
	out, err := enc.NewDecoder().Bytes(sample)
	if err != nil {
		return ""
	}
	return string(out)
}

// mostlyUTF8 reports whether the invalid bytes of b are few beside its
// valid multi-byte sequences: a damaged UTF-8 file, not a legacy one.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		b = b[size:]
	}
	return valid > 0 && valid >= 8*invalid
}

// textScore is the share of the non-ASCII characters of s that look like
// real Chinese text: common ideographs (GB2312 or Big5 level 1) and CJK
// punctuation. Replacement characters count twice against.
func textScore(s string) float64 {
	good, bad := 0, 0
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case r == utf8.RuneError:
			bad += 2
		case isCommonHan(r), isCJKPunct(r):
			good++
		default:
			bad++
		}
	}
	if good+bad == 0 {
		return 0
	}
	return float64(good) / float64(good+bad)
}

// isCJKPunct reports CJK symbols and punctuation, and full-width forms.
func isCJKPunct(r rune) bool {
	return r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r >= 0x2010 && r <= 0x2027
}
