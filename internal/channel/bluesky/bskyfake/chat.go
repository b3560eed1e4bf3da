package bskyfake

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Chat, as the chat service behind the PDS's proxy serves it
// (chat.bsky.convo.*; lexicon chat.bsky.convo.defs).

// SendDM has from write text to to, in their conversation (started if
// need be), as the Bluesky app would; the recipient's AllowIncoming does
// not apply to a customer writing to a brand in the fake.
func (f *Fake) SendDM(from, to, text string) (Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accounts[from] == nil || f.accounts[to] == nil {
		return Message{}, fmt.Errorf("bskyfake: unknown account in DM from %s to %s", from, to)
	}
	now := f.now()
	c := f.convoOf(from, to, now)
	return *f.post(c, from, text, nil, now), nil
}

// DeleteDMForSelf has the account did delete message id of convo for
// itself, the only deletion Bluesky's chat has
// (chat.bsky.convo.deleteMessageForSelf: "Marks a message as deleted for
// the viewer, so they won't see that message in future enumerations"):
// the logDeleteMessage entry goes to that account's log alone, and the
// other members still see the message.
func (f *Fake) DeleteDMForSelf(did, convoID, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.convos[convoID]
	if c == nil || !slices.Contains(c.members, did) {
		return fmt.Errorf("bskyfake: %s is not in conversation %s", did, convoID)
	}
	for _, m := range f.messages {
		if m.ConvoID == convoID && m.ID == id {
			f.logs = append(f.logs, logItem{rev: f.nextTID(f.now()), kind: "#logDeleteMessage", convo: c, message: m, only: did})
			return nil
		}
	}
	return fmt.Errorf("bskyfake: no message %s in %s", id, convoID)
}

// convoOf returns the one-to-one conversation of a and b, starting it.
func (f *Fake) convoOf(a, b string, now time.Time) *convo {
	for _, c := range f.convos {
		if len(c.members) == 2 && slices.Contains(c.members, a) && slices.Contains(c.members, b) {
			return c
		}
	}
	c := &convo{id: f.nextTID(now), members: []string{a, b}}
	f.convos[c.id] = c
	f.logs = append(f.logs, logItem{rev: f.nextTID(now), kind: "#logBeginConvo", convo: c})
	return c
}

// post adds a message to c and to the log.
func (f *Fake) post(c *convo, sender, text string, facets json.RawMessage, now time.Time) *Message {
	m := &Message{ConvoID: c.id, ID: f.nextTID(now), Sender: sender, Text: text, Facets: facets, SentAt: now.UTC()}
	m.Rev = f.nextTID(now)
	f.messages = append(f.messages, m)
	f.logs = append(f.logs, logItem{rev: m.Rev, kind: "#logCreateMessage", convo: c, message: m})
	return m
}

func messageView(m *Message) map[string]any {
	v := map[string]any{"$type": "chat.bsky.convo.defs#messageView", "id": m.ID, "rev": m.Rev, "text": m.Text,
		"sender": map[string]string{"did": m.Sender}, "sentAt": stamp(m.SentAt)}
	if len(m.Facets) > 0 {
		v["facets"] = m.Facets
	}
	return v
}

// getConvoForMembers answers the conversation of the caller with the
// members, starting it (lexicon chat.bsky.convo.getConvoForMembers: 1 to
// 10 members). A recipient who accepts messages from no one, or only from
// accounts they follow, refuses the others.
func (f *Fake) getConvoForMembers(req *request) answer {
	members := req.r.URL.Query()["members"]
	if len(members) < 1 || len(members) > 10 {
		return invalid("Error: members must have between 1 and 10 elements")
	}
	others := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return m == req.caller.DID })
	if len(others) != 1 {
		return invalid("bskyfake serves one-to-one conversations only")
	}
	to := f.accounts[others[0]]
	if to == nil {
		return invalid("Actor not found")
	}
	switch to.AllowIncoming {
	case "none":
		return invalid("recipient has disabled incoming messages")
	case "following":
		if !slices.Contains(to.Follows, req.caller.DID) {
			return invalid("recipient requires incoming messages to come from someone they follow")
		}
	}
	c := f.convoOf(req.caller.DID, to.DID, req.now)
	var views []any
	for _, m := range c.members {
		views = append(views, f.profileView(f.accounts[m], false))
	}
	return ok(map[string]any{"convo": map[string]any{"id": c.id, "rev": f.latestRev(), "members": views,
		"muted": false, "status": "accepted", "unreadCount": 0}})
}

// sendMessage adds the caller's message to a conversation of theirs
// (lexicon chat.bsky.convo.sendMessage; text at most 10,000 bytes and
// 1,000 graphemes).
func (f *Fake) sendMessage(req *request) answer {
	var in struct {
		ConvoID string `json:"convoId"`
		Message struct {
			Text   *string         `json:"text"`
			Facets json.RawMessage `json:"facets"`
		} `json:"message"`
	}
	if err := json.Unmarshal(req.body, &in); err != nil || in.ConvoID == "" || in.Message.Text == nil {
		return invalid("Input must have the properties \"convoId\" and \"message\" with \"text\"")
	}
	c := f.convos[in.ConvoID]
	switch {
	case c == nil || !slices.Contains(c.members, req.caller.DID):
		return invalid("Convo not found")
	case len(*in.Message.Text) > 10000:
		return invalid("Input/message/text must not be longer than 10000 characters")
	case approxGraphemes(*in.Message.Text) > 1000:
		return invalid("Input/message/text must not be longer than 1000 graphemes")
	}
	var facets json.RawMessage
	if len(in.Message.Facets) > 0 && string(in.Message.Facets) != "null" {
		facets = in.Message.Facets
	}
	return ok(messageView(f.post(c, req.caller.DID, *in.Message.Text, facets, req.now)))
}

// getLog answers the changes to the caller's conversations after the
// cursor, oldest first, at most 100; without a cursor none, with the
// cursor of now (lexicon chat.bsky.convo.getLog).
func (f *Fake) getLog(req *request) answer {
	cursor := req.r.URL.Query().Get("cursor")
	if cursor == "" {
		return ok(map[string]any{"logs": []any{}, "cursor": f.latestRev()})
	}
	logs := []any{}
	next := cursor
	for _, l := range f.logs {
		if l.rev <= cursor || !slices.Contains(l.convo.members, req.caller.DID) || l.only != "" && l.only != req.caller.DID {
			continue
		}
		if len(logs) == 100 {
			break
		}
		e := map[string]any{"$type": "chat.bsky.convo.defs" + l.kind, "rev": l.rev, "convoId": l.convo.id}
		if l.message != nil {
			e["message"] = messageView(l.message)
		}
		logs = append(logs, e)
		next = l.rev
	}
	return ok(map[string]any{"logs": logs, "cursor": next})
}

// latestRev is the newest log revision, or a TID of zero.
func (f *Fake) latestRev() string {
	if len(f.logs) == 0 {
		return "2222222222222"
	}
	return f.logs[len(f.logs)-1].rev
}
