package storetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func testFiles(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	ws := mustWorkspace(t, s, "files")
	data := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 1000)...)
	f := &care.File{WorkspaceID: ws.ID, Name: "receipt 🧾.png", MimeType: "image/png", Token: strings.Repeat("t", 32), Data: data, CreatedBy: 3, CreatedAt: at(0)}
	must(t, s.CreateFile(ctx, f), "CreateFile")
	if f.ID == 0 || f.Size != int64(len(data)) {
		t.Fatalf("CreateFile left %+v", f)
	}
	got, err := s.File(ctx, f.ID)
	must(t, err, "File")
	if !bytes.Equal(got.Data, data) || got.Name != f.Name || got.MimeType != "image/png" || got.Token != f.Token ||
		got.CreatedBy != 3 || !got.CreatedAt.Equal(micro(at(0))) || got.WorkspaceID != ws.ID {
		t.Errorf("File = %+v (%d bytes), want what was stored", got, len(got.Data))
	}
	if _, err := s.File(ctx, missingID); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("File(missing) = %v, want ENOTFOUND", err)
	}
	for name, bad := range map[string]care.File{
		"empty":    {WorkspaceID: ws.ID, Name: "a", MimeType: "text/plain", Token: f.Token},
		"too big":  {WorkspaceID: ws.ID, Name: "a", MimeType: "text/plain", Token: f.Token, Data: make([]byte, care.MaxFileBytes+1)},
		"no token": {WorkspaceID: ws.ID, Name: "a", MimeType: "text/plain", Data: data},
		"no name":  {WorkspaceID: ws.ID, MimeType: "text/plain", Token: f.Token, Data: data},
	} {
		if err := s.CreateFile(ctx, &bad); err == nil {
			t.Errorf("CreateFile(%s) stored it", name)
		}
	}
}
