package redditfake

import (
	"html"
	"strconv"
	"strings"
)

// The JSON shapes: a Listing, and things as the inbox shows them (the
// fields of github.com/Pyprohly/reddit-api-doc-notes, "Private Message"
// schema, and channel-samples/reddit/message_unread_listing_CONSTRUCTED.json)
// or as comments (its "Comment" schema, the fields a client reads).

func listingJSON(children []any, before, after string) map[string]any {
	return map[string]any{"kind": "Listing", "data": map[string]any{
		"after": nullable(after), "before": nullable(before), "dist": len(children), "modhash": nil,
		"geo_filter": "", "children": children,
	}}
}

func thingJSON(kind string, data map[string]any) map[string]any {
	return map[string]any{"kind": kind, "data": data}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// bodyHTML is what Reddit renders of a body: the fake escapes it and
// wraps it in a paragraph, enough for a client that (wrongly) reads it.
func bodyHTML(body string) string {
	return "<!-- SC_OFF --><div class=\"md\"><p>" + html.EscapeString(body) + "</p>\n</div><!-- SC_ON -->"
}

// shown is an item's author and body as others see them.
func (it *item) shown() (author, authorID, body string) {
	if it.deleted {
		return "[deleted]", "", "[deleted]"
	}
	return it.author, it.authorID, it.body
}

// messageJSON is an inbox or sent item: a t1 notification or a t4.
func (f *Fake) messageJSON(it *item) map[string]any {
	author, authorID, body := it.shown()
	created := float64(it.created.Unix())
	d := map[string]any{
		"id": it.id, "name": it.name(), "author": author, "body": body, "body_html": bodyHTML(body),
		"created": created, "created_utc": created, "new": it.unread, "likes": nil, "replies": "",
		"associated_awarding_id": nil, "distinguished": nil, "first_message": nil, "first_message_name": nil,
	}
	if authorID != "" {
		d["author_fullname"] = "t2_" + authorID
	} else {
		d["author_fullname"] = nil
	}
	if it.kind == "t4" {
		d["subject"], d["dest"], d["was_comment"], d["type"] = it.subject, it.dest, false, "unknown"
		d["subreddit"], d["subreddit_name_prefixed"], d["num_comments"], d["score"], d["context"] = nil, nil, nil, 0, ""
		d["parent_id"] = nullable(it.parent)
		if it.first != "" {
			n, _ := strconv.ParseInt(strings.TrimPrefix(it.first, "t4_"), 36, 64)
			d["first_message"], d["first_message_name"] = n, it.first
		}
		return thingJSON("t4", d)
	}
	link := f.things[it.link]
	title := ""
	if link != nil {
		title = link.title
	}
	subjects := map[string]string{"comment_reply": "comment reply", "post_reply": "post reply", "username_mention": "username mention"}
	d["subject"], d["type"], d["was_comment"], d["dest"] = subjects[it.notice], it.notice, true, f.Username
	d["subreddit"], d["subreddit_name_prefixed"], d["parent_id"], d["link_title"] = it.subreddit, "r/"+it.subreddit, it.parent, title
	d["score"], d["num_comments"] = 1, f.countComments(it.link)
	d["context"] = f.permalink(it) + "?context=3"
	return thingJSON("t1", d)
}

// commentJSON is a comment object, as /api/comment and
// /user/{name}/comments answer it.
func (f *Fake) commentJSON(it *item) map[string]any {
	author, authorID, body := it.shown()
	created := float64(it.created.Unix())
	title := ""
	if link := f.things[it.link]; link != nil {
		title = link.title
	}
	d := map[string]any{
		"id": it.id, "name": it.name(), "author": author, "body": body, "body_html": bodyHTML(body),
		"parent_id": it.parent, "link_id": it.link, "link_title": title, "subreddit": it.subreddit,
		"subreddit_name_prefixed": "r/" + it.subreddit, "permalink": f.permalink(it), "created": created,
		"created_utc": created, "score": 1, "ups": 1, "downs": 0, "edited": editedJSON(it), "replies": "", "locked": false,
		"archived": false, "removed": it.removed, "distinguished": nil, "stickied": false, "is_submitter": false,
	}
	if authorID != "" {
		d["author_fullname"] = "t2_" + authorID
	}
	return d
}

// permalink is a comment's path on the site.
func (f *Fake) permalink(it *item) string {
	post := strings.TrimPrefix(it.link, "t3_")
	slug := "post"
	if link := f.things[it.link]; link != nil {
		slug = slugOf(link.title)
	}
	return "/r/" + it.subreddit + "/comments/" + post + "/" + slug + "/" + it.id + "/"
}

// slugOf is a title as Reddit writes it in URLs: lower case, words joined
// with underscores, at most 50 bytes.
func slugOf(title string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
		if b.Len() >= 50 {
			break
		}
	}
	if b.Len() == 0 {
		return "post"
	}
	return b.String()
}

func (f *Fake) countComments(link string) int {
	n := 0
	for _, it := range f.things {
		if it.kind == "t1" && it.link == link {
			n++
		}
	}
	return n
}

// editedJSON is a thing's "edited": false, or when it was last edited, in
// Unix seconds as a float.
func editedJSON(it *item) any {
	if it.edited.IsZero() {
		return false
	}
	return float64(it.edited.Unix())
}
