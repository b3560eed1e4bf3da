package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/triage"
)

// The settings page shows the workspace's settings, the JSON documents the
// API serves under /api/v1/settings/{name}: each with what it does, a
// link to its documentation and its document, which admins edit and
// supervisors read. Saving goes through api.Server.SaveSetting, the path
// PUT takes: it validates, checks the role, audits and tells the caches.
// Members of a partner team see none of it: the settings are the
// workspace's, not a team's.

// docsBase is where the documentation is read: the binary does not serve
// docs/.
const docsBase = "https://github.com/parleyhq/parley/blob/main/docs/"

// maxSettingBytes bounds a document, as PUT /api/v1/settings/{name} does.
const maxSettingBytes = 1 << 20

// maxSettingFormBytes bounds the settings form: a document of the largest
// size, percent-encoded, with room for the CSRF token.
const maxSettingFormBytes = 3*maxSettingBytes + 4<<10

// settingAbout says what a setting does, where it is documented and,
// for one with a page of its own, where it is edited.
type settingAbout struct {
	name, title, about, doc, page string
}

// settingsAbout are the settings the page knows, in the order it shows
// them. A setting the API serves that is not here is shown after them,
// by its name.
var settingsAbout = []settingAbout{
	{deadline.SettingName, "SLA policies", "Targets for the first response, the next responses and the resolution, in business time, and the business hours they count.", "sla.md#policies", ""},
	{triage.SettingName, "Triage and priority", "The topics Parley spots in customers' messages, the weights of the priority score and the customers always treated as VIPs.", "triage-routing.md#settings", ""},
	{automator.SettingName, "Automation rules", "What happens by itself when a message arrives, a conversation changes or waits too long: assign, tag, escalate, notify, reply.", "automation.md", ""},
	{desk.ApprovalSettingName, "Approvals", "Which public replies wait for a supervisor's approval before the world sees them, and how soon they should be approved.", "approvals.md", ""},
	{csat.SettingName, "Satisfaction surveys", "Whether resolving a conversation asks the customer to rate it, with what question and on which channels.", "csat.md", ""},
	{savedreply.SettingName, "Saved replies", "The replies agents insert from the composer, filled in with the customer's and the agent's names.", "ui.md#saved-replies", ""},
	{desk.SettingName, "Ownership", "Whether only a conversation's assignee, or a supervisor, may reply once it is assigned.", "ownership.md", ""},
	{screen.SettingName, "Comment moderation", "Which public comments on your own pages and posts are hidden, deleted, flagged or answered as they arrive.", "moderation.md", ""},
	{listen.SettingName, "Listening", "The brand and the competitors searched for on social networks, with the words that name them.", "listening.md", "/listening#subjects"},
}

type settingsPage struct {
	layout
	CanEdit  bool
	Settings []settingView
}

// settingView is one setting's section.
type settingView struct {
	Name, Title, About, Doc string
	Page                    string // where it is edited instead, if not here
	Text                    string // its document: pretty JSON, or as typed
	Lines                   int    // the text box's height
	Default                 bool   // not set: the default is shown
	Saved                   bool
	Error                   string
	Rules                   []ruleView // automation's rules, in their order
}

// ruleView is an automation rule in the list above its editor.
type ruleView struct {
	Name, Trigger string
	Enabled       bool
}

// seeSettings refuses the page to agents and to members of a partner team.
func seeSettings(a *agent) error {
	return seeWorkspace(a, "Only supervisors and admins see the workspace's settings.", "read the workspace's settings")
}

