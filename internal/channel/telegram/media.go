package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxFileBytes is the largest file the Bot API lets a bot download
// (core.telegram.org/bots/api#getfile: "bots can download files of up to
// 20MB in size").
const MaxFileBytes = 20 << 20

// FetchMedia downloads a customer's file by its attachment URL
// ("telegram-file:<file_id>"): getFile gives its path, valid for an hour,
// under {api base}/file/bot<token>/.
func (a *Adapter) FetchMedia(ctx context.Context, in care.Inbox, ref string) (*channel.Media, error) {
	id, ok := strings.CutPrefix(ref, FileScheme)
	if !ok || id == "" || len(id) > 256 || strings.ContainsAny(id, "/?#") {
		return nil, care.Errorf(care.ENOTFOUND, "Not a Telegram file id.")
	}
	raw, err := a.call(ctx, in, "getFile", map[string]string{"file_id": id}, 64<<10)
	if err != nil {
		var se *channel.SendError
		if errors.As(err, &se) && se.Status == http.StatusBadRequest {
			return nil, care.Errorf(care.ENOTFOUND, "Telegram no longer has this file.")
		}
		return nil, care.Errorf(care.EUNAVAILABLE, "Telegram did not give the file.")
	}
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int64  `json:"file_size"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.FilePath == "" || strings.Contains(f.FilePath, "..") {
		return nil, care.Errorf(care.EUNAVAILABLE, "Telegram's answer about the file had no path.")
	}
	if f.FileSize > MaxFileBytes {
		return nil, care.Errorf(care.ETOOLARGE, "Bots cannot download files over 20 MB.")
	}
	base, err := a.baseURL(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/file/bot"+in.Credentials[CredBotToken]+"/"+f.FilePath, nil)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "The file's address is not usable.")
	}
	resp, err := a.client().Do(req)
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "Telegram could not be reached for the file.")
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, care.Errorf(care.EUNAVAILABLE, "Telegram answered %d for the file.", resp.StatusCode)
	}
	// Telegram serves files as application/octet-stream; the name says
	// more, and the caller sniffs nothing from it it would render.
	mt := mime.TypeByExtension(path.Ext(f.FilePath))
	return &channel.Media{Body: struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, MaxFileBytes), resp.Body}, MimeType: mt, Size: f.FileSize}, nil
}
