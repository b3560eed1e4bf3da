package bskyfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

const postCollection = "app.bsky.feed.post"

// PostInput is a post someone writes on Bluesky.
type PostInput struct {
	Text string
	// ReplyTo is the URI of the post answered; its thread's root is found
	// as Bluesky's apps find it.
	ReplyTo string
	// Quote is the URI of a post quoted.
	Quote string
	// Images are the alt texts of images attached, one image each.
	Images []string
	// CreatedAt is the record's createdAt, the time on the author's
	// device; zero for the fake's now. An earlier one lists the post's
	// notifications below those of posts indexed before it, as a clock
	// that is behind or a post that reaches the AppView late does on
	// Bluesky (see listNotifications).
	CreatedAt time.Time
}

// postRecord is the app.bsky.feed.post record the fake writes.
type postRecord struct {
	Type      string         `json:"$type"`
	Text      string         `json:"text"`
	CreatedAt string         `json:"createdAt"`
	Langs     []string       `json:"langs,omitempty"`
	Reply     *replyRef      `json:"reply,omitempty"`
	Embed     map[string]any `json:"embed,omitempty"`
	Facets    []facet        `json:"facets,omitempty"`
}

type replyRef struct {
	Root   StrongRef `json:"root"`
	Parent StrongRef `json:"parent"`
}

type facet struct {
	Index struct {
		ByteStart int `json:"byteStart"`
		ByteEnd   int `json:"byteEnd"`
	} `json:"index"`
	Features []struct {
		Type string `json:"$type"`
		DID  string `json:"did,omitempty"`
		URI  string `json:"uri,omitempty"`
	} `json:"features"`
}

var handleRE = regexp.MustCompile(`@([a-zA-Z0-9.-]+[a-zA-Z0-9])`)

// Publish has the account author write a post, as Bluesky's app would:
// @handles of known accounts become mention facets, a reply carries its
// thread's root and parent. The accounts it concerns are notified.
func (f *Fake) Publish(author string, in PostInput) (Post, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accounts[author] == nil {
		return Post{}, fmt.Errorf("bskyfake: no account %s", author)
	}
	now := f.now()
	created := now
	if !in.CreatedAt.IsZero() {
		created = in.CreatedAt
	}
	rec := postRecord{Type: postCollection, Text: in.Text, CreatedAt: stamp(created), Langs: []string{"en"}}
	for _, m := range handleRE.FindAllStringSubmatchIndex(in.Text, -1) {
		if did, ok := f.handles[lower(in.Text[m[2]:m[3]])]; ok {
			var fc facet
			fc.Index.ByteStart, fc.Index.ByteEnd = m[0], m[1]
			fc.Features = append(fc.Features, struct {
				Type string `json:"$type"`
				DID  string `json:"did,omitempty"`
				URI  string `json:"uri,omitempty"`
			}{Type: "app.bsky.richtext.facet#mention", DID: did})
			rec.Facets = append(rec.Facets, fc)
		}
	}
	if in.ReplyTo != "" {
		parent := f.byURI[in.ReplyTo]
		if parent == nil {
			return Post{}, fmt.Errorf("bskyfake: no post %s to reply to", in.ReplyTo)
		}
		rec.Reply = &replyRef{Root: rootOf(parent), Parent: StrongRef{parent.URI, parent.CID}}
	}
	var media map[string]any
	if len(in.Images) > 0 {
		var imgs []any
		for i, alt := range in.Images {
			imgs = append(imgs, map[string]any{"alt": alt, "image": map[string]any{"$type": "blob",
				"ref": map[string]string{"$link": cidOf(fmt.Appendf(nil, "%s image %d %s", author, i, now))}, "mimeType": "image/jpeg", "size": 48213 + i},
				"aspectRatio": map[string]int{"width": 1200, "height": 900}})
		}
		media = map[string]any{"$type": "app.bsky.embed.images", "images": imgs}
		rec.Embed = media
	}
	if in.Quote != "" {
		q := f.byURI[in.Quote]
		if q == nil {
			return Post{}, fmt.Errorf("bskyfake: no post %s to quote", in.Quote)
		}
		ref := map[string]any{"$type": "app.bsky.embed.record", "record": StrongRef{q.URI, q.CID}}
		rec.Embed = ref
		if media != nil {
			rec.Embed = map[string]any{"$type": "app.bsky.embed.recordWithMedia", "record": ref, "media": media}
		}
	}
	raw, _ := json.Marshal(rec)
	p, err := f.addPost(author, f.nextTID(now), raw, now)
	if err != nil {
		return Post{}, err
	}
	return *p, nil
}

func rootOf(p *Post) StrongRef {
	if p.Root.URI != "" {
		return p.Root
	}
	return StrongRef{p.URI, p.CID}
}

