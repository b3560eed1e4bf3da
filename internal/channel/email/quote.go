package email

import (
	"regexp"
	"strings"
)

// Quoted history is recognised by what the common clients write above it.
// Each pattern is anchored to a whole line, so a sentence that merely
// mentions "original message" is not taken for a separator.
var (
	// Outlook and older clients: "-----Original Message-----", also
	// localised. "Forwarded message" is not among them: what a customer
	// forwards is what they want us to read.
	originalMessage = regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht)\s*-{2,}\s*$`)
	// The header block Outlook puts above the quoted message: From, then
	// Sent or Date, then (after To and Cc) Subject, in a few languages.
	outlookFrom    = regexp.MustCompile(`(?i)^\s*\*?(from|von|de|van):\*?\s+\S`)
	outlookSent    = regexp.MustCompile(`(?i)^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|verzonden):\*?\s+\S`)
	outlookSubject = regexp.MustCompile(`(?i)^\s*\*?(subject|betreff|objet|asunto|onderwerp):\*?`)
	// The line Outlook draws above that block: underscores in its plain
	// text, a horizontal rule (as htmlText writes <hr>) in its HTML.
	outlookRule = regexp.MustCompile(`^\s*(_{20,}|———)\s*$`)
	// What Gmail, Thunderbird and Apple Mail put above a forwarded
	// message: what follows is what the customer wants us to read.
	forwardMarker = regexp.MustCompile(`(?i)^\s*(-{2,}\s*(forwarded message|weitergeleitete nachricht|message transféré)\s*-{2,}|begin forwarded message:)\s*$`)
	// The attribution line above a quote: "On Tue, … Jane <jane@…> wrote:"
	// (Gmail, Apple Mail, Thunderbird), possibly wrapped onto two lines,
	// and its French, German and Spanish forms.
	attribution = regexp.MustCompile(`(?is)^\s*(on\s.*\swrote|le\s.*\sa\s+écrit|am\s.*\sschrieb.*|el\s.*\sescribió)\s*:\s*$`)
)

// stripQuoted returns what the customer newly wrote in a reply: text without
// the quoted history their client appended. It is conservative: it cuts at
// an Outlook separator ("-----Original Message-----" or a From/Sent/Subject
// block), or at an attribution line ("On … wrote:") followed by nothing
// but quoted lines, or before a block of ">" lines at the very end. Quoted
// lines with the customer's answers between them are kept, and so is the
// whole text when cutting would leave nothing, or when a forwarded message
// comes first.
func stripQuoted(text string) string {
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := range lines {
		if forwardMarker.MatchString(lines[i]) {
			return text
		}
		if c, ok := separatorAt(lines, i); ok {
			cut = c
			break
		}
	}
	cut = trailingQuote(lines[:cut])
	kept := strings.TrimRight(strings.Join(lines[:cut], "\n"), " \t\n")
	if strings.TrimSpace(kept) == "" {
		return text
	}
	return kept
}

// separatorAt reports whether quoted history starts at line i, and the line
// to cut at (an Outlook rule just above the separator goes too).
func separatorAt(lines []string, i int) (int, bool) {
	l := lines[i]
	switch {
	case originalMessage.MatchString(l):
		return withRule(lines, i), true
	case outlookFrom.MatchString(l) && outlookBlock(lines[i+1:]):
		return withRule(lines, i), true
	case isAttribution(lines, i):
		return i, true
	}
	return 0, false
}

// outlookBlock reports whether the lines after a From: line continue an
// Outlook header block: Sent (or Date) at once, Subject within a few lines.
func outlookBlock(rest []string) bool {
	if len(rest) == 0 || !outlookSent.MatchString(rest[0]) {
		return false
	}
	for _, l := range rest[1:min(len(rest), 5)] {
		if outlookSubject.MatchString(l) {
			return true
		}
	}
	return false
}

// withRule moves a cut up over the rule and blank lines Outlook puts above
// its separator.
func withRule(lines []string, i int) int {
	j := i
	for j > 0 && strings.TrimSpace(lines[j-1]) == "" {
		j--
	}
	if j > 0 && outlookRule.MatchString(lines[j-1]) {
		return j - 1
	}
	return i
}

// isAttribution reports whether line i (alone or joined with the next, as
// Gmail wraps it) is an attribution followed only by quoted lines.
func isAttribution(lines []string, i int) bool {
	if !startsAttribution(lines[i]) {
		return false
	}
	for _, n := range []int{1, 2} {
		if i+n > len(lines) {
			break
		}
		if attribution.MatchString(strings.Join(lines[i:i+n], " ")) {
			return onlyQuoted(lines[i+n:])
		}
	}
	return false
}

func startsAttribution(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	for _, p := range []string{"on ", "le ", "am ", "el "} {
		if strings.HasPrefix(l, p) {
			return len(l) < 400
		}
	}
	return false
}

// onlyQuoted reports whether lines hold at least one quoted line and
// nothing but quoted and blank lines.
func onlyQuoted(lines []string) bool {
	quoted := false
	for _, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
		case strings.HasPrefix(strings.TrimLeft(l, " "), ">"):
			quoted = true
		default:
			return false
		}
	}
	return quoted
}

// trailingQuote returns where a block of quoted lines at the end of lines
// starts, with the attribution line just above it; len(lines) if there is
// none.
func trailingQuote(lines []string) int {
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	start := end
	for start > 0 && (strings.HasPrefix(strings.TrimLeft(lines[start-1], " "), ">") || strings.TrimSpace(lines[start-1]) == "") {
		start--
	}
	for start < end && strings.TrimSpace(lines[start]) == "" {
		start++
	}
	if start == end {
		return len(lines)
	}
	for j := start - 1; j >= 0 && j >= start-2; j-- {
		if isAttribution(lines[:end], j) {
			return j
		}
	}
	return start
}
