package mastodon

import "unicode"

// Mastodon counts a post's length in grapheme clusters
// (StatusLengthValidator#countable_length is
// str.each_grapheme_cluster.size), what a reader sees as one character: an
// emoji with its skin tone, a family joined by ZWJs, a flag of two regional
// indicators or a letter with its accents each count 1. The standard
// library has no segmentation, so graphemes applies the rules of UAX #29
// (unicode.org/reports/tr29, GB3 to GB13) with the character properties
// approximated from the unicode package's categories and a table of the
// emoji ranges. Two simplifications: spacing marks are taken to be all of
// category Mc, and the Indic conjunct rule (GB9c, Unicode 15.1) is not
// applied, so a Devanagari conjunct counts 2 where a Ruby with Unicode
// 15.1 counts 1. Both can only make Parley count more than Mastodon, which
// refuses a reply a little early rather than letting through one the
// instance would reject.

type gcb uint8

// Grapheme_Cluster_Break values that the rules tell apart.
const (
	gcbOther gcb = iota
	gcbCR
	gcbLF
	gcbControl
	gcbExtend
	gcbZWJ
	gcbRI
	gcbPrepend
	gcbSpacingMark
	gcbL
	gcbV
	gcbT
	gcbLV
	gcbLVT
)

// graphemes returns the number of grapheme clusters in s.
func graphemes(s string) int {
	n := 0
	var prev gcb
	ri := 0          // regional indicators in a row, up to prev
	pict := false    // prev ends Extended_Pictographic Extend*
	pictZWJ := false // prev is a ZWJ after Extended_Pictographic Extend*
	for i, r := range s {
		c := gcbOf(r)
		if i == 0 || breaks(prev, c, ri, pictZWJ && extPict(r)) {
			n++
		}
		switch {
		case c == gcbRI:
			ri++
		default:
			ri = 0
		}
		pict, pictZWJ = extPict(r) || pict && c == gcbExtend, pict && c == gcbZWJ
		prev = c
	}
	return n
}

// breaks reports whether a cluster boundary falls between a character of
// class a and one of class b.
func breaks(a, b gcb, ri int, zwjPict bool) bool {
	switch {
	case a == gcbCR && b == gcbLF: // GB3
		return false
	case a == gcbCR || a == gcbLF || a == gcbControl: // GB4
		return true
	case b == gcbCR || b == gcbLF || b == gcbControl: // GB5
		return true
	case a == gcbL && (b == gcbL || b == gcbV || b == gcbLV || b == gcbLVT): // GB6
		return false
	case (a == gcbLV || a == gcbV) && (b == gcbV || b == gcbT): // GB7
		return false
	case (a == gcbLVT || a == gcbT) && b == gcbT: // GB8
		return false
	case b == gcbExtend || b == gcbZWJ || b == gcbSpacingMark: // GB9, GB9a
		return false
	case a == gcbPrepend: // GB9b
		return false
	case zwjPict: // GB11
		return false
	case a == gcbRI && b == gcbRI: // GB12, GB13: flags pair up
		return ri%2 == 0
	}
	return true // GB999
}

func gcbOf(r rune) gcb {
	switch {
	case r < 0x7f:
		switch {
		case r == '\r':
			return gcbCR
		case r == '\n':
			return gcbLF
		case r < 0x20:
			return gcbControl
		}
		return gcbOther
	case r == 0x200d:
		return gcbZWJ
	case r == 0x200c, r >= 0x1f3fb && r <= 0x1f3ff, r >= 0xe0020 && r <= 0xe007f, r == 0xff9e, r == 0xff9f:
		// ZWNJ, emoji skin tones, tag characters (subdivision flags),
		// halfwidth kana voicing marks.
		return gcbExtend
	case r >= 0x1f1e6 && r <= 0x1f1ff:
		return gcbRI
	case unicode.In(r, prepend):
		return gcbPrepend
	case r >= 0x1100 && r <= 0x115f, r >= 0xa960 && r <= 0xa97c:
		return gcbL
	case r >= 0x1160 && r <= 0x11a7, r >= 0xd7b0 && r <= 0xd7c6:
		return gcbV
	case r >= 0x11a8 && r <= 0x11ff, r >= 0xd7cb && r <= 0xd7fb:
		return gcbT
	case r >= 0xac00 && r <= 0xd7a3:
		if (r-0xac00)%28 == 0 {
			return gcbLV
		}
		return gcbLVT
	case unicode.In(r, unicode.Mn, unicode.Me):
		return gcbExtend
	case unicode.Is(unicode.Mc, r), r == 0x0e33, r == 0x0eb3:
		return gcbSpacingMark
	case unicode.In(r, unicode.Cc, unicode.Zl, unicode.Zp, unicode.Cf):
		return gcbControl
	}
	return gcbOther
}