// addPost stores a post record (already validated) and notifies.
func (f *Fake) addPost(author, rkey string, raw json.RawMessage, now time.Time) (*Post, error) {
	uri := "at://" + author + "/" + postCollection + "/" + rkey
	if f.byURI[uri] != nil {
		return nil, errors.New("record exists")
	}
	var rec struct {
		Text  string    `json:"text"`
		Reply *replyRef `json:"reply"`
		Embed *struct {
			Record json.RawMessage `json:"record"`
		} `json:"embed"`
		Facets []facet `json:"facets"`
	}
	json.Unmarshal(raw, &rec)
	idx := now.UTC().Truncate(time.Millisecond)
	if !idx.After(f.lastIdx) {
		idx = f.lastIdx.Add(time.Millisecond)
	}
	f.lastIdx = idx
	p := &Post{URI: uri, CID: cidOf(raw), RKey: rkey, Author: author, Text: rec.Text, Record: raw, IndexedAt: idx}
	if rec.Reply != nil {
		p.Root, p.Parent = rec.Reply.Root, rec.Reply.Parent
	}
	if rec.Embed != nil && len(rec.Embed.Record) > 0 {
		var ref struct {
			StrongRef
			Record *StrongRef `json:"record"`
		}
		if json.Unmarshal(rec.Embed.Record, &ref) == nil {
			p.Quote = ref.StrongRef
			if ref.Record != nil {
				p.Quote = *ref.Record
			}
		}
	}
	f.posts = append(f.posts, p)
	f.byURI[uri] = p
	// One notification per account, the strongest reason first, sorted
	// by the post's sortAt as the AppView's notification table is.
	at := sortAt(p).Truncate(time.Millisecond)
	reasons := map[string]string{}
	add := func(did, reason, subject string) {
		if did != "" && did != author && f.accounts[did] != nil && reasons[did] == "" {
			reasons[did] = reason
			f.notes = append(f.notes, &note{recipient: did, reason: reason, subject: subject, post: p, sortAt: at})
		}
	}
	if p.Parent.URI != "" {
		add(didOf(p.Parent.URI), "reply", p.Parent.URI)
		add(didOf(p.Root.URI), "reply", p.Root.URI)
	}
	if p.Quote.URI != "" {
		add(didOf(p.Quote.URI), "quote", p.Quote.URI)
	}
	for _, fc := range rec.Facets {
		for _, ft := range fc.Features {
			if ft.Type == "app.bsky.richtext.facet#mention" {
				add(ft.DID, "mention", "")
			}
		}
	}
	return p, nil
}

// didOf returns the DID of an at:// URI.
func didOf(uri string) string {
	rest, _ := strings.CutPrefix(uri, "at://")
	did, _, _ := strings.Cut(rest, "/")
	return did
}

