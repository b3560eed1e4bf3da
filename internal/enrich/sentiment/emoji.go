package sentiment

import "strings"

// emojiValence is the valence of the pictographs customers use most in care
// traffic. Skin tones, variation selectors and zero-width joiners are
// ignored, so "👍🏽" counts as "👍". Laughter is only mildly positive: in
// complaints "😂" is as often bitter as amused.
var emojiValence = map[rune]float64{
	// Anger, disgust, disappointment.
	'😡': -3.0, '🤬': -3.4, '😤': -2.4, '😠': -2.6, '👎': -2.4, '💔': -2.4, '🙄': -1.9,
	'😒': -1.8, '😞': -2.0, '😔': -1.6, '😟': -1.6, '😢': -2.0, '😭': -1.8, '😩': -2.1,
	'😫': -2.1, '😖': -2.0, '😣': -1.8, '😓': -1.4, '😥': -1.6, '😕': -1.4, '🙁': -1.5,
	'☹': -2.0, '😦': -1.4, '😧': -1.6, '😨': -1.6, '😰': -1.8, '😱': -1.8, '🤢': -2.5,
	'🤮': -3.0, '💩': -2.6, '🖕': -3.2, '🤡': -2.2, '🤦': -2.0, '😑': -1.0, '😐': -0.6,
	'😬': -1.0, '🙃': -1.2, '😪': -1.0, '😴': -0.6, '🥶': -0.8, '🥵': -0.8, '⚠': -0.5,
	'❌': -1.4, '🚫': -1.4, '🐌': -1.2, '🗑': -2.0, '😾': -2.0, '💀': -0.8, '🫠': -1.0,
	'😮': -0.3, '🤯': -1.0, '🥲': -0.6, '🤨': -0.8,
	// Thanks, love, joy.
	'🙏': 1.6, '❤': 2.8, '🧡': 2.6, '💛': 2.6, '💚': 2.6, '💙': 2.6, '💜': 2.6, '🤍': 2.4,
	'💕': 2.7, '💖': 2.7, '💗': 2.7, '💓': 2.6, '💞': 2.6, '💘': 2.4, '😍': 3.0, '🥰': 3.0,
	'😘': 2.2, '🤩': 3.0, '👍': 2.0, '👌': 1.9, '🎉': 2.4, '🥳': 2.6, '🙌': 2.4, '👏': 1.8,
	'😊': 2.2, '☺': 2.0, '🙂': 1.2, '😀': 2.0, '😃': 2.2, '😄': 2.2, '😁': 2.2, '😆': 1.6,
	'😂': 0.8, '🤣': 0.8, '😅': 0.4, '😋': 2.2, '🔥': 1.8, '⭐': 1.6, '🌟': 2.0, '✨': 1.2,
	'💯': 2.0, '😎': 1.6, '🥂': 2.0, '🍾': 1.6, '✅': 1.0, '💪': 1.6, '🤗': 2.2, '😇': 1.8,
	'🏆': 1.8, '🫶': 2.6, '💐': 2.0, '🌈': 1.2, '☀': 0.8, '🤝': 1.4, '🥇': 1.8, '😌': 1.2,
	'👑': 1.4, '💝': 2.4, '🎊': 2.2, '😻': 2.6,
}

// isEmoji reports whether r is a pictograph, including ones without a
// valence, so that a neutral emoji still separates words.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return false
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF,
		r >= 0x2190 && r <= 0x21FF, r >= 0x2300 && r <= 0x23FF:
		return true
	}
	return false
}

// emoticons are ASCII faces, longest first so ":-((" is not read as ":-(".
var emoticons = []struct {
	face string
	val  float64
	// word is true for faces that end in a letter (":D", ":P"), which must
	// not run into a word (":Don't").
	word bool
}{
	{">:(", -2.8, false}, {">:-(", -2.8, false}, {":'(", -2.2, false}, {":'-(", -2.2, false},
	{":-((", -2.4, false}, {":((", -2.4, false}, {":-(", -2.0, false}, {":(", -2.0, false},
	{"=(", -2.0, false}, {":[", -1.8, false}, {":-/", -1.2, false}, {":/", -1.2, false},
	{":\\", -1.2, false}, {":-|", -0.6, false}, {":|", -0.6, false}, {"</3", -2.4, false},
	{":-))", 2.4, false}, {":))", 2.4, false}, {":-)", 2.0, false}, {":)", 2.0, false},
	{"=)", 2.0, false}, {":]", 1.8, false}, {";-)", 1.4, false}, {";)", 1.4, false},
	{"<33", 2.6, false}, {"<3", 2.6, false}, {":-D", 2.4, true}, {":D", 2.4, true},
	{"xD", 1.4, true}, {"XD", 1.4, true}, {":P", 1.0, true}, {":p", 1.0, true},
	{":-P", 1.0, true}, {":-p", 1.0, true}, {":O", -0.4, true}, {":o", -0.4, true},
}

// emoticonStart marks the bytes that start an emoticon, so that the
// tokenizer calls emoticonAt only where one may be.
var emoticonStart = func() (b [256]bool) {
	for _, e := range emoticons {
		b[e.face[0]] = true
	}
	return b
}()

// emoticonAt returns the length and valence of an emoticon at the start of
// s, or 0. Faces made of letters need a space before them ("xD" but not
// "boxD").
func emoticonAt(s string, afterSpace bool) (int, float64) {
	if s == "" || !emoticonStart[s[0]] {
		return 0, 0
	}
	for _, e := range emoticons {
		if !strings.HasPrefix(s, e.face) {
			continue
		}
		if e.face[0] == 'x' || e.face[0] == 'X' {
			if !afterSpace {
				continue
			}
		}
		if n := len(e.face); n < len(s) && e.word && isWordByte(s[n]) {
			continue
		}
		return len(e.face), e.val
	}
	return 0, 0
}
