package automation

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// ActionType names what an action does.
type ActionType string

// Action types. The engine only returns them; the caller performs each, in
// order, and writes it to the audit trail with the rule that fired it.
const (
	ActionAssignTeam      ActionType = "assign_team"      // team_id: route to a team
	ActionAssignAgent     ActionType = "assign_agent"     // user_id: assign to an agent
	ActionUnassign        ActionType = "unassign"         // drop the assignee
	ActionAddTag          ActionType = "add_tag"          // tag
	ActionRemoveTag       ActionType = "remove_tag"       // tag
	ActionSetPriority     ActionType = "set_priority"     // points (set to) or boost (add)
	ActionSavedReply      ActionType = "saved_reply"      // saved_reply_id: send a saved reply
	ActionNote            ActionType = "note"             // text: add an internal note
	ActionEscalate        ActionType = "escalate"         // team_id, note: hand off to e.g. PR or marketing
	ActionNotify          ActionType = "notify"           // user_ids or team_id, text
	ActionWebhook         ActionType = "webhook"          // url: post the event
	ActionSnooze          ActionType = "snooze"           // for: hide the conversation
	ActionResolve         ActionType = "resolve"          // close the conversation
	ActionRequireApproval ActionType = "require_approval" // reason: replies need a supervisor's approval
)

// Action is one thing a fired rule asks the caller to do, written
// {"type": "add_tag", "tag": "refund"}. Only the parameters its Type takes
// may be set (see the ActionType constants); Validate refuses the others.
//
// An escalation is not a reassignment: the conversation keeps its owner and
// team and gains TeamID as a second team that sees it, with Note telling
// that team why.
type Action struct {
	Type         ActionType `json:"type"`
	TeamID       care.ID    `json:"team_id,omitempty"`
	UserID       care.ID    `json:"user_id,omitempty"`
	UserIDs      []care.ID  `json:"user_ids,omitempty"`
	Tag          string     `json:"tag,omitempty"`
	Points       *float64   `json:"points,omitempty"` // set_priority: the new priority
	Boost        *float64   `json:"boost,omitempty"`  // set_priority: added to the priority
	SavedReplyID care.ID    `json:"saved_reply_id,omitempty"`
	Text         string     `json:"text,omitempty"`
	Note         string     `json:"note,omitempty"`
	URL          string     `json:"url,omitempty"`
	For          Duration   `json:"for,omitempty"`
	Reason       string     `json:"reason,omitempty"`
}

// maxPriority bounds set_priority so that a typo cannot bury or float a
// conversation beyond anything the priority scorer produces.
const maxPriority = 1e6

// params lists the parameters each action type takes, each required
// unless marked "?"; "a|b" requires exactly one of a and b.
var params = map[ActionType][]string{
	ActionAssignTeam:      {"team_id"},
	ActionAssignAgent:     {"user_id"},
	ActionUnassign:        nil,
	ActionAddTag:          {"tag"},
	ActionRemoveTag:       {"tag"},
	ActionSetPriority:     {"points|boost"},
	ActionSavedReply:      {"saved_reply_id"},
	ActionNote:            {"text"},
	ActionEscalate:        {"team_id", "note?"},
	ActionNotify:          {"user_ids|team_id", "text"},
	ActionWebhook:         {"url"},
	ActionSnooze:          {"for"},
	ActionResolve:         nil,
	ActionRequireApproval: {"reason"},
}

// set returns the names of the parameters a sets.
func (a *Action) set() []string {
	var s []string
	add := func(name string, ok bool) {
		if ok {
			s = append(s, name)
		}
	}
	add("team_id", a.TeamID != 0)
	add("user_id", a.UserID != 0)
	add("user_ids", a.UserIDs != nil)
	add("tag", a.Tag != "")
	add("points", a.Points != nil)
	add("boost", a.Boost != nil)
	add("saved_reply_id", a.SavedReplyID != 0)
	add("text", a.Text != "")
	add("note", a.Note != "")
	add("url", a.URL != "")
	add("for", a.For != "")
	add("reason", a.Reason != "")
	return s
}

