package email

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PartScheme begins the URL Parley records for each part of an email it
// lists (an attachment, the HTML version): where the part is on the IMAP
// server, so FetchMedia can fetch it again when an agent opens it. Parley
// keeps no copy of the bytes.
//
//	email-part:mailbox=INBOX&part=1.2&uid=42&uidvalidity=1700000000
const PartScheme = "email-part:"

// KindHTML is the kind of the attachment that stands for an email's HTML
// version: not a file the customer attached, but the formatting their
// client gave the text. Parley's interface shows it, sanitised, on demand.
const KindHTML = "html"

// maxRefBytes is the longest reference parseRef reads; care.Inbound allows
// attachment URLs of 2 KB.
const maxRefBytes = 2048

// partRef locates one MIME part of one message: the mailbox, the
// mailbox's UIDVALIDITY when the message was read (a UID means nothing
// under another), the message's UID and the part's IMAP section number,
// [1 2] for "1.2". The body of a message that is not multipart is part
// [1] (RFC 9051 §6.4.5).
type partRef struct {
	mailbox     string
	uidValidity uint32
	uid         uint32
	part        []int
}

func (r partRef) String() string {
	v := url.Values{}
	v.Set("mailbox", r.mailbox)
	v.Set("uidvalidity", strconv.FormatUint(uint64(r.uidValidity), 10))
	v.Set("uid", strconv.FormatUint(uint64(r.uid), 10))
	v.Set("part", section(r.part))
	return PartScheme + v.Encode()
}

// section writes a part number as IMAP does: "1.2.3".
func section(part []int) string {
	var b strings.Builder
	for i, n := range part {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

var errNotRef = errors.New("email: not an email part reference")

// parseRef reads a reference String wrote. It accepts nothing else: every
// field once, numbers in range, a mailbox name imapSettingsOf would take.
func parseRef(s string) (partRef, error) {
	q, ok := strings.CutPrefix(s, PartScheme)
	if !ok || len(s) > maxRefBytes {
		return partRef{}, errNotRef
	}
	v, err := url.ParseQuery(q)
	if err != nil || len(v) != 4 {
		return partRef{}, errNotRef
	}
	one := func(key string) (string, bool) {
		vs := v[key]
		return strings.Join(vs, ""), len(vs) == 1
	}
	var r partRef
	mailbox, ok1 := one("mailbox")
	validity, ok2 := one("uidvalidity")
	uid, ok3 := one("uid")
	part, ok4 := one("part")
	if !ok1 || !ok2 || !ok3 || !ok4 || !mailboxName(mailbox) {
		return partRef{}, errNotRef
	}
	r.mailbox = mailbox
	if r.uidValidity, ok = number(validity); !ok {
		return partRef{}, errNotRef
	}
	if r.uid, ok = number(uid); !ok {
		return partRef{}, errNotRef
	}
	if r.part, ok = parseSection(part); !ok {
		return partRef{}, errNotRef
	}
	return r, nil
}

// mailboxName reports whether s can name a mailbox: 1 to 255 bytes of
// UTF-8 without line breaks or NUL, as imapSettingsOf requires.
func mailboxName(s string) bool {
	return s != "" && len(s) <= 255 && utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n\x00")
}

// number reads a positive 32-bit decimal, digits only.
func number(s string) (uint32, bool) {
	if s == "" || len(s) > 10 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil && n > 0
}

// parseSection reads "1.2.3": at most maxDepth+1 positive numbers, none
// beyond maxParts, since walk lists nothing deeper or further.
func parseSection(s string) ([]int, bool) {
	fields := strings.Split(s, ".")
	if len(fields) > maxDepth+1 {
		return nil, false
	}
	part := make([]int, 0, len(fields))
	for _, f := range fields {
		n, ok := number(f)
		if !ok || n > maxParts {
			return nil, false
		}
		part = append(part, int(n))
	}
	return part, true
}
