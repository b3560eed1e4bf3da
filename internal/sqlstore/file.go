package sqlstore

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) CreateFile(ctx context.Context, f *care.File) error {
	switch {
	case f.WorkspaceID == 0:
		return care.Errorf(care.EINVALID, "A file needs a workspace.")
	case len(f.Data) == 0:
		return care.Errorf(care.EINVALID, "The file is empty.")
	case len(f.Data) > care.MaxFileBytes:
		return care.Errorf(care.ETOOLARGE, "Files are limited to %d MB.", care.MaxFileBytes>>20)
	case len(f.Token) < 20:
		return care.Errorf(care.EINVALID, "A file needs a random token.")
	case f.Name == "" || len(f.Name) > care.MaxNameBytes || !utf8.ValidString(f.Name):
		return care.Errorf(care.EINVALID, "A file needs a name of at most %d bytes.", care.MaxNameBytes)
	case f.MimeType == "" || len(f.MimeType) > 255:
		return care.Errorf(care.EINVALID, "A file needs a media type.")
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now()
	}
	f.Size = int64(len(f.Data))
	id, err := q.insert(ctx, `INSERT INTO files (workspace_id, name, mime_type, size, token, data, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.WorkspaceID, f.Name, f.MimeType, f.Size, f.Token, f.Data, f.CreatedBy, micros(f.CreatedAt))
	if err != nil {
		return q.wrap(err, "file")
	}
	f.ID, f.CreatedAt = id, fromMicros(micros(f.CreatedAt))
	return nil
}

func (q queries) File(ctx context.Context, id care.ID) (*care.File, error) {
	var f care.File
	var created int64
	err := q.row(ctx, `SELECT id, workspace_id, name, mime_type, size, token, data, created_by, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.WorkspaceID, &f.Name, &f.MimeType, &f.Size, &f.Token, &f.Data, &f.CreatedBy, &created)
	if err != nil {
		return nil, q.wrap(err, "file")
	}
	f.CreatedAt = fromMicros(created)
	return &f, nil
}
