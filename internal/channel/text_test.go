package channel

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "plain", 100, "plain"},
		{"empty", "", 100, ""},
		{"tab and newline stay", "a\tb\nc", 100, "a\tb\nc"},
		{"C0 and DEL go", "a\x00b\x07c\td\ne\x7f", 100, "abc\td\ne"},
		{"C1 goes", "\x00x\x07y\u0085z\u009f", 100, "xyz"},
		{"CRLF", "a\r\nb", 100, "a\nb"},
		{"lone CR is a line break", "a\r\nb\rc", 100, "a\nb\nc"},
		{"CR CR LF", "a\r\r\nb", 100, "a\n\nb"},
		{"CR then a control then LF", "a\r\x00\nb", 100, "a\n\nb"},
		{"trailing CR", "a\r", 100, "a\n"},
		{"invalid byte", "bad \xff utf8", 100, "bad \uFFFD utf8"},
		{"a run of invalid bytes is one", "\xff\xfe\xc3ok", 100, "\uFFFDok"},
		{"invalid runs apart", "\xff\x01\xff", 100, "\uFFFD\uFFFD"},
		{"U+FFFD itself stays", "\uFFFD", 100, "\uFFFD"},
		{"spaces stay", "  pad  ", 100, "  pad  "},
		{"bidi controls stay in text", "a\u202Eb", 100, "a\u202Eb"},
		{"exactly max", "abcde", 5, "abcde"},
		{"cut with an ellipsis", "abcdef", 5, "ab…"},
		{"never cuts a rune in two", "日本語", 7, "日…"},
		{"ellipsis alone", "日本", 5, "…"},
		{"below an ellipsis, no ellipsis", "héllo", 2, "h"},
		{"max 0", "abc", 0, ""},
		{"max negative", "abc", -1, ""},
		{"empty at max 0", "", 0, ""},
		{"no bound", "a\x00b", math.MaxInt, "ab"},
		{"cleaned first, then cut", "a\x00\x00\x00bcd", 4, "abcd"},
		{"a replacement counts three bytes", "ab\xffcd", 6, "ab…"},
		{"CRLF counts as one byte", "abc\r\ndef", 7, "abc\ndef"},
	} {
		if got := CleanText(tt.in, tt.max); got != tt.want {
			t.Errorf("%s: CleanText(%q, %d) = %q, want %q", tt.name, tt.in, tt.max, got, tt.want)
		}
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	family := "Fam \U0001F468\u200D\U0001F469\u200D\U0001F467"
	for _, tt := range []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "Ana Lima", 100, "Ana Lima"},
		{"empty", "", 100, ""},
		{"white space and controls are one space", "  Ana\n\t\x00Lima\r ", 100, "Ana Lima"},
		{"other spaces", "Ana\u00a0\u2028\u3000Lima\u0085", 100, "Ana Lima"},
		{"zero-width and other invisible format characters go", "A\u200Bna\uFEFF Li\u00ADma\u2060", 100, "Ana Lima"},
		{"subdivision flags keep their tags", "Fiona \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 100, "Fiona \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"},
		{"only spaces", " \t\n ", 100, ""},
		{"joiners stay", family, 100, family},
		{"variation selector stays", "I \u2764\uFE0F tea", 100, "I \u2764\uFE0F tea"},
		{"non-joiner stays", "\u0645\u200C\u06CC", 100, "\u0645\u200C\u06CC"},
		{"override goes", "evil\u202Egnp.exe", 100, "evilgnp.exe"},
		{"every bidi control goes", "a\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069b", 100, "ab"},
		{"bidi control between spaces", "a \u200F b", 100, "a b"},
		{"bidi control alone", "\u202E", 100, ""},
		{"invalid byte", "bad\xffutf8", 100, "bad\uFFFDutf8"},
		{"C1 goes", "a\u0080\u009fb", 100, "a b"},
		{"DEL goes", "a\x7fb", 100, "a b"},
		{"cut with an ellipsis", strings.Repeat("é", 400), 512, strings.Repeat("é", (512-len("…"))/2) + "…"},
		{"no space before the ellipsis", "abc defgh", 7, "abc…"},
		{"no space at a cut without ellipsis", "a bc", 2, "a"},
		{"spaces do not count before the cut", "a     b", 3, "a b"},
		{"max 0", "abc", 0, ""},
		{"max negative", "abc", -5, ""},
		{"no bound", " a\x00b ", math.MaxInt, "a b"},
	} {
		if got := CleanName(tt.in, tt.max); got != tt.want {
			t.Errorf("%s: CleanName(%+q, %d) = %+q, want %+q", tt.name, tt.in, tt.max, got, tt.want)
		}
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in     string
		max    int
		cut    string // Cut's
		prefix string // Prefix's
	}{
		{"abc", 3, "abc", "abc"},
		{"abcd", 3, "…", "abc"},
		{"abcd", 4, "abcd", "abcd"},
		{"abcdef", 5, "ab…", "abcde"},
		{"abc", 2, "ab", "ab"},
		{"héllo", 2, "h", "h"},
		{"héllo", 3, "…", "hé"},
		{"日本語", 8, "日…", "日本"},
		{"日本語", 2, "", ""},
		{"abc", 0, "", ""},
		{"abc", -1, "", ""},
		{"", -1, "", ""},
		// Bytes are bytes: neither cleans.
		{"a\x00\xffbcdef", 6, "a\x00\xff…", "a\x00\xffbcd"},
	} {
		if got := Cut(tt.in, tt.max); got != tt.cut {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.cut)
		}
		if got := Prefix(tt.in, tt.max); got != tt.prefix {
			t.Errorf("Prefix(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.prefix)
		}
	}
}

