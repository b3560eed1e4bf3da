package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
)

// Agents attach files to replies. Parley keeps them (care.File) and hands
// the platform a link to each, /files/{id}/{token}/{name}: Meta, WhatsApp
// and Twilio fetch media from a URL, and the link must work without a
// session. Its token is 128 random bits, so the link is the permission.

// maxUploadBytes bounds a reply form with files.
const maxUploadBytes = care.MaxFilesPerReply*care.MaxFileBytes + maxFormBytes

// inlineTypes are the media types a file is served as; anything else is
// served as a download of application/octet-stream, so no uploaded file is
// ever rendered as a page of this origin.
var inlineTypes = map[string]string{
	"image/png": "image", "image/jpeg": "image", "image/gif": "image", "image/webp": "image",
	"video/mp4": "video", "audio/mpeg": "audio", "audio/ogg": "audio", "audio/wave": "audio",
	"application/pdf": "file",
}

// uploads stores the files posted in the form's "files" field and returns
// them as attachments. A form without files returns none.
func (h *Handler) uploads(r *http.Request, a *agent) ([]care.Attachment, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["files"]) == 0 {
		return nil, nil
	}
	var fhs []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Size > 0 || fh.Filename != "" {
			fhs = append(fhs, fh)
		}
	}
	if len(fhs) > care.MaxFilesPerReply {
		return nil, care.Errorf(care.EINVALID, "Attach at most %d files to one reply.", care.MaxFilesPerReply)
	}
	var out []care.Attachment
	for _, fh := range fhs {
		if fh.Size > care.MaxFileBytes {
			return nil, care.Errorf(care.EINVALID, "%s is larger than %d MB.", safeName(fh.Filename), care.MaxFileBytes>>20)
		}
		data, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			return nil, care.Errorf(care.EINVALID, "%s is empty.", safeName(fh.Filename))
		}
		// What the bytes are, not what the browser or the file name says.
		mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
		kind, ok := inlineTypes[mt]
		if !ok {
			mt, kind = "application/octet-stream", "file"
		}
		f := &care.File{WorkspaceID: a.WorkspaceID, Name: safeName(fh.Filename), MimeType: mt, Data: data,
			Token: rand.Text(), CreatedBy: a.UserID, CreatedAt: h.now()}
		if err := h.Store.CreateFile(r.Context(), f); err != nil {
			return nil, err
		}
		out = append(out, care.Attachment{Kind: kind, URL: h.fileURL(r, f), MimeType: mt, Name: f.Name, Size: f.Size})
	}
	return out, nil
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	rd, err := fh.Open()
	if err != nil {
		return nil, care.Errorf(care.EINVALID, "The file %s could not be read.", safeName(fh.Filename))
	}
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, care.MaxFileBytes+1))
	if err != nil {
		return nil, care.Errorf(care.EINVALID, "The file %s could not be read.", safeName(fh.Filename))
	}
	if len(data) > care.MaxFileBytes {
		return nil, care.Errorf(care.EINVALID, "%s is larger than %d MB.", safeName(fh.Filename), care.MaxFileBytes>>20)
	}
	return data, nil
}

// safeName is a file name fit to store and show: its last path element,
// printable, at most 200 bytes.
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return -1
		}
		return r
	}, name)
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	return name
}

// fileURL is the link the platform and agents fetch a file from: under
// PublicURL, else under the address the agent's browser used.
func (h *Handler) fileURL(r *http.Request, f *care.File) string {
	base := strings.TrimRight(h.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/files/" + strconv.FormatInt(f.ID, 10) + "/" + f.Token + "/" + url.PathEscape(f.Name)
}

// serveFile answers GET /files/{id}/{token}/{name}. A wrong token and a
// missing file look the same.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request) {
	id := positiveID(r.PathValue("id"))
	f, err := h.Store.File(r.Context(), id)
	if err != nil || !auth.EqualToken(f.Token, r.PathValue("token")) {
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			h.logger().ErrorContext(r.Context(), "web: load file", "id", id, "err", err)
		}
		http.NotFound(w, r)
		return
	}
	safeFileHeaders(w.Header(), f.MimeType, f.Name)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", f.CreatedAt, bytes.NewReader(f.Data))
}

