package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxMessageBytes is the most of one message Parley reads. A larger
// message is read as far as this: its header and text, usually, while
// attachments past the limit are not listed.
const MaxMessageBytes = 10 << 20

// maxIDs bounds the ids read from an In-Reply-To or References field; a
// thread of a hundred messages is already extraordinary.
const maxIDs = 100

// identity is who Parley is in a mailbox: the inbox's from address, the
// domain of the Message-IDs it writes, and the receiving servers whose
// Authentication-Results it believes (the authserv_id credential; none
// means the topmost field).
type identity struct {
	address, domain string
	authserv        []string
}

// parsed is what Parley reads in one email.
type parsed struct {
	in care.Inbound
	// skip, when set, says why the message is not ingested: an
	// auto-reply, a bounce that matches nothing Parley sent, our own
	// message coming back.
	skip string
	// references is the References chain, oldest first.
	references []string
	// paths holds the IMAP part number of each of in's attachments.
	paths [][]int
}

// locate gives every attachment of p its reference: the part of the
// message uid in mailbox, whose UIDVALIDITY is uidValidity.
func (p *parsed) locate(mailbox string, uidValidity, uid uint32) {
	for i := range p.in.Attachments {
		if i < len(p.paths) {
			p.in.Attachments[i].URL = partRef{mailbox: mailbox, uidValidity: uidValidity, uid: uid, part: p.paths[i]}.String()
		}
	}
}

// parse reads one raw message (RFC 5322, MIME) as Parley sees it. received
// is the server's arrival time, used when the Date field is missing or
// implausible. It fails only when raw has no readable header at all.
func parse(raw []byte, me identity, received time.Time) (*parsed, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if e == nil {
		return nil, fmt.Errorf("email: read header: %w", err)
	}
	h := mail.Header{Header: e.Header}
	p := &parsed{}
	in := &p.in
	in.Visibility = care.Private
	in.PlatformID = messageID(h, raw)
	in.Subject = headerText(h, "Subject")
	in.SentAt = sentAt(h, received)
	inReplyTo := msgIDs(h, "In-Reply-To")
	p.references = msgIDs(h, "References")
	switch {
	case len(inReplyTo) > 0:
		in.ReplyToPlatformID = inReplyTo[0]
	case len(p.references) > 0:
		// The parent is the last of References (RFC 5322 §3.6.4).
		in.ReplyToPlatformID = p.references[len(p.references)-1]
	}
	// The rest of the chain, newest first, places a reply to a message
	// Parley never saw (one an agent sent from their own mail client).
	for i := len(p.references) - 1; i >= 0 && len(in.References) < care.MaxReferences; i-- {
		if r := p.references[i]; r != in.ReplyToPlatformID && r != in.PlatformID && len(r) <= care.MaxPlatformIDBytes {
			in.References = append(in.References, r)
		}
	}
	if ours(in.PlatformID, me.domain) {
		p.skip = "our own message came back (Message-ID " + in.PlatformID + ")"
		return p, nil
	}

	var b body
	b.walk(e, 0, nil)
	if isReport(e.Header) {
		p.bounce(&b, me)
		return p, nil
	}
	if reason := automatic(h); reason != "" {
		p.skip = reason
		return p, nil
	}
	from, ok := firstAddress(h, "From")
	if !ok {
		p.skip = "no usable From address"
		return p, nil
	}
	in.Author = from
	check := checkSender(h, domainOf(from.PlatformUserID), me.authserv)
	if from.PlatformUserID == me.address {
		if check.failed {
			// Shown as the brand's own words in a customer's
			// conversation, a forged one would mislead more than a
			// lost copy of a real one costs.
			p.skip = "claims the inbox's own address, but the receiving server's checks failed (" + check.why + ")"
			return p, nil
		}
		// Written from the inbox's own address outside Parley (an agent
		// in their mail client, with a copy to the mailbox): an echo, to
		// the customer it went to.
		to, ok := firstOther(h, me.address)
		if !ok {
			p.skip = "sent from the inbox's own address to no customer"
			return p, nil
		}
		in.Kind, in.Author = care.KindEcho, to
	}
	html, htmlPath := b.htmlVersion()
	in.Text = bodyText(&b, in.Subject)
	in.Attachments, p.paths = b.attachments, b.paths
	if html != nil {
		in.Attachments, p.paths = append(in.Attachments, *html), append(p.paths, htmlPath)
	}
	if check.failed {
		unverified(in, check)
	}
	return p, nil
}

// bodyText is the text shown for a message: its plain-text version, else
// its HTML as text, without the quoted history (unless it is a forward),
// with notes on what Parley could not show, at most care.MaxTextBytes.
func bodyText(b *body, subject string) string {
	text := b.plain.String()
	if strings.TrimSpace(text) == "" && b.html.Len() > 0 {
		text = htmlText(b.html.String())
	}
	text = cleanBody(text)
	if !forwarded(subject) {
		text = stripQuoted(text)
	}
	text = strings.TrimSpace(text)
	if b.encrypted {
		text = strings.TrimSpace("[An encrypted email: Parley cannot read it. Open it in a mail client that has the key.]\n\n" + text)
	}
	if b.more > 0 {
		text = strings.TrimSpace(fmt.Sprintf("%s\n\n[%d more attachments, not listed]", text, b.more))
	}
	if text == "" && len(b.attachments) == 0 {
		// A subject alone is a message ("Call me back please").
		text = subject
		if text == "" {
			text = "(an empty email)"
		}
	}
	return cutText(text, care.MaxTextBytes)
}