func (h *Handler) settings(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := seeSettings(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p, err := h.settingsPageOf(r.Context(), a)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if saved := r.URL.Query().Get("saved"); saved != "" {
		for i := range p.Settings {
			p.Settings[i].Saved = p.Settings[i].Name == saved
		}
	}
	h.render(w, r, http.StatusOK, "settings", p)
}

// saveSetting saves the document an admin typed. A refusal comes back
// beside its text box, with the text as typed.
func (h *Handler) saveSetting(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := a.Scope.Refuse("change the workspace's settings"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	ctx := r.Context()
	name := r.PathValue("name")
	if name == listen.SettingName {
		h.renderError(w, r, a, care.Errorf(care.ENOTFOUND, "Listening's subjects are changed on the Listening page."))
		return
	}
	text := formText(r, "doc")
	var err error
	if len(text) > maxSettingBytes {
		err = care.Errorf(care.ETOOLARGE, "A setting is at most %d bytes of JSON; this is %d.", maxSettingBytes, len(text))
	} else {
		err = h.API.SaveSetting(ctx, a.Principal, name, []byte(text))
	}
	switch code := care.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/settings?"+url.Values{"saved": {name}}.Encode()+"#setting-"+name, http.StatusSeeOther)
		return
	case code != care.EINVALID && code != care.ETOOLARGE:
		// Not an admin, or no such setting: nothing to correct in the box.
		h.renderError(w, r, a, err)
		return
	}
	msg := h.safeMessage(r, err)
	if care.ErrorCode(err) == care.EINVALID && !json.Valid([]byte(text)) {
		// The API's "The body is not JSON." names no place in the text.
		msg = notJSON([]byte(text))
	}
	p, perr := h.settingsPageOf(ctx, a)
	if perr != nil {
		h.renderError(w, r, a, perr)
		return
	}
	for i := range p.Settings {
		if s := &p.Settings[i]; s.Name == name {
			s.Text, s.Lines, s.Error, s.Default = text, lines(text), msg, false
		}
	}
	h.render(w, r, httpStatus(err), "settings", p)
}

// settingsPageOf reads every setting the API serves, the workspace's
// document or the default.
func (h *Handler) settingsPageOf(ctx context.Context, a *agent) (settingsPage, error) {
	p := settingsPage{layout: layout{Title: "Settings", Page: "settings", Agent: a}, CanEdit: a.IsAdmin()}
	known := map[string]bool{}
	for _, s := range settingsAbout {
		known[s.name] = true
		if _, ok := h.API.Settings[s.name]; ok {
			p.Settings = append(p.Settings, settingView{Name: s.name, Title: s.title, About: s.about, Doc: docsBase + s.doc, Page: s.page})
		}
	}
	var others []string
	for name := range h.API.Settings {
		if !known[name] {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	for _, name := range others {
		p.Settings = append(p.Settings, settingView{Name: name, Title: name, Doc: docsBase + "api.md"})
	}
	for i := range p.Settings {
		s := &p.Settings[i]
		if s.Page != "" {
			continue
		}
		doc, err := h.Store.Setting(ctx, a.WorkspaceID, s.Name)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			// What GET /api/v1/settings/{name} answers for a setting never
			// set.
			doc, s.Default = h.API.Settings[s.Name].Default, true
			if doc == nil {
				doc = []byte(`{}`)
			}
		case err != nil:
			return p, fmt.Errorf("web: read setting %s: %w", s.Name, err)
		}
		s.Text = prettyJSON(doc)
		s.Lines = lines(s.Text)
		if s.Name == automator.SettingName {
			s.Rules = rulesOf(doc)
		}
	}
	return p, nil
}

// prettyJSON indents a document for reading and editing; one that is not
// JSON, which the API never stores, is shown as it is.
func prettyJSON(doc []byte) string {
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return string(doc)
	}
	return b.String()
}

// lines is the height of a text box for text: all of it, within reason.
func lines(text string) int {
	return min(max(strings.Count(text, "\n")+2, 4), 30)
}

// rulesOf lists a rule set's rules in the order they run, for the list
// above the editor; a document that no longer reads lists none.
func rulesOf(doc []byte) []ruleView {
	rs, err := automation.ParseRuleSet(doc)
	if err != nil {
		return nil
	}
	rules := slices.Clone(rs.Rules)
	slices.SortStableFunc(rules, func(x, y automation.Rule) int { return cmp.Compare(x.Position, y.Position) })
	out := make([]ruleView, 0, len(rules))
	for _, rule := range rules {
		name := plain(rule.Name)
		if name == "" {
			name = fmt.Sprintf("Rule %d", rule.ID)
		}
		out = append(out, ruleView{Name: name, Trigger: plain(string(rule.Trigger)), Enabled: rule.Enabled})
	}
	return out
}

// notJSON says where a text stops being JSON, so that a mistake is found
// in a long document.
func notJSON(doc []byte) string {
	var v any
	var se *json.SyntaxError
	if err := json.Unmarshal(doc, &v); !errors.As(err, &se) {
		return "This is not JSON."
	}
	// The decoder stops after the byte it could not take: point at that
	// byte, or at the start of an empty text.
	at := min(max(se.Offset-1, 0), int64(len(doc)))
	before := doc[:at]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("This is not JSON: %s, at line %d, column %d.", se.Error(), line, col)
}
