package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Setting is one kind of workspace setting the API reads and writes: its
// validator, and a hook run after it changed.
type Setting struct {
	// Validate checks a document, returning EINVALID that says what is
	// wrong.
	Validate func(doc []byte) error
	// Changed, if set, is told after a workspace's document was saved, so
	// caches drop it.
	Changed func(workspaceID care.ID)
	// Default is served when the workspace has not set one.
	Default json.RawMessage
}

// maxSettingBody bounds a setting document on the wire.
const maxSettingBody = 1 << 20

func (s *Server) setting(r *http.Request) (string, Setting, error) {
	name := r.PathValue("name")
	st, ok := s.Settings[name]
	if !ok {
		return "", Setting{}, care.Errorf(care.ENOTFOUND, "No setting %q.", name)
	}
	return name, st, nil
}

func (s *Server) getSetting(w http.ResponseWriter, r *http.Request) {
	name, st, err := s.setting(r)
	if err == nil {
		// Rules, policies and word lists are the workspace's, not a team's.
		err = principal(r).Scope.Refuse("read the workspace's settings")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	doc, err := s.Store.Setting(r.Context(), principal(r).WorkspaceID, name)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		doc = st.Default
		if doc == nil {
			doc = json.RawMessage(`{}`)
		}
	case err != nil:
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

func (s *Server) putSetting(w http.ResponseWriter, r *http.Request) {
	name, _, err := s.setting(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSettingBody))
	if err != nil {
		writeError(w, r, care.Errorf(care.ETOOLARGE, "A setting is at most %d bytes.", maxSettingBody))
		return
	}
	if err := s.SaveSetting(r.Context(), principal(r), name, doc); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
}

// SaveSetting checks a workspace setting's document, stores it, audits
// the change and tells the setting's cache: what PUT
// /api/v1/settings/{name} does, for the web's forms too.
func (s *Server) SaveSetting(ctx context.Context, p care.Principal, name string, doc []byte) error {
	if !p.Role.AtLeast(care.RoleAdmin) {
		return care.Errorf(care.EFORBIDDEN, "Only admins change the workspace's settings.")
	}
	st, ok := s.Settings[name]
	if !ok {
		return care.Errorf(care.ENOTFOUND, "No setting %q.", name)
	}
	if !json.Valid(doc) {
		return care.Errorf(care.EINVALID, "The body is not JSON.")
	}
	if st.Validate != nil {
		if err := st.Validate(doc); err != nil {
			return err
		}
	}
	if err := s.Store.SetSetting(ctx, p.WorkspaceID, name, doc, s.now()); err != nil {
		return err
	}
	s.audit(ctx, p, "setting.update", "setting:"+name, json.RawMessage(doc))
	if st.Changed != nil {
		st.Changed(p.WorkspaceID)
	}
	return nil
}

// DryRunner runs a draft automation rule against past conversations.
type DryRunner func(ctx context.Context, q care.Queries, workspaceID care.ID, rule []byte, limit int, now time.Time) (fired []care.ID, checked int, err error)

type dryRunResult struct {
	Checked         int       `json:"checked"`
	ConversationIDs []care.ID `json:"conversation_ids"`
}

// dryRun shows which of the workspace's most recent conversations (up to
// limit, default 200) a draft rule would have fired for, and how many it
// checked. Members of a partner team may not: the rule runs over the whole
// workspace's conversations and names those it would fire for.
func (s *Server) dryRun(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("try rules against the workspace's conversations"); err != nil {
		writeError(w, r, err)
		return
	}
	if s.DryRun == nil {
		writeError(w, r, care.Errorf(care.ENOTFOUND, "Automation is not available."))
		return
	}
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, r, care.Errorf(care.EINVALID, "limit must be between 1 and 1000."))
			return
		}
		limit = n
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSettingBody))
	if err != nil {
		writeError(w, r, care.Errorf(care.ETOOLARGE, "A rule is at most %d bytes.", maxSettingBody))
		return
	}
	ws := principal(r).WorkspaceID
	ids, checked, err := s.DryRun(r.Context(), s.Store, ws, doc, limit, s.now())
	if err != nil {
		writeError(w, r, err)
		return
	}
	if ids == nil {
		ids = []care.ID{}
	}
	writeJSON(w, http.StatusOK, dryRunResult{Checked: checked, ConversationIDs: ids})
}

// conversationSurvey is the satisfaction survey sent for a conversation.
func (s *Server) conversationSurvey(w http.ResponseWriter, r *http.Request) {
	c, err := s.conversationOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sv, err := s.Store.ConversationSurvey(r.Context(), c.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// HookSecret returns a workspace's secret for signing rule webhooks.
type HookSecret func(ctx context.Context, workspaceID care.ID) (string, error)

// webhookSecret shows admins the secret rule webhooks are signed with, so
// receivers can verify them.
func (s *Server) webhookSecret(w http.ResponseWriter, r *http.Request) {
	if s.HookSecret == nil {
		writeError(w, r, care.Errorf(care.ENOTFOUND, "Automation webhooks are not available."))
		return
	}
	secret, err := s.HookSecret(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret})
}
