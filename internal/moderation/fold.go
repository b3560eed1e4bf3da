package moderation

import "unicode"

// foldKind says why fold changed a rune.
type foldKind uint8

const (
	foldNone foldKind = iota
	// foldStyle is a styled form of a Latin letter or digit: fullwidth,
	// mathematical bold or script, circled, small capitals. Such "fonts"
	// are how filters are dodged on platforms without rich text.
	foldStyle
	// foldScript is a letter of another script drawn like a Latin one
	// (Cyrillic "а", Greek "ο"): a homoglyph.
	foldScript
)

// fold maps r to the plain Latin letter or digit it is drawn like, keeping
// its case. Only the shapes a reader takes for Latin are folded: a genuine
// Cyrillic or Greek word is folded in part and then matches no list, which is
// harmless.
func fold(r rune) (rune, foldKind) {
	switch {
	case r < 0x80:
		return r, foldNone
	case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
		return r - 0xFEE0, foldStyle
	case r >= 0x1D400 && r <= 0x1D6A3: // mathematical alphanumerics: 13 styles of A–Z a–z
		i := (r - 0x1D400) % 52
		if i < 26 {
			return 'A' + i, foldStyle
		}
		return 'a' + i - 26, foldStyle
	case r >= 0x1D7CE && r <= 0x1D7FF: // mathematical digits: 5 styles of 0–9
		return '0' + (r-0x1D7CE)%10, foldStyle
	case r >= 0x24B6 && r <= 0x24CF: // circled capitals
		return 'A' + r - 0x24B6, foldStyle
	case r >= 0x24D0 && r <= 0x24E9: // circled small letters
		return 'a' + r - 0x24D0, foldStyle
	case r >= 0x249C && r <= 0x24B5: // parenthesised small letters
		return 'a' + r - 0x249C, foldStyle
	case r >= 0x1F130 && r <= 0x1F189 && (r-0x1F130)%32 < 26: // squared, negative circled and negative squared capitals, 32 apart
		return 'A' + (r-0x1F130)%32, foldStyle
	}
	if f, ok := styled[r]; ok {
		return f, foldStyle
	}
	if f, ok := homoglyphs[r]; ok {
		return f, foldScript
	}
	return r, foldNone
}

// styled holds the letterlike symbols that fill the holes of the
// mathematical alphabets, and small capitals.
var styled = map[rune]rune{
	'ℂ': 'C', 'ℊ': 'g', 'ℋ': 'H', 'ℌ': 'H', 'ℍ': 'H', 'ℎ': 'h', 'ℐ': 'I', 'ℑ': 'I',
	'ℒ': 'L', 'ℓ': 'l', 'ℕ': 'N', 'ℙ': 'P', 'ℚ': 'Q', 'ℛ': 'R', 'ℜ': 'R', 'ℝ': 'R',
	'ℤ': 'Z', 'ℨ': 'Z', 'ℬ': 'B', 'ℭ': 'C', 'ℯ': 'e', 'ℰ': 'E', 'ℱ': 'F', 'ℳ': 'M',
	'ℴ': 'o',
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g', 'ʜ': 'h',
	'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p',
	'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',
}

// homoglyphs are Cyrillic and Greek letters that look like Latin ones in
// common fonts.
var homoglyphs = map[rune]rune{
	// Cyrillic
	'А': 'A', 'а': 'a', 'В': 'B', 'Е': 'E', 'е': 'e', 'К': 'K', 'к': 'k', 'М': 'M',
	'Н': 'H', 'О': 'O', 'о': 'o', 'Р': 'P', 'р': 'p', 'С': 'C', 'с': 'c', 'Т': 'T',
	'у': 'y', 'Х': 'X', 'х': 'x', 'І': 'I', 'і': 'i', 'Ј': 'J', 'ј': 'j', 'Ѕ': 'S',
	'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'Ү': 'Y', 'ү': 'y', 'Һ': 'h', 'һ': 'h',
	// Greek
	'Α': 'A', 'α': 'a', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'ι': 'i',
	'Κ': 'K', 'κ': 'k', 'Μ': 'M', 'Ν': 'N', 'ν': 'v', 'Ο': 'O', 'ο': 'o', 'Ρ': 'P',
	'ρ': 'p', 'Τ': 'T', 'Υ': 'Y', 'υ': 'u', 'Χ': 'X', 'ϲ': 'c',
}

// accents folds the lower-case accented Latin letters of the languages
// Parley's lists cover, so "rückerstattung" and "ruckerstattung" match the
// same entry. "ñ" is kept: Spanish "coño" and "cono" (cone) differ.
var accents = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'ĉ': "c", 'ċ': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g", 'ĥ': "h", 'ħ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ĩ': "i", 'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i",
	'ĵ': "j", 'ķ': "k", 'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ŀ': "l", 'ł': "l",
	'ń': "n", 'ņ': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ŏ': "o", 'ő': "o",
	'ŕ': "r", 'ŗ': "r", 'ř': "r", 'ś': "s", 'ŝ': "s", 'ş': "s", 'š': "s", 'ţ': "t", 'ť': "t", 'ŧ': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'ŵ': "w", 'ý': "y", 'ÿ': "y", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th",
}

// invisible reports whether r draws nothing: format characters (zero-width
// space and joiners, bidirectional controls, soft hyphen, tags) and the blank
// fillers used to post "empty" comments or split a word without a visible gap.
func invisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// punctuation maps look-alike punctuation to ASCII, so "bit。ly" is a link
// and "didn’t" matches "didn't".
var punctuation = map[rune]rune{
	'‘': '\'', '’': '\'', 'ʼ': '\'', '′': '\'', '`': '\'', '´': '\'',
	'“': '"', '”': '"', '„': '"',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-',
	'。': '.', '｡': '.', '․': '.',
}

// isEmoji reports whether r is a pictograph: the blocks emoji are drawn from.
func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF ||
		r >= 0x2300 && r <= 0x23FF || r >= 0x2B00 && r <= 0x2BFF
}