// TestCleanAllocs: clean, short text is returned as it is, without an
// allocation, since every message passes through.
func TestCleanAllocs(t *testing.T) {
	text := strings.Repeat("Hello, 世界 👋🏽\tfine.\n", 50)
	name := "Ana Lima 👨\u200D👩\u200D👧"
	for _, tt := range []struct {
		name string
		f    func() string
		in   string
	}{
		{"CleanText", func() string { return CleanText(text, len(text)) }, text},
		{"CleanName", func() string { return CleanName(name, len(name)) }, name},
		{"Cut", func() string { return Cut(text, len(text)) }, text},
		{"Prefix", func() string { return Prefix(text, len(text)) }, text},
	} {
		var got string
		if n := testing.AllocsPerRun(100, func() { got = tt.f() }); n != 0 {
			t.Errorf("%s allocates %v times on clean text", tt.name, n)
		}
		if got != tt.in {
			t.Errorf("%s changed clean text to %q", tt.name, got)
		}
	}
}

// textSeeds are inputs of the kinds platforms send, and hostile ones.
var textSeeds = []string{
	"", "plain", "a\r\nb\rc", "\x00\x01\x1f\x7f", "\u0080\u0085\u009f", "bad \xff\xfe utf8", "\xc3", "\xe6\x97",
	"  pad  ", "Ana\u00a0Lima", "evil\u202Egnp.exe", "\u061C\u200E\u200F\u2066x\u2069", "👨\u200D👩\u200D👧", "❤\uFE0F",
	"日本語", "…", "a … b", "\uFFFD\xff", "\t\n\v\f\r \u2028\u3000", strings.Repeat("é", 300),
}

// refText is CleanText's cleaning spelled out step by step, without the cut.
func refText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// refName is CleanName's cleaning spelled out step by step, without the cut.
func refName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case isHiddenFormat(r):
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Join(strings.Fields(s), " ")
}

// badInText reports whether r must not be in CleanText's result.
func badInText(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }

// badInName reports whether r must not be in CleanName's result.
func badInName(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' || isHiddenFormat(r)
}