// createRecord stores a post of the caller's (lexicon
// com.atproto.repo.createRecord).
func (f *Fake) createRecord(req *request) answer {
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		RKey       *string         `json:"rkey"`
		Validate   *bool           `json:"validate"`
		Record     json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(req.body, &in); err != nil {
		return invalid("Request body is not valid JSON")
	}
	switch {
	case in.Repo == "" || in.Collection == "" || len(in.Record) == 0:
		return invalid("Input must have the properties \"repo\", \"collection\" and \"record\"")
	case in.Repo != req.caller.DID && lower(in.Repo) != lower(req.caller.Handle):
		return xrpcError(http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
	case in.Collection != postCollection:
		return invalid("bskyfake stores only %s records", postCollection)
	}
	rkey := f.nextTID(req.now)
	if in.RKey != nil {
		rkey = *in.RKey
		if len(rkey) > 15 {
			return invalid("Input/rkey must not be longer than 15 characters")
		}
		if !validRecordKey(rkey) {
			return invalid("Invalid record key: %s", rkey)
		}
	}
	if msg := f.checkPost(in.Record); msg != "" {
		return invalid("Invalid app.bsky.feed.post record: %s", msg)
	}
	p, err := f.addPost(req.caller.DID, rkey, in.Record, req.now)
	if err != nil {
		// Bluesky's PDS fails this way for a key already taken
		// (github.com/bluesky-social/atproto/issues/3718).
		return xrpcError(http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
	}
	return ok(map[string]any{"uri": p.URI, "cid": p.CID,
		"commit": map[string]string{"cid": cidOf([]byte(p.URI + "commit")), "rev": f.nextTID(req.now)}, "validationStatus": "valid"})
}

// checkPost validates a post record as the lexicon does, and its reply
// refs as the fake does; "" when it is fine.
func (f *Fake) checkPost(raw json.RawMessage) string {
	var rec struct {
		Type      string    `json:"$type"`
		Text      *string   `json:"text"`
		CreatedAt string    `json:"createdAt"`
		Reply     *replyRef `json:"reply"`
		Facets    []facet   `json:"facets"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return "Record must be an object"
	}
	switch {
	case rec.Type != postCollection:
		return "Record/$type must be app.bsky.feed.post"
	case rec.Text == nil:
		return "Record must have the property \"text\""
	case len(*rec.Text) > 3000:
		return "Record/text must not be longer than 3000 characters"
	case approxGraphemes(*rec.Text) > 300:
		return "Record/text must not be longer than 300 graphemes"
	}
	if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err != nil || t.IsZero() {
		return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
	}
	for i, fc := range rec.Facets {
		if fc.Index.ByteStart < 0 || fc.Index.ByteEnd <= fc.Index.ByteStart || fc.Index.ByteEnd > len(*rec.Text) || len(fc.Features) == 0 {
			return fmt.Sprintf("Record/facets/%d/index is not a byte range of the text", i)
		}
		for _, ft := range fc.Features {
			if ft.Type == "app.bsky.richtext.facet#mention" && !strings.HasPrefix(ft.DID, "did:") {
				return fmt.Sprintf("Record/facets/%d/features/0/did must be a valid did", i)
			}
		}
	}
	if rec.Reply != nil {
		if rec.Reply.Parent.CID == "" || rec.Reply.Root.CID == "" {
			return "Record/reply/parent must have the property \"cid\""
		}
		parent := f.byURI[rec.Reply.Parent.URI]
		switch {
		case parent == nil || parent.CID != rec.Reply.Parent.CID:
			return "bskyfake: the reply's parent is not a known post at that CID"
		case rec.Reply.Root != rootOf(parent):
			return "bskyfake: the reply's root is not the root of its parent's thread"
		}
	}
	return ""
}

// validRecordKey is the record key syntax (atproto.com/specs/record-key).
func validRecordKey(k string) bool {
	if k == "" || len(k) > 512 || k == "." || k == ".." {
		return false
	}
	for _, c := range []byte(k) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._:~-", c) >= 0) {
			return false
		}
	}
	return true
}

// approxGraphemes counts user-perceived characters roughly: runes, less
// combining marks, joiners and what they join, variation selectors, skin
// tones and tag characters, and flags by pairs.
func approxGraphemes(s string) int {
	n, ri := 0, 0
	joined := false
	for _, r := range s {
		switch {
		case r == 0x200d:
			joined = true
			continue
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc), r >= 0x1f3fb && r <= 0x1f3ff, r >= 0xe0020 && r <= 0xe007f:
			continue
		case r >= 0x1f1e6 && r <= 0x1f1ff:
			ri++
			if ri%2 == 0 {
				continue
			}
		default:
			ri = 0
		}
		if joined {
			joined = false
			continue
		}
		n++
	}
	return n
}

// getRecord answers a record of a repository (lexicon
// com.atproto.repo.getRecord).
func (f *Fake) getRecord(req *request) answer {
	q := req.r.URL.Query()
	repo := q.Get("repo")
	if did, ok := f.handles[lower(repo)]; ok {
		repo = did
	}
	uri := "at://" + repo + "/" + q.Get("collection") + "/" + q.Get("rkey")
	p := f.byURI[uri]
	if p == nil || (q.Get("cid") != "" && q.Get("cid") != p.CID) {
		return xrpcError(http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+uri)
	}
	return ok(map[string]any{"uri": p.URI, "cid": p.CID, "value": p.Record})
}

// getPosts answers posts by URI, leaving out those it does not know
// (lexicon app.bsky.feed.getPosts, at most 25).
func (f *Fake) getPosts(req *request) answer {
	uris := req.r.URL.Query()["uris"]
	if len(uris) > 25 {
		return invalid("Error: uris must not have more than 25 elements")
	}
	posts := []any{}
	for _, u := range uris {
		if p := f.byURI[u]; p != nil {
			posts = append(posts, map[string]any{"uri": p.URI, "cid": p.CID, "author": f.profileView(f.accounts[p.Author], false),
				"record": p.Record, "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
				"indexedAt": stamp(p.IndexedAt), "labels": []any{}})
		}
	}
	return ok(map[string]any{"posts": posts})
}

// resolveHandle answers a handle's DID (lexicon
// com.atproto.identity.resolveHandle).
func (f *Fake) resolveHandle(req *request) answer {
	h := lower(req.r.URL.Query().Get("handle"))
	did, found := f.handles[h]
	if !found || strings.Contains(h, "@") {
		return invalid("Unable to resolve handle")
	}
	return ok(map[string]string{"did": did})
}

// getProfiles answers detailed profiles by DID or handle (lexicon
// app.bsky.actor.getProfiles, at most 25).
func (f *Fake) getProfiles(req *request) answer {
	actors := req.r.URL.Query()["actors"]
	if len(actors) > 25 {
		return invalid("Error: actors must not have more than 25 elements")
	}
	profiles := []any{}
	for _, a := range actors {
		did := a
		if d, ok := f.handles[lower(a)]; ok {
			did = d
		}
		if acct := f.accounts[did]; acct != nil {
			profiles = append(profiles, f.profileView(acct, true))
		}
	}
	return ok(map[string]any{"profiles": profiles})
}

// profileView is app.bsky.actor.defs#profileView, or #profileViewDetailed
// with the counts.
func (f *Fake) profileView(a *Account, detailed bool) map[string]any {
	if a == nil {
		return map[string]any{"did": "did:plc:unknown", "handle": "handle.invalid"}
	}
	v := map[string]any{"did": a.DID, "handle": a.Handle, "labels": []any{}, "createdAt": "2023-04-12T04:53:57.057Z",
		"viewer": map[string]bool{"muted": false, "blockedBy": false}}
	if a.DisplayName != "" {
		v["displayName"] = a.DisplayName
	}
	if a.Verified {
		v["verification"] = map[string]any{"verifications": []any{map[string]any{"issuer": "did:plc:z72i7hdynmk6r22z27h6tvur",
			"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.graph.verification/3lndpu6gxbk2a", "isValid": true,
			"createdAt": "2025-04-21T10:00:00.000Z"}}, "verifiedStatus": "valid", "trustedVerifierStatus": "none"}
	}
	if detailed {
		v["followersCount"], v["followsCount"], v["postsCount"] = a.Followers, len(a.Follows), f.postCount(a.DID)
	}
	return v
}

func (f *Fake) postCount(did string) int {
	n := 0
	for _, p := range f.posts {
		if p.Author == did {
			n++
		}
	}
	return n
}

// listNotifications answers the caller's notifications (lexicon
// app.bsky.notification.listNotifications: limit 1 to 100, default 50),
// newest first by sortAt, as the AppView lists them: the earlier of the
// post's createdAt and when it was indexed, which is also what the
// notification's indexedAt says (bluesky-social/atproto, packages/bsky:
// the post table's sortAt is least("createdAt", "indexedAt"), the
// notification takes the post's, listNotifications selects notif.sortAt
// as indexedAt and pages by it). So a post whose author's clock is behind,
// or that is indexed late, is listed below notifications already seen.
// Ties are listed last-arrived first (the AppView breaks them by CID).
// The cursor, "<unix ms>::<n>", leads to older ones.
func (f *Fake) listNotifications(req *request) answer {
	q := req.r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return invalid("Error: limit must be an integer from 1 to 100")
		}
		limit = n
	}
	afterMS, afterSeq := int64(0), -1
	if c := q.Get("cursor"); c != "" {
		ms, seq, found := strings.Cut(c, "::")
		var err1, err2 error
		afterMS, err1 = strconv.ParseInt(ms, 10, 64)
		afterSeq, err2 = strconv.Atoi(seq)
		if !found || err1 != nil || err2 != nil || afterSeq < 0 {
			return invalid("Malformed cursor")
		}
	}
	reasons := q["reasons"]
	var mine []int // indexes into f.notes
	for i, n := range f.notes {
		if n.recipient != req.caller.DID || len(reasons) > 0 && !slices.Contains(reasons, n.reason) {
			continue
		}
		if ms := n.sortAt.UnixMilli(); afterSeq >= 0 && (ms > afterMS || ms == afterMS && i >= afterSeq) {
			continue
		}
		mine = append(mine, i)
	}
	slices.SortFunc(mine, func(a, b int) int {
		if c := f.notes[b].sortAt.Compare(f.notes[a].sortAt); c != 0 {
			return c
		}
		return b - a
	})
	page := []any{}
	last := -1
	for _, i := range mine {
		if len(page) == limit {
			break
		}
		n := f.notes[i]
		v := map[string]any{"uri": n.post.URI, "cid": n.post.CID, "author": f.profileView(f.accounts[n.post.Author], false),
			"reason": n.reason, "record": n.post.Record, "isRead": false, "indexedAt": stamp(n.sortAt), "labels": []any{}}
		if n.subject != "" {
			v["reasonSubject"] = n.subject
		}
		page = append(page, v)
		last = i
	}
	out := map[string]any{"notifications": page, "priority": false, "seenAt": stamp(req.now.Add(-time.Hour))}
	if last >= 0 {
		out["cursor"] = strconv.FormatInt(f.notes[last].sortAt.UnixMilli(), 10) + "::" + strconv.Itoa(last)
	}
	return ok(out)
}

// stamp formats t as the network does: UTC, milliseconds, "Z".
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
