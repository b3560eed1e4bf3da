package bluesky

import (
	"unicode"
	"unicode/utf8"
)

// Bluesky limits text in graphemes: a post's text has maxGraphemes 300 and
// maxLength 3000 (bytes of UTF-8), a DM's 1000 and 10000 (lexicons
// app.bsky.feed.post and chat.bsky.convo.defs#messageInput). A grapheme is
// an extended grapheme cluster of Unicode's text segmentation (UAX #29),
// what a reader sees as one character: "é" written as e and a combining
// accent, 👍🏽 (thumb and skin tone), 👩‍🚀 (woman, joiner, rocket), 🇫🇷
// (two regional indicators) are one each.
//
// Graphemes implements UAX #29's rules GB3 to GB13 (Unicode 15.0) with the
// standard library's tables for marks, formats and controls, its own
// ranges for Hangul syllables and regional indicators, and a table of
// Extended_Pictographic ranges close to emoji-data.txt's (the standard
// library has none). It leaves out Unicode 15.1's rule GB9c, which joins
// Indic conjuncts (Devanagari क्ष is two clusters here, one there): the
// count can come out higher than Bluesky's, never lower, so a reply it
// passes Bluesky passes too.

// Graphemes returns the number of extended grapheme clusters in s, the
// unit of Bluesky's text limits. Invalid UTF-8 counts one per bad byte.
func Graphemes(s string) int {
	n := 0
	prev := gbNone
	pict := false    // the current cluster so far is ExtPict Extend*
	pictZWJ := false // … and ended with a ZWJ after that
	ri := 0          // regional indicators in a row before this rune
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			// Printable ASCII is Other: a cluster of its own unless a
			// prepended mark comes before it.
			if prev != gbPrepend {
				n++
			}
			prev, pict, pictZWJ, ri = gbOther, false, false, 0
			i++
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		cls := classify(r)
		if prev == gbNone || breaks(prev, cls, pictZWJ, ri) {
			n++
		}
		switch cls {
		case gbPict:
			pict, pictZWJ = true, false
		case gbExtend:
			pictZWJ = false
		case gbZWJ:
			pictZWJ, pict = pict, false
		default:
			pict, pictZWJ = false, false
		}
		if cls == gbRI {
			ri++
		} else {
			ri = 0
		}
		prev = cls
	}
	return n
}

// gbClass is a Grapheme_Cluster_Break value, with Extended_Pictographic
// (which UAX #29 keeps as a separate property) as one more.
type gbClass uint8

const (
	gbNone gbClass = iota
	gbOther
	gbCR
	gbLF
	gbControl
	gbExtend
	gbZWJ
	gbRI
	gbPrepend
	gbSpacingMark
	gbL
	gbV
	gbT
	gbLV
	gbLVT
	gbPict
)

// breaks reports whether a cluster boundary lies between a rune of class
// prev and one of class cur. pictZWJ says the runes before form
// ExtPict Extend* ZWJ; ri counts the regional indicators right before.
func breaks(prev, cur gbClass, pictZWJ bool, ri int) bool {
	switch {
	case prev == gbCR && cur == gbLF: // GB3
		return false
	case prev == gbCR || prev == gbLF || prev == gbControl: // GB4
		return true
	case cur == gbCR || cur == gbLF || cur == gbControl: // GB5
		return true
	case prev == gbL && (cur == gbL || cur == gbV || cur == gbLV || cur == gbLVT): // GB6
		return false
	case (prev == gbLV || prev == gbV) && (cur == gbV || cur == gbT): // GB7
		return false
	case (prev == gbLVT || prev == gbT) && cur == gbT: // GB8
		return false
	case cur == gbExtend || cur == gbZWJ || cur == gbSpacingMark: // GB9, GB9a
		return false
	case prev == gbPrepend: // GB9b
		return false
	case prev == gbZWJ && cur == gbPict && pictZWJ: // GB11
		return false
	case prev == gbRI && cur == gbRI: // GB12, GB13: pairs
		return ri%2 == 0
	}
	return true // GB999
}

