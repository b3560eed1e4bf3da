package care

import (
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Reading a stored inbound event back with json.Unmarshal costs more in
// reflection than in bytes, and what the store holds is what AppendJSON
// wrote. So the parser here reads that form alone: members in field order,
// each at most once, no whitespace, encoding/json's escapes. Anything else
// (whitespace, another order, an unknown or repeated key, a number with a
// fraction) it declines, and the caller falls back to json.Unmarshal, so
// rows written some other way still decode; what it accepts,
// json.Unmarshal decodes to the same value.

// ParseJSON sets *in to what json.Unmarshal decodes from data into a zero
// Inbound, and reports true, when data is in the form AppendJSON writes.
// Otherwise it reports false and leaves *in as it was.
func (in *Inbound) ParseJSON(data []byte) bool {
	return in.ParseJSONString(string(data))
}

// ParseJSONString is ParseJSON of a string. The strings it sets share s's
// memory where they need no unescaping.
func (in *Inbound) ParseJSONString(s string) bool {
	p := jsonParser{s: s}
	var v Inbound
	p.inbound(&v)
	if p.bad || p.i != len(s) {
		return false
	}
	*in = v
	return true
}

// jsonParser reads JSON from s at i. Once bad is set, by the first thing
// it is not sure of, it reads nothing more.
type jsonParser struct {
	s   string
	i   int
	bad bool
}

func (p *jsonParser) inbound(in *Inbound) {
	p.expect('{')
	if p.member("kind") {
		in.Kind = InboundKind(p.string())
	}
	if p.member("inbox_id") {
		in.InboxID = p.int()
	}
	if p.member("channel") {
		in.Channel = Channel(p.string())
	}
	if p.member("platform_id") {
		in.PlatformID = p.string()
	}
	if p.member("reply_to_platform_id") {
		in.ReplyToPlatformID = p.string()
	}
	if p.member("visibility") {
		in.Visibility = Visibility(p.string())
	}
	if p.member("author") {
		p.author(&in.Author)
	}
	if p.member("text") {
		in.Text = p.string()
	}
	if p.member("attachments") {
		in.Attachments = p.attachments()
	}
	if p.member("subject") {
		in.Subject = p.string()
	}
	if p.member("sent_at") {
		p.time(&in.SentAt)
	}
	if p.member("author_aliases") {
		in.AuthorAliases = p.strings()
	}
	if p.member("status") {
		in.Status = DeliveryStatus(p.string())
	}
	if p.member("status_reason") {
		in.StatusReason = p.string()
	}
	if p.member("charge") {
		in.Charge = p.string()
	}
	if p.member("linked_platform_id") {
		in.LinkedPlatformID = p.string()
	}
	if p.member("engagement") {
		in.Engagement = p.int()
	}
	if p.member("rating") {
		n := p.int()
		if int64(int(n)) != n {
			p.bad = true // json.Unmarshal's overflow error where int is 32 bits
		}
		in.Rating = int(n)
	}
	if p.member("references") {
		in.References = p.strings()
	}
	if p.member("agent") {
		in.Agent = p.string()
	}
	if p.member("new_thread") {
		in.NewThread = p.bool()
	}
	if p.member("group") {
		in.Group = p.string()
	}
	if p.member("read_up_to") {
		in.ReadUpTo = p.bool()
	}
	p.expect('}')
}

func (p *jsonParser) author(a *Author) {
	p.expect('{')
	if p.member("platform_user_id") {
		a.PlatformUserID = p.string()
	}
	if p.member("display_name") {
		a.DisplayName = p.string()
	}
	if p.member("handle") {
		a.Handle = p.string()
	}
	if p.member("followers") {
		a.Followers = p.int()
	}
	if p.member("verified") {
		a.Verified = p.bool()
	}
	if p.member("account_created") && !p.null() {
		a.AccountCreated = new(time.Time)
		p.time(a.AccountCreated)
	}
	p.expect('}')
}

// attachments reads an array of attachments: null is a nil slice and []
// an empty one, as json.Unmarshal has them.
func (p *jsonParser) attachments() []Attachment {
	if p.null() {
		return nil
	}
	p.expect('[')
	as := []Attachment{}
	if p.next(']') {
		return as
	}
	for !p.bad {
		var a Attachment
		p.expect('{')
		if p.member("kind") {
			a.Kind = p.string()
		}
		if p.member("url") {
			a.URL = p.string()
		}
		if p.member("mime_type") {
			a.MimeType = p.string()
		}
		if p.member("name") {
			a.Name = p.string()
		}
		if p.member("size") {
			a.Size = p.int()
		}
		p.expect('}')
		as = append(as, a)
		if !p.next(',') {
			break
		}
	}
	p.expect(']')
	return as
}

// strings reads an array of strings, null and [] as attachments does.
func (p *jsonParser) strings() []string {
	if p.null() {
		return nil
	}
	p.expect('[')
	ss := []string{}
	if p.next(']') {
		return ss
	}
	for !p.bad {
		ss = append(ss, p.string())
		if !p.next(',') {
			break
		}
	}
	p.expect(']')
	return ss
}

// member reports whether the object's next member is name, and reads its
// key if so. The comma goes before every member but an object's first, as
// the writer's field puts it.
func (p *jsonParser) member(name string) bool {
	if p.bad {
		return false
	}
	s, i := p.s, p.i
	if s[i-1] != '{' {
		if i >= len(s) || s[i] != ',' {
			return false
		}
		i++
	}
	end := i + 1 + len(name)
	if end+1 >= len(s) || s[i] != '"' || s[i+1:end] != name || s[end] != '"' || s[end+1] != ':' {
		return false
	}
	p.i = end + 2
	return true
}

// expect reads c, or marks the input bad.
func (p *jsonParser) expect(c byte) {
	if !p.next(c) {
		p.bad = true
	}
}

// next reads c if it comes next.
func (p *jsonParser) next(c byte) bool {
	if p.bad || p.i >= len(p.s) || p.s[p.i] != c {
		return false
	}
	p.i++
	return true
}

// literal reads word if it comes next.
func (p *jsonParser) literal(word string) bool {
	if p.bad || len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return false
	}
	p.i += len(word)
	return true
}

