package email

import (
	"bytes"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset" // ISO-8859-*, windows-125*, KOI8, Shift JIS, GB18030, …
	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds on the MIME structure read from one message. Real mail nests three
// or four levels deep and has a few dozen parts; anything beyond is built to
// exhaust the reader.
const (
	maxDepth     = 12
	maxParts     = 200
	maxTextBytes = 2 << 20 // of one text part, decoded
)

// body is what a message's MIME tree holds for Parley.
type body struct {
	plain, html strings.Builder
	attachments []care.Attachment
	// paths holds the IMAP part number of each attachment, for its
	// reference (see partRef).
	paths [][]int
	// more counts attachments over care.MaxAttachments, listed only by
	// number.
	more int
	// htmlPath is the part number of the message's HTML version, read
	// for its text or not (a multipart/alternative whose plain-text
	// version was read), and htmlParts how many HTML bodies there are: a
	// message whose text is spread over several (Apple Mail's around
	// inline images) has no single HTML version to show.
	htmlPath  []int
	htmlParts int
	// encrypted is set for multipart/encrypted and S/MIME envelopes,
	// whose text Parley cannot read.
	encrypted bool
	parts     int
	// report holds the parts of a multipart/report delivery status
	// notification: its machine-readable status and the returned
	// message's header.
	status, returned []byte
}

// walk reads the entity e, depth levels down, into b: text parts into plain
// or html, every other leaf into attachments. Of a multipart/alternative
// only the best version is read: text/plain, else the richest. path is e's
// IMAP part number, nil for the message itself.
func (b *body) walk(e *message.Entity, depth int, path []int) {
	b.parts++
	if depth > maxDepth || b.parts > maxParts {
		return
	}
	mediaType, params, _ := e.Header.ContentType()
	mediaType = strings.ToLower(mediaType)
	disposition, _, _ := e.Header.ContentDisposition()
	attached := strings.EqualFold(disposition, "attachment")

	switch {
	case mediaType == "multipart/alternative":
		b.alternative(e, depth, path)
	case mediaType == "multipart/encrypted", mediaType == "application/pkcs7-mime" || mediaType == "application/x-pkcs7-mime":
		b.encrypted = true
		drain(e.Body)
	case strings.HasPrefix(mediaType, "multipart/"):
		signed := mediaType == "multipart/signed"
		mr := e.MultipartReader()
		for i := 0; ; i++ {
			p, err := nextPart(mr)
			if err != nil {
				return
			}
			// The second part of multipart/signed is the signature: no
			// attachment a customer meant to send.
			if signed && i > 0 {
				drain(p.Body)
				continue
			}
			b.walk(p, depth+1, child(path, i))
		}
	case (mediaType == "text/plain" || mediaType == "") && !attached:
		appendText(&b.plain, e.Body)
	case mediaType == "text/html" && !attached:
		appendText(&b.html, e.Body)
		b.foundHTML(path)
	case mediaType == "message/delivery-status" || mediaType == "message/global-delivery-status":
		b.status = readUpTo(e.Body, 64<<10)
	case (mediaType == "message/rfc822" || mediaType == "message/global" || mediaType == "text/rfc822-headers" || mediaType == "message/global-headers") && b.status != nil && b.returned == nil:
		// The message a DSN returns, or its header: read for its
		// Message-ID, never shown.
		b.returned = readUpTo(e.Body, 256<<10)
		drain(e.Body)
	case mediaType == "application/pgp-signature" || mediaType == "application/pkcs7-signature" || mediaType == "application/x-pkcs7-signature":
		drain(e.Body)
	default:
		b.attach(e, mediaType, params, path)
	}
}

// child returns the part number of the i-th (from 0) part of the multipart
// entity at path.
func child(path []int, i int) []int {
	return append(path[:len(path):len(path)], i+1)
}

// leaf returns the part number of a leaf entity: the body of a message that
// is not multipart is part 1.
func leaf(path []int) []int {
	if len(path) == 0 {
		return []int{1}
	}
	return path
}

// foundHTML notes an HTML body at path.
func (b *body) foundHTML(path []int) {
	b.htmlParts++
	if b.htmlPath == nil {
		b.htmlPath = leaf(path)
	}
}

// alternative reads the best version of a multipart/alternative: the
// plain-text one when there is one, else the last (the richest, RFC 2046
// §5.1.4), which may itself be multipart/related with the HTML and its
// images.
func (b *body) alternative(e *message.Entity, depth int, path []int) {
	mr := e.MultipartReader()
	type version struct {
		header message.Header
		raw    []byte
		path   []int
	}
	var versions []version
	for len(versions) < 16 {
		p, err := nextPart(mr)
		if err != nil {
			break
		}
		// The versions are read decoded; walk decodes again from
		// identity-encoded copies, so the Content-Transfer-Encoding goes.
		h := p.Header.Copy()
		h.Del("Content-Transfer-Encoding")
		if t, params, _ := h.ContentType(); strings.HasPrefix(strings.ToLower(t), "text/") && params["charset"] != "" {
			delete(params, "charset")
			h.SetContentType(t, params)
		}
		versions = append(versions, version{h, readUpTo(p.Body, MaxMessageBytes), child(path, len(versions))})
	}
	if len(versions) == 0 {
		return
	}
	best := len(versions) - 1
	for i, v := range versions {
		if t, _, _ := v.header.ContentType(); strings.EqualFold(t, "text/plain") {
			best = i
			break
		}
	}
	entity := func(v version) *message.Entity {
		p, err := message.New(v.header, bytes.NewReader(v.raw))
		if p != nil && (err == nil || message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)) {
			return p
		}
		return nil
	}
	if p := entity(versions[best]); p != nil {
		b.walk(p, depth+1, versions[best].path)
	}
	// The plain text was read: the richest other version, when it is
	// HTML, is the one an agent may want to see formatted.
	for i := len(versions) - 1; i >= 0 && b.htmlParts == 0; i-- {
		if i == best {
			continue
		}
		if p := entity(versions[i]); p != nil {
			b.findHTML(p, depth+1, versions[i].path)
		}
	}
}

