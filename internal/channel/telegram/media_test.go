package telegram

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
)

func TestFetchMedia(t *testing.T) {
	f := tgfake.New()
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{1}, 400)...)
	f.AddFile("BQACAgIAAxkBAAIB", "invoice.pdf", pdf)
	a := &Adapter{Client: srv.Client()}
	in := care.Inbox{ID: 1, Channel: care.ChannelTelegram, Credentials: map[string]string{CredBotToken: tgfake.DefaultToken, CredAPIBase: srv.URL}}
	ctx := context.Background()
	m, err := a.FetchMedia(ctx, in, FileScheme+"BQACAgIAAxkBAAIB")
	if err != nil {
		t.Fatalf("FetchMedia: %v", err)
	}
	got, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !bytes.Equal(got, pdf) || m.MimeType != "application/pdf" || m.Size != int64(len(pdf)) {
		t.Errorf("file = %d bytes, %q, size %d", len(got), m.MimeType, m.Size)
	}
	for _, ref := range []string{FileScheme + "unknown", "https://example.com/x", FileScheme + "a/../b", FileScheme} {
		if _, err := a.FetchMedia(ctx, in, ref); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("FetchMedia(%q) = %v, want ENOTFOUND", ref, err)
		}
	}
}
