package sms

// Encoding is the character set an SMS is sent in.
type Encoding string

// Encodings of GSM 03.38 (3GPP TS 23.038): GSM-7 when every character is in
// the GSM 7-bit default alphabet or its extension table, UCS-2 (UTF-16 on
// modern handsets) otherwise.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// Characters per segment. A concatenated message gives up part of each
// segment to the user data header that numbers the parts: 7 septets of 160,
// 3 UTF-16 code units of 70 (3GPP TS 23.040 §9.2.3.24.1).
const (
	gsmSingle  = 160
	gsmMulti   = 153
	ucs2Single = 70
	ucs2Multi  = 67
)

// gsmBasic is the GSM 7-bit default alphabet in code order, 0x00 to 0x7F,
// with the escape 0x1B as a space placeholder that is never matched (the
// real space is at 0x20).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x00ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension are the characters of the default extension table, each sent
// as the escape 0x1B and one more septet.
const gsmExtension = "\f^{}\\[~]|€"

// gsmTable is the cost in septets of each character below U+0400, 0 when
// GSM-7 cannot carry it: every character of both tables is there (Latin-1
// and Greek capitals) but the euro sign, which gsmCost handles.
var gsmTable = func() (t [0x400]uint8) {
	for _, r := range gsmBasic {
		if r != 0 {
			t[r] = 1
		}
	}
	for _, r := range gsmExtension {
		if r < 0x400 {
			t[r] = 2
		}
	}
	return t
}()

// gsmCost is r's length in GSM-7 septets, 0 if GSM-7 cannot carry it.
func gsmCost(r rune) int {
	switch {
	case r >= 0 && r < 0x400:
		return int(gsmTable[r])
	case r == '€':
		return 2
	}
	return 0
}

// ucs2Cost is r's length in UTF-16 code units: 2 for characters outside the
// Basic Multilingual Plane (most emoji), which handsets send as surrogate
// pairs. Invalid UTF-8 decodes as U+FFFD, one unit.
func ucs2Cost(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// Segments says how text travels as SMS: its encoding; how many segments
// (billed messages) it takes, 0 for empty text; how many units fit in each
// of them (160 or 153 septets for GSM-7, 70 or 67 UTF-16 code units for
// UCS-2, the smaller figure once the text needs more than one segment); and
// its length in those units. In GSM-7 the characters of the extension table
// (^ { } \ [ ~ ] | € and form feed) count 2; in UCS-2 a character outside
// the Basic Multilingual Plane, such as most emoji, counts 2. A segment never
// ends between the two septets of an extension character or the two halves
// of a surrogate pair, so a long text can need one segment more than its
// units divided by the segment size.
//
// One character outside GSM-7, even a curly quote, sends the whole text as
// UCS-2. Twilio's Smart Encoding, when enabled on a Messaging Service,
// replaces some such characters with GSM-7 look-alikes first; Segments
// counts the text as written.
func Segments(text string) (enc Encoding, segments int, perSegment int, units int) {
	gsm, septets, codeUnits := true, 0, 0
	for _, r := range text {
		if gsm {
			if c := gsmCost(r); c > 0 {
				septets += c
			} else {
				gsm = false
			}
		}
		codeUnits += ucs2Cost(r)
	}
	enc, units, single, multi := GSM7, septets, gsmSingle, gsmMulti
	if !gsm {
		enc, units, single, multi = UCS2, codeUnits, ucs2Single, ucs2Multi
	}
	switch {
	case units == 0:
		return enc, 0, single, 0
	case units <= single:
		return enc, 1, single, units
	}
	// Fill segments in order; a character that does not fit whole in what
	// is left of one starts the next.
	segments, used := 1, 0
	for _, r := range text {
		c := ucs2Cost(r)
		if gsm {
			c = gsmCost(r)
		}
		if used+c > multi {
			segments, used = segments+1, 0
		}
		used += c
	}
	return enc, segments, multi, units
}

// bodyLength is text's length as Twilio counts it against the 1,600
// character limit of a message body: in UTF-16 code units, so an emoji
// counts 2 (".../docs/api/errors/21617": "emojis, emoticons or non-GSM
// characters will be counted as multiple characters").
func bodyLength(text string) int {
	n := 0
	for _, r := range text {
		n += ucs2Cost(r)
	}
	return n
}