func (p *jsonParser) null() bool { return p.literal("null") }

func (p *jsonParser) bool() bool {
	switch {
	case p.literal("true"):
		return true
	case p.literal("false"):
	default:
		p.bad = true
	}
	return false
}

// int reads an integer as json.Unmarshal reads one into an int64: a JSON
// number without fraction or exponent, in range. A fraction or exponent
// is left unread, so what follows fails.
func (p *jsonParser) int() int64 {
	if p.bad {
		return 0
	}
	s, i := p.s, p.i
	j := i
	if j < len(s) && s[j] == '-' {
		j++
	}
	digits := j
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	// JSON has no leading zeros.
	if j == digits || s[digits] == '0' && j-digits > 1 {
		p.bad = true
		return 0
	}
	n, err := strconv.ParseInt(s[i:j], 10, 64)
	if err != nil {
		p.bad = true
		return 0
	}
	p.i = j
	return n
}

// time reads a time as json.Unmarshal does, by handing the quoted bytes as
// they are to time.Time.UnmarshalJSON, which does not unescape them; a
// string with an escape it declines, as one that is not valid JSON.
func (p *jsonParser) time(t *time.Time) {
	if p.bad {
		return
	}
	s, i := p.s, p.i
	if i >= len(s) || s[i] != '"' {
		p.bad = true
		return
	}
	j := i + 1
	for j < len(s) && s[j] != '"' {
		if s[j] == '\\' || s[j] < ' ' {
			p.bad = true
			return
		}
		j++
	}
	if j >= len(s) {
		p.bad = true
		return
	}
	j++
	var buf [64]byte // the longest RFC 3339 time, quoted, is 37 bytes
	if err := t.UnmarshalJSON(append(buf[:0], s[i:j]...)); err != nil {
		p.bad = true
		return
	}
	p.i = j
}

// string reads a JSON string. One without escapes or invalid UTF-8 is a
// slice of s; the rest are unquoted as encoding/json unquotes them.
func (p *jsonParser) string() string {
	if p.bad {
		return ""
	}
	s, i := p.s, p.i
	if i >= len(s) || s[i] != '"' {
		p.bad = true
		return ""
	}
	i++
	start := i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			if c == '"' {
				p.i = i + 1
				return s[start:i]
			}
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return p.unquote(start, i)
}

// unquote reads the rest of the string that starts at start, from i, the
// first byte that needs more than copying. It follows encoding/json's
// unquote, and its scanner for what is not valid JSON: \uXXXX escapes of
// surrogate halves that do not pair, and each byte of invalid UTF-8,
// become U+FFFD.
func (p *jsonParser) unquote(start, i int) string {
	s := p.s
	var buf [256]byte // most strings fit, so string(b) is their one allocation
	b := append(buf[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(b)
		case c == '\\':
			if i+1 >= len(s) {
				p.bad = true
				return ""
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(s, i+2)
				if r < 0 {
					p.bad = true
					return ""
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2 = hex4(s, i+2)
					}
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r = pair
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				p.bad = true
				return ""
			}
			i += 2
		case c < ' ':
			p.bad = true
			return ""
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			// utf8.RuneError, for an invalid byte, is encoding/json's
			// replacement too.
			r, size := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r)
			i += size
		}
	}
	p.bad = true
	return ""
}

// hex4 is the value of the four hex digits at s[i:], or -1.
func hex4(s string, i int) rune {
	if len(s)-i < 4 {
		return -1
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// jsonPlain holds the ASCII bytes a JSON string holds as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()