func classify(r rune) gbClass {
	switch {
	case r == '\r':
		return gbCR
	case r == '\n':
		return gbLF
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return gbControl
	case r < 0xa9:
		return gbOther
	case r == 0xa9 || r == 0xae:
		return gbPict
	case r == 0xad: // soft hyphen, a format character
		return gbControl
	case r < 0x300:
		return gbOther
	case r == 0x200d:
		return gbZWJ
	case r == 0x200c, r >= 0x1f3fb && r <= 0x1f3ff, r >= 0xe0020 && r <= 0xe007f:
		// ZWNJ, the emoji skin-tone modifiers and the tag characters of
		// subdivision flags are Extend.
		return gbExtend
	case r >= 0x1f1e6 && r <= 0x1f1ff:
		return gbRI
	case r >= 0x1100 && r <= 0x115f, r >= 0xa960 && r <= 0xa97c:
		return gbL
	case r >= 0x1160 && r <= 0x11a7, r >= 0xd7b0 && r <= 0xd7c6:
		return gbV
	case r >= 0x11a8 && r <= 0x11ff, r >= 0xd7cb && r <= 0xd7fb:
		return gbT
	case r >= 0xac00 && r <= 0xd7a3:
		if (r-0xac00)%28 == 0 {
			return gbLV
		}
		return gbLVT
	case unicode.Is(extendedPictographic, r):
		return gbPict
	case unicode.In(r, unicode.Mn, unicode.Me):
		return gbExtend
	case unicode.Is(unicode.Mc, r):
		return gbSpacingMark
	case unicode.Is(prepend, r):
		return gbPrepend
	case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Cc):
		return gbControl
	}
	return gbOther
}

// prepend is the Prepended_Concatenation_Mark characters, format
// characters that join the cluster after them (GB9b).
var prepend = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0600, Hi: 0x0605, Stride: 1},
		{Lo: 0x06dd, Hi: 0x06dd, Stride: 1},
		{Lo: 0x070f, Hi: 0x070f, Stride: 1},
		{Lo: 0x0890, Hi: 0x0891, Stride: 1},
		{Lo: 0x08e2, Hi: 0x08e2, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x110bd, Hi: 0x110bd, Stride: 1},
		{Lo: 0x110cd, Hi: 0x110cd, Stride: 1},
	},
}

