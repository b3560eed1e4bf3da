package x

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The character classes of twitter-text's URL regex (Regex.java), matched
// ASCII case-insensitively as the regex is compiled.

// validPrecedingRune: [^a-z0-9@＠$#＃\uFFFE\uFEFF\uFFFF], case-insensitive.
// The directional characters, the regex's second choice, are all in it.
func validPrecedingRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf && isAlnum(byte(r)), r == '@', r == '＠', r == '$', r == '#', r == '＃',
		r == 0xFFFE, r == 0xFEFF, r == 0xFFFF:
		return false
	}
	return true
}

// isURLChar is URL_VALID_CHARS: [a-z0-9] and the Latin accents.
func isURLChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return isLatinAccent(r)
}

func isLabelRune(r rune) bool { return r == '-' || r == '_' || isURLChar(r) }

// isLatinAccent is LATIN_ACCENTS_CHARS.
func isLatinAccent(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x24F,
		r >= 0x300 && r <= 0x36F, r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	switch r {
	case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
		return true
	}
	return false
}

// isUnicodeDomainRune is URL_VALID_UNICODE_CHARS: anything but ASCII
// punctuation, Java's \s, Unicode separators and the General Punctuation
// block.
func isUnicodeDomainRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf && strings.ContainsRune(asciiPunctuation, r),
		r == ' ', r == '\t', r == '\n', r == '\v', r == '\f', r == '\r',
		unicode.Is(unicode.Z, r), r >= 0x2000 && r <= 0x206F:
		return false
	}
	return true
}

const asciiPunctuation = "-_!\"#$%&'()*+,./:;<=>?@[]^`{|}~"

// isPathRune is URL_VALID_GENERAL_PATH_CHARS.
func isPathRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r)) || strings.IndexByte("!*';:=+,.$/%#[]-_~|&@", byte(r)) >= 0
	}
	return r == 0x2013 || isLatinAccent(r) || r >= 0x400 && r <= 0x4FF
}

// isPathEndingRune is URL_VALID_PATH_ENDING_CHARS without the parentheses.
func isPathEndingRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r)) || strings.IndexByte("=_#/-+", byte(r)) >= 0
	}
	return isLatinAccent(r) || r >= 0x400 && r <= 0x4FF
}

const (
	queryChars       = "abcdefghijklmnopqrstuvwxyz0123456789!?*'();:&=+$/%#[]-_.,~|@"
	queryEndingChars = "abcdefghijklmnopqrstuvwxyz0123456789-_&=#/"
)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isAlnum(b byte) bool {
	b = lower(b)
	return b >= 'a' && b <= 'z' || isDigit(b)
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf16Len is the length of s in Java chars.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