// findHTML looks for the HTML body of an alternative version that is not
// read (text/html, or multipart/related around it) and notes it without
// reading its text or listing its images.
func (b *body) findHTML(e *message.Entity, depth int, path []int) {
	b.parts++
	if depth > maxDepth || b.parts > maxParts {
		return
	}
	mediaType, _, _ := e.Header.ContentType()
	mediaType = strings.ToLower(mediaType)
	disposition, _, _ := e.Header.ContentDisposition()
	switch {
	case mediaType == "text/html" && !strings.EqualFold(disposition, "attachment"):
		drain(e.Body)
		b.foundHTML(path)
	case mediaType == "multipart/related" || mediaType == "multipart/mixed":
		mr := e.MultipartReader()
		for i := 0; ; i++ {
			p, err := nextPart(mr)
			if err != nil {
				return
			}
			b.findHTML(p, depth+1, child(path, i))
		}
	default:
		drain(e.Body)
	}
}

// attach records a leaf that is not body text as an attachment: metadata
// and its part number (the bytes stay in the mailbox); the bytes are
// counted and dropped.
func (b *body) attach(e *message.Entity, mediaType string, params map[string]string, path []int) {
	size, _ := io.Copy(io.Discard, io.LimitReader(e.Body, MaxMessageBytes))
	if len(b.attachments) >= care.MaxAttachments {
		b.more++
		return
	}
	ah := mail.AttachmentHeader{Header: e.Header}
	// Go's mime package keeps the other sections of a name whose first is
	// in a charset it does not decode: ".pdf" of "見積書.pdf".
	name := extendedName(e.Header)
	if name == "" {
		name, _ = ah.Filename()
	}
	if name == "" && (mediaType == "message/rfc822" || mediaType == "message/global") {
		name = "message.eml"
	}
	if !mimeTypeOK(mediaType) {
		mediaType = "application/octet-stream"
	}
	b.attachments = append(b.attachments, care.Attachment{
		Kind: kindOf(mediaType), MimeType: mediaType, Name: channel.CleanName(name, care.MaxNameBytes), Size: size,
	})
	b.paths = append(b.paths, leaf(path))
}

