package xfake

import (
	"cmp"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
)

// The fake's objects in X's wire formats: v2 for the API and the X Activity
// API, v1.1 for the Account Activity API.

const v2Time = "2006-01-02T15:04:05.000Z"

func v2User(u User) map[string]any {
	verifiedType := "none"
	if u.Verified {
		verifiedType = "blue"
	}
	return map[string]any{
		"id": u.ID, "name": u.Name, "username": u.Username, "verified": u.Verified, "verified_type": verifiedType,
		"protected": false,
		"public_metrics": map[string]any{
			"followers_count": u.Followers, "followers_count_str": strconv.FormatInt(u.Followers, 10),
			"following_count": 0, "tweet_count": 0, "listed_count": 0,
		},
	}
}

// v2Post is p as a v2 Post object with the fields Parley asks for. The text
// of a post over 280 characters is cut, its whole text in
// note_tweet.text, as X's v2 objects carry long posts (the fake cuts at
// 280 code points; X's own cut is its business).
func (f *Fake) v2Post(p *Post) map[string]any {
	text := escape(p.Text)
	m := map[string]any{
		"id": p.ID, "text": text, "author_id": p.AuthorID, "created_at": p.CreatedAt.UTC().Format(v2Time),
		"edit_history_tweet_ids": []string{p.ID}, "conversation_id": f.conversationRoot(p), "lang": cmp.Or(p.Lang, "en"),
		"reply_settings": "everyone",
	}
	if r := []rune(text); len(r) > 280 {
		m["text"] = string(r[:280])
		m["note_tweet"] = map[string]any{"text": text}
	}
	var refs []map[string]any
	if target := f.post(p.InReplyTo); target != nil {
		m["in_reply_to_user_id"] = target.AuthorID
		refs = append(refs, map[string]any{"type": "replied_to", "id": target.ID})
	}
	if p.Quotes != "" {
		refs = append(refs, map[string]any{"type": "quoted", "id": p.Quotes})
	}
	if p.Reposts != "" {
		refs = append(refs, map[string]any{"type": "retweeted", "id": p.Reposts})
	}
	if refs != nil {
		m["referenced_tweets"] = refs
	}
	if ms := f.mentionEntities(p, false); len(ms) > 0 {
		m["entities"] = map[string]any{"mentions": ms}
	}
	return m
}

// conversationRoot is the id of the first post of p's thread.
func (f *Fake) conversationRoot(p *Post) string {
	for i := 0; i < 1000 && p.InReplyTo != ""; i++ {
		q := f.post(p.InReplyTo)
		if q == nil {
			break
		}
		p = q
	}
	return p.ID
}

// mentionEntities locates p's mentions in its text, with UTF-16 indices
// for v1.1 or code point indices for v2.
func (f *Fake) mentionEntities(p *Post, v1 bool) []map[string]any {
	var out []map[string]any
	for _, loc := range handlePattern.FindAllStringSubmatchIndex(p.Text, -1) {
		handle := p.Text[loc[2]:loc[3]]
		for _, id := range p.Mentions {
			u, ok := f.users[id]
			if !ok || !strings.EqualFold(u.Username, handle) {
				continue
			}
			start, end := index(p.Text[:loc[0]], v1), index(p.Text[:loc[1]], v1)
			if v1 {
				out = append(out, map[string]any{"screen_name": u.Username, "name": u.Name, "id": jsonNumber(u.ID),
					"id_str": u.ID, "indices": []int{start, end}})
			} else {
				out = append(out, map[string]any{"start": start, "end": end, "username": u.Username, "id": u.ID})
			}
		}
	}
	return out
}

func index(prefix string, utf16Units bool) int {
	if utf16Units {
		return len(utf16.Encode([]rune(prefix)))
	}
	return len([]rune(prefix))
}

// escape HTML-escapes &, < and >, as X does in post text.
var escape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// jsonNumber writes a decimal id as a JSON number, as v1.1 objects do
// beside their *_str fields.
type jsonNumber string

func (n jsonNumber) MarshalJSON() ([]byte, error) {
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return []byte("null"), nil
		}
	}
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

