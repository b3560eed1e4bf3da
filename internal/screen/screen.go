// Package screen applies a workspace's comment moderation rules to the
// public comments customers leave on its own pages and posts (package
// moderation decides). Spam, profanity, link rules, low-effort and repeated
// comments are hidden or deleted through the platform's API, or flagged
// for review; a comment that reads as a genuine complaint is never hidden
// silently: it is flagged and goes to care like any other message. Every
// action is in the audit trail as done by "moderation", and a hidden
// comment can be shown again from the conversation.
package screen

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/moderation"
	"github.com/parleyhq/parley/internal/savedreply"
)

// SettingName is the workspace setting that holds its Settings.
const SettingName = "moderation"

// Actor is how moderation appears in the audit trail.
const Actor = "moderation"

// Settings are a workspace's comment rules, tried in order.
type Settings struct {
	Rules []Rule `json:"rules"`
}

// Rule is moderation.Rule in JSON, its window a duration such as "1h".
type Rule struct {
	Kind         moderation.Kind   `json:"kind"`
	Action       moderation.Action `json:"action"`
	MaxLinks     *int              `json:"max_links,omitempty"`
	AllowDomains []string          `json:"allow_domains,omitempty"`
	BlockDomains []string          `json:"block_domains,omitempty"`
	Words        []string          `json:"words,omitempty"`
	Threshold    int               `json:"threshold,omitempty"`
	Window       string            `json:"window,omitempty"`
	// SavedReplyID, for action reply, is the saved reply to answer with.
	SavedReplyID int64 `json:"saved_reply_id,omitempty"`
}

// Parse checks a Settings document and returns its rules.
func Parse(doc []byte) ([]moderation.Rule, error) {
	var s Settings
	if err := care.DecodeSettings(doc, &s, "moderation settings"); err != nil {
		return nil, err
	}
	rules := make([]moderation.Rule, 0, len(s.Rules))
	for i, r := range s.Rules {
		mr := moderation.Rule{Kind: r.Kind, Action: r.Action, AllowDomains: r.AllowDomains, BlockDomains: r.BlockDomains,
			Words: r.Words, Threshold: r.Threshold, SavedReplyID: r.SavedReplyID}
		if r.MaxLinks != nil {
			mr.MaxLinks = *r.MaxLinks
		} else if r.Kind == moderation.Links {
			mr.MaxLinks = 1
		}
		if r.Window != "" {
			d, err := time.ParseDuration(r.Window)
			if err != nil {
				return nil, care.Errorf(care.EINVALID, "Moderation rule %d: window %q is not a duration such as 10m or 1h.", i+1, r.Window)
			}
			mr.Window = d
		}
		rules = append(rules, mr)
	}
	if _, err := moderation.New(rules, moderation.Options{}); err != nil {
		return nil, err
	}
	return rules, nil
}

// Replier answers a comment inside the caller's transaction; desk.Service
// does.
type Replier interface {
	ReplyIn(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, r desk.Reply, now time.Time) (*care.Message, error)
}

// Moderator carries out a decision on the platform; desk.Service does.
type Moderator interface {
	Moderate(ctx context.Context, p care.Principal, messageID care.ID, action channel.ModerationAction) (*care.Message, error)
}

// Screener screens comments. Each workspace's moderation.Moderator is kept
// while its settings stand, since the repeated-text rule counts across
// comments.
type Screener struct {
	Store care.Store
	// Adapters tell which channels can moderate comments.
	Adapters *channel.Registry
	// Desk hides and deletes on the platform, after the comment is stored.
	Desk Moderator
	// Replies answers comments with a saved reply (action reply).
	Replies Replier
	Logger  *slog.Logger

	mu    sync.Mutex
	cache map[care.ID]*entry
}

type entry struct {
	doc string
	m   *moderation.Moderator
}

