package care

import "time"

// Contact is one person, however many platforms they write from.
type Contact struct {
	ID          ID     `json:"id"`
	WorkspaceID ID     `json:"workspace_id"`
	Name        string `json:"name"`
	// MergedInto is set when this contact was merged into another; such a
	// contact keeps no identities, conversations or messages of its own until
	// the merge is undone.
	MergedInto ID         `json:"merged_into,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	Identities []Identity `json:"identities,omitempty"`
}

// Identity is a contact on one platform: an X user, a Facebook PSID, an email
// address, a phone number. (WorkspaceID, Platform, PlatformUserID) is unique.
type Identity struct {
	ID             ID        `json:"id"`
	WorkspaceID    ID        `json:"workspace_id"`
	ContactID      ID        `json:"contact_id"`
	Platform       Channel   `json:"platform"`
	PlatformUserID string    `json:"platform_user_id"`
	DisplayName    string    `json:"display_name"`
	Handle         string    `json:"handle,omitempty"`
	Followers      int64     `json:"followers"`
	Verified       bool      `json:"verified"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Merge records that one contact was folded into another, with enough detail
// to undo it: which identities, conversations and messages moved.
type Merge struct {
	ID              ID         `json:"id"`
	WorkspaceID     ID         `json:"workspace_id"`
	WinnerID        ID         `json:"winner_id"`
	LoserID         ID         `json:"loser_id"`
	IdentityIDs     []ID       `json:"identity_ids"`
	ConversationIDs []ID       `json:"conversation_ids"`
	CreatedAt       time.Time  `json:"created_at"`
	UndoneAt        *time.Time `json:"undone_at,omitempty"`
}
