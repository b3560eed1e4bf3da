package email

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The files agents attach to replies are kept by Parley and reach the
// adapter as links, /files/{id}/{token}/{name} under Parley's public URL
// (the token is the permission). A reply carries them as parts of the
// email, fetched from those links just before it is written: only from
// there, so a reply cannot make Parley fetch an address inside its own
// network and mail out what it finds. A link elsewhere, a file that cannot
// be fetched and whatever exceeds maxAttachedBytes go as links below the
// text instead.

// maxAttachedBytes bounds the files sent inside one reply. Base64 makes
// them a third larger; providers refuse messages over 20 to 25 MB.
const maxAttachedBytes = 15 << 20

// fileTimeout bounds fetching one file when Client is nil.
const fileTimeout = 30 * time.Second

// attached is a file to send as a part of a reply.
type attached struct {
	name, mimeType string
	data           []byte
}

// filesPrefix is the start of the links to files Parley keeps, "" when
// PublicURL is not an absolute http(s) address.
func (a *Adapter) filesPrefix() string {
	u, err := url.Parse(a.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return ""
	}
	return strings.TrimRight(a.PublicURL, "/") + "/files/"
}

// ownFile reports whether link is one of Parley's file links under prefix:
// /files/{id}/{token}/{name}, nothing more.
func ownFile(link, prefix string) bool {
	rest, ok := strings.CutPrefix(link, prefix)
	if !ok || prefix == "" || strings.ContainsAny(rest, "?#\\") {
		return false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || strings.Trim(parts[0], "0123456789") != "" || parts[1] == "" || parts[2] == "" {
		return false
	}
	for _, p := range parts {
		if p == "." || p == ".." {
			return false
		}
	}
	return true
}

// replyFiles fetches the reply's attachments that are Parley's files, up
// to maxAttachedBytes in all; files[i] is nil for the i-th attachment
// when it goes as a link. Nothing here fails the reply: a file that
// cannot be fetched is still reachable by its link.
func (a *Adapter) replyFiles(ctx context.Context, out *channel.Outbound) []*attached {
	prefix := a.filesPrefix()
	atts := out.Message.Attachments
	if prefix == "" || len(atts) == 0 {
		return nil
	}
	files := make([]*attached, len(atts))
	total := 0
	for i, att := range atts {
		if !ownFile(att.URL, prefix) {
			continue
		}
		f, err := a.fetchFile(ctx, att, maxAttachedBytes-total)
		if err != nil {
			// The link holds the file's token: it stays out of the log.
			a.logger().Warn("email: a reply's file goes as a link", "inbox", out.Inbox.ID, "message", out.Message.ID, "file", channel.CleanName(att.Name, 200), "err", err)
			continue
		}
		total += len(f.data)
		files[i] = f
	}
	return files
}

var errFileTooLarge = errors.New("email: the reply's files exceed what one email carries")

// fetchFile downloads one of Parley's files, at most limit bytes.
func (a *Adapter) fetchFile(ctx context.Context, att care.Attachment, limit int) (*attached, error) {
	if limit <= 0 {
		return nil, errFileTooLarge
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, att.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("email: file request: %w", err)
	}
	client := http.Client{Timeout: fileTimeout}
	if a.Client != nil {
		client = *a.Client
	}
	// A file link answers with the file; a redirect leads elsewhere.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("email: fetch file: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("email: fetch file: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("email: read file: %w", err)
	}
	if len(data) > limit {
		return nil, errFileTooLarge
	}
	f := &attached{name: channel.CleanName(att.Name, 200), mimeType: att.MimeType, data: data}
	if f.name == "" {
		f.name = "attachment"
	}
	if !mimeTypeOK(f.mimeType) {
		f.mimeType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	}
	if !mimeTypeOK(f.mimeType) {
		f.mimeType = "application/octet-stream"
	}
	return f, nil
}
