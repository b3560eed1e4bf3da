package care

import "time"

// File is something an agent attached to a reply, kept by Parley so the
// platform can fetch it from a link (Meta, WhatsApp and Twilio take media
// by URL) and agents can open it later. The link is a capability: its
// token is random and checked on every fetch.
type File struct {
	ID          ID        `json:"id"`
	WorkspaceID ID        `json:"workspace_id"`
	Name        string    `json:"name"`
	MimeType    string    `json:"mime_type"`
	Size        int64     `json:"size"`
	Token       string    `json:"-"`
	Data        []byte    `json:"-"`
	CreatedBy   ID        `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Limits on files agents attach.
const (
	MaxFileBytes     = 10 << 20
	MaxFilesPerReply = 4
)
