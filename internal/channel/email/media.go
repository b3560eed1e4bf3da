package email

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Parley keeps no copy of an email's attachments: each is fetched from the
// mailbox when an agent opens it, by the reference poll recorded (see
// partRef). The mailbox is opened read-only and the part read with
// BODY.PEEK, so nothing is marked \Seen. A reference holds the mailbox's
// UIDVALIDITY: when the server has renumbered the mailbox since (a restore,
// a migration), the UID may name another message, and the fetch is refused
// rather than show the wrong one.

// MaxPartBytes bounds one part fetched from the mailbox, as the server
// holds it (base64 adds a third): larger ones are refused. Providers cap
// whole messages at 25 to 50 MB.
const MaxPartBytes = 64 << 20

// Bounds on the formatted view of an HTML email: the HTML part as the
// server holds it, and the message's own images shown in it, together.
const (
	maxHTMLPartBytes = 4 << 20
	maxInlineBytes   = 4 << 20
)

// FetchMedia fetches one part of an email, an attachment, by its reference
// (PartScheme), its transfer encoding decoded, typed as the message says.
// It returns ENOTFOUND for a reference that is not one, or that names a
// mailbox other than the inbox's, a mailbox or message gone from the
// server, or a mailbox renumbered since the message was read; ETOOLARGE
// for a part over MaxPartBytes; EUNAVAILABLE when the server cannot be
// reached or refuses.
func (a *Adapter) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	r, err := parseRef(ref)
	if err != nil {
		return nil, care.Errorf(care.ENOTFOUND, "Not an email attachment.")
	}
	c, part, err := a.openPart(ctx, in, r)
	if err != nil {
		return nil, err
	}
	body, err := c.streamPart(r, part)
	if err != nil {
		c.close()
		return nil, err
	}
	return &channel.Media{Body: body, MimeType: part.MediaType()}, nil
}

// FetchHTML returns the HTML version of an email, by the reference of its
// KindHTML attachment, as markup safe to show (see sanitizeHTML): its
// charset decoded, the message's own images (cid: links to its parts) in
// it as data: URLs, up to maxInlineBytes. Errors are FetchMedia's, and
// ENOTFOUND when the part is not HTML.
func (a *Adapter) FetchHTML(ctx context.Context, in care.Inbox, ref string) (string, error) {
	r, err := parseRef(ref)
	if err != nil {
		return "", care.Errorf(care.ENOTFOUND, "Not an email's HTML version.")
	}
	c, part, err := a.openPart(ctx, in, r)
	if err != nil {
		return "", err
	}
	defer c.close()
	if part.MediaType() != "text/html" {
		return "", care.Errorf(care.ENOTFOUND, "The mail server does not show this part of the email as HTML.")
	}
	raw, err := c.readParts(r.uid, [][]int{r.part}, maxHTMLPartBytes)
	if err != nil {
		return "", err
	}
	src := decodePart(part, raw[section(r.part)], true)
	images, err := c.inlineImages(r.uid, c.structure, string(src))
	if err != nil {
		return "", err
	}
	return sanitizeHTML(string(src), func(cid string) (string, bool) {
		if u, ok := images[cid]; ok {
			return u, true
		}
		if un, err := url.PathUnescape(cid); err == nil {
			u, ok := images[un]
			return u, ok
		}
		return "", false
	}), nil
}

// partConn is an IMAP connection with the mailbox of a reference open and
// the message's structure read.
type partConn struct {
	*imapConn
	s         *imapSettings
	structure imap.BodyStructure
}

// openPart connects, opens r's mailbox read-only (the inbox's own, no
// other), checks its UIDVALIDITY, and finds r's part in the message's
// BODYSTRUCTURE. The caller closes the connection.
func (a *Adapter) openPart(ctx context.Context, in care.Inbox, r partRef) (*partConn, *imap.BodyStructureSinglePart, error) {
	s, err := imapSettingsOf(in)
	if err != nil {
		return nil, nil, care.Errorf(care.EUNAVAILABLE, "This inbox cannot read its mailbox: %s", care.ErrorMessage(err))
	}
	ic, err := a.dialIMAP(ctx, s, nil)
	if err != nil {
		return nil, nil, unavailable(err)
	}
	c := &partConn{imapConn: ic, s: s}
	part, err := c.find(r)
	if err != nil {
		c.close()
		return nil, nil, err
	}
	return c, part, nil
}

