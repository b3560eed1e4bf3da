// Package fold turns letters into the form text is matched in: lower-case,
// without diacritics, full-width and "bold" letters undone. Topic rules
// and listening terms match what customers type, however they type it.
package fold

import (
	"unicode"
	"unicode/utf8"
)

// foldGroups lists, after each base letter, the lower-case letters that fold
// to it: Latin letters with diacritics (Latin-1, Extended-A and -B, and the
// Vietnamese of Latin Extended Additional), letters with a stroke that
// people type without it, Greek with tonos or dialytika, and Russian ё.
// People write "reembolso", "remboursé" and "rembourse", "Nestlé" and
// "Nestle" alike, and neither a topic rule nor a listening term should
// need each spelling.
var foldGroups = [...]string{
	"aàáâãäåāăąǎǟǡǻȁȃȧḁạảấầẩẫậắằẳẵặ",
	"bḃḅḇƀ",
	"cçćĉċčḉ",
	"dďḋḍḏḑḓđð",
	"eèéêëēĕėęěȅȇȩḕḗḙḛḝẹẻẽếềểễệ",
	"fḟ",
	"gĝğġģǧǵḡǥ",
	"hĥȟḣḥḧḩḫẖħ",
	"iìíîïĩīĭįǐȉȋḭḯỉịıɨ",
	"jĵǰ",
	"kķǩḱḳḵ",
	"lĺļľḷḹḻḽłŀ",
	"mḿṁṃ",
	"nñńņňǹṅṇṉṋ",
	"oòóôõöōŏőơǒǫǭȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợøǿ",
	"pṕṗ",
	"rŕŗřȑȓṙṛṝṟ",
	"sśŝşšșṡṣṥṧṩſẛ",
	"tţťțṫṭṯṱẗŧ",
	"uùúûüũūŭůűųưǔǖǘǚǜȕȗṳṵṷṹṻụủứừửữự",
	"vṽṿ",
	"wŵẁẃẅẇẉẘ",
	"xẋẍ",
	"yýÿŷȳẏẙỳỵỷỹ",
	"zźżžẑẓẕƶ",
	"αά",
	"εέ",
	"ηή",
	"ιΐίϊ",
	"οό",
	"υΰϋύ",
	"ωώ",
	"σς",
	"её",
}

// foldWide maps letters that stand for two.
var foldWide = map[rune]string{
	'ß': "ss", 'æ': "ae", 'ǣ': "ae", 'ǽ': "ae", 'œ': "oe", 'þ': "th", 'ĳ': "ij",
}

var foldOne = func() map[rune]rune {
	m := make(map[rune]rune, 400)
	for _, g := range foldGroups {
		var base rune = -1
		for _, r := range g {
			if base < 0 {
				base = r
				continue
			}
			m[r] = base
		}
	}
	return m
}()

// Append appends the letter or digit r to b lower-cased and without its
// diacritics. It also undoes the full-width letters and the "𝗯𝗼𝗹𝗱"
// Mathematical Alphanumeric letters that posts use for emphasis (and
// spammers to slip past filters), so that "𝗔𝗰𝗺𝗲" is a mention of acme.
func Append(b []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	case 0xFF21 <= r && r <= 0xFF3A: // Ａ–Ｚ
		return append(b, byte(r-0xFF21+'a'))
	case 0xFF41 <= r && r <= 0xFF5A: // ａ–ｚ
		return append(b, byte(r-0xFF41+'a'))
	case 0xFF10 <= r && r <= 0xFF19: // ０–９
		return append(b, byte(r-0xFF10+'0'))
	case 0x1D400 <= r && r <= 0x1D6A3: // 13 alphabets of A–Z, a–z
		return append(b, byte((r-0x1D400)%52%26+'a'))
	case 0x1D7CE <= r && r <= 0x1D7FF: // 5 sets of 0–9
		return append(b, byte((r-0x1D7CE)%10+'0'))
	}
	r = unicode.ToLower(r)
	if s, ok := foldWide[r]; ok {
		return append(b, s...)
	}
	if f, ok := foldOne[r]; ok {
		r = f
	}
	return utf8.AppendRune(b, r)
}