// timelineMessage returns the message the request's {mid} names, and its
// inbox, when the conversation's timeline shows it: the conversation's own
// messages, its linked conversation's and the contact's. Anything else is
// ENOTFOUND, so an agent cannot reach another customer's message through a
// conversation they may see.
func (h *Handler) timelineMessage(ctx context.Context, a *agent, r *http.Request) (*care.Message, *care.Inbox, error) {
	c, err := h.conversationOf(ctx, a, r)
	if err != nil {
		return nil, nil, err
	}
	notFound := care.Errorf(care.ENOTFOUND, "There is no such message in this conversation.")
	mid, ok := messageID(r)
	if !ok {
		return nil, nil, notFound
	}
	m, err := h.Store.Message(ctx, mid)
	if err != nil || m.WorkspaceID != a.WorkspaceID ||
		m.ConversationID != c.ID && m.ConversationID != c.LinkedID && m.ContactID != c.ContactID {
		return nil, nil, notFound
	}
	if m.ConversationID != c.ID && a.Scoped() {
		// The timeline of a scoped agent leaves out the contact's
		// conversations outside their scope, and so does this.
		if _, err := h.loadConversation(ctx, a, m.ConversationID); care.ErrorCode(err) == care.ENOTFOUND {
			return nil, nil, notFound
		} else if err != nil {
			return nil, nil, err
		}
	}
	in, err := h.Store.Inbox(ctx, m.InboxID)
	if err != nil {
		return nil, nil, notFound
	}
	return m, in, nil
}

// maxProxyBytes bounds a file fetched from a platform for an agent.
const maxProxyBytes = 100 << 20

// media serves an attachment the platform holds (a WhatsApp media id): the
// channel's adapter fetches it with the inbox's credentials, and the agent
// gets it with the same precautions as the files Parley keeps.
func (h *Handler) media(w http.ResponseWriter, r *http.Request, a *agent) {
	ctx := r.Context()
	m, in, err := h.timelineMessage(ctx, a, r)
	if err != nil {
		http.Error(w, care.ErrorMessage(err), httpStatus(err))
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	// Only the platform's own messages hold references to its files; one
	// on a message of ours would be a reference an agent typed.
	if err != nil || n < 0 || n >= len(m.Attachments) || m.Direction != care.DirectionIn {
		http.NotFound(w, r)
		return
	}
	f, ok := h.Desk.Adapters.MediaFetcher(in.Channel)
	if !ok {
		http.NotFound(w, r)
		return
	}
	att := m.Attachments[n]
	md, err := f.FetchMedia(ctx, *in, att.URL)
	if err != nil {
		http.Error(w, care.ErrorMessage(err), httpStatus(err))
		return
	}
	defer md.Body.Close()
	name := safeName(att.Name)
	if att.Name == "" {
		name = "attachment"
	}
	hd := w.Header()
	safeFileHeaders(hd, md.MimeType, name)
	hd.Set("Cache-Control", "private, no-store")
	if md.Size > 0 && md.Size <= maxProxyBytes {
		hd.Set("Content-Length", strconv.FormatInt(md.Size, 10))
	}
	if _, err := io.Copy(w, io.LimitReader(md.Body, maxProxyBytes)); err != nil {
		// The platform's file broke off, or was refused as too large
		// midway: a response ended cleanly would hand the agent a
		// truncated file as if whole, so the connection is cut instead.
		panic(http.ErrAbortHandler)
	}
}

// safeFileHeaders sets what every file Parley passes on carries: its type
// only when it is one of inlineTypes (otherwise a download of
// application/octet-stream), no sniffing, and a sandbox, so no file is ever
// a page of this origin.
func safeFileHeaders(hd http.Header, mimeType, name string) {
	mt, _, _ := mime.ParseMediaType(mimeType)
	disp := "inline"
	if _, ok := inlineTypes[mt]; !ok {
		mt, disp = "application/octet-stream", "attachment"
	}
	hd.Set("Content-Type", mt)
	hd.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Referrer-Policy", "no-referrer")
}