// checkCleaned checks what a cleaner made of s at max, and returns it:
// valid UTF-8 within max, no forbidden rune, the same again when cleaned
// again, s itself when s was already clean and short, and otherwise the
// reference cleaning, cut by little more than the ellipsis needs.
func checkCleaned(t *testing.T, name string, clean func(string, int) string, ref func(string) string, bad func(rune) bool, s string, max int) string {
	t.Helper()
	got := clean(s, max)
	switch {
	case !utf8.ValidString(got):
		t.Fatalf("%s(%q, %d) = %q: not valid UTF-8", name, s, max, got)
	case max >= 0 && len(got) > max, max < 0 && got != "":
		t.Fatalf("%s(%q, %d) = %q: %d bytes", name, s, max, got, len(got))
	case strings.ContainsFunc(got, bad):
		t.Fatalf("%s(%q, %d) = %+q: a forbidden rune", name, s, max, got)
	}
	if again := clean(got, max); again != got {
		t.Fatalf("%s(%q, %d) = %q, and again %q", name, s, max, got, again)
	}
	want := ref(s)
	if len(want) <= max {
		if got != want {
			t.Fatalf("%s(%q, %d) = %q, want %q", name, s, max, got, want)
		}
		if want == s && !unsafeSame(got, s) {
			t.Fatalf("%s(%q, %d) copied clean text", name, s, max)
		}
		return got
	}
	// A cut backs off at most a rune's continuation bytes, and a space.
	if max >= 0 && (!strings.HasPrefix(want, strings.TrimSuffix(got, ellipsis)) || len(got) < max-len(ellipsis)-1) {
		t.Fatalf("%s(%q, %d) = %q, not a cut of %q", name, s, max, got, want)
	}
	return got
}

// unsafeSame reports whether a and b are the same bytes in memory, not a
// copy: the fast path must not allocate.
func unsafeSame(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b))
}

// FuzzCleanText: whatever the text and bound, CleanText keeps its promises
// (see checkCleaned).
func FuzzCleanText(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, 16)
	}
	f.Add("abc\r\ndef", 7)
	f.Add("日本語", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 1 << 12
		checkCleaned(t, "CleanText", CleanText, refText, badInText, s, max)
	})
}

// FuzzCleanName: as FuzzCleanText, and the name is one trimmed line with
// single spaces.
func FuzzCleanName(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, 16)
	}
	f.Add("abc defgh", 7)
	f.Add("a bc", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 1 << 12
		got := checkCleaned(t, "CleanName", CleanName, refName, badInName, s, max)
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("CleanName(%q, %d) = %q: not one trimmed line", s, max, got)
		}
	})
}

// FuzzCut: Cut and Prefix keep the start of s within max, on a rune
// boundary, and leave a short s as it is; Prefix keeps as much of valid
// text as fits, and Cut is Prefix with room left for the ellipsis.
func FuzzCut(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, 4)
	}
	f.Add("abcd", 3)
	f.Add("日本語", 2)
	f.Add("日本語", 5)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 1 << 12
		got := Cut(s, max)
		checkStart(t, "Cut", s, max, got, strings.TrimSuffix(got, ellipsis))
		if again := Cut(got, max); again != got {
			t.Fatalf("Cut(%q, %d) = %q, and again %q", s, max, got, again)
		}
		p := Prefix(s, max)
		checkStart(t, "Prefix", s, max, p, p)
		if utf8.ValidString(s) && len(p) < len(s) && len(p) <= max-utf8.UTFMax {
			t.Fatalf("Prefix(%q, %d) = %q: shorter than it needs to be", s, max, p)
		}
		if len(s) > max && max >= len(ellipsis) {
			p = Prefix(s, max-len(ellipsis)) + ellipsis
		}
		if got != p {
			t.Fatalf("Cut(%q, %d) = %q, want %q", s, max, got, p)
		}
	})
}

// checkStart checks got, what the cut name made of s at max, and kept,
// the part of got taken from s: got is within max, s itself when s is
// short and valid UTF-8 when s is, and kept is a start of s.
func checkStart(t *testing.T, name, s string, max int, got, kept string) {
	t.Helper()
	switch {
	case max >= 0 && len(got) > max, max < 0 && got != "":
		t.Fatalf("%s(%q, %d) = %q: %d bytes", name, s, max, got, len(got))
	case len(s) <= max && !unsafeSame(got, s):
		t.Fatalf("%s(%q, %d) = %q: changed a short string", name, s, max, got)
	case !strings.HasPrefix(s, kept) && !strings.HasPrefix(s, got):
		t.Fatalf("%s(%q, %d) = %q: not a start of it", name, s, max, got)
	case utf8.ValidString(s) && !utf8.ValidString(got):
		t.Fatalf("%s(%q, %d) = %q: a rune cut in two", name, s, max, got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567", -2500: "-2,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