func (c *partConn) find(r partRef) (*imap.BodyStructureSinglePart, error) {
	if r.mailbox != c.s.mailbox {
		// Only the mailbox the inbox reads: a reference is a message's
		// URL, and someone who can write one (an API client's reply)
		// must not open the account's other folders with it.
		return nil, care.Errorf(care.ENOTFOUND, "The email was read from the mailbox %s, which this inbox no longer reads.", r.mailbox)
	}
	sel, err := c.Select(r.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return nil, care.Errorf(care.ENOTFOUND, "The mailbox %s is no longer on the mail server.", r.mailbox)
		}
		return nil, unavailable(imapFailure(c.s, "EXAMINE "+r.mailbox, err))
	}
	if sel.UIDValidity != r.uidValidity {
		return nil, care.Errorf(care.ENOTFOUND, "The mail server has renumbered the mailbox %s since Parley read this email "+
			"(its UIDVALIDITY changed, as after a restore or a migration), so Parley can no longer find the email's parts. Open it in a mail client.", r.mailbox)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(r.uid)), &imap.FetchOptions{UID: true, BodyStructure: &imap.FetchItemBodyStructure{}}).Collect()
	if err != nil {
		return nil, unavailable(imapFailure(c.s, "UID FETCH BODYSTRUCTURE", err))
	}
	for _, m := range msgs {
		if m.UID == imap.UID(r.uid) && m.BodyStructure != nil {
			c.structure = m.BodyStructure
		}
	}
	if c.structure == nil {
		return nil, care.Errorf(care.ENOTFOUND, "The email is no longer in the mailbox %s: it was deleted or moved.", r.mailbox)
	}
	part := partAt(c.structure, r.part)
	switch {
	case part == nil:
		return nil, care.Errorf(care.ENOTFOUND, "The mail server does not show this part of the email.")
	case int64(part.Size) > MaxPartBytes:
		return nil, care.Errorf(care.ETOOLARGE, "The attachment is %d MB; Parley fetches at most %d MB. Open it in a mail client.", part.Size>>20, MaxPartBytes>>20)
	}
	return part, nil
}

// partAt returns the leaf of bs numbered path, nil if there is none.
func partAt(bs imap.BodyStructure, path []int) *imap.BodyStructureSinglePart {
	var found *imap.BodyStructureSinglePart
	bs.Walk(func(p []int, part imap.BodyStructure) bool {
		if found != nil || len(p) > len(path) || !slices.Equal(p, path[:len(p)]) {
			return false
		}
		if sp, ok := part.(*imap.BodyStructureSinglePart); ok && len(p) == len(path) {
			found = sp
		}
		return true
	})
	return found
}

// streamPart starts fetching r's part and returns its decoded bytes as the
// server sends them. Closing the reader ends the connection.
func (c *partConn) streamPart(r partRef, part *imap.BodyStructureSinglePart) (io.ReadCloser, error) {
	cmd := c.Fetch(imap.UIDSetNum(imap.UID(r.uid)), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{
		{Part: r.part, Peek: true, Partial: &imap.SectionPartial{Size: MaxPartBytes}},
	}})
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if it, ok := item.(imapclient.FetchItemDataBodySection); ok && it.Literal != nil {
				// Never trust the server to honour the partial fetch.
				lit := io.LimitReader(it.Literal, MaxPartBytes)
				return &partReader{Reader: decodeReader(part, lit, false), c: c, cmd: cmd}, nil
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, unavailable(imapFailure(c.s, "UID FETCH", err))
	}
	return nil, care.Errorf(care.ENOTFOUND, "The email is no longer in the mailbox %s: it was deleted or moved.", r.mailbox)
}

// partReader is a part being read off the connection.
type partReader struct {
	io.Reader
	c   *partConn
	cmd *imapclient.FetchCommand
	eof bool
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.Reader.Read(b)
	if err == io.EOF {
		p.eof = true
	}
	return n, err
}