// extendedPictographic approximates the Extended_Pictographic property of
// emoji-data.txt (Unicode 15): the emoji blocks whole, reserved code points
// included as the property does, and the older symbols that are emoji.
// Ranges are sorted and disjoint, as unicode.Is requires; regional
// indicators and skin-tone modifiers are classified before this table is
// consulted.
var extendedPictographic = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x203c, Hi: 0x203c, Stride: 1},
		{Lo: 0x2049, Hi: 0x2049, Stride: 1},
		{Lo: 0x2122, Hi: 0x2122, Stride: 1},
		{Lo: 0x2139, Hi: 0x2139, Stride: 1},
		{Lo: 0x2194, Hi: 0x2199, Stride: 1},
		{Lo: 0x21a9, Hi: 0x21aa, Stride: 1},
		{Lo: 0x231a, Hi: 0x231b, Stride: 1},
		{Lo: 0x2328, Hi: 0x2328, Stride: 1},
		{Lo: 0x2388, Hi: 0x2388, Stride: 1},
		{Lo: 0x23cf, Hi: 0x23cf, Stride: 1},
		{Lo: 0x23e9, Hi: 0x23f3, Stride: 1},
		{Lo: 0x23f8, Hi: 0x23fa, Stride: 1},
		{Lo: 0x24c2, Hi: 0x24c2, Stride: 1},
		{Lo: 0x25aa, Hi: 0x25ab, Stride: 1},
		{Lo: 0x25b6, Hi: 0x25b6, Stride: 1},
		{Lo: 0x25c0, Hi: 0x25c0, Stride: 1},
		{Lo: 0x25fb, Hi: 0x25fe, Stride: 1},
		{Lo: 0x2600, Hi: 0x2605, Stride: 1},
		{Lo: 0x2607, Hi: 0x2612, Stride: 1},
		{Lo: 0x2614, Hi: 0x2685, Stride: 1},
		{Lo: 0x2690, Hi: 0x2705, Stride: 1},
		{Lo: 0x2708, Hi: 0x2712, Stride: 1},
		{Lo: 0x2714, Hi: 0x2714, Stride: 1},
		{Lo: 0x2716, Hi: 0x2716, Stride: 1},
		{Lo: 0x271d, Hi: 0x271d, Stride: 1},
		{Lo: 0x2721, Hi: 0x2721, Stride: 1},
		{Lo: 0x2728, Hi: 0x2728, Stride: 1},
		{Lo: 0x2733, Hi: 0x2734, Stride: 1},
		{Lo: 0x2744, Hi: 0x2744, Stride: 1},
		{Lo: 0x2747, Hi: 0x2747, Stride: 1},
		{Lo: 0x274c, Hi: 0x274c, Stride: 1},
		{Lo: 0x274e, Hi: 0x274e, Stride: 1},
		{Lo: 0x2753, Hi: 0x2755, Stride: 1},
		{Lo: 0x2757, Hi: 0x2757, Stride: 1},
		{Lo: 0x2763, Hi: 0x2767, Stride: 1},
		{Lo: 0x2795, Hi: 0x2797, Stride: 1},
		{Lo: 0x27a1, Hi: 0x27a1, Stride: 1},
		{Lo: 0x27b0, Hi: 0x27b0, Stride: 1},
		{Lo: 0x27bf, Hi: 0x27bf, Stride: 1},
		{Lo: 0x2934, Hi: 0x2935, Stride: 1},
		{Lo: 0x2b05, Hi: 0x2b07, Stride: 1},
		{Lo: 0x2b1b, Hi: 0x2b1c, Stride: 1},
		{Lo: 0x2b50, Hi: 0x2b50, Stride: 1},
		{Lo: 0x2b55, Hi: 0x2b55, Stride: 1},
		{Lo: 0x3030, Hi: 0x3030, Stride: 1},
		{Lo: 0x303d, Hi: 0x303d, Stride: 1},
		{Lo: 0x3297, Hi: 0x3297, Stride: 1},
		{Lo: 0x3299, Hi: 0x3299, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x1f000, Hi: 0x1f0ff, Stride: 1},
		{Lo: 0x1f10d, Hi: 0x1f10f, Stride: 1},
		{Lo: 0x1f12f, Hi: 0x1f12f, Stride: 1},
		{Lo: 0x1f16c, Hi: 0x1f171, Stride: 1},
		{Lo: 0x1f17e, Hi: 0x1f17f, Stride: 1},
		{Lo: 0x1f18e, Hi: 0x1f18e, Stride: 1},
		{Lo: 0x1f191, Hi: 0x1f19a, Stride: 1},
		{Lo: 0x1f1ad, Hi: 0x1f1e5, Stride: 1},
		{Lo: 0x1f201, Hi: 0x1f20f, Stride: 1},
		{Lo: 0x1f21a, Hi: 0x1f21a, Stride: 1},
		{Lo: 0x1f22f, Hi: 0x1f22f, Stride: 1},
		{Lo: 0x1f232, Hi: 0x1f23a, Stride: 1},
		{Lo: 0x1f23c, Hi: 0x1f23f, Stride: 1},
		{Lo: 0x1f249, Hi: 0x1f3fa, Stride: 1},
		{Lo: 0x1f400, Hi: 0x1f53d, Stride: 1},
		{Lo: 0x1f546, Hi: 0x1f64f, Stride: 1},
		{Lo: 0x1f680, Hi: 0x1f6ff, Stride: 1},
		{Lo: 0x1f774, Hi: 0x1f77f, Stride: 1},
		{Lo: 0x1f7d5, Hi: 0x1f7ff, Stride: 1},
		{Lo: 0x1f80c, Hi: 0x1f80f, Stride: 1},
		{Lo: 0x1f848, Hi: 0x1f84f, Stride: 1},
		{Lo: 0x1f85a, Hi: 0x1f85f, Stride: 1},
		{Lo: 0x1f888, Hi: 0x1f88f, Stride: 1},
		{Lo: 0x1f8ae, Hi: 0x1f8ff, Stride: 1},
		{Lo: 0x1f90c, Hi: 0x1f93a, Stride: 1},
		{Lo: 0x1f93c, Hi: 0x1f945, Stride: 1},
		{Lo: 0x1f947, Hi: 0x1faff, Stride: 1},
		{Lo: 0x1fc00, Hi: 0x1fffd, Stride: 1},
	},
}
