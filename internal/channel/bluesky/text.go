package bluesky

import (
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Identifiers and text as the network writes them, made safe. Everything a
// notification or a chat log carries was written by someone else: ids are
// checked against their syntax before they become keys, text is made valid
// and bounded before it is stored.

// postCollection is the NSID of posts.
const postCollection = "app.bsky.feed.post"

// validDID reports whether s is a DID as atproto writes them
// (atproto.com/specs/did: "did:", a lowercase method, ":", then
// [a-zA-Z0-9._:%-], not ending in ":" or "%"), within
// care.MaxPlatformIDBytes.
func validDID(s string) bool {
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok || len(s) > care.MaxPlatformIDBytes {
		return false
	}
	method, id, ok := strings.Cut(rest, ":")
	if !ok || method == "" || id == "" || id[len(id)-1] == ':' || id[len(id)-1] == '%' {
		return false
	}
	for i := 0; i < len(method); i++ {
		if method[i] < 'a' || method[i] > 'z' {
			return false
		}
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != '.' && c != '_' && c != ':' && c != '%' && c != '-' {
			return false
		}
	}
	return true
}

// validHandle reports whether s is a handle (atproto.com/specs/handle): two
// or more dot-separated labels of letters, digits and inner hyphens, at
// most 63 bytes each and 253 in all, the last starting with a letter.
func validHandle(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			if !isAlnum(l[j]) && l[j] != '-' {
				return false
			}
		}
		if i == len(labels)-1 && !isLetter(l[0]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// validKey reports whether s is a record key (atproto.com/specs/record-key:
// 1 to 512 of [A-Za-z0-9._:~-], not "." or "..") or a chat id, which use
// the same characters; bounded here to 64 bytes, far above what either
// service issues.
func validKey(s string) bool {
	if s == "" || len(s) > 64 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != ':' && c != '~' && c != '-' {
			return false
		}
	}
	return true
}

// validCID reports whether s looks like a CID: letters and digits (base32
// for CIDv1, base58 for CIDv0), 8 to 128 of them.
func validCID(s string) bool {
	if len(s) < 8 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// postURI is an at:// URI of a post: at://{did}/app.bsky.feed.post/{rkey}
// (atproto.com/specs/at-uri-scheme). Parley's PlatformID of a post.
type postURI struct{ DID, RKey string }

// parsePostURI reads uri, which must name a post by its author's DID.
func parsePostURI(uri string) (postURI, bool) {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok || len(uri) > care.MaxPlatformIDBytes {
		return postURI{}, false
	}
	did, rest, ok := strings.Cut(rest, "/")
	if !ok || !validDID(did) {
		return postURI{}, false
	}
	coll, rkey, ok := strings.Cut(rest, "/")
	if !ok || coll != postCollection || !validKey(rkey) {
		return postURI{}, false
	}
	return postURI{DID: did, RKey: rkey}, true
}

func (u postURI) String() string { return "at://" + u.DID + "/" + postCollection + "/" + u.RKey }

// webURL is where a person opens the post.
func (u postURI) webURL() string { return "https://bsky.app/profile/" + u.DID + "/post/" + u.RKey }

// chatID is Parley's PlatformID of a DM: "{convoId}:{messageId}". Message
// ids are issued by the chat service; the pair is unique whatever their
// scope.
func chatID(convo, msg string) string { return convo + ":" + msg }

// Times. Records carry createdAt as the author's device set it, so it may
// be anything; the network's indexedAt is the fallback, then the receipt
// time. Bluesky opened in 2023; atproto datetimes before 2022 are not
// Bluesky posts'.
var earliest = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

func sentAt(now time.Time, candidates ...string) time.Time {
	for _, c := range candidates {
		if len(c) > 64 {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, c)
		if err == nil && !t.Before(earliest) && t.Before(now.Add(24*time.Hour)) {
			return t.UTC()
		}
	}
	return now.UTC()
}