// prepend is Grapheme_Cluster_Break=Prepend: signs written before the
// character they belong to.
var prepend = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x0600, 0x0605, 1}, {0x06dd, 0x06dd, 1}, {0x070f, 0x070f, 1},
		{0x0890, 0x0891, 1}, {0x08e2, 0x08e2, 1}, {0x0d4e, 0x0d4e, 1},
	},
	R32: []unicode.Range32{
		{0x110bd, 0x110bd, 1}, {0x110cd, 0x110cd, 1}, {0x111c2, 0x111c3, 1},
		{0x1193f, 0x1193f, 1}, {0x11941, 0x11941, 1}, {0x11a3a, 0x11a3a, 1},
		{0x11a84, 0x11a89, 1}, {0x11d46, 0x11d46, 1}, {0x11f02, 0x11f02, 1},
	},
}

func extPict(r rune) bool {
	return r >= 0xa9 && unicode.Is(extendedPictographic, r)
}

// extendedPictographic is Extended_Pictographic of Unicode's emoji-data.txt,
// the characters that emoji ZWJ sequences join (GB11), with the unassigned
// code points it reserves for future emoji.
var extendedPictographic = &unicode.RangeTable{
	R16: []unicode.Range16{
		{0x00a9, 0x00a9, 1}, {0x00ae, 0x00ae, 1}, {0x203c, 0x203c, 1}, {0x2049, 0x2049, 1},
		{0x2122, 0x2122, 1}, {0x2139, 0x2139, 1}, {0x2194, 0x2199, 1}, {0x21a9, 0x21aa, 1},
		{0x231a, 0x231b, 1}, {0x2328, 0x2328, 1}, {0x2388, 0x2388, 1}, {0x23cf, 0x23cf, 1},
		{0x23e9, 0x23f3, 1}, {0x23f8, 0x23fa, 1}, {0x24c2, 0x24c2, 1}, {0x25aa, 0x25ab, 1},
		{0x25b6, 0x25b6, 1}, {0x25c0, 0x25c0, 1}, {0x25fb, 0x25fe, 1}, {0x2600, 0x2605, 1},
		{0x2607, 0x2612, 1}, {0x2614, 0x2685, 1}, {0x2690, 0x2705, 1}, {0x2708, 0x2712, 1},
		{0x2714, 0x2714, 1}, {0x2716, 0x2716, 1}, {0x271d, 0x271d, 1}, {0x2721, 0x2721, 1},
		{0x2728, 0x2728, 1}, {0x2733, 0x2734, 1}, {0x2744, 0x2744, 1}, {0x2747, 0x2747, 1},
		{0x274c, 0x274c, 1}, {0x274e, 0x274e, 1}, {0x2753, 0x2755, 1}, {0x2757, 0x2757, 1},
		{0x2763, 0x2767, 1}, {0x2795, 0x2797, 1}, {0x27a1, 0x27a1, 1}, {0x27b0, 0x27b0, 1},
		{0x27bf, 0x27bf, 1}, {0x2934, 0x2935, 1}, {0x2b05, 0x2b07, 1}, {0x2b1b, 0x2b1c, 1},
		{0x2b50, 0x2b50, 1}, {0x2b55, 0x2b55, 1}, {0x3030, 0x3030, 1}, {0x303d, 0x303d, 1},
		{0x3297, 0x3297, 1}, {0x3299, 0x3299, 1},
	},
	R32: []unicode.Range32{
		{0x1f000, 0x1f0ff, 1}, {0x1f10d, 0x1f10f, 1}, {0x1f12f, 0x1f12f, 1}, {0x1f16c, 0x1f171, 1},
		{0x1f17e, 0x1f17f, 1}, {0x1f18e, 0x1f18e, 1}, {0x1f191, 0x1f19a, 1}, {0x1f1ad, 0x1f1e5, 1},
		{0x1f201, 0x1f20f, 1}, {0x1f21a, 0x1f21a, 1}, {0x1f22f, 0x1f22f, 1}, {0x1f232, 0x1f23a, 1},
		{0x1f23c, 0x1f23f, 1}, {0x1f249, 0x1f3fa, 1}, {0x1f400, 0x1f53d, 1}, {0x1f546, 0x1f64f, 1},
		{0x1f680, 0x1f6ff, 1}, {0x1f774, 0x1f77f, 1}, {0x1f7d5, 0x1f7ff, 1}, {0x1f80c, 0x1f80f, 1},
		{0x1f848, 0x1f84f, 1}, {0x1f85a, 0x1f85f, 1}, {0x1f888, 0x1f88f, 1}, {0x1f8ae, 0x1f8ff, 1},
		{0x1f90c, 0x1f93a, 1}, {0x1f93c, 0x1f945, 1}, {0x1f947, 0x1faff, 1}, {0x1fc00, 0x1fffd, 1},
	},
}