// validate checks a and returns it normalised: its tag lower-cased as
// conversations store tags.
func (a Action) validate() (Action, error) {
	want, ok := params[a.Type]
	if !ok {
		return a, fmt.Errorf("unknown type %q", truncate(string(a.Type), 64))
	}
	allowed := map[string]bool{}
	for _, p := range want {
		alts := strings.Split(strings.TrimSuffix(p, "?"), "|")
		n := 0
		for _, alt := range alts {
			allowed[alt] = true
			if a.has(alt) {
				n++
			}
		}
		switch {
		case n == 0 && !strings.HasSuffix(p, "?"):
			return a, fmt.Errorf("%s needs %s", a.Type, strings.Join(alts, " or "))
		case n > 1:
			return a, fmt.Errorf("%s takes %s, not both", a.Type, strings.Join(alts, " or "))
		}
	}
	for _, p := range a.set() {
		if !allowed[p] {
			return a, fmt.Errorf("%s does not take %s", a.Type, p)
		}
	}
	return a.checkValues()
}

func (a *Action) has(name string) bool {
	for _, p := range a.set() {
		if p == name {
			return true
		}
	}
	return false
}

// checkValues checks each parameter a sets.
func (a Action) checkValues() (Action, error) {
	for _, id := range []struct {
		name string
		v    care.ID
	}{{"team_id", a.TeamID}, {"user_id", a.UserID}, {"saved_reply_id", a.SavedReplyID}} {
		if id.v < 0 {
			return a, fmt.Errorf("%s %d is negative", id.name, id.v)
		}
	}
	if a.UserIDs != nil {
		if len(a.UserIDs) == 0 || len(a.UserIDs) > MaxUserIDs {
			return a, fmt.Errorf("user_ids needs 1 to %d users", MaxUserIDs)
		}
		for _, id := range a.UserIDs {
			if id <= 0 {
				return a, fmt.Errorf("user_ids holds %d, which is not a user id", id)
			}
		}
	}
	for _, s := range []struct{ name, v string }{{"tag", a.Tag}, {"text", a.Text}, {"note", a.Note}, {"url", a.URL}, {"reason", a.Reason}} {
		if len(s.v) > MaxStringBytes {
			return a, fmt.Errorf("%s is longer than %d bytes", s.name, MaxStringBytes)
		}
		if !utf8.ValidString(s.v) {
			return a, fmt.Errorf("%s is not valid UTF-8", s.name)
		}
	}
	if a.Tag != "" {
		t := care.NormalizeTag(a.Tag)
		if t == "" {
			return a, fmt.Errorf("tag %q is not a tag (1 to 64 bytes, no commas or control characters)", truncate(a.Tag, 64))
		}
		a.Tag = t
	}
	for _, p := range []struct {
		name string
		v    *float64
	}{{"points", a.Points}, {"boost", a.Boost}} {
		if p.v != nil && (!isFinite(*p.v) || *p.v < -maxPriority || *p.v > maxPriority) {
			return a, fmt.Errorf("%s must be a number from %g to %g", p.name, -maxPriority, maxPriority)
		}
	}
	if a.Boost != nil && *a.Boost == 0 {
		return a, errors.New("a boost of 0 changes nothing")
	}
	if a.URL != "" {
		if err := checkWebhookURL(a.URL); err != nil {
			return a, err
		}
	}
	if a.For != "" {
		if _, err := a.For.parseBounded(); err != nil {
			return a, fmt.Errorf("for: %w", err)
		}
	}
	return a, nil
}

// checkWebhookURL accepts an absolute http or https URL. Whether its host
// may be reached (not a private address, say) is for the code that calls
// it to decide, at the time it calls.
func checkWebhookURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("url %q is not an http or https URL", truncate(s, 64))
	}
	if u.User != nil {
		return errors.New("url must not carry a user name or password; put secrets in the webhook's settings")
	}
	return nil
}

// clone returns a copy of a that shares no memory with it.
func (a Action) clone() Action {
	a.UserIDs = slices.Clone(a.UserIDs)
	if a.Points != nil {
		v := *a.Points
		a.Points = &v
	}
	if a.Boost != nil {
		v := *a.Boost
		a.Boost = &v
	}
	return a
}

// isFinite reports whether v is a number a priority can hold.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