// forwarded reports whether a subject marks a forward, whose quoted part is
// the point.
func forwarded(subject string) bool {
	s := strings.ToLower(subject)
	for _, p := range []string{"fw:", "fwd:", "wg:", "tr:", "rv:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// messageID returns the message's Message-ID without angle brackets. A
// message without a usable one gets an id made from a hash of the fields
// and body that do not change in transit, so every fetch of it, and every
// copy, gets the same id.
func messageID(h mail.Header, raw []byte) string {
	id, err := h.MessageID()
	if err != nil || !validID(id) {
		id = ""
		if ids := looseIDs(h.Get("Message-Id")); len(ids) > 0 {
			id = ids[0]
		}
	}
	if validID(id) {
		return id
	}
	s := sha256.New()
	for _, k := range []string{"From", "To", "Cc", "Date", "Subject"} {
		fmt.Fprintf(s, "%s: %s\n", k, h.Get(k))
	}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		s.Write(raw[i+4:])
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		s.Write(raw[i+2:])
	}
	return "sha256." + hex.EncodeToString(s.Sum(nil)[:16]) + "@message-id.invalid"
}

// validID reports whether id can be stored and matched as a platform id:
// not empty, within the limit, printable without spaces or brackets.
func validID(id string) bool {
	if id == "" || len(id) > care.MaxPlatformIDBytes || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || bidiControl(r) {
			return false
		}
	}
	return true
}

// msgIDs reads a list of message ids (In-Reply-To, References). Where the
// field does not follow RFC 5322 (a comment after the id, ids without
// angle brackets separated by commas) it takes what looks like an id.
func msgIDs(h mail.Header, key string) []string {
	ids, err := h.MsgIDList(key)
	if err != nil {
		ids = looseIDs(h.Get(key))
	}
	out := make([]string, 0, min(len(ids), maxIDs))
	for _, id := range ids {
		if validID(id) {
			out = append(out, id)
		}
	}
	if len(out) > maxIDs {
		// The newest ids matter for threading: keep the end of the chain.
		out = out[len(out)-maxIDs:]
	}
	return out
}

// looseIDs returns what is between angle brackets in v.
func looseIDs(v string) []string {
	var ids []string
	for len(ids) < 4*maxIDs {
		lt := strings.IndexByte(v, '<')
		if lt < 0 {
			break
		}
		gt := strings.IndexByte(v[lt:], '>')
		if gt < 0 {
			break
		}
		ids = append(ids, strings.TrimSpace(v[lt+1:lt+gt]))
		v = v[lt+gt+1:]
	}
	return ids
}

// headerText returns a decoded unstructured field (RFC 2047 words in any
// charset go-message knows) as one line of safe text.
func headerText(h mail.Header, key string) string {
	v, _ := h.Text(key) // an unknown charset leaves the raw text, still shown
	return channel.CleanName(v, care.MaxNameBytes)
}

// sentAt is the Date field, or received when it is missing, unreadable or
// implausible (before 1990, or more than a day after the message arrived).
func sentAt(h mail.Header, received time.Time) time.Time {
	t, err := h.Date()
	if err != nil || t.Year() < 1990 || !received.IsZero() && t.After(received.Add(24*time.Hour)) {
		return received.UTC()
	}
	return t.UTC()
}

// firstAddress returns the first address of an address field as an author.
func firstAddress(h mail.Header, key string) (care.Author, bool) {
	if as := addresses(h, key); len(as) > 0 {
		return as[0], true
	}
	return care.Author{}, false
}

// firstOther returns the first recipient (To, then Cc) other than self.
func firstOther(h mail.Header, self string) (care.Author, bool) {
	for _, key := range []string{"To", "Cc"} {
		for _, a := range addresses(h, key) {
			if a.PlatformUserID != self {
				return a, true
			}
		}
	}
	return care.Author{}, false
}

// addresses reads an address field as authors: the lower-cased address is
// the id and the handle, the display name decoded. A field net/mail cannot
// parse ("jane@example.net (Jane)" is fine, a missing ">" is not) gives the
// first thing that looks like an address.
func addresses(h mail.Header, key string) []care.Author {
	list, err := h.AddressList(key)
	if err != nil || len(list) == 0 {
		if a := looseAddress(h.Get(key)); a != "" {
			list = []*mail.Address{{Address: a}}
		}
	}
	var out []care.Author
	for _, a := range list {
		addr := strings.ToLower(strings.TrimSpace(a.Address))
		if !plausibleAddress(addr) {
			continue
		}
		out = append(out, care.Author{PlatformUserID: addr, Handle: addr, DisplayName: channel.CleanName(quotedWords(a.Name), care.MaxNameBytes)})
		if len(out) == 10 {
			break
		}
	}
	return out
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message
// knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charset.Reader}

// quotedWords decodes the encoded words left in a display name. RFC 2047
// §5 forbids them inside a quoted string, so net/mail leaves
// "\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" <a@example.be>" as written, but
// many mailers quote the encoded name all the same, and the clients
// customers read mail in decode it.
func quotedWords(name string) string {
	if !strings.Contains(name, "=?") {
		return name
	}
	if d, err := wordDecoder.DecodeHeader(name); err == nil {
		return d
	}
	return name
}

// looseAddress finds an address in a field that does not parse: the text
// in angle brackets, or the first word with an @.
func looseAddress(v string) string {
	if ids := looseIDs(v); len(ids) > 0 && strings.Contains(ids[0], "@") {
		return ids[0]
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`,;"()<>`, r) }) {
		if strings.Contains(w, "@") {
			return w
		}
	}
	return ""
}

// plausibleAddress reports whether a is usable as an email identity:
// local@domain, within RFC 5321's 254 bytes, no spaces or controls.
func plausibleAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a) > 254 || !utf8.ValidString(a) {
		return false
	}
	for _, r := range a {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || bidiControl(r) {
			return false
		}
	}
	return true
}
