package savedreply

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Vars are the values of the variables for one conversation. Any may be
// empty; Render then writes a fallback that reads well in a greeting.
type Vars struct {
	ContactName      string // the customer's name as Parley shows it
	ContactFirstName string // empty: the first word of ContactName
	AgentName        string // the agent who inserts the reply
	AgentFirstName   string // empty: the first word of AgentName
	Brand            string // the workspace's name
}

// Variables are the variables a saved reply may use, in the order the
// interface lists them.
var Variables = []string{"{{contact.name}}", "{{contact.first_name}}", "{{agent.name}}", "{{agent.first_name}}", "{{workspace.name}}"}

// Fallbacks, for a value Parley does not know: "Hi there", "Thanks, our
// team".
const (
	contactFallback = "there"
	teamFallback    = "our team"
)

// maxValueRunes bounds one inserted value: names come from social networks,
// where they are whatever the customer typed.
const maxValueRunes = 100

// Render returns text with each variable replaced by its value. The values
// are inserted as plain text: a value that itself looks like a variable
// stays as it is, and control and invisible formatting characters in it
// (a customer's name may hold a right-to-left override) are dropped, line
// breaks become spaces, and it is cut to 100 characters. A "{{" that does
// not start a known variable is left as written; Parse refuses such text,
// so it only happens with text that was never checked.
func Render(text string, v Vars) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	values := v.values()
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		text = text[i:]
		k, ok := variableAt(text)
		if !ok {
			// One brace at a time, so "{{{contact.name}}}" is a variable
			// in braces.
			b.WriteByte('{')
			text = text[1:]
			continue
		}
		b.WriteString(values[k])
		text = text[len(Variables[k]):]
	}
}

// variableAt returns the index in Variables of the variable text starts
// with.
func variableAt(text string) (int, bool) {
	for k, name := range Variables {
		if strings.HasPrefix(text, name) {
			return k, true
		}
	}
	return 0, false
}

// values are the variables' values, in the order of Variables.
func (v Vars) values() []string {
	contact, agent, brand := clean(v.ContactName), clean(v.AgentName), clean(v.Brand)
	contactFirst := clean(v.ContactFirstName)
	if contactFirst == "" {
		contactFirst = or(firstWord(contact), contactFallback)
	}
	agentFirst := clean(v.AgentFirstName)
	if agentFirst == "" {
		agentFirst = or(firstWord(agent), brand, teamFallback)
	}
	return []string{
		or(contact, contactFallback),
		contactFirst,
		or(agent, brand, teamFallback),
		agentFirst,
		or(brand, teamFallback),
	}
}

// firstWord is a name's first word, or "" when it is a handle or an
// address rather than a name: "@tbecker" (X, TikTok, Instagram),
// "@chloe@mastodon.social" and "chloe@example.com" (Mastodon, email),
// "u/chloel61" (Reddit shows its users so), "chloe.bsky.social"
// (Bluesky), "chloe_m" (Instagram, Telegram), "+44 7700 900123". "Hi
// @tbecker" reads like a name, "Hi u/chloel61" and "Hi +44" do not, and
// none is a first name.
func firstWord(name string) string {
	f, _, _ := strings.Cut(name, " ")
	if f == "" || isHandle(f) {
		return ""
	}
	return f
}

// isHandle reports whether a word is a handle, an address or a number: it
// starts with "+", "#", "u/" or "/u/", or holds a digit, "@", "_", or a dot
// before two letters. Names hold none of these; the dots of initials
// ("J.R.") are each followed by one letter.
func isHandle(w string) bool {
	for _, p := range []string{"+", "#", "u/", "U/", "/u/", "/U/"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	for i, r := range w {
		switch {
		case r == '@' || r == '_' || unicode.IsDigit(r):
			return true
		case r == '.':
			letters := 0
			for _, c := range w[i+1:] {
				if !unicode.IsLetter(c) {
					break
				}
				letters++
			}
			if letters >= 2 {
				return true
			}
		}
	}
	return false
}

func or(values ...string) string {
	for _, s := range values {
		if s != "" {
			return s
		}
	}
	return ""
}

// clean makes a value safe to put in a reply: valid UTF-8, no control or
// invisible formatting characters (zero-width joiners stay, emoji need
// them), spaces for line breaks, at most maxValueRunes runes.
func clean(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d':
			continue
		}
		if space && n+2 > maxValueRunes || n+1 > maxValueRunes {
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// checkVariables returns EINVALID for a "{{" in text that does not start a
// known variable, naming what was found.
func checkVariables(text string) error {
	for rest := text; ; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			return nil
		}
		rest = rest[i:]
		if k, ok := variableAt(rest); ok {
			rest = rest[len(Variables[k]):]
			continue
		}
		if strings.HasPrefix(rest[1:], "{{") {
			rest = rest[1:] // a brace before a variable
			continue
		}
		found := rest
		if end := strings.Index(rest, "}}"); end >= 0 && end < 60 {
			found = rest[:end+2]
		} else if len(found) > 20 {
			found = strings.ToValidUTF8(found[:20], "") + "…"
		}
		return care.Errorf(care.EINVALID, "unknown variable %q; the variables are %s.", found, strings.Join(Variables, ", "))
	}
}