// Close ends the fetch: politely when the part was read to its end, by
// closing the connection otherwise, as the rest of the literal would have
// to be read first.
func (p *partReader) Close() error {
	if p.eof {
		_ = p.cmd.Close()
		p.c.close()
		return nil
	}
	p.c.stop()
	// The client's reader waits for the literal to be read; with the
	// connection closed, discarding it ends at once, and so does the
	// reader.
	p.c.conn.Close()
	_ = p.cmd.Close()
	_ = p.c.Client.Close()
	return nil
}

// readParts fetches the parts of message uid numbered paths, each up to
// limit bytes as the server holds them, keyed by section number.
func (c *partConn) readParts(uid uint32, paths [][]int, limit int64) (map[string][]byte, error) {
	sections := make([]*imap.FetchItemBodySection, len(paths))
	for i, p := range paths {
		sections[i] = &imap.FetchItemBodySection{Part: p, Peek: true, Partial: &imap.SectionPartial{Size: limit}}
	}
	cmd := c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{UID: true, BodySection: sections})
	out := map[string][]byte{}
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if it, ok := item.(imapclient.FetchItemDataBodySection); ok && it.Literal != nil && it.Section != nil {
				out[section(it.Section.Part)] = readUpTo(it.Literal, limit)
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, unavailable(imapFailure(c.s, "UID FETCH", err))
	}
	return out, nil
}

// inlineImages fetches the images of the message that html refers to by
// cid:, raster types only, up to maxInlineBytes in all, and returns them
// as data: URLs keyed by Content-ID.
func (c *partConn) inlineImages(uid uint32, bs imap.BodyStructure, html string) (map[string]string, error) {
	lower := strings.ToLower(html)
	type image struct {
		id   string
		path []int
		part *imap.BodyStructureSinglePart
	}
	var images []image
	budget := int64(maxInlineBytes)
	bs.Walk(func(p []int, part imap.BodyStructure) bool {
		sp, ok := part.(*imap.BodyStructureSinglePart)
		if !ok || len(images) >= 50 {
			return true
		}
		id := strings.Trim(strings.TrimSpace(sp.ID), "<>")
		if id == "" || !rasterImage(sp.MediaType()) || !strings.Contains(lower, "cid:"+strings.ToLower(id)) || int64(sp.Size) > budget {
			return true
		}
		budget -= int64(sp.Size)
		images = append(images, image{id, slices.Clone(p), sp})
		return true
	})
	out := map[string]string{}
	if len(images) == 0 {
		return out, nil
	}
	paths := make([][]int, len(images))
	for i, im := range images {
		paths[i] = im.path
	}
	raw, err := c.readParts(uid, paths, maxInlineBytes)
	if err != nil {
		return nil, err
	}
	for _, im := range images {
		data := decodePart(im.part, raw[section(im.path)], false)
		// What the bytes are, not what the message says they are.
		if t := http.DetectContentType(data); rasterImage(t) {
			out[im.id] = "data:" + t + ";base64," + base64.StdEncoding.EncodeToString(data)
		}
	}
	return out, nil
}

func rasterImage(t string) bool {
	switch t {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// decodeReader undoes part's Content-Transfer-Encoding on r and, when text
// is set, converts its charset to UTF-8. An encoding or charset go-message
// does not know leaves the bytes as they are.
func decodeReader(part *imap.BodyStructureSinglePart, r io.Reader, text bool) io.Reader {
	var h message.Header
	h.Set("Content-Transfer-Encoding", part.Encoding)
	if cs := part.Params["charset"]; text && cs != "" {
		h.SetContentType(part.MediaType(), map[string]string{"charset": cs})
	}
	e, err := message.New(h, r)
	if e == nil || err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return r
	}
	return e.Body
}

func decodePart(part *imap.BodyStructureSinglePart, raw []byte, text bool) []byte {
	return readUpTo(decodeReader(part, bytes.NewReader(raw), text), MaxPartBytes)
}

// unavailable turns a failure to reach or use the mail server into
// EUNAVAILABLE with its reason, which names no secret.
func unavailable(err error) error {
	msg := "The mailbox could not be read."
	var se *channel.SendError
	if errors.As(err, &se) && se.Reason != "" {
		msg = "The mailbox could not be read: " + se.Reason
	}
	return &care.Error{Code: care.EUNAVAILABLE, Message: msg, Err: err}
}