func v1User(u User) map[string]any {
	return map[string]any{
		"id": jsonNumber(u.ID), "id_str": u.ID, "name": u.Name, "screen_name": u.Username,
		"followers_count": u.Followers, "friends_count": 0, "statuses_count": 0, "verified": u.Verified,
		"protected": false,
	}
}

// v1Tweet is p as a v1.1 Tweet object; text over 140 characters comes
// truncated, with the full text in extended_tweet, as X sends it.
func (f *Fake) v1Tweet(p *Post) map[string]any {
	text := escape(p.Text)
	mentions := f.mentionEntities(p, true)
	if mentions == nil {
		mentions = []map[string]any{}
	}
	entities := map[string]any{"hashtags": []any{}, "symbols": []any{}, "urls": []any{}, "user_mentions": mentions}
	m := map[string]any{
		"created_at": p.CreatedAt.UTC().Format("Mon Jan 02 15:04:05 -0700 2006"), "id": jsonNumber(p.ID), "id_str": p.ID,
		"text": text, "truncated": false, "entities": entities, "user": v1User(f.users[p.AuthorID]),
		"source":                `<a href="https://parley.example" rel="nofollow">Parley fake</a>`,
		"in_reply_to_status_id": nil, "in_reply_to_status_id_str": nil, "in_reply_to_user_id": nil,
		"in_reply_to_user_id_str": nil, "in_reply_to_screen_name": nil, "is_quote_status": p.Quotes != "",
		"timestamp_ms": strconv.FormatInt(p.CreatedAt.UnixMilli(), 10), "lang": "en",
	}
	if r := []rune(text); len(r) > 140 {
		m["text"], m["truncated"] = string(r[:139])+"…", true
		m["extended_tweet"] = map[string]any{"full_text": text, "display_text_range": []int{0, len(r)}, "entities": entities}
	}
	if target := f.post(p.InReplyTo); target != nil {
		m["in_reply_to_status_id"], m["in_reply_to_status_id_str"] = jsonNumber(target.ID), target.ID
		m["in_reply_to_user_id"], m["in_reply_to_user_id_str"] = jsonNumber(target.AuthorID), target.AuthorID
		m["in_reply_to_screen_name"] = f.users[target.AuthorID].Username
	}
	if p.Quotes != "" {
		m["quoted_status_id"], m["quoted_status_id_str"] = jsonNumber(p.Quotes), p.Quotes
	}
	return m
}

// legacyDM is d as a message_create event, the shape both webhook products
// use for DMs. A file is an attachment whose media_url_https is on X's DM
// media host (f.mediaBase), and whose t.co link X appends to the text
// (developer.x.com, direct-messages/message-attachments). The caller holds
// f.mu.
func (f *Fake) legacyDM(d *DM) map[string]any {
	data := map[string]any{"text": d.Text,
		"entities": map[string]any{"hashtags": []any{}, "symbols": []any{}, "user_mentions": []any{}, "urls": []any{}}}
	if m := d.Media; m != nil {
		u := f.mediaURL(d, m)
		short := m.ID[max(len(m.ID)-10, 0):]
		tco := "https://t.co/" + short
		text := d.Text
		if text != "" {
			text += " "
		}
		data["text"] = text + tco
		data["attachment"] = map[string]any{"type": "media", "media": map[string]any{
			"id": jsonNumber(m.ID), "id_str": m.ID, "indices": []int{len([]rune(text)), len([]rune(text + tco))},
			"media_url": u, "media_url_https": u, "url": tco, "display_url": "pic.x.com/" + short,
			"expanded_url": "https://x.com/messages/media/" + d.ID, "type": m.Type,
		}}
	}
	return map[string]any{
		"type": "message_create", "id": d.ID, "created_timestamp": strconv.FormatInt(d.CreatedAt.UnixMilli(), 10),
		"message_create": map[string]any{
			"target": map[string]any{"recipient_id": d.RecipientID}, "sender_id": d.SenderID,
			"message_data": data,
		},
	}
}

// mediaURL is where the fake serves m of d.
func (f *Fake) mediaURL(d *DM, m *DMMedia) string {
	return f.mediaBase + "/1.1/ton/data/dm/" + d.ID + "/" + m.ID + "/" + url.PathEscape(m.Name)
}