func (s *Screener) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Screener) moderator(ctx context.Context, q care.Queries, ws care.ID) (*moderation.Moderator, error) {
	doc, err := q.Setting(ctx, ws, SettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.cache[ws]; e != nil && e.doc == string(doc) {
		return e.m, nil
	}
	rules, err := Parse(doc)
	if err != nil {
		s.logger().Error("screen: saved moderation rules no longer parse; comments are not screened", "workspace", ws, "err", err)
		return nil, nil
	}
	m, err := moderation.New(rules, moderation.Options{})
	if err != nil {
		return nil, err
	}
	if s.cache == nil {
		s.cache = map[care.ID]*entry{}
	}
	s.cache[ws] = &entry{doc: string(doc), m: m}
	return m, nil
}

// Pending is a decision to carry out on the platform once the comment is
// stored.
type Pending struct {
	WorkspaceID care.ID
	MessageID   care.ID
	Action      channel.ModerationAction
	Reason      string
}

// Screen judges a customer's public comment inside the transaction that
// stores it. Flags and complaints are marked on the conversation at once
// (tags and a note); a hide or delete is returned as Pending, to carry out
// with Apply after commit.
func (s *Screener) Screen(ctx context.Context, q care.Queries, conv *care.Conversation, msg *care.Message, author string, now time.Time) (*Pending, []care.Event, error) {
	if msg.Direction != care.DirectionIn || msg.Visibility != care.Public || s.Adapters == nil {
		return nil, nil, nil
	}
	if _, ok := s.Adapters.Moderator(conv.Channel); !ok {
		return nil, nil, nil // not a comment on something the brand owns
	}
	m, err := s.moderator(ctx, q, conv.WorkspaceID)
	if err != nil || m == nil {
		return nil, nil, err
	}
	d := m.Decide(moderation.Comment{AuthorID: author, Text: msg.Text, At: now})
	if d.Action == moderation.Allow {
		return nil, nil, nil
	}
	tags := slices.Clone(conv.Tags)
	add := func(t string) {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	text := fmt.Sprintf("Moderation (%s): %s.", d.Kind, d.Reason)
	var pending *Pending
	switch {
	case d.RouteToCare:
		add("complaint")
		add("flagged")
		text += " It reads as a complaint, so it was not hidden: please answer it."
	case d.Action == moderation.Flag:
		add("flagged")
		text += " Review it: hide, delete or leave it."
	case d.Action == moderation.Reply:
		add("auto-replied")
		reply, err := s.savedReply(ctx, q, conv, msg, d.SavedReplyID, now)
		if err != nil {
			return nil, nil, err
		}
		if reply == "" {
			text += " The saved reply could not be sent; answer it yourself."
		} else {
			text += " Answered with a saved reply: " + reply
		}
	case d.Action == moderation.Hide || d.Action == moderation.Delete:
		add("moderated")
		pending = &Pending{WorkspaceID: conv.WorkspaceID, MessageID: msg.ID, Action: channel.ModerationAction(d.Action), Reason: d.Reason}
		text += fmt.Sprintf(" Parley will %s it on %s; undo with Unhide.", d.Action, conv.Channel)
	}
	c, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Tags: &tags}, now)
	if err != nil {
		return nil, nil, err
	}
	*conv = *c
	note := &care.Message{WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID, Direction: care.DirectionOut,
		Visibility: care.Note, AuthorName: "Moderation", Text: text, Status: care.DeliveryStored, CreatedAt: now, SentAt: now}
	if err := q.CreateMessage(ctx, note); err != nil {
		return nil, nil, err
	}
	details, _ := json.Marshal(map[string]any{"kind": d.Kind, "action": d.Action, "reason": d.Reason, "complaint": d.Complaint, "message_id": msg.ID})
	if err := q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: conv.WorkspaceID, Actor: Actor, Action: "moderation.decide",
		Target: fmt.Sprintf("message:%d", msg.ID), Details: details, CreatedAt: now}); err != nil {
		return nil, nil, err
	}
	data, _ := json.Marshal(note)
	return pending, []care.Event{{WorkspaceID: conv.WorkspaceID, Type: care.EventMessageCreated, ConversationID: conv.ID,
		MessageID: note.ID, InboxID: conv.InboxID, Data: data, CreatedAt: now}}, nil
}

// Apply carries out a pending hide or delete on the platform. A refusal
// leaves the comment visible and says so in the audit trail; the
// conversation's note already tells agents what was intended.
func (s *Screener) Apply(ctx context.Context, p Pending) {
	if s.Desk == nil {
		return
	}
	who := care.Principal{WorkspaceID: p.WorkspaceID, System: Actor}
	if _, err := s.Desk.Moderate(ctx, who, p.MessageID, p.Action); err != nil {
		s.logger().Warn("screen: platform refused moderation", "message", p.MessageID, "action", p.Action, "err", err)
		details, _ := json.Marshal(map[string]any{"action": p.Action, "error": care.ErrorMessage(err)})
		if err := s.Store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: p.WorkspaceID, Actor: Actor, Action: "moderation.failed",
			Target: fmt.Sprintf("message:%d", p.MessageID), Details: details, CreatedAt: time.Now()}); err != nil {
			s.logger().Error("screen: audit", "err", err)
		}
	}
}

// Check is Screen for the ingest pipeline: the platform action to run after
// commit, if any, as a function.
func (s *Screener) Check(ctx context.Context, q care.Queries, conv *care.Conversation, msg *care.Message, author string, now time.Time) (func(context.Context), []care.Event, error) {
	p, events, err := s.Screen(ctx, q, conv, msg, author, now)
	if err != nil || p == nil {
		return nil, events, err
	}
	pending := *p
	return func(ctx context.Context) { s.Apply(ctx, pending) }, events, nil
}

// savedReply answers the comment publicly with saved reply id and returns
// the text sent, "" when it could not be (no such reply, or the platform
// would refuse it).
func (s *Screener) savedReply(ctx context.Context, q care.Queries, conv *care.Conversation, msg *care.Message, id int64, now time.Time) (string, error) {
	if s.Replies == nil {
		return "", nil
	}
	text, ok, err := savedreply.Text(ctx, q, conv, id, msg.AuthorName)
	if err != nil || !ok {
		return "", err
	}
	p := care.Principal{WorkspaceID: conv.WorkspaceID, Role: care.RoleAdmin, Name: "Moderation", System: Actor}
	_, err = s.Replies.ReplyIn(ctx, q, p, conv, desk.Reply{Text: text, Visibility: care.Public, ReplyToMessageID: msg.ID}, now)
	switch care.ErrorCode(err) {
	case "":
		return text, nil
	case care.EINVALID, care.EFORBIDDEN:
		return "", nil
	}
	return "", err
}