// htmlVersion returns the attachment that stands for the message's HTML
// version, with its part number, and makes room for it among the
// attachments; nil when there is no single HTML body.
func (b *body) htmlVersion() (*care.Attachment, []int) {
	if b.htmlParts != 1 {
		return nil, nil
	}
	if n := len(b.attachments); n >= care.MaxAttachments {
		b.attachments, b.paths = b.attachments[:care.MaxAttachments-1], b.paths[:care.MaxAttachments-1]
		b.more += n - (care.MaxAttachments - 1)
	}
	return &care.Attachment{Kind: KindHTML, MimeType: "text/html", Name: "message.html"}, b.htmlPath
}

// kindOf maps a MIME type to an attachment kind.
func kindOf(mediaType string) string {
	switch {
	case strings.HasPrefix(mediaType, "image/"):
		return "image"
	case strings.HasPrefix(mediaType, "video/"):
		return "video"
	case strings.HasPrefix(mediaType, "audio/"):
		return "audio"
	}
	return "file"
}

// mimeTypeOK reports whether t is a type/subtype of token characters, as
// mime.ParseMediaType accepts, and short enough to store.
func mimeTypeOK(t string) bool {
	if len(t) > 127 || !strings.Contains(t, "/") {
		return false
	}
	mt, _, err := mime.ParseMediaType(t)
	return err == nil && mt == t
}

// nextPart returns the next part of a multipart body, one in an unknown
// charset or transfer encoding included (it is read as it is).
func nextPart(mr message.MultipartReader) (*message.Entity, error) {
	if mr == nil {
		return nil, io.EOF
	}
	p, err := mr.NextPart()
	if p != nil && err != nil && (message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)) {
		return p, nil
	}
	return p, err
}

func appendText(b *strings.Builder, r io.Reader) {
	t := readUpTo(r, maxTextBytes)
	if len(t) == 0 || b.Len() >= maxTextBytes {
		return
	}
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.Write(t)
}

// readUpTo reads at most n bytes of r. A decoding error (bad base64, a
// truncated part) ends the text where it occurred rather than losing it.
func readUpTo(r io.Reader, n int64) []byte {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(io.LimitReader(r, n))
	return buf.Bytes()
}

func drain(r io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(r, MaxMessageBytes)) }

// extendedName reads a file name written as an RFC 2231 extended
// parameter, whole or in continuations:
//
//	filename*=iso-8859-1''R%E9sum%E9.pdf
//	filename*0*=iso-2022-jp''%1B%24B8%2B%40Q%3Dq%1B%28B; filename*1=.pdf
//
// Go's mime package decodes only UTF-8 and US-ASCII ones and drops the
// rest, which older and Japanese mail clients write. "" when there is
// none.
func extendedName(h message.Header) string {
	for _, f := range []struct{ field, param string }{{"Content-Disposition", "filename"}, {"Content-Type", "name"}} {
		if n := extendedParam(h.Get(f.field), f.param); n != "" {
			return n
		}
	}
	return ""
}

// extendedParam decodes the RFC 2231 parameter name* (or name*0*, name*1,
// …) of a header field value v.
func extendedParam(v, name string) string {
	const maxSections = 64
	var sections [maxSections]string
	var encoded [maxSections]bool
	n := 0
	for _, p := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(p, "=")
		rest, isParam := strings.CutPrefix(strings.ToLower(strings.TrimSpace(k)), name+"*")
		if !ok || !isParam {
			continue
		}
		enc := rest == "" || strings.HasSuffix(rest, "*")
		rest = strings.TrimSuffix(rest, "*")
		i := 0
		if rest != "" {
			var err error
			if i, err = strconv.Atoi(rest); err != nil || i < 0 || i >= maxSections {
				continue
			}
		}
		sections[i], encoded[i] = strings.Trim(strings.TrimSpace(val), `"`), enc
		n = max(n, i+1)
	}
	if n == 0 || !encoded[0] {
		return ""
	}
	cs, rest, ok := strings.Cut(sections[0], "'")
	if _, rest, ok2 := strings.Cut(rest, "'"); ok && ok2 {
		sections[0] = rest
	} else {
		return ""
	}
	var raw []byte
	for i := 0; i < n; i++ {
		if !encoded[i] {
			raw = append(raw, sections[i]...)
			continue
		}
		u, err := url.PathUnescape(sections[i])
		if err != nil {
			return ""
		}
		raw = append(raw, u...)
	}
	if cs == "" || strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "us-ascii") {
		return string(raw)
	}
	r, err := charset.Reader(cs, bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return string(readUpTo(r, 4096))
}
